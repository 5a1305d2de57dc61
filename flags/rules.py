"""Which month flags a client should have on a given day. Pure functions of plain values.

Month flags come from the billable-month verdict (visits.facts.month_verdict_rows); deadline flags
are the deadline engine's output (plans.deadlines), whose kinds, thresholds and severities are defined
there only. Each month rule returns `FlagDue(kind, period, severity, message)` with the month's first day
as `period`, so (client, kind, period) identifies one flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import month_end, month_start, shift_month
from plans.deadlines import INFO, URGENT, WARNING, DeadlineKind
from visits import rules as visit_rules

# Month kinds (the deadline kinds are plans.deadlines.DeadlineKind)
NO_CONTACT_YET = "no_contact_yet"
MONTH_NOT_BILLABLE = "month_not_billable"
NO_EMPLOYER_VISIT = visit_rules.NO_EMPLOYER_VISIT
NO_AGREED_PLAN = visit_rules.NO_AGREED_PLAN
NO_SUPPORT_REPORT = visit_rules.NO_SUPPORT_REPORT
FOLLOW_UP_MISSING = "follow_up_missing"  # a former client's status at the last fiscal-year end
# Claim kinds (the claims app's batches): a billable client-month not yet in written files (1st–10th),
# and one the 10th passed for (or that was returned) until a 月遅れ batch carries it.
CLAIM_NOT_SENT = "claim_not_sent"
CLAIM_LATE = "claim_late"

MONTH_KIND_CHOICES = (
    (NO_CONTACT_YET, gettext_lazy("今月の対面支援なし")),
    (MONTH_NOT_BILLABLE, gettext_lazy("請求できない月")),
    (NO_EMPLOYER_VISIT, gettext_lazy("企業訪問なし")),
    (NO_AGREED_PLAN, gettext_lazy("有効な計画なし")),
    (NO_SUPPORT_REPORT, gettext_lazy("支援レポート未共有")),
)
MONTH_KINDS = tuple(code for code, _label in MONTH_KIND_CHOICES)
# Reminders about a month that can no longer be acted on once the month before last is over.
CLOSED_OUT_KINDS = (NO_CONTACT_YET, NO_EMPLOYER_VISIT, NO_AGREED_PLAN, NO_SUPPORT_REPORT)
DEADLINE_KINDS = tuple(DeadlineKind.values)
OTHER_KIND_CHOICES = ((FOLLOW_UP_MISSING, gettext_lazy("終了後の就労状況が未記録")),)
CLAIM_KIND_CHOICES = (
    (CLAIM_NOT_SENT, gettext_lazy("請求が未送信")),
    (CLAIM_LATE, gettext_lazy("月遅れ請求が必要")),
)
CLAIM_KINDS = tuple(code for code, _label in CLAIM_KIND_CHOICES)
SEVERITIES = (INFO, WARNING, URGENT)

# Thresholds of the month flags (domain.md); the deadlines' are in plans.deadlines
MONTH_WARNING_FROM_DAY = 20  # no contact / no report yet: warning from the 20th
MONTH_URGENT_LAST_DAYS = 5  # urgent in the last 5 days of the month
# Thresholds of the claim flags (claims README: claims go to the 国保連 from the 1st to the 10th)
CLAIM_URGENT_FROM_DAY = 8  # the month's claim not finalized: urgent from the 8th of the next month …
CLAIM_DEADLINE_DAY = 10  # … sent by the 10th; after it, a 月遅れ claim
CLAIM_LOOKBACK_MONTHS = 12  # earlier months the claim flags look at (from the office's first batch)

REASON_LABELS = {
    visit_rules.NO_FACE_TO_FACE: "対面支援なし",
    visit_rules.OUTSIDE_WINDOW: "支援期間外",
    visit_rules.NO_DECISION: "支給決定なし",
    visit_rules.NO_SUPPORT_REPORT: "支援レポート未共有",
    visit_rules.NO_EMPLOYER_REPORT: "企業へのレポート未共有",
}


@dataclass(frozen=True)
class FlagDue:
    kind: str
    period: date
    severity: str
    message: str = ""


def _ym(day: date) -> str:
    return f"{day.year}年{day.month}月"


def in_last_days_of_month(today: date, days: int = MONTH_URGENT_LAST_DAYS) -> bool:
    return today.day > month_end(today).day - days


def month_flags(
    month: date, today: date, verdict: visit_rules.Verdict, *, plan_missing_count: int | None = None
) -> list[FlagDue]:
    """Flags of one client-month from its verdict, as seen on `today`.

    The current month: `no_contact_yet` and `no_support_report` from the 20th (warning; no contact is
    urgent in the last 5 days), `no_agreed_plan` at once, `no_employer_visit` from the 20th (info).
    A closed month: `month_not_billable` (urgent) with its reasons — worded 「今月10日までに請求」 from the
    1st to the 10th of the next month, 「請求できません」 after — plus the two warnings. Future: none.
    `plan_missing_count` (the month's place in a run without a plan in effect) goes into the
    `no_agreed_plan` text when known.
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
            if visit_rules.claim_still_open(first, today):
                message = _("%(m)s分は今月%(d)s日までに請求: まだ算定できません（%(r)s）。")
            else:
                message = _("%(m)sは請求できません（%(r)s）。")
            words = {"m": _ym(first), "r": reasons, "d": visit_rules.CLAIM_DUE_DAY}
            flags.append(FlagDue(MONTH_NOT_BILLABLE, first, URGENT, message % words))
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
        if plan_missing_count:
            message = _(
                "%(m)s時点で有効な支援計画がありません（計画未作成%(n)sか月目・減算の対象）。"
            ) % {"m": _ym(first), "n": plan_missing_count}
        else:
            message = _("%(m)s時点で有効な支援計画がありません（減算の対象）。") % {"m": _ym(first)}
        flags.append(FlagDue(NO_AGREED_PLAN, first, WARNING, message))
    return flags


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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
