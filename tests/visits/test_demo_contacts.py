"""demo.visits.seed_contacts: deterministic demo contacts and reports with deliberate gaps."""

from datetime import date

import pytest
from django.db.models import QuerySet

from demo.office import seed_demo_office
from visits.grid import month_rows
from visits.models import ContactLog, SupportReport

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def snapshot():
    return sorted(ContactLog.objects.values_list("client__recipient_number", "on", "kind"))


def test_demo_has_contacts_reports_and_gaps():
    office = seed_demo_office(TODAY)
    assert ContactLog.objects.count() > 300 and SupportReport.objects.exists()
    assert not ContactLog.objects.filter(on__gt=TODAY).exists()

    this_month = month_rows(office.pk, TODAY)
    assert any("no_face_to_face" in r.verdict.reasons for r in this_month)  # not met yet this month
    assert any(r.face_to_face_dates for r in this_month)
    last_month = month_rows(office.pk, date(2026, 10, 1))
    assert any(r.verdict.billable for r in last_month)
    assert sum(not r.verdict.billable for r in last_month) >= 1  # one past month deliberately not billable


def test_demo_is_deterministic_and_runs_once():
    seed_demo_office(TODAY)
    first = snapshot()
    seed_demo_office(TODAY)
    assert snapshot() == first
    # Retained records refuse deletion (core.retention); the test clears them below that guard.
    QuerySet.delete(ContactLog.objects.all())
    QuerySet.delete(SupportReport.objects.all())
    from cases.models import Office
    from demo.visits import seed_contacts

    seed_contacts(Office.objects.get(), TODAY)
    assert snapshot() == first
