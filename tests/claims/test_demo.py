"""The demo office's claim for last month: amounts for every billable client, one clear stop."""

from datetime import date

import pytest
import time_machine

from cases.demo import seed_demo_office
from claims.demo import SAMPLE, seed_claims
from claims.models import ServiceCode, UnitPrice
from claims.selectors import office_claim

pytestmark = pytest.mark.django_db
TODAY = date(2025, 10, 5)


def test_demo_claim_is_plausible():
    with time_machine.travel(TODAY, tick=False):
        office = seed_demo_office(TODAY)
        seed_claims(office, TODAY)  # idempotent
    claim = office_claim(office, date(2025, 9, 1))
    assert claim.billable, "the demo has billable months"
    assert all(row.amounts and row.amounts.total_cost > 10000 for row in claim.billable)
    assert claim.totals.count == len(claim.billable)
    assert claim.totals.benefit + claim.totals.burden == claim.totals.total_cost
    # the sample table is marked as such, and one client lacks a 市町村番号 on purpose
    assert UnitPrice.objects.filter(source=SAMPLE, confirmed=False).exists()
    assert ServiceCode.objects.filter(source=SAMPLE).count() == ServiceCode.objects.count()
    assert all("市町村番号" in s.message for s in claim.stops)
    assert any("未確認の値です" in w for w in claim.warnings)  # the sample price says what it is
