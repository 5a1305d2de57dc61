"""The claim's arithmetic: units to yen, and the lines of a client-month. Pure functions of plain values.

The contract (留意事項通知・事務処理要領, see ../shared/claims/README.md "Amounts"):
a percentage is applied to whole units and rounded half up each time; yen are floored once per service
type; the client's share is a tenth of the total, floored, capped; the benefit is what is left.
Every number comes in as an argument (from the dated tables of claims.models), none is written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

# Add-on codes (claims.models.Addon rows carry them, with their units and dates).
MEETING_I = "meeting_1"  # 地域連携会議実施加算(I)
MEETING_II = "meeting_2"  # 地域連携会議実施加算(II)
RETENTION_RESULTS = "retention_results"  # 就労定着実績体制加算
JOB_COACH = "job_coach"  # 職場適応援助者養成研修修了者配置体制加算
SPECIAL_AREA = "special_area"  # 特別地域加算
INITIAL = "initial"  # 初期加算 (units unconfirmed)
CAP_MANAGEMENT = "cap_management"  # 利用者負担上限額管理加算 (units unconfirmed)

MEETING_ADDON = {"I": MEETING_I, "II": MEETING_II}

# Reduction codes (claims.models.ReductionStep rows: the rate from the n-th month in force).
NO_PLAN = "no_plan"  # 個別支援計画未作成減算
MANAGER_VACANCY = "manager_vacancy"  # サービス管理責任者欠如減算
HANDOVER_SYSTEM = "handover_system"  # 支援体制構築未実施減算
ABUSE_PREVENTION = "abuse_prevention"  # 虐待防止措置未実施減算
BUSINESS_CONTINUITY = "business_continuity"  # 業務継続計画未策定減算
INFORMATION_DISCLOSURE = "information_disclosure"  # 情報公表未報告減算

# The order reductions are applied in when several are in force (each rounded on its own).
REDUCTION_ORDER = (
    NO_PLAN,
    MANAGER_VACANCY,
    HANDOVER_SYSTEM,
    ABUSE_PREVENTION,
    BUSINESS_CONTINUITY,
    INFORMATION_DISCLOSURE,
)

# 上限額管理結果 (上限額管理結果票)
CAP_RESULT_MANAGER_ABSORBED = 1  # 管理事業所で利用者負担額を充当
CAP_RESULT_UNDER_CAP = 2  # 合算額が負担上限月額以下
CAP_RESULT_ADJUSTED = 3  # 合算額が負担上限月額を超過するため調整

_ONE = Decimal(1)


# --- the contract ---------------------------------------------------------------------------------


def scaled_units(units: int, rate: Decimal) -> int:
    """units × rate, rounded half up to whole units (one step: call again for the next percentage)."""
    return int((Decimal(units) * Decimal(rate)).quantize(_ONE, rounding=ROUND_HALF_UP))


def total_cost(units: int, unit_price: Decimal) -> int:
    """総費用額: floor(units × unit price) in yen, once per service type."""
    return int((Decimal(units) * Decimal(unit_price)).to_integral_value(rounding=ROUND_FLOOR))


def user_burden(total_cost: int, cap: int) -> int:
    """利用者負担: min(1割相当額, the monthly cap); 1割相当額 = floor(total_cost / 10)."""
    return min(total_cost // 10, cap)


def benefit(total_cost: int, burden: int) -> int:
    """給付費 = 総費用額 − 決定利用者負担額 (not 90% of the total)."""
    return total_cost - burden


# --- reductions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reduction:
    """A reduction in force for the month, already resolved to its rate (e.g. Decimal("0.70"))."""

    code: str
    rate: Decimal


def step_rate(steps: Iterable[tuple[int, Decimal]], nth_month: int) -> Decimal | None:
    """The rate of a stepped reduction in its nth month in force (1 = the first): the step with the
    highest `from_month` not after nth_month. None when no step covers it."""
    found = None
    for from_month, rate in sorted(steps):
        if from_month <= nth_month:
            found = rate
    return found


def ordered(reductions: Iterable[Reduction]) -> list[Reduction]:
    order = {code: i for i, code in enumerate(REDUCTION_ORDER)}
    return sorted(reductions, key=lambda r: order.get(r.code, len(order)))


# --- the lines of a client-month ------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the statement: what is claimed (`key`, matched to a サービスコード), units, count."""

    key: str
    units: int
    count: int = 1

    @property
    def total_units(self) -> int:
        return self.units * self.count


