"""The pure contract of the dates: cases.rules.eligibility_window, max_decision_end and the period helper.

One row per example of shared/domain.md ("Counting periods", "The eligibility window"), the 留意事項
examples, every month end and leap day. Each row names its rule. Months are legal periods (民法 140/143):
a period ends the day before the day with the same number in its last month, or on that month's last day
when the month has no such day. Rows that once expected a clamp to the month's end say what changed.
"""

from datetime import date

import pytest

from cases.rules import (
    END_REASON_GAP_TOO_LONG,
    END_REASON_LEFT_JOB,
    END_REASON_SECOND_CHANGE,
    Job,
    Window,
    eligibility_window,
    max_decision_end,
)
from core.dates import after_months, latest_day_before, months_after_event, period_end

D = date
A_TYPE = False  # Job(..., regular=A_TYPE): a job at a 就労継続支援A型 事業所

CASES = [
    # (id, jobs, prior service ended on, expected window)
    ("no jobs", [], None, None),
    (
        "留意事項: hired 4/1 → service from 10/1; ends the last day of 3y6m (民法 143 I, from the 1st)",
        [Job(D(2024, 4, 1))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "hire mid-month: 6 months end the day before the 15th (民法 143 II)",
        [Job(D(2024, 4, 15))],
        None,
        Window(D(2024, 10, 15), D(2027, 10, 14), None),
    ),
    (
        # Clamped before to 2024-09-30 … 2027-09-29: one day early, one day short.
        "hired 3/31: no 9/31, so 6 months end 9/30 → from 10/1; 3y6m end 2027-09-30 (143 II proviso)",
        [Job(D(2024, 3, 31))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        # Clamped before to 2025-02-28 … 2028-02-28.
        "hired 8/31: no 2/31 → from 3/1; no 2028-02-31 → ends on leap day 2028-02-29",
        [Job(D(2024, 8, 31))],
        None,
        Window(D(2025, 3, 1), D(2028, 2, 29), None),
    ),
    (
        # Clamped before to 2024-02-29 … 2027-02-27.
        "hired 2023-08-31: no 2024-02-31 → from 3/1; no 2027-02-31 → ends 2/28",
        [Job(D(2023, 8, 31))],
        None,
        Window(D(2024, 3, 1), D(2027, 2, 28), None),
    ),
    (
        "hired on leap day 2024-02-29: from 8/29, ends 2027-08-28 (the day before the 29th)",
        [Job(D(2024, 2, 29))],
        None,
        Window(D(2024, 8, 29), D(2027, 8, 28), None),
    ),
    (
        # Clamped before to 2025-03-30 … 2028-03-29: the 30th exists in March, same answer for the start.
        "hired 9/30: from 3/30 (the 30th exists), ends 2028-03-29",
        [Job(D(2024, 9, 30))],
        None,
        Window(D(2025, 3, 30), D(2028, 3, 29), None),
    ),
    (
        # Clamped before to 2024-11-30 … 2027-11-29.
        "hired 5/31: no 11/31 → from 12/1; 3y6m end 2027-11-30",
        [Job(D(2024, 5, 31))],
        None,
        Window(D(2024, 12, 1), D(2027, 11, 30), None),
    ),
    (
        "hired 2024-12-29: June has a 29th → from 6/29, ends 2028-06-28",
        [Job(D(2024, 12, 29))],
        None,
        Window(D(2025, 6, 29), D(2028, 6, 28), None),
    ),
    (
        # Clamped before to 2026-02-28 … 2029-02-27 (2029 has no 2/29).
        "hired 2025-08-29: no 2026-02-29 → from 3/1; no 2029-02-29 → ends 2029-02-28",
        [Job(D(2025, 8, 29))],
        None,
        Window(D(2026, 3, 1), D(2029, 2, 28), None),
    ),
    (
        "hire on Jan 1: ends June 30 three years on",
        [Job(D(2025, 1, 1))],
        None,
        Window(D(2025, 7, 1), D(2028, 6, 30), None),
    ),
    (
        "留意事項: went on using 就労移行支援等 until 2024-06-30 → 6 months from 7/1 → service from 2025-01-01",
        [Job(D(2024, 4, 1))],
        D(2024, 6, 30),
        Window(D(2025, 1, 1), D(2027, 9, 30), None),
    ),
    (
        "prior service ended before the hire: the hire's 6 months rule",
        [Job(D(2024, 4, 1))],
        D(2024, 3, 29),
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "an old job that ended before the prior service ended does not start the clock",
        [Job(D(2015, 4, 1), D(2016, 3, 31)), Job(D(2024, 4, 1))],
        D(2024, 3, 29),
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "a job at an A型 事業所 is not a regular job: the clock starts at the regular hire",
        [Job(D(2023, 4, 1), D(2024, 2, 29), A_TYPE), Job(D(2024, 4, 1))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    ("only an A型 job: no window", [Job(D(2024, 4, 1), None, A_TYPE)], None, None),
    (
        "leaving the regular job for an A型 job ends the window on the leaving date",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 1, 20), None, A_TYPE)],
        None,
        Window(D(2024, 10, 1), D(2025, 1, 15), END_REASON_LEFT_JOB),
    ),
    (
        # Ended the window (left_job) before: the main job goes on.
        "a side job that ends while the main job goes on changes nothing",
        [Job(D(2024, 4, 1)), Job(D(2024, 12, 1), D(2025, 3, 31))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "leaving the main job while a side job goes on is no change: employment goes on",
        [Job(D(2024, 4, 1), D(2025, 6, 30)), Job(D(2025, 1, 1))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "both jobs left: the window ends on the later leaving date",
        [Job(D(2024, 4, 1), D(2025, 6, 30)), Job(D(2025, 1, 1), D(2025, 8, 15))],
        None,
        Window(D(2024, 10, 1), D(2025, 8, 15), END_REASON_LEFT_JOB),
    ),
    (
        "job change: left 1/15, the month runs 1/16 … 2/15 (民法 140: from the next day), hired 2/15",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 15))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "job change one day too late ends the window on the leaving date",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 16))],
        None,
        Window(D(2024, 10, 1), D(2025, 1, 15), END_REASON_GAP_TOO_LONG),
    ),
    (
        "left 1/31: the month runs 2/1 … 2/28, hired 2/28 is in time",
        [Job(D(2024, 4, 1), D(2025, 1, 31)), Job(D(2025, 2, 28))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "left 1/31: hired 3/1 is too late",
        [Job(D(2024, 4, 1), D(2025, 1, 31)), Job(D(2025, 3, 1))],
        None,
        Window(D(2024, 10, 1), D(2025, 1, 31), END_REASON_GAP_TOO_LONG),
    ),
    # Leaving on a month's last day: the month after leaving is the whole next month. The clamp ended these
    # windows (gap_too_long) although the new job started inside that month.
    *[
        (
            f"left {left}: the month runs to {last}, hired {last} keeps the window",
            [Job(D(2024, 4, 1), left), Job(last)],
            None,
            Window(D(2024, 10, 1), D(2027, 9, 30), None),
        )
        for left, last in [
            (D(2025, 2, 28), D(2025, 3, 31)),
            (D(2025, 4, 30), D(2025, 5, 31)),
            (D(2025, 6, 30), D(2025, 7, 31)),
            (D(2025, 9, 30), D(2025, 10, 31)),
            (D(2025, 11, 30), D(2025, 12, 31)),
        ]
    ],
    (
        "left on leap day 2028-02-29: the month runs to 3/31 (window of a 2025 hire)",
        [Job(D(2025, 4, 1), D(2028, 2, 29)), Job(D(2028, 3, 31))],
        None,
        Window(D(2025, 10, 1), D(2028, 9, 30), None),
    ),
    (
        "left 2025-02-28, hired 4/1: one day past the month",
        [Job(D(2024, 4, 1), D(2025, 2, 28)), Job(D(2025, 4, 1))],
        None,
        Window(D(2024, 10, 1), D(2025, 2, 28), END_REASON_GAP_TOO_LONG),
    ),
    (
        "change with no gap (next day)",
        [Job(D(2024, 4, 1), D(2025, 3, 31)), Job(D(2025, 4, 1))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "a second change ends the window on the second leaving date",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 1), D(2025, 8, 31)), Job(D(2025, 9, 10))],
        None,
        Window(D(2024, 10, 1), D(2025, 8, 31), END_REASON_SECOND_CHANGE),
    ),
    (
        "left with no next job ends the window on the leaving date",
        [Job(D(2024, 4, 1), D(2025, 6, 30))],
        None,
        Window(D(2024, 10, 1), D(2025, 6, 30), END_REASON_LEFT_JOB),
    ),
    (
        "after one change, leaving the second job ends the window",
        [Job(D(2024, 4, 1), D(2025, 1, 15)), Job(D(2025, 2, 1), D(2025, 8, 31))],
        None,
        Window(D(2024, 10, 1), D(2025, 8, 31), END_REASON_LEFT_JOB),
    ),
    (
        "leaving after the window's end does not shorten it",
        [Job(D(2021, 4, 1), D(2025, 3, 31))],
        None,
        Window(D(2021, 10, 1), D(2024, 9, 30), None),
    ),
    (
        "leaving on the window's last day keeps the natural end",
        [Job(D(2021, 4, 1), D(2024, 9, 30))],
        None,
        Window(D(2021, 10, 1), D(2024, 9, 30), None),
    ),
    ("leaving before month 7 leaves no window", [Job(D(2024, 4, 1), D(2024, 8, 31))], None, None),
    (
        "leaving on the window's first day: a one-day window",
        [Job(D(2024, 4, 1), D(2024, 10, 1))],
        None,
        Window(D(2024, 10, 1), D(2024, 10, 1), END_REASON_LEFT_JOB),
    ),
    (
        "jobs given out of order are sorted by hire date",
        [Job(D(2025, 2, 15)), Job(D(2024, 4, 1), D(2025, 1, 15))],
        None,
        Window(D(2024, 10, 1), D(2027, 9, 30), None),
    ),
    (
        "a late start (asked later) keeps the end fixed by the hire",
        [Job(D(2023, 4, 1))],
        None,
        Window(D(2023, 10, 1), D(2026, 9, 30), None),
    ),
]


