"""visits.grid.month_rows: verdicts for an office-month from a fixed number of queries."""

from datetime import date

import pytest

from visits.grid import month_rows
from visits.models import ContactLog, SupportReport
from visits.rules import NO_FACE_TO_FACE, NO_SUPPORT_REPORT

from ..factories import ClientFactory, client_in_service

pytestmark = pytest.mark.django_db

MONTH = date(2025, 9, 1)


def meet(client, staff, on, kind="interview"):
    return ContactLog.objects.create(
        client=client,
        staff=staff,
        on=on,
        kind=kind,
        face_to_face=kind in {"interview", "workplace_visit"},
        narrative="面談を実施。",  # a 対面 contact counts only with its 内容 written
        employer_met=kind == "employer_visit",
    )


def share_report(client, staff, month=MONTH, shared_on=date(2025, 9, 28)):
    return SupportReport.objects.create(
        client=client, month=month, created_by=staff, shared_with_client_on=shared_on, support_given="面談"
    )


def test_rows_give_verdicts_and_dates(office, staff):
    billable = client_in_service(office=office, given_name="billable")
    missing = client_in_service(office=office, given_name="missing")
    ClientFactory(office=office, given_name="no job")  # no window: not in service
    meet(billable, staff, date(2025, 9, 3))
    meet(billable, staff, date(2025, 9, 17), kind="employer_visit")
    share_report(billable, staff)
    meet(missing, staff, date(2025, 9, 3), kind="phone")

    rows = {row.client.given_name: row for row in month_rows(office.pk, MONTH)}

    assert set(rows) == {"billable", "missing"}
    assert rows["billable"].verdict.billable
    assert rows["billable"].face_to_face_dates == [date(2025, 9, 3)]
    assert rows["billable"].employer_visit_dates == [date(2025, 9, 17)]
    assert rows["billable"].report_shared_on == date(2025, 9, 28)
    assert rows["missing"].verdict.reasons == (NO_FACE_TO_FACE, NO_SUPPORT_REPORT)


def test_other_offices_clients_are_not_rows(office, other_office, staff):
    client_in_service(office=other_office)
    assert month_rows(office.pk, MONTH) == []


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_is_constant(office, staff, size, django_assert_max_num_queries):
    for _ in range(size):
        client = client_in_service(office=office)
        meet(client, staff, date(2025, 9, 3))
        share_report(client, staff)
    # the clients (with オープン and consent), contacts, decisions, reports, plans and their reviews
    with django_assert_max_num_queries(6):
        rows = month_rows(office.pk, MONTH)
    assert len(rows) == size and all(r.verdict.billable for r in rows)
