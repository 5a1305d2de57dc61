"""Which flags a client should have on a given day. Pure functions of plain values.

Month flags come from the billable-month verdict (visits.rules.month_verdict); deadline flags from a
client's dates (hire, window, decisions, current plan and last review, handover). Each rule returns
`FlagDue(kind, period, severity, message)`: `period` is the month's first day for month flags and the
due date for deadline flags, so (client, kind, period) identifies one flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cases.rules import Window, after_months, month_end, month_start, shift_month
from plans.rules import REVIEW_DUE_SOON, REVIEW_OVERDUE, next_review_due, review_status
from visits import rules as visit_rules

# Kinds
NO_CONTACT_YET = "no_contact_yet"
MONTH_NOT_BILLABLE = "month_not_billable"
NO_EMPLOYER_VISIT = "no_employer_visit"
NO_AGREED_PLAN = "no_agreed_plan"
NO_SUPPORT_REPORT = "no_support_report"
REVIEW_DUE = "review_due"
REVIEW_OVERDUE_KIND = "review_overdue"
DECISION_RENEWAL = "decision_renewal"
APPLICATION_PREP = "application_prep"
WINDOW_ENDING = "window_ending"
FOLLOW_UP_MISSING = "follow_up_missing"  # a former client's status at the last fiscal-year end
CLAIM_NOT_SENT = "claim_not_sent"  # a billable client-month not yet in written claim files (1st–10th)
CLAIM_LATE = "claim_late"  # the 10th passed (or the claim was returned): a 月遅れ claim is needed
CLAIM_KINDS = (CLAIM_NOT_SENT, CLAIM_LATE)

MONTH_KINDS = (NO_CONTACT_YET, MONTH_NOT_BILLABLE, NO_EMPLOYER_VISIT, NO_AGREED_PLAN, NO_SUPPORT_REPORT)
# Reminders about a month that can no longer be acted on once the month before last is over.
CLOSED_OUT_KINDS = (NO_CONTACT_YET, NO_EMPLOYER_VISIT, NO_AGREED_PLAN, NO_SUPPORT_REPORT)
DEADLINE_KINDS = (REVIEW_DUE, REVIEW_OVERDUE_KIND, DECISION_RENEWAL, APPLICATION_PREP, WINDOW_ENDING)

# Severities
INFO = "info"
WARNING = "warning"
URGENT = "urgent"

# Thresholds (domain.md)
MONTH_WARNING_FROM_DAY = 20  # no contact / no report yet: warning from the 20th
MONTH_URGENT_LAST_DAYS = 5  # urgent in the last 5 days of the month
RENEWAL_ALERT_DAYS = 60  # 支給決定 renewal: alerts 60 and 30 days before ends_on
RENEWAL_URGENT_DAYS = 30
APPLICATION_PREP_FROM_MONTH = 2  # month 2 after hire
APPLICATION_PREP_URGENT_MONTH = 5  # escalate at month 5
WINDOW_ENDING_ALERT_DAYS = 120  # handover information shared ≥ 3 months before the end
WINDOW_ENDING_URGENT_UNDER_DAYS = 90
CLAIM_URGENT_FROM_DAY = 8  # the month's claim not finalized: urgent from the 8th of the next month …
CLAIM_DEADLINE_DAY = 10  # … sent by the 10th (claims README); after it, a 月遅れ claim
CLAIM_LOOKBACK_MONTHS = 12  # earlier months the claim flags look at (from the office's first batch)

REASON_LABELS = {
    visit_rules.NO_FACE_TO_FACE: "対面支援なし",
    visit_rules.OUTSIDE_WINDOW: "支援期間外",
    visit_rules.NO_DECISION: "支給決定なし",
    visit_rules.NO_SUPPORT_REPORT: "支援レポート未共有",
}


@dataclass(frozen=True)
class FlagDue:
    kind: str
    period: date
    severity: str
    message: str = ""


def _ym(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def in_last_days_of_month(today: date, days: int = MONTH_URGENT_LAST_DAYS) -> bool:
    return today.day > month_end(today).day - days


def month_flags(month: date, today: date, verdict: visit_rules.Verdict) -> list[FlagDue]:
    """Flags of one client-month from its verdict, as seen on `today`.

    The current month: `no_contact_yet` and `no_support_report` from the 20th (warning; no contact is
    urgent in the last 5 days), `no_agreed_plan` at once, `no_employer_visit` from the 20th (info).
    A closed month: `month_not_billable` (urgent) with its reasons, plus the two warnings. Future: none.
    """
    first = month_start(month)
    current = month_start(today)
    flags: list[FlagDue] = []
    if first > current:
        return flags
    warnings = set(verdict.warnings)
    if first == current:
        late = today.day >= MONTH_WARNING_FROM_DAY
        if late and visit_rules.NO_FACE_TO_FACE in verdict.reasons:
            severity = URGENT if in_last_days_of_month(today) else WARNING
            flags.append(
                FlagDue(
                    NO_CONTACT_YET,
                    first,
                    severity,
                    _("%(m)sの対面支援がまだありません。") % {"m": _ym(first)},
                )
            )
        if late and visit_rules.NO_SUPPORT_REPORT in verdict.reasons:
            flags.append(
                FlagDue(
                    NO_SUPPORT_REPORT,
                    first,
                    WARNING,
                    _("%(m)sの支援レポートを本人にまだ共有していません。") % {"m": _ym(first)},
                )
            )
        if late and visit_rules.NO_EMPLOYER_VISIT in warnings:
            flags.append(
                FlagDue(
                    NO_EMPLOYER_VISIT, first, INFO, _("%(m)sの企業訪問がまだありません。") % {"m": _ym(first)}
                )
            )
    else:
        if not verdict.billable:
            reasons = "、".join(_(REASON_LABELS.get(code, code)) for code in verdict.reasons)
            flags.append(
                FlagDue(
                    MONTH_NOT_BILLABLE,
                    first,
                    URGENT,
                    _("%(m)sは請求できません（%(r)s）。") % {"m": _ym(first), "r": reasons},
                )
            )
        if visit_rules.NO_EMPLOYER_VISIT in warnings:
            flags.append(
                FlagDue(
                    NO_EMPLOYER_VISIT,
                    first,
                    WARNING,
                    _("%(m)sに企業訪問がありませんでした。") % {"m": _ym(first)},
                )
            )
    if visit_rules.NO_AGREED_PLAN in warnings:
        flags.append(
            FlagDue(
                NO_AGREED_PLAN,
                first,
                WARNING,
                _("%(m)s時点で同意済みの支援計画がありません（減算の対象）。") % {"m": _ym(first)},
            )
        )
    return flags


@dataclass(frozen=True)
class Decision:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class DeadlineFacts:
    """Plain values for one client's deadlines."""

    window: Window | None
    hired_on: date | None = None  # H: the first hire of the qualifying job
    decisions: Sequence[Decision] = ()
    plan_starts_on: date | None = None  # the current agreed plan; None without one
    last_review_on: date | None = None
    info_shared_on: date | None = None  # handover: information shared with the receiving organisation


def month_after_hire(hired_on: date, today: date) -> int:
    """1 during the first month of employment (H to the day before H + 1 month), 2 in the next, …"""
    if today < hired_on:
        return 0
    n = 1
    while after_months(hired_on, n) <= today:
        n += 1
    return n


def review_flags(facts: DeadlineFacts, today: date) -> list[FlagDue]:
    window = facts.window
    if facts.plan_starts_on is None or window is None or not window.contains(today):
        return []
    base = (
        facts.last_review_on if facts.last_review_on and facts.last_review_on > facts.plan_starts_on else None
    )
    due = next_review_due(facts.plan_starts_on, base)
    status = review_status(due, today)
    if status == REVIEW_DUE_SOON:
        return [FlagDue(REVIEW_DUE, due, WARNING, _("モニタリングの期限が%(d)sです。") % {"d": _ymd(due)})]
    if status == REVIEW_OVERDUE:
        return [
            FlagDue(
                REVIEW_OVERDUE_KIND,
                due,
                URGENT,
                _("モニタリングの期限（%(d)s）を過ぎています。") % {"d": _ymd(due)},
            )
        ]
    return []


def renewal_flags(facts: DeadlineFacts, today: date) -> list[FlagDue]:
    """60 days before a decision's ends_on (warning), 30 days before (urgent), up to ends_on, while the
    window continues past ends_on and no following decision exists."""
    window = facts.window
    if window is None:
        return []
    flags = []
    for decision in facts.decisions:
        days_left = (decision.ends_on - today).days
        if not 0 <= days_left <= RENEWAL_ALERT_DAYS or window.ends_on <= decision.ends_on:
            continue
        if any(
            other.ends_on > decision.ends_on and other.starts_on > decision.starts_on
            for other in facts.decisions
        ):
            continue
        severity = URGENT if days_left <= RENEWAL_URGENT_DAYS else WARNING
        flags.append(
            FlagDue(
                DECISION_RENEWAL,
                decision.ends_on,
                severity,
                _("支給決定が%(d)sに終了します（あと%(n)s日）。更新の申請をしてください。")
                % {"d": _ymd(decision.ends_on), "n": days_left},
            )
        )
    return flags


