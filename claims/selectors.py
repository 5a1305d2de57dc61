"""Reads of the claims app: the claim of an office-month, from a constant number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import BURDEN_CAP_YEN, Client, Office
from core.dates import fiscal_year, month_end, month_start, months_between
from core.links import path_format
from core.statements import statement
from meetings import selectors as meetings
from meetings.models import OfficeTierConfirmation, RetentionTier
from visits import facts as visit_facts
from visits import grid as visit_grid
from visits import labels as visit_labels

from . import rules
from .models import (
    Addon,
    AddonCode,
    BasicFee,
    CapManagement,
    CapManagementResult,
    ClaimBatch,
    ClaimBatchFile,
    ClaimFileDownload,
    ClaimItem,
    ClientClaimProfile,
    OfficeAddonRegistration,
    OfficeClaimSetting,
    OfficeReduction,
    ReductionCode,
    ReductionStep,
    RegionGrade,
    ServiceCode,
    UnitPrice,
)


@dataclass(frozen=True)
class StopItem:
    """What keeps the claim from being sent, and the page where it is put right."""

    message: str
    url: str
    client: Client | None = None


@dataclass(frozen=True)
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
    client: Client | ClaimClient  # a ClaimClient in a claim without days
    month: visit_grid.ClientMonth
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
        return visit_labels.reason_words(self.month.verdict.reasons)

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
    with_days: bool = True  # the rows hold the month's support days and report (office_claim)

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
    def region_label(self) -> str:
        return str(RegionGrade(self.region).label) if self.region in RegionGrade.values else ""

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


# --- the tables and the office's terms -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeRow:
    """A row of one of the fee tables in force, as the claim reads it: `key` is the table's own key
    (a reduction's code, a tier, an add-on's code, a line key, a 級地); `number` its units (a
    reduction's first month); `amount` a unit price or a reduction's rate."""

    kind: str
    key: str
    number: int | None
    amount: Decimal | None
    name: str
    code: str
    confirmed: bool
    source: str
    valid_from: date
    pk: int

    @property
    def units(self) -> int | None:
        return self.number

    @property
    def price(self) -> Decimal | None:
        return self.amount


def _fee_rows(queryset, kind: str, key: str, number=None, amount=None, name=None, code=None):
    """The table's rows in FeeRow's columns, so that the five tables read as one union."""
    return queryset.annotate(
        t_kind=Value(kind, CharField()),
        t_key=F(key),
        t_number=F(number) if number else Cast(Value(None), IntegerField()),
        t_amount=F(amount) if amount else Cast(Value(None), DecimalField(max_digits=6, decimal_places=3)),
        t_name=F(name) if name else Value("", CharField()),
        t_code=F(code) if code else Value("", CharField()),
    ).values_list("t_kind", "t_key", "t_number", "t_amount", "t_name", "t_code", "confirmed", "source",
                  "valid_from", "pk")  # fmt: skip


@statement
def _fee_tables_on(*, day: date):
    """Every fee table's rows in force on `day`, one query."""
    return _fee_rows(
        UnitPrice.objects.valid_on(day).filter(service_type="47"), "price", "region", amount="price"
    ).union(
        _fee_rows(ReductionStep.objects.valid_on(day), "step", "code", number="from_month", amount="rate"),
        _fee_rows(BasicFee.objects.valid_on(day), "basic", "tier", number="units"),
        _fee_rows(Addon.objects.valid_on(day), "addon", "code", number="units"),
        _fee_rows(ServiceCode.objects.valid_on(day), "code", "key", number="units", name="name", code="code"),
        all=True,
    )


@dataclass
class Tables:
    """The fee tables in force on one day (the month's first), read in one query."""

    basic_fees: dict
    addons: dict
    steps: dict
    unconfirmed_steps: set
    codes: dict
    prices: dict  # region → FeeRow

    @classmethod
    def on(cls, day: date) -> Tables:
        rows = defaultdict(list)
        for values in _fee_tables_on(day=day):
            rows[values[0]].append(FeeRow(*values))
        steps, unconfirmed = defaultdict(list), set()
        for step in _latest(rows["step"], lambda r: (r.key, r.number)).values():
            steps[step.key].append((step.number, step.amount))
            if not step.confirmed:
                unconfirmed.add(step.key)
        return cls(
            basic_fees=_latest(rows["basic"], lambda r: r.key),
            addons=_latest(rows["addon"], lambda r: r.key),
            steps=steps,
            unconfirmed_steps=unconfirmed,
            codes=_latest(rows["code"], lambda r: r.key),
            prices=_latest(rows["price"], lambda r: r.key),
        )

    def addon_units(self, code: str) -> int | None:
        addon = self.addons.get(code)
        return addon.units if addon is not None else None

    @property
    def meeting_units(self) -> dict[str, int]:
        units = {kind: self.addon_units(code) for kind, code in rules.MEETING_ADDON.items()}
        return {kind: u for kind, u in units.items() if u is not None}

    @property
    def no_plan_lookback(self) -> int:
        """How many months back the no-plan reduction's highest step needs to be known."""
        return max((m for m, _rate in self.steps.get(rules.NO_PLAN, [])), default=1)


@dataclass
class OfficeTerms:
    """What the office's settings make of the tables for the month; `stops` and `warnings` as found."""

    region: str | None
    region_label: str
    unit_price: Decimal | None
    tier: str | None
    basic_units: int | None
    registered: list[str]
    reductions: list[rules.Reduction]
    stops: list[StopItem]
    warnings: list[str]
    month: tuple[int, int]  # (year, month)


def _reduction_name(code: str) -> str:
    return str(dict(ReductionCode.choices).get(code, code))


def office_terms(
    first: date, tables: Tables, region: str | None, tier: str | None, registrations, office_reductions
) -> OfficeTerms:
    """The office's 級地, unit price, tier units, add-ons and reductions for the month starting `first`,
    from what was read (the 級地 of the setting in force, the tier, the registrations and reductions in
    force)."""
    stops, warnings = [], []
    region_label = str(RegionGrade(region).label) if region in RegionGrade.values else ""
    unit_price = None
    if region is None:
        stops.append(StopItem(_("事業所の級地が登録されていません。"), reverse("claims:office_settings")))
    elif region in tables.prices:
        unit_price = tables.prices[region].price
        if not tables.prices[region].confirmed:
            warnings.append(
                _(
                    "単位数単価 %(price)s円 は未確認の値です（出典: %(source)s）。公式の表を読み込んでください。"
                )
                % {"price": unit_price, "source": tables.prices[region].source}
            )
    else:
        stops.append(
            StopItem(
                _(
                    "単位数単価（サービス種類47・%(region)s）が登録されていません。告示の表を "
                    "load_fee_table で読み込んでください。"
                )
                % {"region": region_label},
                _admin("unitprice_changelist"),
            )
        )
    if tier is None:
        stops.append(
            StopItem(
                _("%(year)d年度の就労定着率の区分が確定していません。") % {"year": fiscal_year(first)},
                f"{reverse('meetings:rates')}?year={fiscal_year(first)}",  # the calculator, where it is confirmed
            )
        )
    elif tier not in tables.basic_fees:
        stops.append(
            StopItem(
                _("基本報酬の単位数（%(tier)s）が表にありません。") % {"tier": tier},
                _admin("basicfee_changelist"),
            )
        )
    reductions = []
    for r in office_reductions:
        rate = rules.step_rate(tables.steps.get(r.code, ()), months_between(r.starts_month, first))
        if rate is None:
            stops.append(
                StopItem(
                    _("減算の割合が表にありません: %(name)s") % {"name": _reduction_name(r.code)},
                    _admin("reductionstep_changelist"),
                )
            )
            continue
        reductions.append(rules.Reduction(r.code, rate))
        if r.code in tables.unconfirmed_steps:
            warnings.append(
                _("%(name)s の段階（月数）は未確認です。留意事項通知で確かめてください。")
                % {"name": _reduction_name(r.code)}
            )
    return OfficeTerms(
        region=region,
        region_label=region_label,
        unit_price=unit_price,
        tier=tier,
        basic_units=tables.basic_fees[tier].units if tier in tables.basic_fees else None,
        registered=[r.code for r in registrations],
        reductions=reductions,
        stops=stops,
        warnings=warnings,
        month=(first.year, first.month),
    )


@dataclass
class ClientResult:
    lines: list[LineRow]
    amounts: rules.Amounts | None
    reductions: list[rules.Reduction]
    warnings: list[str]
    stops: list[StopItem]
    missing_keys: list[str]


def claim_lines_for(
    terms: OfficeTerms,
    tables: Tables,
    *,
    months_without_plan: int,
    special_area: bool,
    initial: bool,
    manages_cap: bool,
    meeting_kinds: tuple[str, ...],
) -> tuple[list[rules.Line], list[rules.Reduction], list[str]]:
    """The lines of a billable client-month from the office's terms and the client's few facts; also the
    reductions applied and the add-ons left out because their units are unconfirmed."""
    reductions = list(terms.reductions)
    if months_without_plan:
        rate = rules.step_rate(tables.steps.get(rules.NO_PLAN, ()), months_without_plan)
        if rate is not None:
            reductions.append(rules.Reduction(rules.NO_PLAN, rate))
    reductions = rules.ordered(reductions)
    monthly = [(c, tables.addon_units(c)) for c in terms.registered if tables.addon_units(c) is not None]
    unconfirmed = []
    for code, applies in (
        (rules.SPECIAL_AREA, special_area),
        (rules.INITIAL, initial),
        (rules.CAP_MANAGEMENT, manages_cap),
    ):
        if applies:
            units = tables.addon_units(code)
            if units is None:
                unconfirmed.append(code)
            else:
                monthly.append((code, units))
    lines = rules.claim_lines(
        billable=True,
        tier=terms.tier,
        basic_units=terms.basic_units,
        reductions=reductions,
        monthly_addons=monthly,
        meetings=meeting_kinds,
        meeting_units=tables.meeting_units,
    )
    return lines, reductions, unconfirmed


def _client_facts(terms: OfficeTerms, profile) -> dict:
    """The add-ons a billable month of the client earns (billable: a face-to-face contact in the month,
    so the special-area add-on applies wherever the client's details say the area is special)."""
    started = profile.service_started_on if profile else None
    return {
        "special_area": bool(profile and profile.special_area),
        "initial": bool(
            started and not profile.initial_addon_excluded and terms.month == (started.year, started.month)
        ),
        "manages_cap": bool(profile and profile.cap_management == CapManagement.THIS_OFFICE),
    }


def _cap(client, profile) -> int:
    return profile.cap_amount if profile and profile.cap_amount is not None else client.burden_cap_yen


def _amounts(lines, terms: OfficeTerms, cap: int, cap_result: tuple | None) -> rules.Amounts | None:
    """cap_result: (管理結果, amount) or None."""
    if not lines or terms.unit_price is None:
        return None
    result, amount = cap_result or (None, None)
    return rules.claim_amounts(lines, terms.unit_price, cap, cap_result=result, cap_result_amount=amount)


def _code_mismatches(lines, tables: Tables) -> tuple[list[str], list[StopItem]]:
    """The line keys without a サービスコード, and the codes whose units differ from the computed ones."""
    missing, stops = [], []
    for line in lines:
        service_code = tables.codes.get(line.key)
        if service_code is None:
            missing.append(line.key)
        elif service_code.units != line.units:
            stops.append(
                StopItem(
                    _("サービスコード %(code)s の単位数 %(table)d が計算した %(units)d と違います。")
                    % {"code": service_code.code, "table": service_code.units, "units": line.units},
                    _admin("servicecode_change", service_code.pk),
                )
            )
    return missing, stops


GAP_WORDS = {
    "municipality": gettext_noop("%(name)s: 市町村番号が未登録です。"),
    "cap_result": gettext_noop("%(name)s: 上限額管理結果が未入力です。"),
}


def _profile_missing(profile, cap_result) -> list[str]:
    """What the client's claim details lack for a billable month: 'municipality', 'cap_result'."""
    missing = []
    if profile is None or not profile.municipality_number:
        missing.append("municipality")
    if profile is not None and profile.cap_management == CapManagement.OTHER_OFFICE and cap_result is None:
        missing.append("cap_result")
    return missing


@dataclass(frozen=True)
class WorkedOut:
    """What a billable client-month's few facts give under the office's terms: the same for every
    client with the same facts, so an office's claim works each set out once."""

    lines: tuple[LineRow, ...]
    amounts: rules.Amounts | None
    reductions: tuple[rules.Reduction, ...]
    warnings: tuple[str, ...]
    stops: tuple[StopItem, ...]  # the サービスコード whose units differ from the computed ones
    missing_keys: tuple[str, ...]  # the line keys without a サービスコード


def worked_out(
    terms: OfficeTerms,
    tables: Tables,
    *,
    months_without_plan: int,
    meeting_kinds: tuple[str, ...],
    cap: int,
    cap_result: tuple | None,
    special_area: bool,
    initial: bool,
    manages_cap: bool,
) -> WorkedOut:
    """The lines and amounts of a billable client-month from the office's terms and the client's facts
    (cap_result: (管理結果, amount) or None)."""
    lines, reductions, unconfirmed = claim_lines_for(
        terms,
        tables,
        months_without_plan=months_without_plan,
        meeting_kinds=meeting_kinds,
        special_area=special_area,
        initial=initial,
        manages_cap=manages_cap,
    )
    missing, mismatches = _code_mismatches(lines, tables)
    rows = []
    for line in lines:
        service_code = tables.codes.get(line.key)
        rows.append(
            LineRow(
                key=line.key,
                name=service_code.name if service_code else line_name(line.key),
                code=service_code.code if service_code else None,
                units=line.units,
                count=line.count,
            )
        )
    return WorkedOut(
        lines=tuple(rows),
        amounts=_amounts(lines, terms, cap, cap_result),
        reductions=tuple(reductions),
        warnings=tuple(
            _("%(name)s: 単位数が未確認のため算定していません。") % {"name": AddonCode(code).label}
            for code in unconfirmed
        ),
        stops=tuple(mismatches),
        missing_keys=tuple(missing),
    )


@dataclass
class Known:
    """What an office-month's claim works out once for all its clients: each set of a client's facts
    ({facts: WorkedOut}), the words of the missing details and the details page's URL."""

    results: dict = field(default_factory=dict)
    gap_words: dict = field(default_factory=lambda: {gap: _(words) for gap, words in GAP_WORDS.items()})
    profile_url: str = field(default_factory=lambda: path_format("claims:client_profile", "id"))


def client_result(
    *,
    client: Client,
    profile: ClientClaimProfile | None,
    terms: OfficeTerms,
    tables: Tables,
    months_without_plan: int,
    cap_result: tuple | None,
    meeting_kinds: list[str],
    known: Known,
) -> ClientResult:
    """The lines and amounts of one billable client-month, from what was read for it (cap_result: the
    month's (管理結果, amount) or None), with its stops. `known` keeps what was worked out for the
    office's other clients."""
    facts = {
        "months_without_plan": months_without_plan,
        "meeting_kinds": tuple(meeting_kinds),
        "cap": _cap(client, profile),
        "cap_result": cap_result,
        **_client_facts(terms, profile),
    }
    key = tuple(facts.values())
    done = known.results.get(key)
    if done is None:
        done = known.results[key] = worked_out(terms, tables, **facts)
    stops = []
    gaps = _profile_missing(profile, cap_result)
    if gaps:
        url = known.profile_url.format(client.pk)
        stops += [StopItem(known.gap_words[gap] % {"name": client.full_name}, url, client) for gap in gaps]
    stops += done.stops
    return ClientResult(
        list(done.lines), done.amounts, list(done.reductions), list(done.warnings), stops, list(done.missing_keys)
    )


def _add(totals: Totals, amounts: rules.Amounts | None):
    if amounts is None:
        return
    totals.count += 1
    totals.units += amounts.units
    totals.total_cost += amounts.total_cost
    totals.benefit += amounts.benefit
    totals.burden += amounts.burden


def _missing_code_stops(keys) -> list[StopItem]:
    return [
        StopItem(
            _("サービスコードが未登録です: %(name)s（算定項目 %(key)s）")
            % {"name": line_name(key), "key": key},
            _admin("servicecode_changelist"),
        )
        for key in dict.fromkeys(keys)
    ]


def _in_force(queryset, first: date, last: date, start: str, end: str):
    return queryset.filter(**{f"{start}__lte": last}).exclude(**{f"{end}__lt": first})


# --- the office-month claim -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InForce:
    """An add-on registration or a reduction in force in the month (what office_terms reads of it)."""

    code: str
    starts_month: date


def _term_rows(queryset, kind: str, code: str, day: str | None):
    return queryset.annotate(
        t_kind=Value(kind, CharField()),
        t_code=F(code),
        t_day=F(day) if day else Cast(Value(None), DateField()),
    ).values_list("t_kind", "t_code", "t_day", "pk")


@statement
def _office_terms_on(*, office_id: int, first: date, last: date, year: int):
    """The office's 級地 settings begun by `first`, its tier for the fiscal year `year`, and its add-on
    registrations and reductions in force in first–last, one query: (kind, code, day, pk) rows."""
    return _term_rows(
        OfficeClaimSetting.objects.filter(office_id=office_id, valid_from__lte=first), "region", "region", "valid_from"
    ).union(
        _term_rows(OfficeTierConfirmation.objects.filter(office_id=office_id, fiscal_year=year), "tier", "tier", None),
        _term_rows(
            _in_force(OfficeAddonRegistration.objects.filter(office_id=office_id), first, last, "starts_on", "ends_on"),
            "addon",
            "code",
            "starts_on",
        ),
        _term_rows(
            _in_force(OfficeReduction.objects.filter(office_id=office_id), first, first, "starts_month", "ends_month"),
            "reduction",
            "code",
            "starts_month",
        ),
        all=True,
    )


def _office_month_terms(office_id: int, first: date, last: date, tables: Tables) -> OfficeTerms:
    """office_terms of the office for the month starting `first`, from what _office_terms_on read: the
    級地 of the setting in force (the latest begun), the confirmed tier, the registrations and reductions
    in the order they were recorded."""
    found = defaultdict(list)
    for kind, code, day, _pk in sorted(
        _office_terms_on(office_id=office_id, first=first, last=last, year=fiscal_year(first)), key=lambda r: r[3]
    ):
        found[kind].append(InForce(code, day))
    region = max(found["region"], key=lambda r: r.starts_month).code if found["region"] else None
    tier = found["tier"][0].code if found["tier"] else None
    return office_terms(first, tables, region, tier, found["addon"], found["reduction"])


@statement
def _cap_results(*, client_ids: list[int], month: date):
    return CapManagementResult.objects.filter(client_id__any=client_ids, month=month)


@statement
def _claim_clients(*, office_id: int, first: date, last: date):
    """The office's clients in service during first–last with their claim details, as month_rows reads them."""
    clients = visit_grid.clients_in_service_between(office_id, first, last).select_related("claim_profile")
    return visit_grid.month_clients(clients, first, last)


@dataclass(frozen=True, slots=True)
class ClaimClient:
    """A client as the claim page shows it (office_claim without days): read as values, not a model."""

    pk: int
    full_name: str
    recipient_number: str
    burden_cap_yen: int


@dataclass(frozen=True, slots=True)
class ClaimDetails:
    """What the claim reads of a client's claim details (office_claim without days)."""

    municipality_number: str
    cap_amount: int | None
    cap_management: str
    special_area: bool
    service_started_on: date | None
    initial_addon_excluded: bool


CLAIM_COLUMNS = {
    **{name: F(name) for name in ("family_name", "given_name", "family_name_kana", "given_name_kana")},
    **{name: F(name) for name in ("recipient_number", "burden_category")},
    "profile_pk": F("claim_profile__pk"),
    **{f"profile_{name}": F(f"claim_profile__{name}") for name in ClaimDetails.__slots__},
    "cap_result": F("month_cap__result"),
    "cap_result_amount": F("month_cap__amount"),
}


@statement
def _claim_month_clients(*, office_id: int, first: date, last: date):
    clients = visit_grid.clients_in_service_between(office_id, first, last).annotate(
        month_cap=FilteredRelation("cap_results", condition=Q(cap_results__month=first))
    )
    return visit_facts.client_values(clients, CLAIM_COLUMNS)


def _month_without_days(office_id: int, first: date, last: date, lookback: int):
    """The office's clients in service in the month as the claim page reads them, in kana order: their
    month (verdict and run of months without a plan, up to `lookback`), claim details and 上限額管理結果
    by client, from one query (visits.facts.verdict_run_rows)."""
    rows = visit_facts.verdict_run_rows(
        _claim_month_clients.sql_with_params(office_id=office_id, first=first, last=last),
        first,
        lookback=lookback,
        columns=CLAIM_COLUMNS,
        order=("family_name_kana", "given_name_kana"),
    )
    months, profiles, cap_results = [], {}, {}
    for pk, _office, verdict, run, *values in rows:
        row = dict(zip(CLAIM_COLUMNS, values, strict=True))
        full_name = Client.name_of(row["family_name"], row["given_name"])
        client = ClaimClient(pk, full_name, row["recipient_number"], BURDEN_CAP_YEN[row["burden_category"]])
        months.append(visit_grid.ClientMonth(client=client, month=first, verdict=verdict, plan_missing_count=run))
        profiles[pk] = (
            ClaimDetails(*(row[f"profile_{field_name}"] for field_name in ClaimDetails.__slots__))
            if row["profile_pk"] is not None
            else None
        )
        cap_results[pk] = (row["cap_result"], row["cap_result_amount"]) if row["cap_result"] is not None else None
    return months, profiles, cap_results


def office_claim(office: Office, month: date, *, with_days: bool = True) -> OfficeClaim:
    """Lines, units and yen of every client in service in the office-month, the office totals, and what
    stops the claim. A constant number of queries whatever the number of clients: the month's verdicts
    through visits.grid.month_rows (which also counts the months without a plan behind the no-plan
    reduction's step), then one query per table.

    `with_days=False` (the claim page, which shows no day): each row's month holds its verdict and its
    place in the run of months without a plan but not the month's support days or report, and its
    client is a ClaimClient: all read by one query of the month facts (_month_without_days) instead of
    every contact, report and plan of the month; the files and the record sheets refuse such a claim."""
    first, last = month_start(month), month_end(month)
    tables = Tables.on(first)
    terms = _office_month_terms(office.pk, first, last, tables)
    stops, warnings = list(terms.stops), list(terms.warnings)

    # The month's verdicts, with each row's place in its run of months without a plan.
    if with_days:
        months = visit_grid.month_rows(
            office, first, clients=_claim_clients(office_id=office.pk, first=first, last=last)
        )
        profiles = {m.client.pk: getattr(m.client, "claim_profile", None) for m in months}
        ids = [m.client.pk for m in months]
        cap_results = {
            r.client_id: (r.result, r.amount) for r in (_cap_results(client_ids=ids, month=first) if ids else [])
        }
    else:
        months, profiles, cap_results = _month_without_days(office.pk, first, last, tables.no_plan_lookback)
        ids = [m.client.pk for m in months]
    month_meetings = meetings.addon_meetings(ids, first, last) if ids else {}

    rows, missing, totals, known = [], [], Totals(), Known()
    for current in months:
        client = current.client
        row = ClientClaim(client=client, month=current, profile=profiles[client.pk])
        row.meetings = sorted(month_meetings.get(client.pk, []), key=lambda m: m.held_on)
        rows.append(row)
        if not current.verdict.billable:
            continue
        # consecutive months without a plan in effect, up to this one, as far as the reduction's steps go
        without_plan = min(current.plan_missing_count or 0, tables.no_plan_lookback)
        result = client_result(
            client=client,
            profile=row.profile,
            terms=terms,
            tables=tables,
            months_without_plan=without_plan,
            cap_result=cap_results.get(client.pk),
            meeting_kinds=[m.kind for m in row.meetings],
            known=known,
        )
        row.lines, row.amounts, row.reductions = result.lines, result.amounts, result.reductions
        row.warnings = result.warnings
        stops += result.stops
        missing += result.missing_keys
        _add(totals, result.amounts)
    stops += _missing_code_stops(missing)
    return OfficeClaim(
        office=office,
        month=first,
        region=terms.region,
        unit_price=terms.unit_price,
        tier=terms.tier,
        rows=rows,
        stops=stops,
        warnings=warnings,
        totals=totals,
        with_days=with_days,
    )


# --- every office at once (the monthly overview and the benchmark) --------------------------------


@dataclass
class OfficeTotals:
    office_id: int
    totals: Totals
    stops: int  # how many items stop the office's claim
    not_billable: int


def all_office_totals(month: date, offices=None) -> dict[int, OfficeTotals]:
    """The totals of every office's claim for the month, set-based: a constant number of queries
    whatever the number of offices (what the claim reads of the month rule, the months without a plan
    and the claim details of every client in one query, through visits.facts.claim_month_rows).
    Agrees with office_claim's totals office by office (tests/claims/test_all_offices.py)."""
    first, last = month_start(month), month_end(month)
    tables = Tables.on(first)
    office_qs = Office.objects.all() if offices is None else offices
    # every office with the 級地 of its setting in force and its tier for the fiscal year (meetings.selectors
    # reads one office's tier; here every office's, from the same table), in one query
    office_rows = list(
        office_qs.annotate(
            region=Subquery(
                OfficeClaimSetting.objects.filter(office=OuterRef("pk"), valid_from__lte=first)
                .order_by("-valid_from")
                .values("region")[:1]
            ),
            tier=Subquery(
                OfficeTierConfirmation.objects.filter(
                    office=OuterRef("pk"), fiscal_year=fiscal_year(first)
                ).values("tier")[:1]
            ),
        ).values_list("pk", "region", "tier")
    )
    office_ids = [pk for pk, _region, _tier in office_rows]
    # the offices' rows: every office's, or those of `offices` (a subquery, not a list of ids)
    of_offices = {} if offices is None else {"office__in": office_qs}
    registrations, reductions = defaultdict(list), defaultdict(list)
    for r in _in_force(
        OfficeAddonRegistration.objects.filter(**of_offices), first, last, "starts_on", "ends_on"
    ):
        registrations[r.office_id].append(r)
    for r in _in_force(
        OfficeReduction.objects.filter(**of_offices), first, first, "starts_month", "ends_month"
    ):
        reductions[r.office_id].append(r)
    # Offices whose settings read alike have the same terms: each set is worked out once, and the claim
    # lines below once per set of terms and client facts.
    terms, alike = {}, {}
    for office_id, region, tier in office_rows:
        signature = (
            region,
            tier,
            tuple(r.code for r in registrations[office_id]),
            tuple((r.code, r.starts_month) for r in reductions[office_id]),
        )
        if signature not in alike:
            alike[signature] = office_terms(
                first, tables, region, tier, registrations[office_id], reductions[office_id]
            )
        terms[office_id] = alike[signature]

    in_service = Client.objects.filter(**of_offices).in_service_during(first, last)
    # The month rule's verdict, the run of months without a plan and the client's claim details, one row
    # per client in service, from one query (visits.facts.claim_month_rows).
    profile_fields = [
        "municipality_number",
        "cap_amount",
        "cap_management",
        "special_area",
        "service_started_on",
        "initial_addon_excluded",
    ]
    client_rows = visit_facts.claim_month_rows(
        # the month's 上限額管理結果 (clients whose cap another office manages) joined to the client
        in_service.annotate(month_cap=FilteredRelation("cap_results", condition=Q(cap_results__month=first))),
        first,
        lookback=tables.no_plan_lookback,
        columns={
            "burden": F("burden_category"),
            **{f"profile_{name}": F(f"claim_profile__{name}") for name in profile_fields},
            "cap_result": F("month_cap__result"),
            "cap_result_amount": F("month_cap__amount"),
        },
    )
    # the meetings of the clients in service (a subquery, not a list of ids); only the billable ones count
    month_meetings = meetings.addon_meetings(in_service.values("pk"), first, last)
    out = {
        office_id: OfficeTotals(office_id, Totals(), len(terms[office_id].stops), 0)
        for office_id in office_ids
    }
    # A client-month's claim depends on a few facts only: count the clients per distinct set of them,
    # compute each set once, and add its amounts as many times.
    counts = Counter()
    caps = {c.value: cap for c, cap in BURDEN_CAP_YEN.items()}
    year, month_number = first.year, first.month
    for (
        pk,
        office_id,
        billable,
        months_without_plan,
        burden,
        municipality,
        cap_amount,
        cap_management,
        special,
        started,
        excluded,
        cap_result,
        cap_result_amount,
    ) in client_rows:
        if not billable:
            out[office_id].not_billable += 1
            continue
        held = month_meetings.get(pk)
        counts[
            (
                office_id,
                months_without_plan,
                tuple(m.kind for m in sorted(held, key=lambda m: m.held_on))[:1] if held else (),
                cap_amount if cap_amount is not None else caps[burden],
                (cap_result, cap_result_amount) if cap_result is not None else None,
                cap_management,  # None without claim details
                bool(municipality),
                bool(special),  # billable: there was a face-to-face contact in the month
                bool(started and not excluded and started.year == year and started.month == month_number),
            )
        ] += 1
    missing = defaultdict(set)
    known = {}  # (terms, client facts) → WorkedOut
    for key, n in counts.items():
        office_id, facts = key[0], key[1:]
        (months_without_plan, kinds, cap, cap_result, cap_management, has_number, special, initial) = facts
        these_terms = terms[office_id]
        done = known.get((id(these_terms), facts))
        if done is None:
            done = worked_out(
                these_terms,
                tables,
                months_without_plan=months_without_plan,
                meeting_kinds=kinds,
                cap=cap,
                cap_result=cap_result,
                special_area=special,
                initial=initial,
                manages_cap=cap_management == CapManagement.THIS_OFFICE,
            )
            known[(id(these_terms), facts)] = done
        gaps = (not has_number) + (cap_management == CapManagement.OTHER_OFFICE and cap_result is None)
        amounts = done.amounts
        totals = out[office_id].totals
        if amounts is not None:
            totals.count += n
            totals.units += n * amounts.units
            totals.total_cost += n * amounts.total_cost
            totals.benefit += n * amounts.benefit
            totals.burden += n * amounts.burden
        out[office_id].stops += n * (len(done.stops) + gaps)
        missing[office_id].update(done.missing_keys)
    for office_id, keys in missing.items():
        out[office_id].stops += len(keys)
    return out


# --- the claim batches of an office ---------------------------------------------------------------


def batches_visible_to(membership):
    return _office_batches(membership.office_id)


def _office_batches(office_id: int):
    return ClaimBatch.objects.filter(office_id=office_id)


@statement
def _month_batches(*, office_id: int, month: date):
    return (
        _office_batches(office_id)
        .filter(service_month=month)
        .select_related("finalized_by", "created_by")
        .order_by("created_at", "pk")
    )


def _batch_contents():
    """What the claim page shows of each batch, prefetched (new Prefetch objects for each read)."""
    return (
        Prefetch(
            "items",
            queryset=ClaimItem.objects.select_related("client").order_by("client__family_name_kana", "client_id"),
        ),
        Prefetch(
            "files",
            queryset=ClaimBatchFile.objects.defer("content").annotate(download_count=Count("downloads")).order_by("name"),
        ),
        Prefetch("files__downloads", queryset=ClaimFileDownload.objects.select_related("user").order_by("-at")),
        "excluded_clients",
    )


@statement
def _earlier_batches(*, office_id: int, month: date):
    return (
        _office_batches(office_id)
        .filter(service_month__lt=month)
        .annotate(item_count=Count("items"))
        .order_by("-service_month", "-created_at")[:24]
    )


def _choice(client) -> tuple[int, str]:
    """A client-month to pick for a late or correction batch: (id, name（受給者証番号）)."""
    return client.pk, f"{client.full_name}（{client.recipient_number}）"


@dataclass
class MonthBatches:
    batches: list  # the month's batches, each with .item_list, .file_list and (unlocked) .errors
    regular: object | None
    live: set[int]  # the clients of the month in a live claim item
    correction_choices: list[tuple[int, str]]  # client-months claimed in a finalized batch
    earlier: list  # the batches of earlier months
    late_choices: list[tuple[int, str]] = field(default_factory=list)  # see with_late_choices

    @property
    def drafts(self) -> list:
        return [b for b in self.batches if not b.locked]

    def with_late_choices(self, claim: OfficeClaim) -> MonthBatches:
        """The client-months of the month in no live claim once the regular claim is locked, from the
        month's claim."""
        if self.regular is not None and self.regular.locked:
            self.late_choices = [
                _choice(row.client)
                for row in claim.billable
                if row.client.pk not in self.live
            ]
        return self


def month_batches(membership, month: date) -> MonthBatches:
    """The claim page's batches: 6 queries (batches, items with clients, files with their download
    counts, the downloads with who, excluded clients, earlier batches) whatever the number of clients."""
    batches = _month_batches(office_id=membership.office_id, month=month)
    prefetch_related_objects(batches, *_batch_contents())
    live, claimed = set(), []
    for batch in batches:
        batch.item_list = list(batch.items.all())
        batch.file_list = list(batch.files.all())
        batch.download_list = sorted(
            (d for f in batch.file_list for d in f.downloads.all()), key=lambda d: d.at, reverse=True
        )
        batch.excluded_list = list(batch.excluded_clients.all())
        for item in batch.item_list:
            if item.live:
                live.add(item.client_id)
                if batch.locked:
                    claimed.append(_choice(item.client))
    regular = next((b for b in batches if b.kind == "regular"), None)
    earlier = _earlier_batches(office_id=membership.office_id, month=month)
    return MonthBatches(batches, regular, live, claimed, earlier)


def first_claim_month(office_id: int) -> date | None:
    """The earliest service month the office has a claim batch for (it claims through teichaku since)."""
    return (
        ClaimBatch.objects.filter(office_id=office_id)
        .order_by("service_month")
        .values_list("service_month", flat=True)
        .first()
    )


def client_month_claims(office_id: int, months) -> dict[tuple[int, date], dict]:
    """Where each client-month of the office's `months` stands in its claims, as plain values keyed by
    (client id, month): finalized, written_on (the day the files were written), in_late_batch, returned.
    Two queries."""
    items = list(
        ClaimItem.objects.filter(batch__office_id=office_id, service_month__in=list(months)).values_list(
            "client_id", "service_month", "live", "status", "batch_id", "batch__kind", "batch__state"
        )
    )
    written = {}
    for batch_id, at in (
        ClaimBatchFile.objects.filter(batch_id__in={i[4] for i in items})
        .order_by("written_at")
        .values_list("batch_id", "written_at")
    ):
        written.setdefault(batch_id, timezone.localdate(at))
    out: dict[tuple[int, date], dict] = {}
    for client_id, month, live, status, batch_id, kind, state in items:
        facts = out.setdefault((client_id, month), {})
        if live:
            facts["finalized"] = state in ClaimBatch.LOCKED_STATES
            facts["written_on"] = written.get(batch_id)
            facts["in_late_batch"] = kind != ClaimBatch.Kind.REGULAR
            facts.pop("returned", None)
        elif status == ClaimItem.Status.RETURNED and "finalized" not in facts:
            facts["returned"] = True
    return out
