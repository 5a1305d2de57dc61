"""The April flag: former clients whose employment at the last fiscal-year end is not recorded."""

from datetime import date

import pytest

from cases.models import ClientStatus
from flags.models import Flag
from flags.services import flag_follow_ups

from ..factories import ClientFactory, ContactLogFactory, EmploymentFactory, FollowUpFactory

pytestmark = pytest.mark.django_db


def test_raised_in_april_and_resolved_when_recorded(office):
    former = ClientFactory(office=office, status=ClientStatus.ENDED)
    EmploymentFactory(client=former, hired_on=date(2021, 1, 10))
    former.refresh_from_db()
    ContactLogFactory(client=former, on=date(2024, 7, 1), face_to_face=True, kind="interview")
    result = flag_follow_ups(office=office, today=date(2026, 4, 2))
    assert [(f.client_id, f.kind, f.period) for f in result.created] == [
        (former.pk, "follow_up_missing", date(2026, 3, 31))
    ]
    assert flag_follow_ups(office=office, today=date(2026, 4, 3)).created == []  # idempotent
    FollowUpFactory(client=former, year_end=date(2026, 3, 31), learned_on=date(2026, 4, 5))
    flag_follow_ups(office=office, today=date(2026, 4, 6))
    assert Flag.objects.get().resolved_at is not None
