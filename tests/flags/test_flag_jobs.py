"""flag_months / flag_deadlines / refresh_client_flags on the ORM: idempotent, resolving, set-based."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import QuerySet

from cases.models import BenefitDecision, Client
from flags import rules
from flags.models import Flag
from flags.services import flag_deadlines, flag_months, refresh_client_flags
from plans.deadlines import URGENT, WARNING
from plans.deadlines import DeadlineKind as K
from plans.models import Handover, PlanReview, PlanStatus, SupportPlan
from visits.models import ContactLog, SupportReport

from ..factories import client_in_service

pytestmark = pytest.mark.django_db

SEPT = date(2025, 9, 1)
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def before_any_service():
    """Records made in a test refresh their client's flags at once (cases' client_facts_changed) on the
    clock's day: the clock stands before every window here, so only the jobs each test runs, on the days
    it names, raise flags."""
    with time_machine.travel(date(2020, 1, 6), tick=False):
        yield


def rows(office):
    return sorted(
        Flag.objects.filter(office=office).values_list(
            "id", "client_id", "kind", "period", "severity", "message", "created_at", "resolved_at"
        )
    )


def open_kinds(client):
    return sorted(Flag.objects.filter(client=client, resolved_at__isnull=True).values_list("kind", "period"))


def meet(client, staff, on):
    return ContactLog.objects.create(
        client=client, staff=staff, on=on, kind="interview", face_to_face=True, narrative="面談を実施。"
    )


def test_month_job_twice_leaves_the_same_rows(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    first = flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    before = rows(office)
    second = flag_months(office=office, month=SEPT, today=date(2025, 9, 25))

    assert rows(office) == before
    assert {f.kind for f in first.created} == {
        rules.NO_CONTACT_YET,
        rules.NO_SUPPORT_REPORT,
        rules.NO_EMPLOYER_VISIT,
        rules.NO_AGREED_PLAN,
    }
    assert (second.created, second.reopened, second.resolved) == ([], [], [])
    flag = Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET)
    assert (flag.period, flag.severity, flag.office_id) == (SEPT, rules.WARNING, office.pk)
    assert flag.message == "2025年9月の対面支援がまだありません。"


def test_logging_a_face_to_face_contact_resolves_no_contact_yet_at_once(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 26))
    assert Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).severity == rules.URGENT

    with time_machine.travel(datetime(2025, 9, 26, 15, tzinfo=TOKYO), tick=False):
        meet(client, staff, date(2025, 9, 26))
        result = refresh_client_flags(client=client)

    flag = Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET)
    assert flag.resolved_at is not None
    assert [f.kind for f in result.resolved] == [rules.NO_CONTACT_YET]
    assert (rules.NO_SUPPORT_REPORT, SEPT) in open_kinds(client)  # still not shared


def test_next_run_resolves_a_cleared_flag_and_reopens_it_when_the_condition_returns(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 21))
    flag_id = Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).pk

    contact = meet(client, staff, date(2025, 9, 21))
    report = SupportReport.objects.create(
        client=client,
        month=SEPT,
        created_by=staff,
        shared_with_client_on=date(2025, 9, 21),
        support_given="面談で体調を確認",
    )
    result = flag_months(office=office, month=SEPT, today=date(2025, 9, 21))
    assert {f.kind for f in result.resolved} == {rules.NO_CONTACT_YET, rules.NO_SUPPORT_REPORT}
    assert Flag.objects.get(pk=flag_id).resolved_at is not None

    # withdrawn by mistake, report cleared (records are never deleted)
    ContactLog.objects.filter(pk=contact.pk).update(withdrawn_at=datetime(2025, 9, 22, tzinfo=TOKYO))
    SupportReport.objects.filter(pk=report.pk).update(shared_with_client_on=None)
    result = flag_months(office=office, month=SEPT, today=date(2025, 9, 22))
    assert {f.kind for f in result.reopened} == {rules.NO_CONTACT_YET, rules.NO_SUPPORT_REPORT}
    reopened = Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET)
    assert (reopened.pk, reopened.resolved_at) == (flag_id, None)


def test_a_closed_month_becomes_not_billable_and_its_in_month_flags_resolve(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag_months(office=office, month=SEPT, today=date(2025, 10, 1))

    assert open_kinds(client) == [
        (rules.MONTH_NOT_BILLABLE, SEPT),
        (rules.NO_AGREED_PLAN, SEPT),
        (rules.NO_EMPLOYER_VISIT, SEPT),
    ]
    assert Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).resolved_at is not None


def test_month_job_leaves_other_offices_and_other_months_alone(office, other_office, staff):
    mine = client_in_service(office=office, primary_staff=staff)
    theirs = client_in_service(office=other_office)
    flag_months(office=other_office, month=SEPT, today=date(2025, 9, 25))
    flag_months(office=office, month=date(2025, 8, 1), today=date(2025, 9, 25))
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag_months(office=office, month=date(2025, 8, 1), today=date(2025, 9, 25))

    assert (rules.NO_CONTACT_YET, SEPT) in open_kinds(theirs)
    assert (rules.MONTH_NOT_BILLABLE, date(2025, 8, 1)) in open_kinds(mine)
    assert (rules.NO_CONTACT_YET, SEPT) in open_kinds(mine)


@pytest.mark.parametrize("change", [{"archived": True}, {"status": "ended"}, {"status": "handed_over"}])
def test_flags_of_archived_or_finished_clients_resolve(office, staff, change):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag_deadlines(office=office, today=date(2026, 5, 6))
    assert open_kinds(client)
    Client.objects.filter(pk=client.pk).update(**change)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag_deadlines(office=office, today=date(2026, 5, 6))
    assert open_kinds(client) == []


def agreed_plan(client, staff, starts_on):
    return SupportPlan.objects.create(
        client=client,
        version=1,
        status=PlanStatus.DELIVERED,
        starts_on=starts_on,
        ends_on=date(2026, 7, 5),
        drafted_by=staff,
        approved_on=starts_on,
        agreed_on=starts_on,
        delivered_on=starts_on,
    )


def test_deadline_job_flags_each_kind_and_is_idempotent(office, staff):
    renewal = client_in_service(office=office, primary_staff=staff)  # decision ends 2026-07-05
    # Review due 2026-05-19 (3 months from 02-20 end on 05-19, 民法 143; 05-20 under the old clamp).
    agreed_plan(renewal, staff, date(2026, 2, 20))
    applying = client_in_service(office=office, hired_on=date(2025, 12, 1))  # no decision before 2026-06-01
    # Set-up only: decisions are retained records, so the test clears this one below that guard.
    QuerySet.delete(BenefitDecision.objects.filter(client=applying))
    ending = client_in_service(office=office, hired_on=date(2022, 11, 1))  # window ends 2026-04-30

    today = date(2026, 5, 6)  # 60 days before 2026-07-05; month 6 for the hire of 2025-12-01
    first = flag_deadlines(office=office, today=today)
    before = rows(office)
    second = flag_deadlines(office=office, today=today)

    assert rows(office) == before
    assert (second.created, second.reopened, second.resolved) == ([], [], [])
    assert open_kinds(renewal) == [
        (K.DECISION_RENEWAL, date(2026, 7, 5)),
        (K.REVIEW_DUE_SOON, date(2026, 5, 19)),
    ]
    assert open_kinds(applying) == [(K.APPLICATION_PREPARATION, date(2026, 6, 1))]
    assert open_kinds(ending) == []  # ended 2026-04-30
    assert len(first.created) == 3


def test_deadline_flags_resolve_when_the_work_is_done(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    plan = agreed_plan(client, staff, date(2026, 2, 20))
    flag_deadlines(office=office, today=date(2026, 5, 25))
    assert open_kinds(client) == [
        (K.DECISION_RENEWAL, date(2026, 7, 5)),
        (K.REVIEW_OVERDUE, date(2026, 5, 19)),
    ]
    assert Flag.objects.get(client=client, kind=K.REVIEW_OVERDUE).object_id == plan.pk

    PlanReview.objects.create(plan=plan, reviewed_on=date(2026, 5, 25), reviewer=staff, decision="keep")
    BenefitDecision.objects.create(
        client=client, starts_on=date(2026, 7, 6), ends_on=date(2027, 7, 5), municipality="新宿区"
    )
    refresh_client_flags(client=client, today=date(2026, 5, 25))

    resolved = Flag.objects.filter(client=client, resolved_at__isnull=False).values_list("kind", flat=True)
    assert set(resolved) >= {K.DECISION_RENEWAL, K.REVIEW_OVERDUE}
    assert [k for k in open_kinds(client) if k[0] in rules.DEADLINE_KINDS] == []


def ending_client(office, staff):
    """Window ends 2026-05-31: information must be shared by 2026-02-28 (3 months from 03-01)."""
    client = client_in_service(office=office, primary_staff=staff, hired_on=date(2022, 12, 1))
    BenefitDecision.objects.create(
        client=client, starts_on=date(2025, 6, 1), ends_on=date(2026, 5, 31), municipality="新宿区"
    )
    return client


def handover_flag(client):
    return Flag.objects.get(client=client, kind=K.HANDOVER_SHARING)


def test_handover_flag_follows_the_sharing_deadline_and_resolves_when_shared_in_time(office, staff):
    client = ending_client(office, staff)
    flag_deadlines(office=office, today=date(2025, 12, 29))  # 61 days before 02-28
    assert not Flag.objects.filter(client=client, kind=K.HANDOVER_SHARING).exists()
    flag_deadlines(office=office, today=date(2025, 12, 30))  # 60 days before
    assert (handover_flag(client).period, handover_flag(client).severity) == (date(2026, 2, 28), WARNING)
    flag_deadlines(office=office, today=date(2026, 2, 14))  # 14 days before
    assert handover_flag(client).severity == URGENT

    Handover.objects.create(
        client=client,
        receiver_name="なかぽつ",
        receiver_kind="nakapotsu",
        consent_on=date(2026, 2, 14),
        info_shared_on=date(2026, 2, 20),
        recorded_by=staff,
    )
    flag_deadlines(office=office, today=date(2026, 2, 20))
    assert handover_flag(client).resolved_at is not None


def test_a_late_sharing_leaves_the_reduction_standing(office, staff):
    client = ending_client(office, staff)
    flag_deadlines(office=office, today=date(2026, 3, 1))
    assert handover_flag(client).message.startswith("減算の対象")
    Handover.objects.create(
        client=client,
        receiver_name="なかぽつ",
        receiver_kind="nakapotsu",
        consent_on=date(2026, 3, 1),
        info_shared_on=date(2026, 3, 3),
        recorded_by=staff,
    )
    flag_deadlines(office=office, today=date(2026, 3, 3))
    flag = handover_flag(client)
    assert flag.resolved_at is None and flag.severity == URGENT
    assert "2026年3月3日" in flag.message and "期限" in flag.message


@pytest.mark.parametrize("size", [2, 15])
def test_jobs_use_a_fixed_number_of_queries(office, staff, size, django_assert_max_num_queries):
    for n in range(size):
        client = client_in_service(office=office, primary_staff=staff)
        agreed_plan(client, staff, date(2025, 7, 6))
        if n % 2:
            meet(client, staff, date(2025, 9, 3))
    with django_assert_max_num_queries(10):
        flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    with django_assert_max_num_queries(10):
        flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    with django_assert_max_num_queries(11):
        flag_deadlines(office=office, today=date(2025, 9, 25))
    # Plans from 2025-07-06 are due for review on 2025-10-05: 10 days away on 09-25.
    assert Flag.objects.filter(office=office, kind=K.REVIEW_DUE_SOON).count() == size


def test_refresh_client_flags_is_cheap_and_safe_in_a_transaction(
    office, staff, django_assert_max_num_queries
):
    client = client_in_service(office=office, primary_staff=staff)
    for _ in range(5):
        client_in_service(office=office)
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    from django.db import transaction

    with transaction.atomic(), django_assert_max_num_queries(30):
        meet(client, staff, date(2025, 9, 25))
        refresh_client_flags(client=client, today=date(2025, 9, 25))
    assert (rules.NO_CONTACT_YET, SEPT) not in open_kinds(client)
    assert (
        Flag.objects.filter(office=office, kind=rules.NO_CONTACT_YET, resolved_at__isnull=True).count() == 5
    )


def test_reminders_of_months_before_the_previous_one_are_closed_out(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=date(2025, 8, 1), today=date(2025, 9, 1))  # August closed: 3 flags
    assert open_kinds(client) == [
        (rules.MONTH_NOT_BILLABLE, date(2025, 8, 1)),
        (rules.NO_AGREED_PLAN, date(2025, 8, 1)),
        (rules.NO_EMPLOYER_VISIT, date(2025, 8, 1)),
    ]
    flag_months(
        office=office, month=date(2025, 10, 1), today=date(2025, 10, 1)
    )  # August is now 2 months back
    assert (rules.MONTH_NOT_BILLABLE, date(2025, 8, 1)) in open_kinds(client)
    assert (rules.NO_EMPLOYER_VISIT, date(2025, 8, 1)) not in open_kinds(client)
    assert (rules.NO_AGREED_PLAN, date(2025, 8, 1)) not in open_kinds(client)


def test_a_late_record_for_an_old_month_resolves_its_not_billable_flag(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    flag_months(office=office, month=date(2025, 8, 1), today=date(2025, 9, 1))
    meet(client, staff, date(2025, 8, 20))
    SupportReport.objects.create(
        client=client,
        month=date(2025, 8, 1),
        created_by=staff,
        shared_with_client_on=date(2025, 8, 29),
        support_given="面談で体調を確認",
    )
    refresh_client_flags(client=client, today=date(2025, 11, 5), months=[date(2025, 8, 15)])
    assert (rules.MONTH_NOT_BILLABLE, date(2025, 8, 1)) not in open_kinds(client)


def test_no_agreed_plan_flag_says_the_months_place_in_the_run(office, staff):
    client = client_in_service(office=office, primary_staff=staff)  # in service from July, no plan
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag = Flag.objects.get(client=client, kind=rules.NO_AGREED_PLAN, period=SEPT)
    assert "計画未作成3か月目" in flag.message
    agreed_plan(client, staff, date(2025, 7, 6))
    flag_months(office=office, month=SEPT, today=date(2025, 9, 25))
    flag.refresh_from_db()
    assert flag.resolved_at is not None
