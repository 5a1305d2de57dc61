"""Calendar arithmetic every app shares: periods counted in months (民法 140, 143), calendar months and
the fiscal year (April to March). Pure functions of plain values; the period arithmetic the deadline engine repeats for every client and
day is memoised (lru_cache), each answer depending on its arguments alone."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

PERIODS_REMEMBERED = 1 << 16


@lru_cache(maxsize=PERIODS_REMEMBERED)
def period_end(first_day: date, months: int) -> date:
    """Last day of a period of `months` months whose first counted day is `first_day` (民法 143).

    The period ends on the day before the day with first_day's number in the last month; when that month
    has no such day, on its last day. A period started by an event during a day (leaving a job, a review)
    counts from the next day (民法 140): pass that next day. Negative months count back the same way.
    """
    index = first_day.year * 12 + (first_day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if first_day.day > last:
        return date(year, month, last)
    return date(year, month, first_day.day) - timedelta(days=1)


@lru_cache(maxsize=PERIODS_REMEMBERED)
def after_months(first_day: date, months: int) -> date:
    """The first day after a period of `months` months counted from `first_day`."""
    return period_end(first_day, months) + timedelta(days=1)


@lru_cache(maxsize=PERIODS_REMEMBERED)
def months_after_event(event_day: date, months: int) -> date:
    """Last day of the `months` months that follow an event on `event_day` (counted from the next day)."""
    return period_end(event_day + timedelta(days=1), months)


@lru_cache(maxsize=PERIODS_REMEMBERED)
def latest_day_before(end: date, months: int) -> date:
    """The latest day that still leaves `months` whole months up to `end` (inclusive) after it.

    E.g. information shared at least 3 months before a window ending 2027-09-30: by 2027-06-30.
    """
    day = period_end(end, -months) + timedelta(days=3)
    while months_after_event(day, months) > end:
        day -= timedelta(days=1)
    return day


def shift_month(month_first: date, months: int) -> date:
    """The first day of the calendar month `months` away from `month_first`'s month."""
    index = month_first.year * 12 + (month_first.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, 1)


def fiscal_year(day: date) -> int:
    """The fiscal year (April to March) a day falls in, named by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(first: date, last: date) -> int:
    """Calendar months from first's month to last's month, both counted (0 when last is earlier)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return max(count, 0)
