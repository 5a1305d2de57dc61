"""Claim settings for tests: an office ready to claim (級地, tier, unit price, service codes)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from claims import rules
from claims.models import ClientClaimProfile, OfficeClaimSetting, RegionGrade, ServiceCode, UnitPrice
from meetings.models import OfficeTierConfirmation

from ..factories import ContactLogFactory, SupportReportFactory, agreed_plan, client_in_service

SEPT = date(2025, 9, 1)


def ready_office(office, user, *, tier="80", price=Decimal("11.20"), codes=True):
    OfficeClaimSetting.objects.create(office=office, valid_from=date(2024, 4, 1), region=RegionGrade.G1)
    OfficeTierConfirmation.objects.create(
        office=office, fiscal_year=2025, tier=tier, confirmed_by=user, confirmed_at=timezone.now()
    )
    if price is not None:
        UnitPrice.objects.get_or_create(
            region=RegionGrade.G1, valid_from=date(2024, 4, 1), defaults={"price": price, "source": "test"}
        )
    if codes:
        for n, (key, units) in enumerate(
            [
                (f"basic:{tier}", 2768),
                (rules.addon_key(rules.MEETING_I), 579),
                (rules.addon_key(rules.MEETING_II), 405),
                (rules.addon_key(rules.SPECIAL_AREA), 240),
            ]
        ):
            ServiceCode.objects.create(
                key=key,
                code=f"47{n + 1:04d}",
                name=f"test {key}",
                units=units,
                valid_from=date(2024, 4, 1),
                source="t",
            )


def billable_client(office, staff, manager, month=SEPT, municipality="131041", **profile):
    client = client_in_service(office=office)
    agreed_plan(client=client, manager=manager)
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=3))
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=10), kind="employer_visit")
    SupportReportFactory(
        client=client, month=month, created_by=staff, shared_with_client_on=month.replace(day=15)
    )
    ClientClaimProfile.objects.create(client=client, municipality_number=municipality, **profile)
    return client
