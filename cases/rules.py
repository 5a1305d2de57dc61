"""Date rules for the 就労定着支援 eligibility window. Pure functions of plain values."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SERVICE_STARTS_AFTER_MONTHS = 6
SERVICE_SPAN_ENDS_AFTER_MONTHS = 42  # 3 years 6 months after hire
JOB_CHANGE_MAX_GAP_MONTHS = 1
JOB_CHANGES_ALLOWED = 1
ENDING_SOON_DAYS = 90

END_REASON_SECOND_CHANGE = "second_job_change"
END_REASON_GAP_TOO_LONG = "gap_too_long"
END_REASON_LEFT_JOB = "left_job"


@dataclass(frozen=True)
class Job:
    hired_on: date
    left_on: date | None = None


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date  # last day of the window, inclusive
    end_reason: str | None = None

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def add_months(day: date, months: int) -> date:
    """Shift by whole months; the 29th–31st clamp to the target month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(first: date, last: date) -> int:
    """Calendar months from first's month to last's month, both counted (0 when last is earlier)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return max(count, 0)


def eligibility_window(jobs: Sequence[Job]) -> Window | None:
    """The span in which 就労定着支援 may be provided, from a client's jobs.

    The clock starts at the first job's hire date H: service from H + 6 months to the day before
    H + 3 years 6 months. One job change with a gap of at most one month keeps the clock; a second
    change, a longer gap, or leaving with no next job ends the window on the leaving date.
    """
    if not jobs:
        return None
    ordered = sorted(jobs, key=lambda job: job.hired_on)
    hired_on = ordered[0].hired_on
    starts_on = add_months(hired_on, SERVICE_STARTS_AFTER_MONTHS)
    ends_on = add_months(hired_on, SERVICE_SPAN_ENDS_AFTER_MONTHS) - timedelta(days=1)
    end_reason = None

    changes = 0
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        if current.left_on is None:
            continue
        if following is None:
            cut, reason = current.left_on, END_REASON_LEFT_JOB
        elif following.hired_on > add_months(current.left_on, JOB_CHANGE_MAX_GAP_MONTHS):
            cut, reason = current.left_on, END_REASON_GAP_TOO_LONG
        else:
            changes += 1
            if changes <= JOB_CHANGES_ALLOWED:
                continue
            cut, reason = current.left_on, END_REASON_SECOND_CHANGE
        if cut < ends_on:
            ends_on, end_reason = cut, reason
        break

    if ends_on < starts_on:
        return None
    return Window(starts_on=starts_on, ends_on=ends_on, end_reason=end_reason)


PHASE_NONE = "none"
PHASE_BEFORE = "before"
PHASE_ACTIVE = "active"
PHASE_ENDING = "ending"
PHASE_ENDED = "ended"


def window_phase(window: Window | None, today: date, ending_soon_days: int = ENDING_SOON_DAYS) -> str:
    if window is None:
        return PHASE_NONE
    if today < window.starts_on:
        return PHASE_BEFORE
    if today > window.ends_on:
        return PHASE_ENDED
    if (window.ends_on - today).days < ending_soon_days:
        return PHASE_ENDING
    return PHASE_ACTIVE


@dataclass(frozen=True)
class WindowProgress:
    months_total: int
    months_used: int
    months_left: int
    days_left: int


def window_progress(window: Window, today: date) -> WindowProgress:
    """Calendar months of the window used up to and including today's month, and those left after it."""
    total = months_between(window.starts_on, window.ends_on)
    used = min(months_between(window.starts_on, today), total)
    return WindowProgress(
        months_total=total,
        months_used=used,
        months_left=total - used,
        days_left=max((window.ends_on - today).days, 0),
    )


def max_decision_end(starts_on: date) -> date:
    """A 支給決定 lasts one year at most: its last day is the day before the same date a year on."""
    return add_months(starts_on, 12) - timedelta(days=1)
