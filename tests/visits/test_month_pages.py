"""The client month grid, the office month page and the staff member's "this month" list."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Role
from visits.grid import client_month_grid, my_month, office_month

from ..factories import (
    ContactLogFactory,
    MembershipFactory,
    SupportReportFactory,
    client_in_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
SEPT = date(2025, 9, 1)


def billable_month(client, staff, month=SEPT):
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=3))
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=10), kind="employer_visit")
    SupportReportFactory(
        client=client, month=month, created_by=staff, shared_with_client_on=month.replace(day=15)
    )


def test_grid_covers_the_whole_window_with_verdicts(office, staff):
    client = client_in_service(office=office)  # window 2025-07-06 .. 2028-07-05
    billable_month(client, staff, date(2025, 8, 1))
    grid = client_month_grid(client)
    assert grid[0].month == date(2025, 7, 1) and grid[-1].month == date(2028, 7, 1)
    assert len(grid) == 37
    august = grid[1]
    assert august.verdict.billable
    assert august.face_to_face_dates == [date(2025, 8, 3)]
    assert august.employer_visit_dates == [date(2025, 8, 10)]
    assert grid[2].verdict.reasons == ("no_face_to_face", "no_support_report")


def test_client_page_shows_the_grid_in_words(as_staff, office, staff):
    client = client_in_service(office=office)
    billable_month(client, staff, date(2025, 8, 1))
    html = as_staff.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert "月別の算定状況" in html
    assert "2025/8 <span" in html and "✓" in html
    assert "対面なし・レポート未共有" in html
    assert "対面 3" in html and "企業 10" in html


@pytest.mark.parametrize("contacts_per_month", [1, 6])
def test_client_page_query_count_is_constant(
    as_staff, office, staff, contacts_per_month, django_assert_max_num_queries
):
    client = client_in_service(office=office)
    for month in (date(2025, 7, 1), date(2025, 8, 1), SEPT):
        for day in range(contacts_per_month):
            ContactLogFactory(client=client, staff=staff, on=month.replace(day=7 + day))
        SupportReportFactory(client=client, month=month, created_by=staff, shared_with_client_on=month)
    # the whole client page: cases, visits, plans and history panels, the access-log insert and the flag badge;
    # the visits and plans panels reuse the client's decisions, plans and handover and one contacts query
    with django_assert_max_num_queries(15):
        response = as_staff.get(reverse("cases:client_detail", args=[client.pk]))
    assert response.status_code == 200


def test_office_month_counts_and_groups_the_missing_by_staff(as_manager, office, staff):
    other_staff = MembershipFactory(office=office, role=Role.STAFF).user
    done = client_in_service(office=office, primary_staff=staff, given_name="済")
    billable_month(done, staff)
    not_met = client_in_service(office=office, primary_staff=staff, given_name="未面談")
    SupportReportFactory(client=not_met, created_by=staff, shared_with_client_on=date(2025, 9, 15))
    no_report = client_in_service(office=office, primary_staff=other_staff, given_name="未共有")
    ContactLogFactory(client=no_report, staff=other_staff, on=date(2025, 9, 5))

    summary = office_month(office.pk, SEPT)
    assert (len(summary.rows), summary.billable, summary.not_billable) == (3, 1, 2)
    groups = {g.staff.pk: [r.client.pk for r in g.rows] for g in summary.missing_by_staff}
    assert groups == {staff.pk: [not_met.pk], other_staff.pk: [no_report.pk]}

    html = as_manager.get(reverse("visits:office_month"), {"month": "2025-09"}).content.decode()
    assert 'data-testid="count-billable">1<' in html
    assert "未面談" in html and "未共有" in html


def test_bad_month_parameter_falls_back_to_this_month(as_manager):
    response = as_manager.get(reverse("visits:office_month"), {"month": "2025-13"})
    assert response.context["month"] == SEPT


@pytest.mark.parametrize("size", [2, 12])
def test_office_month_page_query_count_is_constant(
    as_manager, office, staff, size, django_assert_max_num_queries
):
    for index in range(size):
        client = client_in_service(office=office, primary_staff=staff)
        if index % 2:
            billable_month(client, staff)
    with django_assert_max_num_queries(10):
        response = as_manager.get(reverse("visits:office_month"), {"month": "2025-09"})
    assert len(response.context["summary"].rows) == size


def test_this_month_lists_only_my_clients_still_to_meet_or_report(as_staff, office, staff, manager):
    mine_done = client_in_service(office=office, primary_staff=staff)
    billable_month(mine_done, staff)
    mine_todo = client_in_service(office=office, primary_staff=staff, given_name="まだ")
    client_in_service(office=office, primary_staff=manager, given_name="他人")

    membership = staff.memberships.get()
    assert [r.client.pk for r in my_month(membership, SEPT)] == [mine_todo.pk]
    html = as_staff.get(reverse("visits:my_month")).content.decode()
    assert "まだ" in html and "他人" not in html


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (date(2025, 10, 1), "今月10日までに請求"),
        (date(2025, 10, 10), "今月10日までに請求"),
        (date(2025, 10, 11), "請求期限を過ぎました"),
    ],
)
def test_the_previous_month_can_be_claimed_until_the_10th(client, office, manager, today, words):
    import time_machine

    client_in_service(office=office)  # September not billable
    with time_machine.travel(today, tick=False):
        client.force_login(manager)  # a session of that day
        html = client.get(reverse("visits:office_month"), {"month": "2025-09"}).content.decode()
    assert words in html


def test_office_month_page_shows_each_clients_month_without_a_plan(as_manager, office, staff):
    # Service from 2025-07-06 and no plan: September is the 3rd month without one (50%).
    unplanned = client_in_service(office=office, primary_staff=staff, given_name="計画なし")
    billable_month(unplanned, staff)
    summary = office_month(office.pk, SEPT)
    assert [(r.client.pk, r.plan_missing_count) for r in summary.plan_missing] == [(unplanned.pk, 3)]
    html = as_manager.get(reverse("visits:office_month"), {"month": "2025-09"}).content.decode()
    assert 'data-testid="plan-missing"' in html
    assert "計画未作成 3か月目（減算）" in html
    # In August neither client met anyone: both listed among the missing and in the plan list.
    client_in_service(office=office, primary_staff=staff, given_name="未対面")
    html = as_manager.get(reverse("visits:office_month"), {"month": "2025-08"}).content.decode()
    assert html.count("計画未作成 2か月目（減算）") == 4


def test_office_month_counts_from_the_last_covered_month(office, staff, manager):
    from plans.models import PlanStatus

    from ..factories import SupportPlanFactory

    client = client_in_service(office=office, primary_staff=staff)
    # A plan for July and August only: September is the 1st month without one.
    SupportPlanFactory(
        client=client,
        drafted_by=staff,
        status=PlanStatus.DELIVERED,
        starts_on=date(2025, 7, 6),
        ends_on=date(2025, 8, 31),
        approved_by=manager,
        approved_on=date(2025, 7, 6),
        agreed_on=date(2025, 7, 6),
        delivered_on=date(2025, 7, 6),
    )
    [row] = office_month(office.pk, SEPT).rows
    assert row.plan_missing_count == 1
    [row] = office_month(office.pk, date(2025, 8, 1)).rows
    assert row.plan_missing_count == 0
    # The same count the claim's reduction reads, and the client page's grid shows.
    from plans.coverage import plan_missing_month_counts

    for month in (date(2025, 7, 1), date(2025, 8, 1), SEPT):
        [row] = office_month(office.pk, month).rows
        assert plan_missing_month_counts([client], month) == {client.pk: row.plan_missing_count}
        grid_row = next(r for r in client_month_grid(client) if r.month == month)
        assert grid_row.plan_missing_count == row.plan_missing_count