def basic_key(tier: str, reductions: Sequence[Reduction]) -> str:
    """The key of the basic-fee line: the tier and every reduction with its rate, e.g.
    `basic:95+no_plan70+business_continuity99`. Each such combination has its own サービスコード."""
    parts = [f"basic:{tier}"]
    parts += [f"{r.code}{int((r.rate * 100).to_integral_value())}" for r in reductions]
    return "+".join(parts)


def addon_key(code: str) -> str:
    return f"addon:{code}"


def reduced_units(units: int, reductions: Sequence[Reduction]) -> int:
    """The basic fee after each reduction in order, rounded half up at every step."""
    for reduction in reductions:
        units = scaled_units(units, reduction.rate)
    return units


def claim_lines(
    *,
    billable: bool,
    tier: str | None,
    basic_units: int | None,
    reductions: Iterable[Reduction] = (),
    monthly_addons: Iterable[tuple[str, int]] = (),
    meetings: Iterable[str] = (),
    meeting_units: dict[str, int] | None = None,
) -> list[Line]:
    """The lines of one client-month.

    - billable: the month's verdict (visits.rules); a month that cannot be billed has no lines.
    - tier, basic_units: the office's confirmed 就労定着率 tier and its units (None: nothing to claim).
    - reductions: those in force, each with its resolved rate; applied to the basic fee only, in the
      order of REDUCTION_ORDER, rounded half up at each step.
    - monthly_addons: (add-on code, units) claimed once in the month (就労定着実績体制加算, 配置体制加算,
      特別地域加算, 初期加算, 上限額管理加算 …), never reduced.
    - meetings: the kinds ("I" / "II") of the month's counted 地域連携会議, by date; at most one a month
      is claimed (the first), the yearly limit being the meetings app's count.
    - meeting_units: {"I": units, "II": units} from the add-on table.
    """
    if not billable or tier is None or basic_units is None:
        return []
    steps = ordered(reductions)
    lines = [Line(basic_key(tier, steps), reduced_units(basic_units, steps))]
    for code, units in monthly_addons:
        lines.append(Line(addon_key(code), units))
    meeting_units = meeting_units or {}
    for kind in meetings:
        code = MEETING_ADDON.get(kind)
        if code is not None and kind in meeting_units:
            lines.append(Line(addon_key(code), meeting_units[kind]))
            break
    return lines


# --- amounts of a client-month --------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    units: int  # 単位数 (Σ units × count)
    total_cost: int  # 総費用額
    tenth: int  # 1割相当額
    burden: int  # 利用者負担額
    benefit: int  # 給付費


def claim_amounts(
    lines: Iterable[Line],
    unit_price: Decimal,
    cap: int,
    *,
    cap_result: int | None = None,
    cap_result_amount: int | None = None,
) -> Amounts:
    """Units, 総費用額, 1割相当額, 利用者負担 and 給付費 of one client-month (one service type).

    Where another office manages the cap, its result decides the burden: 1 → 0 (the managing office
    took it all), 2 → as computed here, 3 → the amount it allotted to this office (never above ours).
    """
    units = sum(line.total_units for line in lines)
    cost = total_cost(units, unit_price)
    burden = user_burden(cost, cap)
    if cap_result == CAP_RESULT_MANAGER_ABSORBED:
        burden = 0
    elif cap_result == CAP_RESULT_ADJUSTED and cap_result_amount is not None:
        burden = min(burden, cap_result_amount)
    return Amounts(
        units=units, total_cost=cost, tenth=cost // 10, burden=burden, benefit=benefit(cost, burden)
    )


# --- 市町村番号 -------------------------------------------------------------------------------------


def municipality_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード (総務省; JIS X 0402 検査数字): the five digits weighted
    6, 5, 4, 3, 2 and summed; the last digit of 11 − (sum mod 11). 13104 (新宿区) → 1, 01100 → 2."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def municipality_number_ok(value: str) -> bool:
    return (
        len(value) == 6
        and value.isascii()
        and value.isdigit()
        and municipality_check_digit(value[:5]) == int(value[5])
    )
