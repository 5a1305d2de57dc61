"""Date rules for support-plan reviews (モニタリング). Pure functions of plain values."""

from __future__ import annotations

from datetime import date

from cases.rules import after_months, latest_day_before, months_after_event, period_end

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
