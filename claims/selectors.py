"""Reads of the claims app: the claim of an office-month, from a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import Client, Office
from cases.rules import fiscal_year, month_end, month_start, months_between, shift_month
from meetings import selectors as meetings
from meetings.models import RetentionTier
from visits import rules as visit_rules
from visits import selectors as visits

from . import rules
from .models import (
    Addon,
    AddonCode,
    BasicFee,
    CapManagement,
    CapManagementResult,
    ClientClaimProfile,
    OfficeAddonRegistration,
    OfficeClaimSetting,
    OfficeReduction,
    ReductionCode,
    ReductionStep,
    ServiceCode,
    UnitPrice,
)


@dataclass(frozen=True)
class StopItem:
    """What keeps the claim from being sent, and the page where it is put right."""

    message: str
    url: str
    client: Client | None = None


@dataclass
class LineRow:
    key: str
    name: str
    code: str | None
    units: int
    count: int

    @property
    def total_units(self) -> int:
        return self.units * self.count


@dataclass
class ClientClaim:
    client: Client
    month: visits.ClientMonth
    profile: ClientClaimProfile | None
    lines: list[LineRow] = field(default_factory=list)
    amounts: rules.Amounts | None = None
    meetings: list[meetings.AddonMeeting] = field(default_factory=list)
    reductions: list[rules.Reduction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def billable(self) -> bool:
        return self.month.verdict.billable

    @property
    def reason_words(self) -> list[str]:
        return visits.reason_words(self.month.verdict.reasons)

    @property
    def special_area(self) -> bool:
        return bool(self.profile and self.profile.special_area)

    @property
    def support_days(self) -> list[date]:
        return self.month.face_to_face_dates


@dataclass
class Totals:
    count: int = 0  # 件数
    units: int = 0  # 単位数
    total_cost: int = 0  # 費用合計
    benefit: int = 0  # 給付費請求額
    burden: int = 0  # 利用者負担額


@dataclass
class OfficeClaim:
    office: Office
    month: date
    region: str | None
    unit_price: Decimal | None
    tier: str | None
    rows: list[ClientClaim]
    stops: list[StopItem]
    warnings: list[str]
    totals: Totals

    @property
    def billable(self) -> list[ClientClaim]:
        return [r for r in self.rows if r.billable]

    @property
    def not_billable(self) -> list[ClientClaim]:
        return [r for r in self.rows if not r.billable]

    @property
    def ready(self) -> bool:
        return not self.stops

    @property
    def tier_label(self) -> str:
        return str(RetentionTier(self.tier).label) if self.tier else ""


# --- words ----------------------------------------------------------------------------------------


def line_name(key: str) -> str:
    """Words for a line key when no サービスコード names it: 就労定着支援サービス費（9割5分以上）・減算…"""
    if key.startswith("addon:"):
        code = key.removeprefix("addon:")
        return str(AddonCode(code).label) if code in AddonCode.values else key
    head, *parts = key.split("+")
    tier = head.removeprefix("basic:")
    words = [_("就労定着支援サービス費（%(tier)s）") % {"tier": RetentionTier(tier).label}]
    codes = {str(c.value): c.label for c in ReductionCode}
    for part in parts:
        code = part.rstrip("0123456789")
        words.append(f"{codes.get(code, code)} {part[len(code) :]}%")
    return "・".join(words)


def _latest(rows, key):
    """The row of each key with the latest valid_from (rows already limited to those in force)."""
    found = {}
    for row in sorted(rows, key=lambda r: r.valid_from):
        found[key(row)] = row
    return found


def _admin(name: str, *args) -> str:
    return reverse(f"admin:claims_{name}", args=args)


# --- the office-month claim -----------------------------------------------------------------------


def office_claim(office: Office, month: date) -> OfficeClaim:
    """Lines, units and yen of every client in service in the office-month, the office totals, and what
    stops the claim. About 20 queries whatever the number of clients: the month verdicts through
    visits.selectors.verdict_grid, then one query per table."""
    first, last = month_start(month), month_end(month)
    stops: list[StopItem] = []
    warnings: list[str] = []

    # the fee tables in force on the month's first day (one query each)
    basic_fees = _latest(BasicFee.objects.valid_on(first), lambda r: r.tier)
    addons = _latest(Addon.objects.valid_on(first), lambda r: r.code)
    steps = defaultdict(list)
    unconfirmed_steps = set()
    for step in _latest(ReductionStep.objects.valid_on(first), lambda r: (r.code, r.from_month)).values():
        steps[step.code].append((step.from_month, step.rate))
        if not step.confirmed:
            unconfirmed_steps.add(step.code)
    codes = _latest(ServiceCode.objects.valid_on(first), lambda r: r.key)

    # the office's settings for the month
    setting = (
        OfficeClaimSetting.objects.filter(office=office, valid_from__lte=first)
        .order_by("-valid_from")
        .first()
    )
    region = setting.region if setting else None
    unit_price = None
    settings_url = reverse("claims:office_settings")
    if region is None:
        stops.append(StopItem(_("事業所の級地が登録されていません。"), settings_url))
    else:
        price = _latest(
            UnitPrice.objects.valid_on(first).filter(service_type="47", region=region), lambda r: 1
        )
        if price:
            unit_price = price[1].price
        else:
            stops.append(
                StopItem(
                    _(
                        "単位数単価（サービス種類47・%(region)s）が登録されていません。告示の表を "
                        "load_fee_table で読み込んでください。"
                    )
                    % {"region": setting.get_region_display()},
                    _admin("unitprice_changelist"),
                )
            )
    tier = meetings.confirmed_tier(office.pk, fiscal_year(first))
    if tier is None:
        stops.append(
            StopItem(
                _("%(year)d年度の就労定着率の区分が確定していません。") % {"year": fiscal_year(first)},
                settings_url,
            )
        )
    elif tier not in basic_fees:
        stops.append(
            StopItem(
                _("基本報酬の単位数（%(tier)s）が表にありません。") % {"tier": tier},
                _admin("basicfee_changelist"),
            )
        )
    basic_units = basic_fees[tier].units if tier in basic_fees else None

    registered = [
        r.code
        for r in OfficeAddonRegistration.objects.filter(office=office, starts_on__lte=last).exclude(
            ends_on__lt=first
        )
    ]
    office_reductions = []
    for r in OfficeReduction.objects.filter(office=office, starts_month__lte=first).exclude(
        ends_month__lt=first
    ):
        rate = rules.step_rate(steps.get(r.code, ()), months_between(r.starts_month, first))
        if rate is None:
            stops.append(
                StopItem(
                    _("減算の割合が表にありません: %(name)s") % {"name": r.get_code_display()},
                    _admin("reductionstep_changelist"),
                )
            )
            continue
        office_reductions.append(rules.Reduction(r.code, rate))
        if r.code in unconfirmed_steps:
            warnings.append(
                _("%(name)s の段階（月数）は未確認です。留意事項通知で確かめてください。")
                % {"name": r.get_code_display()}
            )

    # the clients and their month verdicts (the months before too, for the no-plan reduction's step)
    lookback = max((m for m, _rate in steps.get(rules.NO_PLAN, [(1, None)])), default=1)
    clients = list(
        visits.clients_in_service(office.pk, first)
        .select_related("primary_staff", "office", "claim_profile")
        .order_by("family_name_kana", "given_name_kana", "id")
    )
    grid = visits.verdict_grid(clients, shift_month(first, -(lookback - 1)), first) if clients else {}
    ids = [c.pk for c in clients]
    cap_results = {r.client_id: r for r in CapManagementResult.objects.filter(client_id__in=ids, month=first)}
    month_meetings = meetings.addon_meetings(ids, first, last) if ids else {}
    meeting_units = {
        kind: addons[code].units
        for kind, code in rules.MEETING_ADDON.items()
        if code in addons and addons[code].units is not None
    }

    rows, missing_keys, totals = [], {}, Totals()
    for client in clients:
        months = grid[client.pk]
        current = months[-1]
        profile = getattr(client, "claim_profile", None)
        row = ClientClaim(client=client, month=current, profile=profile)
        row.meetings = sorted(month_meetings.get(client.pk, []), key=lambda m: m.held_on)
        rows.append(row)
        if not current.verdict.billable:
            continue
        profile_url = reverse("claims:client_profile", args=[client.pk])
        if profile is None or not profile.municipality_number:
            stops.append(
                StopItem(
                    _("%(name)s: 市町村番号が未登録です。") % {"name": client.full_name}, profile_url, client
                )
            )

        # 個別支援計画未作成減算: consecutive months without an agreed plan, up to this one
        reductions = list(office_reductions)
        nth = 0
        for m in reversed(months):
            if visit_rules.NO_AGREED_PLAN not in m.verdict.warnings:
                break
            nth += 1
        if nth:
            rate = rules.step_rate(steps.get(rules.NO_PLAN, ()), nth)
            if rate is not None:
                reductions.append(rules.Reduction(rules.NO_PLAN, rate))
        row.reductions = rules.ordered(reductions)

        monthly = []
        for code in registered:
            if code in addons and addons[code].units is not None:
                monthly.append((code, addons[code].units))
        if profile and profile.special_area and current.face_to_face_dates:
            _addon(monthly, addons, rules.SPECIAL_AREA, row)
        if (
            profile
            and profile.service_started_on
            and first <= profile.service_started_on <= last
            and not profile.initial_addon_excluded
        ):
            _addon(monthly, addons, rules.INITIAL, row)
        cap_result = cap_results.get(client.pk)
        if profile and profile.cap_management == CapManagement.THIS_OFFICE:
            _addon(monthly, addons, rules.CAP_MANAGEMENT, row)
        if profile and profile.cap_management == CapManagement.OTHER_OFFICE and cap_result is None:
            stops.append(
                StopItem(
                    _("%(name)s: 上限額管理結果が未入力です。") % {"name": client.full_name},
                    profile_url,
                    client,
                )
            )

        lines = rules.claim_lines(
            billable=True,
            tier=tier,
            basic_units=basic_units,
            reductions=row.reductions,
            monthly_addons=monthly,
            meetings=[m.kind for m in row.meetings],
            meeting_units=meeting_units,
        )
        for line in lines:
            service_code = codes.get(line.key)
            if service_code is None:
                missing_keys.setdefault(line.key, line)
            elif service_code.units != line.units:
                stops.append(
                    StopItem(
                        _("サービスコード %(code)s の単位数 %(table)d が計算した %(units)d と違います。")
                        % {"code": service_code.code, "table": service_code.units, "units": line.units},
                        _admin("servicecode_change", service_code.pk),
                    )
                )
            row.lines.append(
                LineRow(
                    key=line.key,
                    name=service_code.name if service_code else line_name(line.key),
                    code=service_code.code if service_code else None,
                    units=line.units,
                    count=line.count,
                )
            )
        if lines and unit_price is not None:
            cap = profile.cap_amount if profile and profile.cap_amount is not None else client.burden_cap_yen
            row.amounts = rules.claim_amounts(
                lines,
                unit_price,
                cap,
                cap_result=cap_result.result if cap_result else None,
                cap_result_amount=cap_result.amount if cap_result else None,
            )
            totals.count += 1
            totals.units += row.amounts.units
            totals.total_cost += row.amounts.total_cost
            totals.benefit += row.amounts.benefit
            totals.burden += row.amounts.burden

    for key in missing_keys:
        stops.append(
            StopItem(
                _("サービスコードが未登録です: %(name)s（算定項目 %(key)s）")
                % {"name": line_name(key), "key": key},
                _admin("servicecode_changelist"),
            )
        )
    return OfficeClaim(
        office=office,
        month=first,
        region=region,
        unit_price=unit_price,
        tier=tier,
        rows=rows,
        stops=stops,
        warnings=warnings,
        totals=totals,
    )


def _addon(monthly, addons, code, row):
    addon = addons.get(code)
    if addon is not None and addon.units is not None:
        monthly.append((code, addon.units))
    else:
        row.warnings.append(
            _("%(name)s: 単位数が未確認のため算定していません。") % {"name": AddonCode(code).label}
        )
