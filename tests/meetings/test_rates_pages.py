"""The rates page, the tier the office confirms, the export, follow-up records and statistics."""

import io
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from cases.models import ClientStatus
from meetings import selectors
from meetings.models import FollowUp, OfficeTierConfirmation

from ..factories import ClientFactory, ContactLogFactory, EmploymentFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 5, 15), tick=False):
        yield


def _in_service(office, hired_on=date(2024, 1, 10)):
    c = ClientFactory(office=office, status=ClientStatus.ACTIVE)
    EmploymentFactory(client=c, hired_on=hired_on)
    c.refresh_from_db()
    ContactLogFactory(client=c, on=c.window_starts_on, face_to_face=True, kind="interview")
    return c


def _former(office, hired_on=date(2021, 1, 10), left_on=None):
    c = ClientFactory(office=office, status=ClientStatus.ENDED)
    EmploymentFactory(client=c, hired_on=hired_on, left_on=left_on)
    c.refresh_from_db()
    ContactLogFactory(client=c, on=c.window_starts_on, face_to_face=True, kind="interview")
    return c


def _office_of_size(office, n):
    for _ in range(n):
        _in_service(office)
        former = _former(office)
        FollowUpFactory(client=former, year_end=date(2026, 3, 31))


def test_calculators_run_constant_queries(office, django_assert_max_num_queries):
    for n in (2, 6):
        _office_of_size(office, n)
        with django_assert_max_num_queries(5):
            rate = selectors.retention_rate_for(office.pk, 2026, date(2026, 5, 15))
        with django_assert_max_num_queries(5):
            track = selectors.track_record_for(office.pk, 2026, date(2026, 5, 15))
        assert rate.counted >= n and track.counted >= n


def test_rates_page_has_constant_queries(as_manager, office, django_assert_max_num_queries):
    for n in (1, 5):
        _office_of_size(office, n)
        with django_assert_max_num_queries(14):
            assert as_manager.get("/meetings/rates/?year=2026").status_code == 200


def test_the_page_lists_who_is_counted_and_the_office_confirms_a_tier(as_manager, office, manager):
    _in_service(office)
    former = _former(office)  # no follow-up: unknown
    page = as_manager.get("/meetings/rates/?year=2026").content.decode()
    assert former.full_name in page and "不明" in page
    assert "まだ確定していません" in page
    response = as_manager.post("/meetings/rates/confirm/", {"fiscal_year": "2026", "tier": "50", "note": "体制届提出"})
    assert response.status_code == 302
    row = OfficeTierConfirmation.objects.get(office=office, fiscal_year=2026)
    assert (row.tier, row.confirmed_by, row.rate) == ("50", manager, selectors.retention_rate_for(office.pk, 2026, date(2026, 5, 15)).rate)
    assert selectors.confirmed_tier(office.pk, 2026) == "50"
    # bad input: a clear message, nothing written
    as_manager.post("/meetings/rates/confirm/", {"fiscal_year": "2026", "tier": "x"})
    assert OfficeTierConfirmation.objects.get().tier == "50"


def test_export_csv_and_xlsx(as_admin, office):
    person = _in_service(office)
    csv_response = as_admin.get("/meetings/rates/export/?year=2026&format=csv")
    text = csv_response.content.decode("utf-8-sig")
    assert office.provider_number in text and person.full_name in text
    xlsx = as_admin.get("/meetings/rates/export/?year=2026&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B1"].value == office.provider_number


def test_follow_up_list_and_record(as_staff, office):
    # the service ended with its one face-to-face contact (2021-07-10): year ends 2022 … 2026 to record
    former = _former(office, hired_on=date(2021, 1, 10))
    page = as_staff.get("/meetings/follow-ups/").content.decode()
    assert former.full_name in page
    assert "未記録 5件" in page
    response = as_staff.post(
        f"/meetings/clients/{former.pk}/follow-up/",
        {"year_end": "2026-03-31", "still_employed": "yes", "learned_by": "employer", "learned_on": "2026-04-08"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(client=former).still_employed == "yes"
    assert selectors.follow_ups_missing(office.pk, date(2026, 3, 31), date(2026, 5, 15)) == []
    assert selectors.follow_ups_missing(office.pk, date(2025, 3, 31), date(2026, 5, 15)) == [former.pk]
    # a year end that is not this client's, a future day: refused with a message
    response = as_staff.post(
        f"/meetings/clients/{former.pk}/follow-up/",
        {"year_end": "2030-03-31", "still_employed": "yes", "learned_by": "phone", "learned_on": "2026-06-01"},
    )
    assert response.status_code == 200 and FollowUp.objects.count() == 1


def test_statistics_page_shows_tables_beside_charts(as_manager, office, django_assert_max_num_queries):
    person = _in_service(office, hired_on=date(2024, 1, 10))
    person.disability_categories = ["mental"]
    person.save()
    with django_assert_max_num_queries(12):
        page = as_manager.get("/meetings/statistics/").content.decode()
    assert "retention-chart" in page and "vendor/chartjs/chart.umd.min.js" in page
    assert "0.493" in page and "1/1" in page
