"""seed_demo creates an office with every role and clients in every phase, and is safe to run twice."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from cases import rules
from cases.models import Client, Membership, Office
from flags.models import Flag

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 23))
def test_seed_demo_twice_creates_one_office_with_all_phases():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    assert Office.objects.count() == 1
    assert set(Membership.objects.values_list("role", flat=True)) == {"staff", "manager", "admin"}
    clients = list(Client.objects.all())
    assert 28 <= len(clients) <= 35
    today = date(2026, 11, 23)
    phases = {rules.window_phase(c.window, today) for c in clients}
    assert phases >= {rules.PHASE_BEFORE, rules.PHASE_ACTIVE, rules.PHASE_ENDING, rules.PHASE_ENDED}
    assert Client.objects.filter(status="handed_over").exists()
    assert Client.objects.filter(
        employments__left_on__isnull=False, window_end_reason=""
    ).exists()  # a job change
    assert "teichaku-demo-2026" in out.getvalue()
    assert Flag.objects.filter(resolved_at__isnull=True).exists()  # flags show before the first job run


def test_seed_demo_if_empty_skips_existing_data():
    Office.objects.create(name="既存", provider_number="9999999999", municipality="m")
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert Office.objects.count() == 1
