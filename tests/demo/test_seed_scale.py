"""seed_demo in scale mode: bulk data across offices, with gaps for the flags to find."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cases.models import Client, Membership, Office
from plans.models import SupportPlan
from visits.grid import month_rows
from visits.models import ContactLog, SupportReport

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 23))
def test_scale_seed_spreads_clients_and_history_over_offices():
    call_command(
        "seed_demo",
        "--offices",
        "3",
        "--clients",
        "60",
        "--months",
        "12",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Office.objects.count() == 3
    assert Membership.objects.filter(role="staff").count() == 9
    sizes = sorted(o.clients.count() for o in Office.objects.all())
    assert sum(sizes) == 60 and sizes[0] >= 1 and sizes[0] < sizes[-1]
    assert Client.objects.filter(window_starts_on__isnull=False).count() == 60
    assert ContactLog.objects.exists() and SupportReport.objects.exists() and SupportPlan.objects.exists()
    rows = [row for office in Office.objects.all() for row in month_rows(office.pk, date(2026, 10, 1))]
    assert rows, "some clients are in service last month"
    assert any(r.verdict.billable for r in rows)


def test_scale_seed_rejects_bad_sizes():
    with pytest.raises(CommandError, match="--offices"):
        call_command("seed_demo", "--offices", "0", "--clients", "10", stdout=StringIO(), stderr=StringIO())
    assert not Office.objects.exists()
