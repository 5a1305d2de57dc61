"""Pure rules of case meetings and of the office's rates after placement (no database access).

- 地域連携会議実施加算: which meetings count, (I) or (II), at most once a month and four times a fiscal
  year per client.
- Follow-up: the fiscal-year ends at which a former client's employment is to be recorded.
- 就労定着率 and its tier; 就労定着実績体制加算 (share of former clients who worked 42 to under 78 months).

Every "N months after" is counted by the 民法 helpers of cases.rules (no clamping to month ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

from cases.rules import Job, employment_spells
from core.dates import after_months, fiscal_year, months_after_event, period_end

# --- 地域連携会議実施加算 ---

ADDON_I = "I"  # the サービス管理責任者 presented the plan (579 units)
ADDON_II = "II"  # another support worker presented and reported to the サービス管理責任者 (405 units)
ADDON_MAX_PER_MONTH = 1
ADDON_MAX_PER_FISCAL_YEAR = 4  # April to March, (I) and (II) together

PRESENTER_MANAGER = "manager"
PRESENTER_STAFF = "staff"


@dataclass(frozen=True)
class MeetingFacts:
    """One meeting of one client, as plain values."""

    id: int
    held_on: date
    regional: bool  # a 地域連携会議 (not another case meeting)
    presenter_role: str  # PRESENTER_MANAGER or PRESENTER_STAFF
    reported_to_manager_on: date | None = None
    consent: bool = True  # consent to case meetings with outside agencies stood on held_on
    outside_organisations: int = 1  # distinct outside organisations attending


@dataclass(frozen=True)
class AddonVerdict:
    counted: bool
    kind: str | None  # ADDON_I / ADDON_II when the meeting is of the add-on's kind, else None
    reasons: tuple[str, ...] = ()


def addon_kind(presenter_role: str) -> str:
    return ADDON_I if presenter_role == PRESENTER_MANAGER else ADDON_II


def _ymd(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def addon_verdicts(meetings: Iterable[MeetingFacts]) -> dict[int, AddonVerdict]:
    """Whether each meeting of one client counts for the add-on, and why not.

    Meetings are taken in date order (then by id: the one recorded first wins a month). A meeting that
    cannot be an add-on meeting (not a 地域連携会議, no outside organisation, no consent on the day, (II)
    not yet reported to the service manager) does not use up the limits. An eligible meeting beyond one a
    month or four a fiscal year is kept and marked not counted, with the earlier meetings named.
    """
    verdicts: dict[int, AddonVerdict] = {}
    counted_in_month: dict[tuple[int, int], date] = {}
    counted_in_year: dict[int, list[date]] = {}
    for m in sorted(meetings, key=lambda m: (m.held_on, m.id)):
        kind = addon_kind(m.presenter_role)
        reasons = []
        if not m.regional:
            verdicts[m.id] = AddonVerdict(False, None, (_("地域連携会議ではないため加算の対象外です。"),))
            continue
        if m.outside_organisations < 1:
            reasons.append(_("外部の関係機関の出席がありません。"))
        if not m.consent:
            reasons.append(_("開催日に外部機関とのケース会議への本人同意がありません。"))
        if kind == ADDON_II and m.reported_to_manager_on is None:
            reasons.append(_("サービス管理責任者への報告日が記録されていません（加算(II)の要件）。"))
        if not reasons:
            month_key = (m.held_on.year, m.held_on.month)
            year = fiscal_year(m.held_on)
            year_days = counted_in_year.setdefault(year, [])
            if month_key in counted_in_month:
                reasons.append(
                    _("同じ月に算定済みの会議（%(d)s）があります（月1回まで）。")
                    % {"d": _ymd(counted_in_month[month_key])}
                )
            elif len(year_days) >= ADDON_MAX_PER_FISCAL_YEAR:
                reasons.append(
                    _("%(y)s年度は既に%(n)s回算定しています（%(days)s、年4回まで）。")
                    % {"y": year, "n": len(year_days), "days": "・".join(_ymd(d) for d in year_days)}
                )
            else:
                counted_in_month[month_key] = m.held_on
                year_days.append(m.held_on)
        verdicts[m.id] = AddonVerdict(not reasons, kind, tuple(reasons))
    return verdicts


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


# --- continuous employment from the hire date H ---


@dataclass(frozen=True)
class Continuity:
    """The employment that started at H, continued through at most one job change within a month."""

    hired_on: date  # H
    left_on: date | None  # the last day of continuous employment, None while it goes on
    changed_job: bool = False


def continuity(jobs: Sequence[Job]) -> Continuity | None:
    spells = employment_spells(jobs)
    if not spells:
        return None
    changed = False
    for current, following in zip(spells, [*spells[1:], None], strict=True):
        if current.left_on is None:
            return Continuity(spells[0].hired_on, None, changed)
        if following is None or changed or following.hired_on > months_after_event(current.left_on, 1):
            return Continuity(spells[0].hired_on, current.left_on, changed)
        changed = True
    return Continuity(spells[0].hired_on, None, changed)  # pragma: no cover (the loop always returns)


# --- follow-up after the service ---

FOLLOW_UP_UNTIL_MONTHS = 78


def year_end_of(day: date) -> date:
    """The fiscal-year end (3/31) on or after `day`."""
    return date(fiscal_year(day) + 1, 3, 31)


def follow_up_year_ends(hired_on: date, service_ended_on: date, until: date | None = None) -> list[date]:
    """The fiscal-year ends after the service ended, up to the end of 78 months after hire (and `until`)."""
    last = period_end(hired_on, FOLLOW_UP_UNTIL_MONTHS)
    if until is not None:
        last = min(last, until)
    ends = []
    day = year_end_of(service_ended_on + timedelta(days=1))
    while day <= last:
        ends.append(day)
        day = date(day.year + 1, 3, 31)
    return ends


# --- the facts of one client for the rates ---

YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class FollowUpFact:
    year_end: date
    still_employed: str  # YES / NO / UNKNOWN
    left_on: date | None = None


@dataclass(frozen=True)
class ClientFacts:
    client_id: int
    name: str
    continuity: Continuity | None
    used_from: date | None  # first and last day the client used this office's service (window ∩ use)
    used_to: date | None
    service_ended_on: date | None = None  # the day the service ended (None while it goes on)
    follow_ups: tuple[FollowUpFact, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Known:
    status: str  # YES / NO / UNKNOWN
    reason: str


def employment_on(facts: ClientFacts, day: date) -> Known:
    """Whether the client was still in the employment that began at H on `day`, from what is recorded:
    the employment records while the service went on, the follow-up records after it."""
    cont = facts.continuity
    if cont is None:
        return Known(NO, _("雇用の記録がありません。"))
    if day < cont.hired_on:
        return Known(NO, _("%(d)s時点では未就職です。") % {"d": _ymd(day)})
    if cont.left_on is not None and cont.left_on < day:
        return Known(NO, _("%(d)sに離職（雇用の記録）。") % {"d": _ymd(cont.left_on)})
    note = _("（転職1回を含む）") if cont.changed_job else ""
    in_service = facts.service_ended_on is None or facts.service_ended_on >= day
    if in_service:
        return Known(YES, _("就労継続（支援中の雇用の記録）") + note)
    by_year_end = {f.year_end: f for f in facts.follow_ups}
    record = by_year_end.get(day)
    if record is not None and record.still_employed == NO:
        if record.left_on:
            return Known(NO, _("%(d)sに離職（フォローアップ）。") % {"d": _ymd(record.left_on)})
        return Known(NO, _("%(d)s時点で離職（フォローアップ）。") % {"d": _ymd(day)})
    if record is not None and record.still_employed == YES:
        return Known(YES, _("就労継続（%(d)sのフォローアップ）") % {"d": _ymd(day)} + note)
    later = [f for f in facts.follow_ups if f.year_end > day and f.still_employed == YES]
    if later:
        return Known(
            YES, _("就労継続（%(d)sのフォローアップで在職）") % {"d": _ymd(later[0].year_end)} + note
        )
    return Known(UNKNOWN, _("%(d)s時点の就労状況が不明です（フォローアップ未記録）。") % {"d": _ymd(day)})


# --- 就労定着率 and the basic fee tier ---

RATE_LOOKBACK_YEARS = 3
TIERS = (  # (lower bound, tier code of meetings.models.RetentionTier)
    (Decimal("0.95"), "95"),
    (Decimal("0.90"), "90"),
    (Decimal("0.80"), "80"),
    (Decimal("0.70"), "70"),
    (Decimal("0.50"), "50"),
    (Decimal("0.30"), "30"),
    (Decimal("0"), "0"),
)


def tier_for(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    for lower, code in TIERS:
        if rate >= lower:
            return code
    return "0"  # pragma: no cover


def share(part: int, whole: int) -> Decimal | None:
    """part / whole to 4 decimal places, cut down (a tier boundary is never reached by rounding up)."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class CountedRow:
    client_id: int
    name: str
    counted: bool  # in the denominator
    achieved: bool  # in the numerator
    reason: str
    unknown: bool = False  # not counted as achieved because the follow-up is missing or unknown


