"""The demo office's claim for last month: amounts for every billable client, one clear stop."""

from datetime import date

import pytest
import time_machine

from claims.models import ServiceCode, UnitPrice
from claims.selectors import office_claim
from demo.claims import SAMPLE, seed_claims
from demo.office import seed_demo_office

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


def test_demo_goes_from_preview_to_files():
    from claims import services
    from claims.interface import validate_claim_files
    from claims.models import ClaimBatch, OfficeInterfaceSetting

    with time_machine.travel(TODAY, tick=False):
        office = seed_demo_office(TODAY)
        seed_claims(office, TODAY)  # idempotent: one earlier batch
        # the month before last: finalized with its files, the client without a 市町村番号 left out
        earlier = ClaimBatch.objects.get(office=office)
        assert earlier.service_month == date(2025, 8, 1) and earlier.state == "written"
        assert validate_claim_files([(f.name, bytes(f.content)) for f in earlier.files.all()]) == []
        assert OfficeInterfaceSetting.objects.get(office=office).note == SAMPLE
        # last month: the admin creates the claim, leaves out who has an error, finalizes, gets files
        admin = office.memberships.get(role="admin").user
        batch = services.claim_batch_create(actor=admin, office=office, month=date(2025, 9, 1))
        for stop in services.claim_batch_check(actor=admin, batch=batch):
            assert stop.client is not None, stop.message
            services.claim_batch_exclude(actor=admin, batch=batch, client=stop.client)
        assert services.claim_batch_check(actor=admin, batch=batch) == []
        services.claim_batch_finalize(actor=admin, batch=batch)
        files = services.claim_batch_write_files(actor=admin, batch=batch)
    assert batch.items.count() >= 3
    assert validate_claim_files([(f.name, bytes(f.content)) for f in files]) == []
