"""Date rules for support-plan reviews (モニタリング). Pure functions of plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cases.rules import (
    after_months,
    latest_day_before,
    month_end,
    month_start,
    months_after_event,
    period_end,
    shift_month,
)

REVIEW_INTERVAL_MONTHS = 3
DUE_SOON_DAYS = 14

REVIEW_OK = "ok"
REVIEW_DUE_SOON = "due_soon"
REVIEW_OVERDUE = "overdue"


def next_review_due(plan_starts_on: date, last_review_on: date | None = None) -> date:
    """Next review due: the last day of the 3 months after the last review (counted from the next day, 民法
    140), or of the plan's first 3 months when it has no later review (its start day counted).

    `last_review_on` is the client's last review of any plan version: a review deciding to revise is done
    on the old version, and the new version it starts keeps the old start date.
    """
    if last_review_on and last_review_on >= plan_starts_on:
        return months_after_event(last_review_on, REVIEW_INTERVAL_MONTHS)
    return period_end(plan_starts_on, REVIEW_INTERVAL_MONTHS)


def review_status(due_on: date, today: date, due_soon_days: int = DUE_SOON_DAYS) -> str:
    """Overdue after the due date; due soon from `due_soon_days` days before it, the due day included."""
    if today > due_on:
        return REVIEW_OVERDUE
    if (due_on - today).days <= due_soon_days:
        return REVIEW_DUE_SOON
    return REVIEW_OK


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


def months_without_plan(month: date, service_first_month: date | None, covered: set[date]) -> int:
    """The ordinal of `month` in the client's run of consecutive months in service without a plan in
    effect (1, 2, 3 …; 0 when the month is covered or not in service): 70% of the fee for the first two,
    50% from the third. `covered` holds the first days of the covered months; `service_first_month` is
    the first day of the month the service (the window) starts in."""
    month = month_start(month)
    if service_first_month is None:
        return 0
    count = 0
    while month >= service_first_month and month not in covered:
        count += 1
        month = shift_month(month, -1)
    return count


# --- The end of service: information shared with the receiver ≥3 months before the window ends ---
HANDOVER_ALERT_DAYS = 120
HANDOVER_URGENT_DAYS = 90
HANDOVER_SHARE_MONTHS_BEFORE_END = 3

# --- 支給決定 renewal and the first application ---
DECISION_RENEWAL_ALERT_DAYS = 60
DECISION_RENEWAL_URGENT_DAYS = 30
APPLICATION_FLAG_FROM_MONTH = 2  # month 2 of employment = from H + 1 month
APPLICATION_URGENT_FROM_MONTH = 5  # month 5 of employment = from H + 4 months
SERVICE_STARTS_AFTER_MONTHS = 6

ALERT = "alert"
URGENT = "urgent"


def handover_share_deadline(window_ends_on: date) -> date:
    """Information must be shared with the receiver at least 3 months before the window ends."""
    return latest_day_before(window_ends_on, HANDOVER_SHARE_MONTHS_BEFORE_END)


def handover_alert(window_ends_on: date, info_shared_on: date | None, today: date) -> str | None:
    """None once shared or when the end is past / more than 120 days away; urgent under 90 days."""
    if info_shared_on is not None:
        return None
    days_left = (window_ends_on - today).days
    if days_left < 0 or days_left > HANDOVER_ALERT_DAYS:
        return None
    return URGENT if days_left < HANDOVER_URGENT_DAYS else ALERT


def decision_renewal_alert(
    decision_ends_on: date, window_ends_on: date | None, has_following: bool, today: date
) -> str | None:
    """Alert 60 days before a decision ends (urgent at 30) with no following one, while the window goes on."""
    if has_following or window_ends_on is None or window_ends_on <= decision_ends_on:
        return None
    days_left = (decision_ends_on - today).days
    if days_left < 0 or days_left > DECISION_RENEWAL_ALERT_DAYS:
        return None
    return URGENT if days_left <= DECISION_RENEWAL_URGENT_DAYS else ALERT


def employment_month(hired_on: date, today: date) -> int:
    """Ordinal month of employment: month 1 is [H, H+1m), month 7 starts at H + 6 months."""
    if today < hired_on:
        return 0
    month = 1
    while after_months(hired_on, month) <= today:
        month += 1
    return month


def application_alert(hired_on: date, has_decision_by_start: bool, today: date) -> str | None:
    """The 受給者証 application: flagged from month 2 of employment until service may start
    (H + 6 months), urgent from month 5, unless a decision starting by H + 6 months exists."""
    if has_decision_by_start:
        return None
    month = employment_month(hired_on, today)
    if month < APPLICATION_FLAG_FROM_MONTH or month > SERVICE_STARTS_AFTER_MONTHS:
        return None
    return URGENT if month >= APPLICATION_URGENT_FROM_MONTH else ALERT