@dataclass(frozen=True)
class RateResult:
    fiscal_year: int
    period_start: date
    period_end: date
    evaluated_on: date
    rows: tuple[CountedRow, ...]
    counted: int
    achieved: int
    rate: Decimal | None
    tier: str | None
    unknown: int = 0
    notifiable: bool = True
    notes: tuple[str, ...] = ()


def retention_rate(year: int, clients: Iterable[ClientFacts]) -> RateResult:
    """就労定着率 for fiscal year `year`: of the clients who used the service in the past three fiscal
    years, the share still employed (from H, one job change allowed) at the end of the previous fiscal
    year; unknown follow-up counts as not employed and is listed as such."""
    start, end = date(year - RATE_LOOKBACK_YEARS, 4, 1), date(year, 3, 31)
    rows = []
    for c in sorted(clients, key=lambda c: (c.name, c.client_id)):
        if c.used_from is None or c.used_from > end or c.used_to < start:
            rows.append(CountedRow(c.client_id, c.name, False, False, _("対象期間に利用がありません。")))
            continue
        known = employment_on(c, end)
        rows.append(
            CountedRow(c.client_id, c.name, True, known.status == YES, known.reason, known.status == UNKNOWN)
        )
    counted = sum(r.counted for r in rows)
    achieved = sum(r.achieved for r in rows)
    unknown = sum(r.unknown for r in rows)
    rate = share(achieved, counted)
    notes = () if counted else (_("対象となる利用者がいません。区分は事業所で判断して確定してください。"),)
    return RateResult(
        year, start, end, end, tuple(rows), counted, achieved, rate, tier_for(rate), unknown, True, notes
    )


