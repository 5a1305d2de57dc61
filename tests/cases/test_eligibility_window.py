"""cases.rules.eligibility_window: one row per rule in shared/domain.md, edge days included."""

from datetime import date

import pytest

from cases.rules import (
    END_REASON_GAP_TOO_LONG,
    END_REASON_LEFT_JOB,
    END_REASON_SECOND_CHANGE,
    Job,
    Window,
    add_months,
    eligibility_window,
)

D = date

CASES = [
    # (id, jobs, expected window)
    ("no jobs", [], None),
    (
        "one open job: month 7 to the day before 3y6m",
        [Job(D(2024, 4, 1))],
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    ("hire mid-month", [Job(D(2024, 4, 15))], Window(D(2024, 10, 15), D(2027, 10, 14), None)),
    (
        "hire on the 31st clamps to month end (leap 2028)",
        [Job(D(2024, 8, 31))],
        Window(D(2025, 2, 28), D(2028, 2, 28), None),
    ),
    ("hire on the 31st, leap February", [Job(D(2023, 8, 31))], Window(D(2024, 2, 29), D(2027, 2, 27), None)),
    ("hire on leap day", [Job(D(2024, 2, 29))], Window(D(2024, 8, 29), D(2027, 8, 28), None)),
    ("hire on the 30th into March", [Job(D(2024, 9, 30))], Window(D(2025, 3, 30), D(2028, 3, 29), None)),
    (
        "hire on Jan 1: end is New Year's Eve",
        [Job(D(2025, 1, 1))],
        Window(D(2025, 7, 1), D(2028, 6, 30), None),
    ),
    (
        "one change, gap of exactly one month keeps the clock",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 15))],
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "one change, gap one day too long ends the window on the leaving date",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 16))],
        Window(D(2024, 10, 1), D(2025, 1, 15), END_REASON_GAP_TOO_LONG),
    ),
    (
        "one month after the 31st clamps: Jan 31 -> Feb 28 is within the limit",
        [Job(D(2024, 4, 1), D(2025, 1, 31)), Job(D(2025, 2, 28))],
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "one month after the 31st: Mar 1 is too late",
        [Job(D(2024, 4, 1), D(2025, 1, 31)), Job(D(2025, 3, 1))],
        Window(D(2024, 10, 1), D(2025, 1, 31), END_REASON_GAP_TOO_LONG),
    ),
    (
        "change with no gap (next day)",
        [Job(D(2024, 4, 1), D(2025, 3, 31)), Job(D(2025, 4, 1))],
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "second change ends the window on the second leaving date",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 1), D(2025, 8, 31)), Job(D(2025, 9, 10))],
        Window(D(2024, 10, 1), D(2025, 8, 31), END_REASON_SECOND_CHANGE),
    ),
    (
        "left with no next job ends the window on the leaving date",
        [Job(D(2024, 4, 1), D(2025, 6, 30))],
        Window(D(2024, 10, 1), D(2025, 6, 30), END_REASON_LEFT_JOB),
    ),
    (
        "after one change, leaving the second job ends the window",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 1), D(2025, 8, 31))],
        Window(D(2024, 10, 1), D(2025, 8, 31), END_REASON_LEFT_JOB),
    ),
    (
        "leaving after the window's end does not shorten it",
        [Job(D(2021, 4, 1), D(2025, 3, 31))],
        Window(D(2021, 10, 1), D(2024, 9, 30), None),
    ),
    (
        "leaving on the window's last day keeps the natural end",
        [Job(D(2021, 4, 1), D(2024, 9, 30))],
        Window(D(2021, 10, 1), D(2024, 9, 30), None),
    ),
    ("leaving before month 7 leaves no window", [Job(D(2024, 4, 1), D(2024, 8, 31))], None),
    (
        "leaving on the window's first day: a one-day window",
        [Job(D(2024, 4, 1), D(2024, 10, 1))],
        Window(D(2024, 10, 1), D(2024, 10, 1), END_REASON_LEFT_JOB),
    ),
    (
        "jobs given out of order are sorted by hire date",
        [Job(D(2025, 2, 15)), Job(D(2024, 4, 1), D(2025, 1, 15))],
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "a late start (asked later) keeps the end fixed by the first hire",
        [Job(D(2023, 4, 1))],
        Window(D(2023, 10, 1), D(2026, 9, 30), None),
    ),
]


@pytest.mark.parametrize(("jobs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_eligibility_window(jobs, expected):
    assert eligibility_window(jobs) == expected


def test_window_types_are_frozen():
    window = eligibility_window([Job(D(2024, 4, 1))])
    with pytest.raises(AttributeError):
        window.starts_on = D(2000, 1, 1)
    with pytest.raises(AttributeError):
        Job(D(2024, 4, 1)).hired_on = D(2000, 1, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 5, 31), 42, D(2027, 11, 30)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected
