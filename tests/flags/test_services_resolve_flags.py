"""The services that clear a flag's condition resolve the flag at once, without waiting for the next job."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from flags import rules
from flags.models import Flag
from flags.services import flag_deadlines, flag_months
from plans.deadlines import DeadlineKind
from plans.models import ReviewDecision
from plans.services import plan_review_complete
from visits.services import contact_log_create

from ..factories import agreed_plan, client_in_service

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def test_logging_a_face_to_face_contact_through_the_service_resolves_no_contact_yet(office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    with time_machine.travel(datetime(2025, 9, 26, 15, tzinfo=TOKYO), tick=False):
        flag_months(office=office, month=date(2025, 9, 1))
        assert Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).resolved_at is None

        contact_log_create(actor=staff, client=client, on=date(2025, 9, 26), kind="interview", narrative="面談")

    assert Flag.objects.get(client=client, kind=rules.NO_CONTACT_YET).resolved_at is not None


def test_completing_an_overdue_review_resolves_review_overdue(office, staff, manager):
    client = client_in_service(office=office, primary_staff=staff)
    plan = agreed_plan(client=client, manager=manager, starts_on=date(2025, 7, 6))
    with time_machine.travel(datetime(2025, 11, 10, 9, tzinfo=TOKYO), tick=False):
        flag_deadlines(office=office, today=date(2025, 11, 10))
        assert Flag.objects.get(client=client, kind=DeadlineKind.REVIEW_OVERDUE).resolved_at is None

        plan_review_complete(
            actor=manager, plan=plan, reviewed_on=date(2025, 11, 10), findings="順調", decision=ReviewDecision.KEEP
        )

    assert Flag.objects.get(client=client, kind=DeadlineKind.REVIEW_OVERDUE).resolved_at is not None
