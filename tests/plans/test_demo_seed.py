"""The demo seed gives every dashboard list at least one row, and runs the same twice."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from cases.models import ClientStatus, Office
from plans import selectors
from plans.deadlines import DeadlineKind
from plans.models import Handover, SupportPlan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@time_machine.travel(TODAY)
def test_demo_seed_fills_every_dashboard_list():
    call_command("seed_demo", stdout=StringIO())
    plans_before = SupportPlan.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert SupportPlan.objects.count() == plans_before > 0
    office = Office.objects.get()
    # The demo's decisions (demo/office.py) are renewed without gaps, so no month lacks a decision's cover.
    for kind, label, rows in selectors.dashboard(office, TODAY):
        assert rows or kind == DeadlineKind.DECISION_MISSING, f"{kind} ({label}) is empty in the demo"
    done = Handover.objects.filter(handed_over_on__isnull=False)
    assert done.exists()
    assert all(h.client.status == ClientStatus.HANDED_OVER for h in done)
    assert Handover.objects.filter(handed_over_on__isnull=True, info_shared_on__isnull=False).exists()
