"""From the claim of an office-month (selectors.office_claim) to the 国保連 files (claims.interface).

`office_month_input` turns the computed claim into the interface's plain inputs: 受給者証番号,
市町村番号, kana, the cap and 上限額管理, the first day of service, one サービスコード line per claim line,
the totals, the 受給者証's contract entries of the month (J121:05), one support day per face-to-face day (特別地域 on each where it applies, the claimed
地域連携会議 with its code 1/2 on its day), the report's sharing date and 初期加算 where it is claimed.
`claim_files` writes and reads them back; every problem comes back as a StopItem with the page where it
is put right, so the claim page lists them the same way as the claim's own stop list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import month_end

from . import interface, rules
from .interface.builder import settings_problems
from .models import CapManagement, CapManagementResult, ClientContract, OfficeInterfaceSetting
from .selectors import ClientClaim, OfficeClaim, StopItem

MEETING_CODES = {"I": 1, "II": 2}  # J611:02 地域連携会議実施加算: 1 for (I), 2 for (II)


def interface_settings(office) -> interface.InterfaceSettings:
    """The office's confirmed values for the files (blank ones stay None: the writer names them)."""
    setting = OfficeInterfaceSetting.objects.filter(office=office).first()
    if setting is None:
        return interface.InterfaceSettings()
    return interface.InterfaceSettings(
        form_type_number=setting.form_type_number or None,
        contract_required_items=setting.contract_items,
    )


def _profile_url(row: ClientClaim) -> str:
    return reverse("claims:client_profile", args=[row.client.pk])


def initial_add_on(start: date, month: date) -> interface.InitialAddOn:
    """初期加算 of the month: 利用開始日, its 30th day, and the days of the 30 that fall in the month."""
    day_30 = start + timedelta(days=29)
    last = min(day_30, month_end(month))
    first = max(start, month)
    return interface.InitialAddOn(start=start, day_30=day_30, days_this_month=max((last - first).days + 1, 0))


def support_days(row: ClientClaim, special_area: bool) -> tuple[interface.SupportDay, ...]:
    """One day per face-to-face day of the month (算定日数 1, 特別地域 1 where it applies); the claimed
    地域連携会議 (the first of the month, as the claim line) on its day, a day of its own when no
    face-to-face support fell on it."""
    claimed_meeting = row.meetings[0] if row.meetings and _claims_meeting(row) else None
    days = {day: interface.SupportDay(day=day, special_area=special_area) for day in row.support_days}
    if claimed_meeting is not None:
        code = MEETING_CODES[claimed_meeting.kind]
        held = claimed_meeting.held_on
        if held in days:
            days[held] = interface.SupportDay(day=held, special_area=special_area, meeting=code)
        else:
            days[held] = interface.SupportDay(day=held, counts=False, meeting=code)
    return tuple(days[day] for day in sorted(days))


def _claims_meeting(row: ClientClaim) -> bool:
    keys = {rules.addon_key(rules.MEETING_I), rules.addon_key(rules.MEETING_II)}
    return any(line.key in keys for line in row.lines)


def contract_input(contract: ClientContract) -> interface.Contract:
    """J121:05 of one contract entry of the 受給者証 (blank items stay None: the office's required items
    say which must be set)."""
    return interface.Contract(
        service_code=contract.service_code or None,
        amount=contract.amount,
        start=contract.starts_on,
        end=contract.ends_on,
        entry_number=contract.entry_number,
    )


def month_contracts(client_ids, month: date) -> dict[int, list[ClientContract]]:
    """The contract entries whose period touches the month, per client, in date order (one query)."""
    found: dict[int, list[ClientContract]] = {}
    for contract in (
        ClientContract.objects.filter(client_id__in=client_ids, starts_on__lte=month_end(month))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month))
        .order_by("client_id", "starts_on", "pk")
    ):
        found.setdefault(contract.client_id, []).append(contract)
    return found


