"""The service manager's dashboard: every late or due item, dated by the rules, in constant queries."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import ClientStatus, Role
from plans import selectors
from plans.deadlines import DeadlineKind as K
from plans.models import PlanStatus

from ..factories import (
    BenefitDecisionFactory,
    ClientFactory,
    EmploymentFactory,
    HandoverFactory,
    MembershipFactory,
    PlanReviewFactory,
    SupportPlanFactory,
    agreed_plan,
    client_in_service,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def ids(rows):
    return {row.client_id for row in rows}


def build_office(office, manager, staff):
    """One client per situation; returns them by name."""
    c = {}
    c["overdue"] = client_in_service(office=office, primary_staff=staff)
    agreed_plan(client=c["overdue"], manager=manager, starts_on=date(2026, 7, 1))  # due 2026-10-01
    c["due_soon"] = client_in_service(office=office, primary_staff=manager)
    agreed_plan(client=c["due_soon"], manager=manager, starts_on=date(2026, 8, 31))  # due 2026-11-30
    c["reviewed"] = client_in_service(office=office)
    plan = agreed_plan(client=c["reviewed"], manager=manager, starts_on=date(2026, 5, 1))
    PlanReviewFactory(plan=plan, reviewer=manager, reviewed_on=date(2026, 10, 1))  # due 2027-01-01
    c["draft"] = client_in_service(office=office)
    SupportPlanFactory(client=c["draft"], drafted_by=staff, starts_on=date(2026, 12, 1))
    c["approved"] = client_in_service(office=office)
    SupportPlanFactory(
        client=c["approved"],
        status=PlanStatus.APPROVED,
        drafted_by=staff,
        approved_by=manager,
        approved_on=date(2026, 11, 1),
        starts_on=date(2026, 11, 1),
    )
    c["no_plan"] = client_in_service(office=office)
    c["renewal"] = client_in_service(office=office, hired_on=date(2025, 6, 10))  # decision ends 2026-12-09
    agreed_plan(client=c["renewal"], manager=manager, starts_on=date(2026, 10, 1))
    c["renewed"] = client_in_service(office=office, hired_on=date(2025, 6, 10))
    agreed_plan(client=c["renewed"], manager=manager, starts_on=date(2026, 10, 1))
    BenefitDecisionFactory(client=c["renewed"], starts_on=date(2026, 12, 10))
    c["ending"] = client_in_service(office=office, hired_on=date(2023, 8, 16))  # window ends 2027-02-15
    c["ending_shared"] = client_in_service(office=office, hired_on=date(2023, 8, 16))
    HandoverFactory(
        client=c["ending_shared"],
        recorded_by=manager,
        consent_on=date(2026, 10, 1),
        info_shared_on=date(2026, 10, 10),
    )
    c["ending_later"] = client_in_service(office=office, hired_on=date(2023, 10, 1))  # ends 2027-03-31
    c["month4"] = ClientFactory(office=office)
    EmploymentFactory(client=c["month4"], hired_on=date(2026, 8, 1))
    c["month6"] = ClientFactory(office=office)
    EmploymentFactory(client=c["month6"], hired_on=date(2026, 6, 10))
    c["month6_decided"] = ClientFactory(office=office)
    EmploymentFactory(client=c["month6_decided"], hired_on=date(2026, 6, 10))
    BenefitDecisionFactory(client=c["month6_decided"], starts_on=date(2026, 12, 10))
    c["month1"] = ClientFactory(office=office)
    EmploymentFactory(client=c["month1"], hired_on=date(2026, 11, 1))
    c["archived"] = client_in_service(office=office, archived=True)
    return c


@pytest.fixture
def people(office, manager, staff):
    return build_office(office, manager, staff)


def lists(office, as_of=TODAY):
    return {kind: rows for kind, _label, rows in selectors.dashboard(office, as_of)}


def test_reviews_overdue_and_due_soon_by_the_rules(office, people):
    got = lists(office)
    overdue, soon = got[K.REVIEW_OVERDUE], got[K.REVIEW_DUE_SOON]
    assert ids(overdue) == {people["overdue"].pk}
    # Was 10-01 under the clamp: 3 months counted from 07-01 end on 09-30 (民法 143).
    assert overdue[0].due_on == date(2026, 9, 30)
    assert ids(soon) == {people["due_soon"].pk}
    assert soon[0].due_on == date(2026, 11, 30)  # from 08-31: no 11-31, so November's last day
    assert people["reviewed"].pk not in ids(overdue) | ids(soon)


def test_plans_awaiting_approval_and_consent(office, people):
    got = lists(office)
    assert ids(got[K.PLAN_AWAITING_APPROVAL]) == {people["draft"].pk}
    assert ids(got[K.PLAN_AWAITING_CONSENT]) == {people["approved"].pk}


def test_clients_in_service_without_a_plan_in_effect(office, people):
    rows = ids(lists(office)[K.PLAN_MISSING])
    assert {people["no_plan"].pk, people["draft"].pk, people["approved"].pk} <= rows
    assert people["overdue"].pk not in rows
    assert people["archived"].pk not in rows
    assert people["month4"].pk not in rows  # not in service yet


def test_decisions_ending_without_a_following_one(office, people):
    rows = lists(office)[K.DECISION_RENEWAL]
    assert people["renewal"].pk in ids(rows)
    assert people["renewed"].pk not in ids(rows)
    row = next(r for r in rows if r.client_id == people["renewal"].pk)
    assert row.due_on == date(2026, 12, 9) and row.urgent  # 16 days left
    # The first decision of a client hired 2025-01-06 ended on 2026-07-05 with none after it: the
    # renewal stays listed after ends_on (it used to drop off on that day).
    lapsed = next(r for r in rows if r.client_id == people["no_plan"].pk)
    assert lapsed.due_on == date(2026, 7, 5) and lapsed.urgent


def test_handover_sharing_keyed_to_the_sharing_deadline(office, people):
    rows = {r.client_id: r for r in lists(office)[K.HANDOVER_SHARING]}
    # Window ends 2027-02-15: shared by 2026-11-15 at the latest; on 11-23 that is past: the reduction.
    ending = rows[people["ending"].pk]
    assert (ending.due_on, ending.urgent) == (date(2026, 11, 15), True)
    assert ending.late.startswith("減算の対象")
    # Window ends 2027-03-31, sharing deadline 2026-12-31, 38 days away: listed (from 60 days before it),
    # not yet urgent. Under the old "120 days before the end" rule it was not listed yet.
    later = rows[people["ending_later"].pk]
    assert (later.due_on, later.urgent) == (date(2026, 12, 31), False)
    assert people["ending_shared"].pk not in rows  # shared on 10-10, before its deadline


def test_first_applications_due(office, people):
    rows = {r.client_id: r for r in lists(office)[K.APPLICATION_PREPARATION]}
    assert set(rows) == {people["month4"].pk, people["month6"].pk}
    assert not rows[people["month4"].pk].urgent
    assert rows[people["month6"].pk].urgent
    assert rows[people["month6"].pk].due_on == date(2026, 12, 10)


def test_rows_link_to_where_they_are_fixed(office, people):
    got = lists(office)
    overdue = got[K.REVIEW_OVERDUE][0]
    assert overdue.fix_url == reverse("plans:review_create", args=[overdue.object_id])
    ending = next(r for r in got[K.HANDOVER_SHARING] if r.client_id == people["ending"].pk)
    assert ending.fix_url == reverse("plans:handover_edit", args=[people["ending"].pk])


@time_machine.travel(TODAY)
def test_dashboard_page_counts_and_staff_filter(as_manager, office, staff, people):
    response = as_manager.get(reverse("plans:dashboard"))
    lists = {kind: rows for kind, _label, rows in response.context["lists"]}
    assert ids(lists[K.REVIEW_OVERDUE]) == {people["overdue"].pk}
    # every list has something in this office but the plans waiting for delivery (none here)
    assert all(rows for kind, rows in lists.items() if kind not in (K.PLAN_AWAITING_DELIVERY,))
    body = response.content.decode()
    assert (
        "モニタリング期限超過" in body and reverse("plans:handover_edit", args=[people["ending"].pk]) in body
    )

    filtered = as_manager.get(reverse("plans:dashboard"), {"staff": staff.pk})
    shown = set().union(*(ids(rows) for _k, _l, rows in filtered.context["lists"]))
    assert shown == {people["overdue"].pk}


def test_other_offices_clients_never_show(office, other_office, people):
    foreign_manager = MembershipFactory(office=other_office, role=Role.MANAGER).user
    build_office(other_office, foreign_manager, foreign_manager)
    mine = {c.pk for c in people.values()}
    for _kind, _label, rows in selectors.dashboard(office, TODAY):
        assert ids(rows) <= mine


def dashboard_queries(browser):
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(reverse("plans:dashboard")).status_code == 200
    return len(captured)


@time_machine.travel(TODAY)
def test_constant_number_of_queries_at_two_sizes(
    as_manager, office, manager, staff, django_assert_max_num_queries
):
    build_office(office, manager, staff)
    with django_assert_max_num_queries(14):
        small = dashboard_queries(as_manager)
    for _ in range(3):
        build_office(office, manager, staff)
    with django_assert_max_num_queries(14):
        large = dashboard_queries(as_manager)
    assert small == large, (small, large)


def test_only_managers_and_admins_see_the_dashboard(as_staff):
    assert as_staff.get(reverse("plans:dashboard")).status_code == 403


def test_home_sends_managers_to_the_dashboard(as_manager):
    assert as_manager.get(reverse("home")).url == reverse("plans:dashboard")


def test_home_sends_staff_to_the_caseload(as_staff):
    assert as_staff.get(reverse("home")).url == reverse("cases:caseload")


def test_handed_over_clients_leave_the_lists_but_a_missed_sharing_stands(office, people):
    people["ending"].status = ClientStatus.HANDED_OVER
    people["ending"].save()
    left = {(kind, r.client_id) for kind, rows in lists(office).items() for r in rows}
    mine = {kind for kind, client_id in left if client_id == people["ending"].pk}
    assert mine == {K.HANDOVER_SHARING}  # no renewal, no plan rows; the reduction is still owed


def test_a_revised_plan_agreed_after_a_review_is_not_overdue(office, manager):
    """ "見直す" records the review on the old version; the new one keeps the old start date. The client's
    next review counts from that review, so agreeing the new version does not make it overdue again."""
    client = client_in_service(office=office)
    old = agreed_plan(client=client, manager=manager, starts_on=date(2026, 6, 1), version=1)
    PlanReviewFactory(plan=old, reviewed_on=TODAY, reviewer=manager, decision="revise")
    agreed_plan(client=client, manager=manager, starts_on=date(2026, 6, 1), version=2)
    got = lists(office)
    assert client.pk not in ids(got[K.REVIEW_OVERDUE]) | ids(got[K.REVIEW_DUE_SOON])
    panel = selectors.client_plans_panel(client, TODAY)
    assert panel.next_review_on == date(2027, 2, 23)
