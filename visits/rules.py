"""The billable-month rule. Pure functions of plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from cases.rules import Window, month_end, month_start

NO_FACE_TO_FACE = "no_face_to_face"
OUTSIDE_WINDOW = "outside_window"
NO_DECISION = "no_decision"
NO_SUPPORT_REPORT = "no_support_report"
NO_EMPLOYER_VISIT = "no_employer_visit"
NO_AGREED_PLAN = "no_agreed_plan"

REASON_ORDER = (NO_FACE_TO_FACE, OUTSIDE_WINDOW, NO_DECISION, NO_SUPPORT_REPORT)

# Kinds are the stored codes (visits.models.ContactKind); the Japanese labels are accepted too.
ONLINE_KINDS = frozenset({"online", "オンライン面談"})
EMPLOYER_VISIT_KINDS = frozenset({"employer_visit", "workplace_visit", "企業訪問", "職場訪問"})


@dataclass(frozen=True)
class ContactFact:
    on: date
    kind: str
    face_to_face: bool


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
    return contact.face_to_face or (online_counts and contact.kind in ONLINE_KINDS)


@dataclass(frozen=True)
class MonthFacts:
    """What the billable-month rule decides from, for one client-month: computed from contact lists
    (`month_facts`) for the pages, or in SQL (`visits.selectors.month_facts_rows`) for the jobs."""

    in_window: bool  # the eligibility window overlaps the month
    met: bool  # a face-to-face contact (or a counted online interview) in the month
    met_in_window: bool  # ... on a day inside the window
    met_covered: bool  # ... on a day inside the window and a 支給決定
    decided: bool  # a 支給決定 overlaps the month's days of service (the whole month outside the window)
    report_shared: bool
    employer_visit: bool
    plan_agreed: bool  # a plan agreed on or before the month's last day


def month_facts(
    month: date,
    contacts: Iterable[ContactFact],
    window: Window | None,
    decisions: Iterable[DecisionPeriod],
    plan_agreed_on: date | None,
    report_shared: bool,
    online_counts: bool = False,
) -> MonthFacts:
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
        report_shared=report_shared,
        employer_visit=any(c.kind in EMPLOYER_VISIT_KINDS for c in in_month),
        plan_agreed=plan_agreed_on is not None and plan_agreed_on <= last,
    )


@cache
def verdict_from_facts(facts: MonthFacts) -> Verdict:
    """Billable exactly when a face-to-face contact (or an online interview when the office counts them)
    falls on a day inside both the eligibility window and a 支給決定, and the month's support report was
    shared with the client. A missing employer visit or agreed plan only warns."""
    failed = set()
    if not facts.met:
        failed.add(NO_FACE_TO_FACE)
    if not facts.in_window or (facts.met and not facts.met_in_window):
        failed.add(OUTSIDE_WINDOW)
    if not facts.decided or (facts.met_in_window and not facts.met_covered):
        failed.add(NO_DECISION)
    if not facts.report_shared:
        failed.add(NO_SUPPORT_REPORT)
    warnings = []
    if facts.in_window:
        if not facts.employer_visit:
            warnings.append(NO_EMPLOYER_VISIT)
        if not facts.plan_agreed:
            warnings.append(NO_AGREED_PLAN)
    reasons = tuple(code for code in REASON_ORDER if code in failed)
    return Verdict(billable=not reasons, reasons=reasons, warnings=tuple(warnings))


def month_verdict(*args, **kwargs) -> Verdict:
    """Whether a client's calendar month can be billed, and why not: `month_facts`' arguments, judged
    by `verdict_from_facts`."""
    return verdict_from_facts(month_facts(*args, **kwargs))
