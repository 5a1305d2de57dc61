"""Demo data for the claim: the office's 級地 and confirmed tier, the clients' 市町村番号, and a SAMPLE
unit price and サービスコード table (made-up values, marked as such: load the official ones with
`load_fee_table` before any real claim)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from cases.models import Client, Membership, Office
from claims import rules, services
from claims.models import (
    BasicFee,
    ClaimBatch,
    ClientClaimProfile,
    OfficeAddonRegistration,
    OfficeClaimSetting,
    OfficeInterfaceSetting,
    RegionGrade,
    ServiceCode,
    UnitPrice,
)
from core.dates import fiscal_year, month_start, shift_month
from meetings.models import OfficeTierConfirmation, RetentionTier

SAMPLE = "サンプル（デモ用の架空の値。公式の表ではありません）"
SAMPLE_FROM = date(2024, 4, 1)
# 全国地方公共団体コード (5 digits) of the demo's municipalities; the check digit is computed
MUNICIPALITY_CODES = {"新宿区": "13104", "中野区": "13114", "杉並区": "13115", "練馬区": "13120"}
DEMO_TIER = RetentionTier.T80
SAMPLE_PRICE = Decimal("11.20")  # made up (the README's example); the official row is unconfirmed
SAMPLE_FORM_TYPE = "9999"  # made up: the 様式種別番号 of J611 is unconfirmed; an office enters its own


def municipality_number(name: str) -> str:
    five = MUNICIPALITY_CODES.get(name, "13104")
    return f"{five}{rules.municipality_check_digit(five)}"


def _sample_codes(tier: str, basic_units: int) -> list[tuple[str, str, int]]:
    """(key, name, units) for the lines the demo produces; code numbers are made up."""
    rows = [(rules.basic_key(tier, []), f"就定Ⅰ{tier}（サンプル）", basic_units)]
    for rate in ("0.70", "0.50"):
        reduction = rules.Reduction(rules.NO_PLAN, Decimal(rate))
        rows.append(
            (
                rules.basic_key(tier, [reduction]),
                f"就定Ⅰ{tier}・計画未作成減算{int(Decimal(rate) * 100)}（サンプル）",
                rules.reduced_units(basic_units, [reduction]),
            )
        )
    rows += [
        (rules.addon_key(rules.MEETING_I), "就定地域連携会議実施加算Ⅰ（サンプル）", 579),
        (rules.addon_key(rules.MEETING_II), "就定地域連携会議実施加算Ⅱ（サンプル）", 405),
        (rules.addon_key(rules.RETENTION_RESULTS), "就定定着実績体制加算（サンプル）", 300),
        (rules.addon_key(rules.SPECIAL_AREA), "就定特別地域加算（サンプル）", 240),
    ]
    return rows


def seed_claims(office: Office, today: date) -> None:
    """Idempotent: settings for the demo office so that last month's claim preview has amounts."""
    OfficeClaimSetting.objects.get_or_create(
        office=office, valid_from=SAMPLE_FROM, defaults={"region": RegionGrade.G1, "note": "デモ"}
    )
    admin = office.memberships.filter(role="admin").select_related("user").first()
    confirmer = admin.user if admin else office.memberships.select_related("user").first().user
    last_month = shift_month(month_start(today), -1)
    for year in sorted({fiscal_year(last_month), fiscal_year(today)}):
        OfficeTierConfirmation.objects.get_or_create(
            office=office,
            fiscal_year=year,
            defaults={
                "tier": DEMO_TIER,
                "confirmed_by": confirmer,
                "confirmed_at": timezone.now(),
                "note": "デモ",
            },
        )
    OfficeAddonRegistration.objects.get_or_create(
        office=office, code=rules.RETENTION_RESULTS, defaults={"starts_on": SAMPLE_FROM}
    )
    for region in RegionGrade.values:
        UnitPrice.objects.get_or_create(
            service_type="47",
            region=region,
            valid_from=SAMPLE_FROM,
            defaults={"price": SAMPLE_PRICE, "source": SAMPLE, "confirmed": False},
        )
    fee = BasicFee.objects.valid_on(last_month).filter(tier=DEMO_TIER).order_by("-valid_from").first()
    if fee is not None:
        for number, (key, name, units) in enumerate(_sample_codes(DEMO_TIER, fee.units), start=1):
            ServiceCode.objects.get_or_create(
                key=key,
                valid_from=SAMPLE_FROM,
                defaults={
                    "code": f"47{9000 + number:04d}",
                    "name": name,
                    "units": units,
                    "source": SAMPLE,
                    "confirmed": False,
                },
            )
    clients = list(office.clients.order_by("id"))
    existing = set(ClientClaimProfile.objects.filter(client__in=clients).values_list("client_id", flat=True))
    profiles = []
    for index, client in enumerate(clients):
        if client.pk in existing:
            continue
        # the last client has no 市町村番号 yet: the preview shows how the stop list reads
        number = "" if index == len(clients) - 1 else municipality_number(client.municipality)
        profiles.append(
            ClientClaimProfile(
                client=client,
                municipality_number=number,
                service_started_on=client.window_starts_on,
                special_area=index % 11 == 5,
            )
        )
    ClientClaimProfile.objects.bulk_create(profiles)
    OfficeInterfaceSetting.objects.get_or_create(
        office=office, defaults={"form_type_number": SAMPLE_FORM_TYPE, "note": SAMPLE}
    )
    seed_claim_batch(office, shift_month(last_month, -1), confirmer)


