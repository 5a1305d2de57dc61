"""The records of a 就労定着支援 month (service type 47) from the plain inputs of inputs.py.

J111:01/02 per municipality (the invoice is addressed to each 市町村); per client J121:01–04 (J121:05
where the 受給者証 carries a contract) and J611:01 with one J611:02 per day of support. Every record goes
through the one encoder (encoding.ClaimFileWriter), which checks each item against the layout.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .encoding import ClaimFileWriter
from .errors import ClaimFileError, ClaimSettingsError, Problem
from .inputs import ClientMonth, InterfaceSettings, OfficeMonth
from .layout import SERVICE_TYPE, layout

# J111:02 item 6 給付種別 1: 介護給付費・訓練等給付費 … (就労定着支援 is a 訓練等給付).
BENEFIT_KIND = 1
# File names: a letter first, at most 8 half-width letters/digits, extension .CSV (claims README).
FILE_NAMES = {"J111": "SEIKYU.CSV", "J121": "MEISAI.CSV", "J611": "JISSEKI.CSV"}
CONTRACT_ITEMS = frozenset(range(7, 12))
_FORM_TYPE_RE = re.compile(r"[0-9]{4}\Z")

# what a sum of client_problems should be, named in its message
_UNITS_SUM = gettext_lazy("明細（J121:03）のサービス単位数の合計")
_COST = gettext_lazy("給付単位数×単位数単価（切り捨て）")
_TENTH = gettext_lazy("総費用額の1割（切り捨て）")
_CAPPED = gettext_lazy("利用者負担上限月額と利用者負担額②の少ないほう")
_BENEFIT = gettext_lazy("総費用額−決定利用者負担額")


@dataclass(frozen=True)
class ClaimFile:
    name: str
    exchange_id: str  # "J111", "J121" or "J611"
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def unit_price_value(unit_price: Decimal) -> int:
    """単位数単価 with 3 decimals and no point: ¥11.14 → 11140 (a 4th decimal rounded half up)."""
    return int((unit_price * 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def contract_amount_value(amount: Decimal) -> int:
    """契約支給量: 3 integer and 2 decimal digits, no point (12日 → 1200)."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def total_cost_of(units: int, unit_price: Decimal) -> int:
    """総費用額 = floor(units × unit price), once per service type."""
    return int((Decimal(units) * unit_price).to_integral_value(rounding=ROUND_FLOOR))


def settings_problems(month: OfficeMonth, settings: InterfaceSettings | None) -> list[Problem]:
    problems = []
    form_type = settings.form_type_number if settings else None
    if not form_type:
        problems.append(
            Problem(
                _(
                    "事業所の設定に様式種別番号（実績記録票 J611 項目7）がありません。"
                    "インタフェース仕様書で確認した値を設定してください。"
                )
            )
        )
    elif not _FORM_TYPE_RE.match(form_type):
        problems.append(Problem(_("事業所の設定の様式種別番号は数字4桁で設定してください。")))
    if any(client.contract is not None or client.contracts for client in month.clients):
        required = settings.contract_required_items if settings else None
        if required is None:
            problems.append(
                Problem(
                    _(
                        "事業所の設定に契約情報レコード（J121:05）の必須項目がありません。"
                        "インタフェース仕様書で確認した項目番号（7〜11）を設定してください。"
                    )
                )
            )
        elif not set(required) <= CONTRACT_ITEMS:
            problems.append(
                Problem(_("契約情報レコード（J121:05）の必須項目は7〜11の項目番号で設定してください。"))
            )
    return problems