def application_flags(facts: DeadlineFacts, today: date) -> list[FlagDue]:
    """From month 2 after hire (warning), urgent from month 5, until the service can start (H + 6 months),
    when no decision starting by H + 6 months exists."""
    if facts.hired_on is None or facts.window is None:
        return []
    service_start = after_months(facts.hired_on, 6)
    if today >= service_start:
        return []
    month = month_after_hire(facts.hired_on, today)
    if month < APPLICATION_PREP_FROM_MONTH:
        return []
    if any(d.starts_on <= service_start <= d.ends_on for d in facts.decisions):
        return []
    severity = URGENT if month >= APPLICATION_PREP_URGENT_MONTH else WARNING
    return [
        FlagDue(
            APPLICATION_PREP,
            service_start,
            severity,
            _("%(d)sから始まる支給決定がありません。受給者証の申請準備を進めてください。")
            % {"d": _ymd(service_start)},
        )
    ]


def window_ending_flags(facts: DeadlineFacts, today: date) -> list[FlagDue]:
    """From 120 days before the window's end (warning), urgent under 90 days, while no information was
    shared with a receiving organisation."""
    window = facts.window
    if window is None or facts.info_shared_on is not None or today < window.starts_on:
        return []
    days_left = (window.ends_on - today).days
    if not 0 <= days_left <= WINDOW_ENDING_ALERT_DAYS:
        return []
    severity = URGENT if days_left < WINDOW_ENDING_URGENT_UNDER_DAYS else WARNING
    return [
        FlagDue(
            WINDOW_ENDING,
            window.ends_on,
            severity,
            _("支援期間が%(d)sに終了します（あと%(n)s日）。引継ぎ先への情報共有が未記録です。")
            % {"d": _ymd(window.ends_on), "n": days_left},
        )
    ]


def deadline_flags(facts: DeadlineFacts, today: date) -> list[FlagDue]:
    return [
        *review_flags(facts, today),
        *renewal_flags(facts, today),
        *application_flags(facts, today),
        *window_ending_flags(facts, today),
    ]


def kinds_of(flags: Iterable[FlagDue]) -> set[str]:
    return {flag.kind for flag in flags}


def follow_up_flag(year_end: date, today: date) -> FlagDue:
    """From April, a former client whose employment at the fiscal-year end just past is not recorded
    (meetings: follow-up until 78 months after hire); the flag stays until the record is made."""
    return FlagDue(
        FOLLOW_UP_MISSING,
        year_end,
        WARNING,
        _("%(d)s時点の就労状況（フォローアップ）が未記録です。") % {"d": _ymd(year_end)},
    )


@dataclass(frozen=True)
class ClaimFacts:
    """Where a billable client-month stands in the office's claims (claims.selectors.client_month_claims)."""

    finalized: bool = False  # live in a finalized batch
    written_on: date | None = None  # the day that batch's files were written
    in_late_batch: bool = False  # live in a 月遅れ (or correction) batch, whatever its state
    returned: bool = False  # its claim was returned (返戻) and it is in no live claim


def claim_deadline(month: date) -> date:
    """The day the claim of `month` is due at the 国保連: the 10th of the next month."""
    return shift_month(month_start(month), 1).replace(day=CLAIM_DEADLINE_DAY)


def claim_flags(month: date, today: date, facts: ClaimFacts) -> list[FlagDue]:
    """The claim flags of one billable client-month on `today`.

    From the 1st of the next month until the 10th, a client-month not in written files is flagged
    (urgent from the 8th: the batch is not finalized yet, or its files are not written); once the 10th
    has passed without a file, or after a return, it is flagged until a 月遅れ batch carries it.
    """
    month = month_start(month)
    sent_from = shift_month(month, 1)
    deadline = claim_deadline(month)
    if today < sent_from or facts.in_late_batch:
        return []
    if not facts.returned and facts.written_on is not None and facts.written_on <= deadline:
        return []
    words = {"month": _ym(month), "deadline": _ymd(deadline)}
    if facts.returned or today > deadline:
        text = (
            _("%(month)s分の請求は返戻されました。月遅れ請求を作成してください。")
            if facts.returned
            else _("%(month)s分の請求期限（%(deadline)s）を過ぎました。月遅れ請求を作成してください。")
        )
        return [FlagDue(CLAIM_LATE, month, URGENT, text % words)]
    severity = URGENT if today.day >= CLAIM_URGENT_FROM_DAY else WARNING
    text = (
        _("%(month)s分の請求は確定済みです。%(deadline)sまでに請求ファイルを作成して送信してください。")
        if facts.finalized
        else _("%(month)s分の請求が未確定です。%(deadline)sまでに確定して送信してください。")
    )
    return [FlagDue(CLAIM_NOT_SENT, month, severity, text % words)]