@pytest.mark.parametrize(("jobs", "prior", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_eligibility_window(jobs, prior, expected):
    assert eligibility_window(jobs, prior) == expected


def test_jobs_alone_keep_the_old_call():
    assert eligibility_window([Job(D(2024, 4, 1))]) == Window(D(2024, 10, 1), D(2027, 9, 30), None)


def test_window_types_are_frozen():
    window = eligibility_window([Job(D(2024, 4, 1))])
    with pytest.raises(AttributeError):
        window.starts_on = D(2000, 1, 1)
    with pytest.raises(AttributeError):
        Job(D(2024, 4, 1)).hired_on = D(2000, 1, 1)


@pytest.mark.parametrize(
    ("starts_on", "last"),
    [
        (D(2025, 4, 1), D(2026, 3, 31)),  # from the 1st: to the month before's end (143 I)
        (D(2025, 4, 15), D(2026, 4, 14)),
        (D(2028, 2, 29), D(2029, 2, 28)),  # clamped before to 2029-02-27, refusing a lawful decision
        (D(2027, 3, 1), D(2028, 2, 29)),  # 366 days: the year holds a leap day
        (D(2024, 1, 31), D(2025, 1, 30)),
        (D(2024, 3, 1), D(2025, 2, 28)),
    ],
)
def test_max_decision_end(starts_on, last):
    assert max_decision_end(starts_on) == last


@pytest.mark.parametrize(
    ("first_day", "months", "end"),
    [
        (D(2024, 4, 1), 6, D(2024, 9, 30)),
        (D(2024, 3, 31), 6, D(2024, 9, 30)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 8, 31), 42, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 1, 30), 1, D(2024, 2, 29)),  # no 2/30: the month's last day
        (D(2024, 1, 29), 1, D(2024, 2, 28)),  # 2/29 exists: the day before it
        (D(2024, 12, 1), 1, D(2024, 12, 31)),
    ],
)
def test_period_end(first_day, months, end):
    assert period_end(first_day, months) == end
    assert after_months(first_day, months) == D.fromordinal(end.toordinal() + 1)


