"""A contact save announces the contact; flags refresh only the month flags a contact can change.

The deadline flags (reviews, plans, decisions, handover) read no contact, so a contact save leaves them to
the services that change their facts and to the nightly job. The count is exact: a regression shows.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from flags import rules
from flags.models import Flag
from flags.services import flag_deadlines, flag_months
from plans.deadlines import DeadlineKind
from visits.services import contact_log_create

from ..factories import agreed_plan, client_in_service

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
CONTACT_SAVE_QUERIES = 11  # was 23 when a contact refreshed two months and every deadline


def test_a_contact_save_runs_a_fixed_number_of_queries(office, staff, manager, django_assert_num_queries):
    client = client_in_service(office=office, primary_staff=staff)
    agreed_plan(client=client, manager=manager, starts_on=date(2025, 7, 6))
    with time_machine.travel(datetime(2025, 9, 26, 15, tzinfo=TOKYO), tick=False):
        flag_months(office=office, month=date(2025, 9, 1))
        with django_assert_num_queries(CONTACT_SAVE_QUERIES):
            contact_log_create(actor=staff, client=client, on=date(2025, 9, 26), kind="interview", narrative="面談")

    assert Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).resolved_at is not None


def test_a_contact_save_leaves_deadline_flags_to_their_own_services(office, staff, manager):
    client = client_in_service(office=office, primary_staff=staff)
    agreed_plan(client=client, manager=manager, starts_on=date(2025, 7, 6))
    with time_machine.travel(datetime(2025, 11, 10, 9, tzinfo=TOKYO), tick=False):
        flag_deadlines(office=office, today=date(2025, 11, 10))
        overdue = Flag.objects.get(client=client, kind=DeadlineKind.REVIEW_OVERDUE)

        contact_log_create(actor=staff, client=client, on=date(2025, 11, 10), kind="interview", narrative="面談")

    overdue.refresh_from_db()
    assert overdue.resolved_at is None
    assert Flag.objects.filter(client=client, kind=rules.NO_CONTACT_YET, period=date(2025, 11, 1),
                               resolved_at__isnull=True).count() == 0