# --- 就労定着実績体制加算 ---

TRACK_LOOKBACK_YEARS = 6
TRACK_MIN_MONTHS = 42
TRACK_MAX_MONTHS = 78  # "42 months or more and under 78 months"
TRACK_REQUIRED_SHARE = Decimal("0.70")


def _tenure_bounds(c: ClientFacts, evaluated_on: date) -> tuple[date | None, date | None]:
    """(last day known employed, first day known not employed or the day after the evaluation)."""
    cont = c.continuity
    if cont.left_on is not None and cont.left_on <= evaluated_on:
        return cont.left_on, cont.left_on + timedelta(days=1)
    known_yes = [cont.hired_on]
    if c.service_ended_on is not None:
        known_yes.append(min(c.service_ended_on, evaluated_on))
    first_no = evaluated_on + timedelta(days=1)
    for f in sorted(c.follow_ups, key=lambda f: f.year_end):
        if f.year_end > evaluated_on:
            break
        if f.still_employed == YES:
            known_yes.append(f.year_end)
        elif f.still_employed == NO:
            if f.left_on:
                return f.left_on, f.left_on + timedelta(days=1)
            first_no = min(first_no, f.year_end)
            break
    return max(known_yes), first_no


def track_record(year: int, clients: Iterable[ClientFacts], designated_on: date | None) -> RateResult:
    """就労定着実績体制加算 for fiscal year `year`: of the clients whose service ended in the six fiscal
    years before it (early leavers included), the share who worked from H (one job change allowed) for
    42 months or more and under 78 months, as known at the end of the previous fiscal year; 70% or more
    lets the office notify the add-on, except in the first year after designation."""
    start, end = date(year - TRACK_LOOKBACK_YEARS, 4, 1), date(year, 3, 31)
    rows = []
    for c in sorted(clients, key=lambda c: (c.name, c.client_id)):
        if c.service_ended_on is None or not start <= c.service_ended_on <= end:
            rows.append(
                CountedRow(c.client_id, c.name, False, False, _("対象期間に利用を終了していません。"))
            )
            continue
        if c.continuity is None:
            rows.append(CountedRow(c.client_id, c.name, True, False, _("雇用の記録がありません。")))
            continue
        low = period_end(c.continuity.hired_on, TRACK_MIN_MONTHS)  # the last day of month 42
        high = period_end(c.continuity.hired_on, TRACK_MAX_MONTHS)  # the last day of month 78
        known_to, not_from = _tenure_bounds(c, end)
        span = _("%(d)s就職") % {"d": _ymd(c.continuity.hired_on)}
        unknown = False
        if not_from <= low:
            reason, ok = (
                _("42月未満で離職（%(d)sまで就労）。") % {"d": _ymd(not_from - timedelta(days=1))},
                False,
            )
        elif known_to >= high:
            reason, ok = (
                _("78月以上就労（%(d)s時点）。42月以上78月未満の対象外です。") % {"d": _ymd(known_to)},
                False,
            )
        elif known_to >= low and not_from <= high + timedelta(days=1):
            reason, ok = _("42月以上78月未満の就労（%(d)sまで確認）。") % {"d": _ymd(known_to)}, True
        else:
            reason, ok = (
                _("就労期間が確認できません（%(d)sまで在職を確認、フォローアップ未記録）。")
                % {"d": _ymd(known_to)},
                False,
            )
            unknown = True
        rows.append(CountedRow(c.client_id, c.name, True, ok, f"{span}: {reason}", unknown))
    counted = sum(r.counted for r in rows)
    achieved = sum(r.achieved for r in rows)
    unknown = sum(r.unknown for r in rows)
    rate = share(achieved, counted)
    notes = []
    notifiable = rate is not None and rate >= TRACK_REQUIRED_SHARE
    if rate is not None and not notifiable:
        notes.append(_("7割に達していません。"))
    if rate is None:
        notes.append(_("対象期間に利用を終了した利用者がいません。"))
    if designated_on is None:
        notifiable = False
        notes.append(_("事業所の指定日が登録されていません。"))
    elif date(year, 4, 1) < after_months(designated_on, 12):
        notifiable = False
        notes.append(_("指定後1年を経過していないため届け出られません。"))
    return RateResult(
        year, start, end, end, tuple(rows), counted, achieved, rate, None, unknown, notifiable, tuple(notes)
    )
