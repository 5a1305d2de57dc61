"""Date rules for support plans: the review due day (モニタリング) and the plan in effect for a month.
Pure functions of plain values; the deadlines built on them (due soon, overdue …) are in plans.deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import month_end, month_start, months_after_event, months_between, period_end, shift_month

REVIEW_INTERVAL_MONTHS = 3


def next_review_due(plan_starts_on: date, last_review_on: date | None = None) -> date:
    """Next review due: the last day of the 3 months after the last review (counted from the next day, 民法
    140), or of the plan's first 3 months when it has no later review (its start day counted).

    `last_review_on` is the client's last review of any plan version: a review deciding to revise is done
    on the old version, and the new version it starts keeps the old start date.
    """
    if last_review_on and last_review_on >= plan_starts_on:
        return months_after_event(last_review_on, REVIEW_INTERVAL_MONTHS)
    return period_end(plan_starts_on, REVIEW_INTERVAL_MONTHS)


# --- Plans in effect (個別支援計画未作成減算) ---


@dataclass(frozen=True)
class PlanFact:
    """One plan version as the month rule sees it."""

    version: int
    starts_on: date
    ends_on: date
    agreed_on: date | None
    delivered_on: date | None


def plan_in_effect(month: date, plans: Iterable[PlanFact], review_days: Iterable[date]) -> bool:
    """Whether a plan is in effect for the calendar month: agreed and delivered on or before its last day,
    its period overlapping the month, and no review overdue at the month's end.

    The plan judged is the newest version that meets the first two conditions; `review_days` are the
    client's reviews of any version (a review that revises is recorded on the version it replaces).
    """
    first, last = month_start(month), month_end(month)
    candidates = [
        p
        for p in plans
        if p.agreed_on is not None
        and p.delivered_on is not None
        and p.agreed_on <= last
        and p.delivered_on <= last
        and p.starts_on <= last
        and p.ends_on >= first
    ]
    if not candidates:
        return False
    plan = max(candidates, key=lambda p: p.version)
    last_review = max((d for d in review_days if d <= last), default=None)
    return next_review_due(plan.starts_on, last_review) >= last


def review_kept_from(month: date) -> date:
    """The earliest day a review period may start and still reach the month's last day: a plan whose
    period counts from this day or later (its start, or the day after its last review) is not overdue at
    the month's end. period_end is non-decreasing in its first day, so this one date decides, which lets
    the jobs' SQL judge the review without date arithmetic (visits.facts.month_fact_codes)."""
    last = month_end(month)
    day = last
    while period_end(day - timedelta(days=1), REVIEW_INTERVAL_MONTHS) >= last:
        day -= timedelta(days=1)
    return day


def months_without_plan(month: date, service_first_month: date | None, covered: set[date]) -> int:
    """The ordinal of `month` in the client's run of consecutive months in service without a plan in
    effect (1, 2, 3 …; 0 when the month is covered or not in service): 70% of the fee for the first two,
    50% from the third. `covered` holds the first days of the covered months; `service_first_month` is
    the first day of the month the service (the window) starts in."""
    month = month_start(month)
    if service_first_month is None:
        return 0
    if not covered:
        return months_between(service_first_month, month)
    count = 0
    while month >= service_first_month and month not in covered:
        count += 1
        month = shift_month(month, -1)
    return count
