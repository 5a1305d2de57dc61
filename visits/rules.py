"""The billable-month rule. Pure functions of plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from cases.rules import Window
from core.dates import month_end, month_start, shift_month

NO_FACE_TO_FACE = "no_face_to_face"
OUTSIDE_WINDOW = "outside_window"
NO_DECISION = "no_decision"
NO_SUPPORT_REPORT = "no_support_report"
NO_EMPLOYER_VISIT = "no_employer_visit"
NO_AGREED_PLAN = "no_agreed_plan"  # no plan in effect (agreed, delivered, period covering, review kept)
NO_EMPLOYER_REPORT = "no_employer_report"  # オープン with consent: the report must reach the employer too
EMPLOYER_CONSENT_MISSING = "employer_consent_missing"  # オープン without consent: billable, but said so

# Claims for a month go to the 国保連 from the 1st to the 10th of the next month.
CLAIM_DUE_DAY = 10


def claim_still_open(month: date, today: date) -> bool:
    """The month's claim can still go in: today is in the next month, on or before its claim day (10th)."""
    return shift_month(month_start(month), 1) == month_start(today) and today.day <= CLAIM_DUE_DAY

REASON_ORDER = (NO_FACE_TO_FACE, OUTSIDE_WINDOW, NO_DECISION, NO_SUPPORT_REPORT, NO_EMPLOYER_REPORT)

# Kinds are the stored codes (visits.models.ContactKind); the Japanese labels are accepted too.
ONLINE_KINDS = frozenset({"online", "オンライン面談"})
EMPLOYER_VISIT_KINDS = frozenset({"employer_visit", "workplace_visit", "企業訪問", "職場訪問"})


@dataclass(frozen=True)
class ContactFact:
    on: date
    kind: str
    face_to_face: bool
    written: bool = True  # a record of what was done (内容) was written: a 対面 contact counts only then
    employer_met: bool = True  # someone of the employer was met: an employer visit counts only then


@dataclass(frozen=True)
class DecisionPeriod:
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Verdict:
    billable: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


def counts_as_face_to_face(contact: ContactFact, online_counts: bool = False) -> bool:
    """A 対面 contact with the client (or a counted online interview) with its 内容 written."""
    return contact.written and (contact.face_to_face or (online_counts and contact.kind in ONLINE_KINDS))


def counts_as_employer_visit(contact: ContactFact) -> bool:
    return contact.kind in EMPLOYER_VISIT_KINDS and contact.employer_met


@dataclass(frozen=True)
class MonthFacts:
    """What the billable-month rule decides from, for one client-month: computed from contact lists
    (`month_facts`) for the pages, or in SQL (`visits.facts.month_facts_rows`) for the jobs."""

    in_window: bool  # the eligibility window overlaps the month
    met: bool  # a face-to-face contact (or a counted online interview) in the month
    met_in_window: bool  # ... on a day inside the window
    met_covered: bool  # ... on a day inside the window and a 支給決定
    decided: bool  # a 支給決定 overlaps the month's days of service (the whole month outside the window)
    report_shared: bool  # the month's report was written and shared with the client
    employer_visit: bool  # a visit at which someone of the employer was met
    plan_agreed: bool  # a plan in effect for the month (plans.rules.plan_in_effect)
    employer_report_required: bool = False  # オープン and the consent to share with the employer stands
    employer_report_shared: bool = False  # the report was shared with the employer
    employer_consent_missing: bool = False  # オープン but no standing consent to share with the employer


def month_facts(
    month: date,
    contacts: Iterable[ContactFact],
    window: Window | None,
    decisions: Iterable[DecisionPeriod],
    plan_agreed_on: date | None,
    report_shared: bool,
    online_counts: bool = False,
    *,
    plan_in_effect: bool | None = None,
    report_written: bool = True,
    employer_report_required: bool = False,
    employer_report_shared: bool = False,
    employer_consent_missing: bool = False,
) -> MonthFacts:
    """The month's facts. The positional arguments keep their first meanings; the keywords add the later
    conditions, and their defaults keep the earlier answers: `plan_in_effect` (when given) replaces "a
    plan agreed by the month's end"; `report_written` (any section of the report filled in) joins the
    sharing with the client; `employer_report_required` (オープン with standing consent) asks for
    `employer_report_shared` too; `employer_consent_missing` (オープン without consent) only warns."""
    first, last = month_start(month), month_end(month)
    in_month = [c for c in contacts if first <= c.on <= last]
    decisions = list(decisions)
    meetings = [c.on for c in in_month if counts_as_face_to_face(c, online_counts)]
    in_window = window is not None and window.starts_on <= last and window.ends_on >= first
    service_first = max(first, window.starts_on) if in_window else first
    service_last = min(last, window.ends_on) if in_window else last
    meetings_in_window = [d for d in meetings if in_window and window.contains(d)]
    return MonthFacts(
        in_window=in_window,
        met=bool(meetings),
        met_in_window=bool(meetings_in_window),
        met_covered=any(p.contains(d) for d in meetings_in_window for p in decisions),
        decided=any(p.starts_on <= service_last and p.ends_on >= service_first for p in decisions),
        report_shared=bool(report_shared and report_written),
        employer_visit=any(counts_as_employer_visit(c) for c in in_month),
        plan_agreed=(
            plan_in_effect
            if plan_in_effect is not None
            else plan_agreed_on is not None and plan_agreed_on <= last
        ),
        employer_report_required=employer_report_required,
        employer_report_shared=employer_report_shared,
        employer_consent_missing=employer_consent_missing,
    )


@cache
def verdict_from_facts(facts: MonthFacts) -> Verdict:
    """Billable exactly when a face-to-face contact with its 内容 written (or such an online interview when
    the office counts them) falls on a day inside both the eligibility window and a 支給決定, and the
    month's support report was written and shared with the client, and with the employer where the client
    works オープン and consented to it. A missing employer visit, a missing plan in effect (a reduction) or
    オープン without the employer consent only warn."""
    failed = set()
    if not facts.met:
        failed.add(NO_FACE_TO_FACE)
    if not facts.in_window or (facts.met and not facts.met_in_window):
        failed.add(OUTSIDE_WINDOW)
    if not facts.decided or (facts.met_in_window and not facts.met_covered):
        failed.add(NO_DECISION)
    if not facts.report_shared:
        failed.add(NO_SUPPORT_REPORT)
    if facts.employer_report_required and not facts.employer_report_shared:
        failed.add(NO_EMPLOYER_REPORT)
    warnings = []
    if facts.in_window:
        if not facts.employer_visit:
            warnings.append(NO_EMPLOYER_VISIT)
        if not facts.plan_agreed:
            warnings.append(NO_AGREED_PLAN)
        if facts.employer_consent_missing:
            warnings.append(EMPLOYER_CONSENT_MISSING)
    reasons = tuple(code for code in REASON_ORDER if code in failed)
    return Verdict(billable=not reasons, reasons=reasons, warnings=tuple(warnings))


def month_verdict(*args, **kwargs) -> Verdict:
    """Whether a client's calendar month can be billed, and why not: `month_facts`' arguments, judged
    by `verdict_from_facts`."""
    return verdict_from_facts(month_facts(*args, **kwargs))