def client_month_input(
    claim: OfficeClaim,
    row: ClientClaim,
    cap_result: CapManagementResult | None,
    contracts: list[ClientContract] = (),
) -> tuple[interface.ClientMonth | None, list[StopItem]]:
    """The interface's ClientMonth of one billable row, or None with what is missing."""
    client, profile, amounts = row.client, row.profile, row.amounts
    stops = []
    if amounts is None or claim.unit_price is None:
        return None, []  # the claim's own stop list says why (unit price, tier, codes)
    if profile is None or not profile.service_started_on:
        stops.append(
            StopItem(
                _("%(name)s: 利用開始日（明細書の開始年月日）が未登録です。") % {"name": client.full_name},
                _profile_url(row),
                client,
            )
        )
    if any(line.code is None for line in row.lines):
        return None, stops  # the claim's stop list names the missing サービスコード
    if stops:
        return None, stops
    cap = profile.cap_amount if profile.cap_amount is not None else client.burden_cap_yen
    other_office = profile.cap_management == CapManagement.OTHER_OFFICE
    management = None
    if other_office and cap_result is not None:
        management = interface.CapManagement(
            office_number=profile.cap_manager_provider_number,
            result=cap_result.result,
            result_amount=amounts.burden,
        )
    lines = tuple(interface.ClaimLine(line.code, line.units, line.count) for line in row.lines)
    initial = None
    if any(line.key == rules.addon_key(rules.INITIAL) for line in row.lines):
        initial = initial_add_on(profile.service_started_on, claim.month)
    return (
        interface.ClientMonth(
            recipient_number=client.recipient_number,
            municipality_number=profile.municipality_number,
            name=client.full_name,
            name_kana=f"{client.family_name_kana} {client.given_name_kana}",
            birth_date=client.birth_date,
            monthly_cap=cap,
            service_start=profile.service_started_on,
            lines=lines,
            totals=interface.ClientTotals(
                units=amounts.units,
                total_cost=amounts.total_cost,
                tenth=amounts.tenth,
                cap_adjusted=min(cap, amounts.tenth),
                decided_burden=amounts.burden,
                benefit=amounts.benefit,
                unit_price=claim.unit_price,
                managed_burden=amounts.burden if other_office else None,
            ),
            support_days=support_days(row, row.special_area),
            report_shared_on=row.month.report_shared_on,
            cap_management=management,
            initial_add_on=initial,
            contracts=tuple(contract_input(contract) for contract in contracts),
        ),
        [],
    )


def office_month_input(
    claim: OfficeClaim, *, processing_month: date, client_ids=None
) -> tuple[interface.OfficeMonth, list[StopItem]]:
    """The interface's OfficeMonth of the claim (only `client_ids` when given), and what stops it: the
    claim's own stop list (office-wide items and those of the clients claimed), a client claimed whose
    month cannot be billed, and what the files need beyond the claim."""
    if not claim.with_days:
        raise ValueError("the claim files need the support days: office_claim(..., with_days=True)")
    wanted = None if client_ids is None else set(client_ids)
    rows = [row for row in claim.rows if wanted is None or row.client.pk in wanted]
    stops = [s for s in claim.stops if s.client is None or wanted is None or s.client.pk in wanted]
    found = {row.client.pk for row in rows}
    for missing in sorted((wanted or set()) - found):
        stops.append(
            StopItem(
                _("利用者（ID %(id)d）はこの月に支援期間外です。") % {"id": missing},
                reverse("cases:client_detail", args=[missing]),
            )
        )
    claimed = [row for row in rows if row.billable] if wanted is None else rows
    cap_results = {
        r.client_id: r
        for r in CapManagementResult.objects.filter(
            client_id__in=[row.client.pk for row in claimed], month=claim.month
        )
    }
    contracts = month_contracts([row.client.pk for row in claimed], claim.month)
    clients = []
    for row in claimed:
        if not row.billable:
            stops.append(
                StopItem(
                    _("%(name)s: この月は算定できません（%(reasons)s）。")
                    % {"name": row.client.full_name, "reasons": "、".join(row.reason_words)},
                    reverse("cases:client_detail", args=[row.client.pk]),
                    row.client,
                )
            )
            continue
        client_month, client_stops = client_month_input(
            claim, row, cap_results.get(row.client.pk), contracts.get(row.client.pk, ())
        )
        stops += client_stops
        if client_month is not None:
            clients.append(client_month)
    month = interface.OfficeMonth(
        office_number=claim.office.provider_number,
        area_code=claim.region or "",
        service_month=claim.month,
        processing_month=processing_month,
        clients=tuple(clients),
    )
    return month, stops


@dataclass
class Written:
    files: list[interface.ClaimFile]
    stops: list[StopItem]


def _problem_stops(problems, claim: OfficeClaim) -> list[StopItem]:
    by_recipient = {row.client.recipient_number: row for row in claim.rows}
    settings_url = reverse("claims:interface_settings")
    stops = []
    for problem in problems:
        row = by_recipient.get(problem.recipient) if problem.recipient else None
        if row is not None:
            stops.append(StopItem(f"{row.client.full_name}: {problem}", _profile_url(row), row.client))
        else:
            stops.append(StopItem(str(problem), settings_url))
    return stops


def claim_files(claim: OfficeClaim, *, processing_month: date, client_ids=None, settings=None) -> Written:
    """The files of the claim (only `client_ids` when given), written and read back by the validator;
    no files and every stop when anything is wrong."""
    settings = settings if settings is not None else interface_settings(claim.office)
    month, stops = office_month_input(claim, processing_month=processing_month, client_ids=client_ids)
    if stops:
        # the settings are named even while the claim has other stops, so all can be put right at once
        stops += _problem_stops(settings_problems(month, settings), claim)
        return Written([], stops)
    try:
        files = interface.write_claim_files(month, settings)
    except interface.ClaimFileError as error:
        return Written([], _problem_stops(error.problems, claim))
    problems = interface.validate_claim_files([(f.name, f.data) for f in files], settings=settings)
    if problems:
        return Written([], _problem_stops(problems, claim))
    return Written(files, [])