def client_problems(month: OfficeMonth, client: ClientMonth) -> list[Problem]:
    """Inputs that would make a file the validator rejects: sums and days that do not add up."""
    problems = []
    totals = client.totals

    def problem(record, message, item_no=None):
        item_name = layout(record).item(item_no).name if item_no else None
        problems.append(Problem(message, None, record, client.recipient_number, item_no, item_name))

    def differs(record, item_no, given, expected, what):
        if given != expected:
            problem(
                record,
                _("%(given)d ですが、%(what)s は %(expected)d です。")
                % {"given": given, "what": what, "expected": expected},
                item_no,
            )

    if not client.lines:
        problem("J121:03", _("サービスコードの明細がありません。"))
    if not client.support_days:
        problem("J611:02", _("支援した日がありません。"))
    units = sum(line.units * line.count for line in client.lines)
    differs("J121:01", 20, totals.units, units, _UNITS_SUM)
    differs(
        "J121:04",
        13,
        totals.total_cost,
        total_cost_of(totals.units, totals.unit_price),
        _COST,
    )
    differs("J121:04", 14, totals.tenth, totals.total_cost // 10, _TENTH)
    differs(
        "J121:04",
        16,
        totals.cap_adjusted,
        min(client.monthly_cap, totals.tenth),
        _CAPPED,
    )
    differs(
        "J121:04",
        22,
        totals.benefit,
        totals.total_cost - totals.decided_burden,
        _BENEFIT,
    )
    seen = set()
    for day in client.support_days:
        if (day.day.year, day.day.month) != (month.service_month.year, month.service_month.month):
            problem(
                "J611:02", _("支援日 %(day)s がサービス提供年月の外です。") % {"day": day.day.isoformat()}, 9
            )
        if day.day in seen:
            problem("J611:02", _("支援日 %(day)s が重複しています。") % {"day": day.day.isoformat()}, 9)
        seen.add(day.day)
        if day.meeting not in (None, 1, 2):
            problem("J611:02", _("地域連携会議実施加算は1（Ⅰ）か2（Ⅱ）で設定してください。"), 90)
    return problems


def _head(month: OfficeMonth, client: ClientMonth) -> dict[int, object]:
    """Items 3–6 every J121 and J611 record of a client carries alike."""
    return {
        3: month.service_month,
        4: client.municipality_number,
        5: month.office_number,
        6: client.recipient_number,
    }


def _j121(month: OfficeMonth, client: ClientMonth, contract_required: frozenset[int]):
    """The statement of a client: (record, {item: value}, extra required items); items 3–6 are _head's."""
    totals = client.totals
    management = client.cap_management
    yield (
        "J121:01",
        {
            8: client.name_kana,
            10: month.area_code,
            12: client.monthly_cap,
            15: management.office_number if management else None,
            16: management.result if management else None,
            17: management.result_amount if management else None,
            20: totals.units,
            21: totals.total_cost,
            22: totals.cap_adjusted,
            26: totals.managed_burden,
            27: totals.decided_burden,
            28: totals.benefit,
        },
        frozenset(),
    )
    yield (
        "J121:02",
        {
            7: SERVICE_TYPE,
            8: client.service_start,
            9: client.service_end,
            10: len(client.support_days),
        },
        frozenset(),
    )
    for line in client.lines:
        yield (
            "J121:03",
            {
                7: line.service_code,
                8: line.units,
                9: line.count,
                10: line.units * line.count,
                11: line.note or None,
            },
            frozenset(),
        )
    yield (
        "J121:04",
        {
            7: SERVICE_TYPE,
            9: len(client.support_days),
            10: totals.units,
            11: unit_price_value(totals.unit_price),
            13: totals.total_cost,
            14: totals.tenth,
            15: totals.tenth,
            16: totals.cap_adjusted,
            20: totals.managed_burden,
            21: totals.decided_burden,
            22: totals.benefit,
        },
        frozenset(),
    )
    for contract in client.all_contracts if client.contract is not None or client.contracts else ():
        yield (
            "J121:05",
            {
                7: contract.service_code,
                8: contract_amount_value(contract.amount) if contract.amount is not None else None,
                9: contract.start,
                10: contract.end,
                11: contract.entry_number,
            },
            contract_required,
        )


def _j611(client: ClientMonth):
    """The service record of a client: (record, {item: value}); items 3–7 are _head's and the 様式種別番号."""
    days = sorted(client.support_days, key=lambda day: day.day)
    initial = client.initial_add_on
    yield (
        "J611:01",
        {
            37: sum(1 for day in days if day.counts),
            64: initial.start if initial else None,
            65: initial.day_30 if initial else None,
            66: initial.days_this_month if initial else None,
            123: sum(1 for day in days if day.special_area),
            146: sum(1 for day in days if day.meeting),
            153: client.report_shared_on,
        },
    )
    for day in days:
        yield (
            "J611:02",
            {
                9: f"{day.day.day:02d}",
                35: day.remarks or None,
                45: 1 if day.counts else None,
                81: 1 if day.special_area else None,
                90: day.meeting,
            },
        )


def _j111(month: OfficeMonth, clients: list[ClientMonth]):
    by_municipality: dict[str, list[ClientMonth]] = defaultdict(list)
    for client in clients:
        by_municipality[client.municipality_number].append(client)
    for municipality, group in sorted(by_municipality.items()):
        count = len(group)
        units = sum(client.totals.units for client in group)
        cost = sum(client.totals.total_cost for client in group)
        benefit = sum(client.totals.benefit for client in group)
        burden = sum(client.totals.decided_burden for client in group)
        head = {3: month.service_month, 4: municipality, 5: month.office_number}
        yield (
            "J111:01",
            {
                6: benefit,
                7: count,
                8: units,
                9: cost,
                10: benefit,
                12: burden,
                17: count,
                18: units,
                19: cost,
                20: benefit,
                22: burden,
            },
            head,
        )
        yield (
            "J111:02",
            {
                6: BENEFIT_KIND,
                7: SERVICE_TYPE,
                8: count,
                9: units,
                10: cost,
                11: benefit,
                13: burden,
            },
            head,
        )


def write_claim_files(month: OfficeMonth, settings: InterfaceSettings | None) -> list[ClaimFile]:
    """The three files of the month (J111 請求書, J121 明細書, J611 実績記録票), each CP932 with CRLF.

    Raises ClaimSettingsError when an office setting is missing, ClaimFileError with every problem found
    (each naming the record, the client and the item) when an input cannot be written; nothing is
    returned half-written.
    """
    problems = settings_problems(month, settings)
    if problems:
        raise ClaimSettingsError(problems)
    if not month.clients:
        raise ClaimFileError([Problem(_("請求する利用者がいません。"))])
    seen = set()
    for client in month.clients:
        if client.recipient_number in seen:
            problems.append(
                Problem(_("同じ受給者証番号の利用者が2回あります。"), recipient=client.recipient_number)
            )
        seen.add(client.recipient_number)
        problems.extend(client_problems(month, client))
    if problems:
        raise ClaimFileError(problems)

    clients = sorted(month.clients, key=lambda client: (client.municipality_number, client.recipient_number))
    writers = {
        exchange_id: ClaimFileWriter(
            office_number=month.office_number, processing_month=month.processing_month, name=name
        )
        for exchange_id, name in FILE_NAMES.items()
    }
    add = writers["J111"].add
    for key, values, head in _j111(month, clients):
        add(key, values, shared=head)
    contract_required = frozenset(settings.contract_required_items or ())
    add = writers["J121"].add
    for client in clients:
        head = _head(month, client)
        recipient = client.recipient_number
        for key, values, required in _j121(month, client, contract_required):
            add(key, values, recipient=recipient, required=required, shared=head)
    add = writers["J611"].add
    form_type = settings.form_type_number
    for client in clients:
        head = {**_head(month, client), 7: form_type}
        recipient = client.recipient_number
        for key, values in _j611(client):
            add(key, values, recipient=recipient, shared=head)

    files = []
    for exchange_id, writer in writers.items():
        try:
            files.append(ClaimFile(writer.name, exchange_id, writer.getvalue()))
        except ClaimFileError as error:
            problems.extend(error.problems)
    if problems:
        raise ClaimFileError(problems)
    return files
