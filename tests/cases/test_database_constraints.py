"""What cannot live in the database is refused by the database itself, on SQLite and PostgreSQL alike."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from cases.models import BenefitDecision, Employment, Office

from ..factories import ClientFactory, EmployerFactory, EmploymentFactory

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_provider_number_must_be_ten_digits():
    refused(lambda: Office.objects.create(name="x", provider_number="12345", municipality="m"))
    refused(lambda: Office.objects.create(name="x", provider_number="12345abcde", municipality="m"))


def test_recipient_number_must_be_ten_digits():
    refused(lambda: ClientFactory(recipient_number="123"))


def test_employment_dates_in_order_and_side_jobs_allowed():
    client = ClientFactory()
    employer = EmployerFactory(office=client.office)
    refused(
        lambda: Employment.objects.create(
            client=client, employer=employer, hired_on=date(2025, 4, 1), left_on=date(2025, 3, 1)
        )
    )
    EmploymentFactory(client=client, hired_on=date(2025, 4, 1))
    # Two jobs at once were refused before; a side job is real and the window rule handles it.
    assert Employment.objects.create(client=client, employer=employer, hired_on=date(2025, 6, 1)).pk


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "ok"),
    [
        (date(2025, 4, 1), date(2026, 3, 31), True),
        (date(2024, 3, 1), date(2025, 2, 28), True),
        (date(2025, 4, 1), date(2026, 4, 2), False),
        (date(2025, 4, 1), date(2025, 3, 31), False),
        # One year as 民法 143 counts it, not "under 366 days":
        (date(2028, 2, 29), date(2029, 2, 28), True),  # no 2/29 in 2029: the year ends on 2/28
        (date(2027, 3, 1), date(2028, 2, 29), True),  # 366 days, lawful: the year holds a leap day
        (date(2026, 3, 1), date(2027, 3, 1), False),  # 366 days, one too many
        (date(2025, 4, 1), date(2026, 4, 1), False),
        (date(2024, 1, 31), date(2025, 1, 31), False),
    ],
)
def test_decision_at_most_one_year_and_in_order(starts_on, ends_on, ok):
    client = ClientFactory()

    def create():
        return BenefitDecision.objects.create(
            client=client, starts_on=starts_on, ends_on=ends_on, municipality="m"
        )

    if ok:
        assert create().pk
    else:
        refused(create)


@pytest.mark.postgres
def test_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_overlapping_decisions_are_refused_by_the_database():
    client = ClientFactory()
    BenefitDecision.objects.create(
        client=client, starts_on=date(2025, 4, 1), ends_on=date(2026, 3, 31), municipality="m"
    )
    refused(
        lambda: BenefitDecision.objects.create(
            client=client, starts_on=date(2026, 3, 31), ends_on=date(2027, 3, 30), municipality="m"
        )
    )
    following = BenefitDecision.objects.create(
        client=client, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31), municipality="m"
    )
    following.starts_on = date(2026, 3, 1)
    refused(following.save)
    other_client = ClientFactory(office=client.office)
    assert BenefitDecision.objects.create(
        client=other_client, starts_on=date(2025, 4, 1), ends_on=date(2026, 3, 31), municipality="m"
    ).pk