@pytest.mark.parametrize(
    ("event_day", "months", "end"),
    [
        (D(2025, 2, 28), 1, D(2025, 3, 31)),  # domain: left on 2/28 → the month runs 3/1 … 3/31
        (D(2025, 1, 15), 1, D(2025, 2, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2028, 2, 29), 1, D(2028, 3, 31)),
        (D(2025, 5, 31), 3, D(2025, 8, 31)),  # a review on 5/31: the next is due by 8/31
    ],
)
def test_months_after_an_event_count_from_the_next_day(event_day, months, end):
    assert months_after_event(event_day, months) == end


@pytest.mark.parametrize(
    ("end", "months", "deadline"),
    [
        (D(2027, 9, 30), 3, D(2027, 6, 30)),  # issue: window ending 9/30 → share by 6/30
        (D(2027, 8, 28), 3, D(2027, 5, 28)),
        (D(2028, 2, 29), 3, D(2027, 11, 30)),  # from 12/1, 3 months end on leap day
        (D(2027, 2, 28), 3, D(2026, 11, 30)),
        (D(2027, 5, 31), 3, D(2027, 2, 28)),
    ],
)
def test_latest_day_before_leaves_the_whole_months(end, months, deadline):
    assert latest_day_before(end, months) == deadline
    assert months_after_event(deadline, months) <= end
    assert months_after_event(D.fromordinal(deadline.toordinal() + 1), months) > end
