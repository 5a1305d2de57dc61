"""Date rules for support-plan reviews (モニタリング). Pure functions of plain values."""

from __future__ import annotations

from datetime import date

from cases.rules import add_months

REVIEW_INTERVAL_MONTHS = 3
DUE_SOON_DAYS = 14

REVIEW_OK = "ok"
REVIEW_DUE_SOON = "due_soon"
REVIEW_OVERDUE = "overdue"


def next_review_due(plan_starts_on: date, last_review_on: date | None = None) -> date:
    """Next review due = last review (or the plan's start) + 3 months, month ends clamped."""
    return add_months(last_review_on or plan_starts_on, REVIEW_INTERVAL_MONTHS)


def review_status(due_on: date, today: date, due_soon_days: int = DUE_SOON_DAYS) -> str:
    """Overdue after the due date; due soon from `due_soon_days` days before it, the due day included."""
    if today > due_on:
        return REVIEW_OVERDUE
    if (due_on - today).days <= due_soon_days:
        return REVIEW_DUE_SOON
    return REVIEW_OK