def seed_claim_batch(office: Office, month: date, actor) -> None:
    """The claim of the month before last, finalized and its files written, so that the claim page shows
    an earlier batch (clients whose month has an error are left out of it, as an office would)."""
    if ClaimBatch.objects.filter(office=office, service_month=month).exists():
        return
    batch = services.claim_batch_create(actor=actor, office=office, month=month)
    for stop in services.claim_batch_check(actor=actor, batch=batch):
        if stop.client is not None:
            services.claim_batch_exclude(actor=actor, batch=batch, client=stop.client)
    if services.claim_batch_check(actor=actor, batch=batch):
        return  # an office-wide error: the demo leaves the batch as a draft
    services.claim_batch_finalize(actor=actor, batch=batch)
    services.claim_batch_write_files(actor=actor, batch=batch)


def seed_claim_settings(offices, today: date) -> None:
    """Bulk, idempotent: 級地, a confirmed tier, the sample unit price and every client's 市町村番号 for many
    offices at once (the benchmark's 100 offices)."""
    offices = list(offices)
    ids = [o.pk for o in offices]
    have = set(OfficeClaimSetting.objects.filter(office_id__in=ids).values_list("office_id", flat=True))
    OfficeClaimSetting.objects.bulk_create(
        [
            OfficeClaimSetting(office=o, valid_from=SAMPLE_FROM, region=RegionGrade.G1, note="デモ")
            for o in offices
            if o.pk not in have
        ]
    )
    confirmer = {}
    for m in Membership.objects.filter(office_id__in=ids).order_by("role", "pk"):
        confirmer.setdefault(m.office_id, m.user_id)
    last_month = shift_month(month_start(today), -1)
    for year in sorted({fiscal_year(last_month), fiscal_year(today)}):
        have = set(
            OfficeTierConfirmation.objects.filter(office_id__in=ids, fiscal_year=year).values_list(
                "office_id", flat=True
            )
        )
        tiers = list(RetentionTier.values)
        OfficeTierConfirmation.objects.bulk_create(
            [
                OfficeTierConfirmation(
                    office_id=pk,
                    fiscal_year=year,
                    tier=tiers[n % len(tiers)],
                    confirmed_by_id=confirmer[pk],
                    confirmed_at=timezone.now(),
                    note="デモ",
                )
                for n, pk in enumerate(ids)
                if pk not in have and pk in confirmer
            ]
        )
    for region in RegionGrade.values:
        UnitPrice.objects.get_or_create(
            service_type="47",
            region=region,
            valid_from=SAMPLE_FROM,
            defaults={"price": SAMPLE_PRICE, "source": SAMPLE, "confirmed": False},
        )
    have = set(
        ClientClaimProfile.objects.filter(client__office_id__in=ids).values_list("client_id", flat=True)
    )
    ClientClaimProfile.objects.bulk_create(
        [
            ClientClaimProfile(
                client_id=pk, municipality_number=municipality_number(name), service_started_on=started
            )
            for pk, name, started in Client.objects.filter(office_id__in=ids).values_list(
                "pk", "municipality", "window_starts_on"
            )
            if pk not in have
        ],
        batch_size=1000,
    )
    seed_sample_codes(shift_month(month_start(today), -1))


def seed_sample_codes(month: date) -> None:
    """The SAMPLE サービスコード of every tier's lines (the benchmark's offices have every tier)."""
    fees = {f.tier: f.units for f in BasicFee.objects.valid_on(month).order_by("valid_from")}
    for index, tier in enumerate(RetentionTier.values):
        if tier not in fees:
            continue
        for number, (key, name, units) in enumerate(_sample_codes(tier, fees[tier]), start=1):
            ServiceCode.objects.get_or_create(
                key=key,
                valid_from=SAMPLE_FROM,
                defaults={
                    "code": f"47{8000 + index * 10 + number:04d}",
                    "name": name,
                    "units": units,
                    "source": SAMPLE,
                    "confirmed": False,
                },
            )
