"""plans.rules: next review due = the end of the 3 months after the last review (or from the plan's start),
counted as 民法 140/143 count; due soon within 14 days (plans.deadlines.review_status)."""

from datetime import date

import pytest

from plans.deadlines import DeadlineKind, review_status
from plans.rules import next_review_due

REVIEW_OK, REVIEW_DUE_SOON, REVIEW_OVERDUE = "", DeadlineKind.REVIEW_DUE_SOON, DeadlineKind.REVIEW_OVERDUE

D = date


@pytest.mark.parametrize(
    ("plan_starts_on", "last_review_on", "due"),
    [
        # Was 07-01 under the clamp: 3 months counted from 04-01 (its first day counted) end on 06-30.
        (D(2025, 4, 1), None, D(2025, 6, 30)),
        (D(2025, 4, 1), D(2025, 6, 20), D(2025, 9, 20)),
        (D(2025, 11, 30), None, D(2026, 2, 28)),  # no 02-30: the month's last day (民法 143)
        (D(2023, 11, 30), None, D(2024, 2, 29)),  # leap February
        # Was 08-31 under the clamp: from 05-31, 3 months end the day before 08-31 (民法 143).
        (D(2025, 5, 31), None, D(2025, 8, 30)),
        (D(2025, 1, 1), D(2025, 12, 31), D(2026, 3, 31)),  # over the year end
        (D(2025, 1, 1), D(2025, 3, 31), D(2025, 6, 30)),
    ],
)
def test_next_review_due(plan_starts_on, last_review_on, due):
    assert next_review_due(plan_starts_on, last_review_on) == due


@pytest.mark.parametrize(
    ("due_on", "today", "status"),
    [
        (D(2025, 7, 1), D(2025, 6, 16), REVIEW_OK),
        (D(2025, 7, 1), D(2025, 6, 17), REVIEW_DUE_SOON),  # 14 days before
        (D(2025, 7, 1), D(2025, 7, 1), REVIEW_DUE_SOON),  # the due day itself
        (D(2025, 7, 1), D(2025, 7, 2), REVIEW_OVERDUE),
        (D(2026, 3, 1), D(2026, 2, 15), REVIEW_DUE_SOON),  # across a short February
    ],
)
def test_review_status(due_on, today, status):
    assert review_status(due_on, today) == status
