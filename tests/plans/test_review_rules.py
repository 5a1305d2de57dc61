"""plans.rules: next review due = last review (or plan start) + 3 months; due soon within 14 days."""

from datetime import date

import pytest

from plans.rules import REVIEW_DUE_SOON, REVIEW_OK, REVIEW_OVERDUE, next_review_due, review_status

D = date


@pytest.mark.parametrize(
    ("plan_starts_on", "last_review_on", "due"),
    [
        (D(2025, 4, 1), None, D(2025, 7, 1)),
        (D(2025, 4, 1), D(2025, 6, 20), D(2025, 9, 20)),
        (D(2025, 11, 30), None, D(2026, 2, 28)),  # month end clamps
        (D(2023, 11, 30), None, D(2024, 2, 29)),  # leap February
        (D(2025, 5, 31), None, D(2025, 8, 31)),
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
