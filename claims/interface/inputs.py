"""Plain inputs of the claim-file builder: one office's month of 就労定着支援 (service type 47).

Amounts are integer yen and whole units, already computed by the claims app (fee tables, rounding, caps);
the builder writes them and checks that they add up, it does not compute fees. Months are ``date`` objects
(only the year and month are used). Text may be given in full-width or hiragana where the item is 英数
(kana names): the encoder converts it to half-width katakana.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class InterfaceSettings:
    """Office-level settings for values the sources leave unconfirmed; never defaulted in code.

    form_type_number: 様式種別番号 of the 就労定着支援 実績記録票 (J611:01/02 item 7, 4 digits: 様式番号 2 +
        枝番 2), as the office confirmed it from the official specification.
    contract_required_items: item numbers of J121:05 (7–11: 決定サービスコード, 契約支給量, 契約開始年月日,
        契約終了年月日, 事業者記入欄番号) that must be set, as the office confirmed them.
    """

    form_type_number: str | None = None
    contract_required_items: frozenset[int] | None = None


@dataclass(frozen=True)
class ClaimLine:
    """One サービスコード line of the statement (J121:03): units per count and the count."""

    service_code: str  # 6 digits, "47" + 4 (from the サービスコード表)
    units: int  # 単位数 of one count
    count: int  # 回数
    note: str = ""  # 摘要 (漢字), optional


@dataclass(frozen=True)
class CapManagement:
    """上限額管理 by another office (J121:01 items 15–17), from its 上限額管理結果票."""

    office_number: str  # 指定事業所番号 of the managing office
    result: int  # 管理結果 1, 2 or 3
    result_amount: int  # 管理結果額 (yen)


@dataclass(frozen=True)
class ClientTotals:
    """The statement's amounts for service type 47 (J121:01 and J121:04), as the claims app computed them.

    units: 給付単位数 = Σ units × count of the lines.
    total_cost: 総費用額 = floor(units × unit_price).
    tenth: 1割相当額 = floor(total_cost / 10) (also written as 利用者負担額②).
    cap_adjusted: 上限月額調整 = min(monthly cap, tenth).
    managed_burden: 上限額管理後利用者負担額, only where another office manages the cap.
    decided_burden: 決定利用者負担額.
    benefit: 給付費 = total_cost − decided_burden.
    unit_price: 単位数単価 in yen, e.g. Decimal("11.14") (written with 3 decimals, no point).
    """

    units: int
    total_cost: int
    tenth: int
    cap_adjusted: int
    decided_burden: int
    benefit: int
    unit_price: Decimal
    managed_burden: int | None = None


@dataclass(frozen=True)
class SupportDay:
    """One day of support of the month (J611:02)."""

    day: date
    counts: bool = True  # 算定日数 1: support that counts for the basic fee that day
    special_area: bool = False  # 特別地域加算 1
    meeting: int | None = None  # 地域連携会議実施加算: 1 for (I), 2 for (II)
    remarks: str = ""  # 備考 (漢字)


@dataclass(frozen=True)
class InitialAddOn:
    """初期加算 of the 実績記録票 (J611:01 items 64–66)."""

    start: date  # 利用開始日
    day_30: date  # 30日目
    days_this_month: int  # 当月算定日数


@dataclass(frozen=True)
class Contract:
    """The 受給者証's contract entry (J121:05), written where the certificate carries one."""

    service_code: str | None = None  # 決定サービスコード, 6 digits
    amount: Decimal | None = None  # 契約支給量 (3 integer + 2 decimal digits, e.g. Decimal("1") for 1回)
    start: date | None = None  # 契約開始年月日
    end: date | None = None  # 契約終了年月日
    entry_number: int | None = None  # 事業者記入欄番号


@dataclass(frozen=True)
class ClientMonth:
    """One client's claimed month.

    name and birth_date are not items of J121/J611 in this revision; they name the client in messages.
    """

    recipient_number: str  # 受給者証番号, 10 digits
    municipality_number: str  # 市町村番号, 6 digits (with the check digit)
    name: str  # 支給決定障害者氏名 (漢字), for messages
    name_kana: str  # 支給決定者氏名カナ, written half-width
    birth_date: date | None
    monthly_cap: int  # 利用者負担上限月額①
    service_start: date  # J121:02 開始年月日: the first day of service under the contract (利用開始日)
    lines: tuple[ClaimLine, ...]
    totals: ClientTotals
    support_days: tuple[SupportDay, ...]
    report_shared_on: date | None  # 支援レポート共有日
    cap_management: CapManagement | None = None
    service_end: date | None = None  # J121:02 終了年月日, when the service ended in the month
    initial_add_on: InitialAddOn | None = None
    contract: Contract | None = None
    contracts: tuple[Contract, ...] = ()  # further entries of the month (a contract ended, another begun)

    @property
    def all_contracts(self) -> tuple[Contract, ...]:
        """Every contract entry of the month, one J121:05 each."""
        return ((self.contract,) if self.contract is not None else ()) + self.contracts


@dataclass(frozen=True)
class OfficeMonth:
    """One office's claim of a service month."""

    office_number: str  # 事業所番号, 10 digits
    area_code: str  # 地域区分コード (J121:01 item 10): 一級地 11 … 七級地 17, その他 23
    service_month: date  # サービス提供年月
    processing_month: date  # 処理対象年月 of the control record (the month the claim is sent)
    clients: tuple[ClientMonth, ...] = field(default_factory=tuple)
