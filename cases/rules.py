"""Date rules for the 就労定着支援 eligibility window. Pure functions of plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import after_months, months_after_event, months_between, period_end

SERVICE_STARTS_AFTER_MONTHS = 6
SERVICE_SPAN_ENDS_AFTER_MONTHS = 42  # 3 years 6 months after hire
JOB_CHANGE_MAX_GAP_MONTHS = 1
JOB_CHANGES_ALLOWED = 1
ENDING_SOON_DAYS = 90
DECISION_MAX_MONTHS = 12
DECISIONS_MAX_TOTAL_MONTHS = 36  # 3 years of 支給決定 in all

END_REASON_SECOND_CHANGE = "second_job_change"
END_REASON_GAP_TOO_LONG = "gap_too_long"
END_REASON_LEFT_JOB = "left_job"


@dataclass(frozen=True)
class Job:
    hired_on: date
    left_on: date | None = None
    regular: bool = True  # 通常の事業所; a job at a 就労継続支援A型 事業所 and the like does not start the clock


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date  # last day of the window, inclusive
    end_reason: str | None = None

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class _Spell:
    """Days in regular work without a break: jobs that overlap merged into one."""

    hired_on: date
    left_on: date | None


def employment_spells(jobs: Sequence[Job], prior_service_ended_on: date | None = None) -> list[_Spell]:
    """Regular jobs not ended before the prior service ended, merged while any of them goes on."""
    counted = sorted(
        (
            job
            for job in jobs
            if job.regular
            and not (prior_service_ended_on and job.left_on and job.left_on < prior_service_ended_on)
        ),
        key=lambda job: job.hired_on,
    )
    spells: list[_Spell] = []
    for job in counted:
        last = spells[-1] if spells else None
        if last and (last.left_on is None or job.hired_on <= last.left_on):
            left_on = None if last.left_on is None or job.left_on is None else max(last.left_on, job.left_on)
            spells[-1] = _Spell(last.hired_on, left_on)
        else:
            spells.append(_Spell(job.hired_on, job.left_on))
    return spells


def eligibility_window(jobs: Sequence[Job], prior_service_ended_on: date | None = None) -> Window | None:
    """The span in which 就労定着支援 may be provided, from a client's jobs (domain: the eligibility window).

    H is the hire date of the first regular job not ended before the prior service ended. Service runs
    from the day after the first 6 months after H (or after the prior service's end, when that is later)
    to the last day of 3 years 6 months after H. One job change, the next regular job taken within the
    month after leaving every regular job, keeps H; a second change, a longer gap, or no next job ends
    the window on the leaving date.
    """
    spells = employment_spells(jobs, prior_service_ended_on)
    if not spells:
        return None
    hired_on = spells[0].hired_on
    starts_on = after_months(hired_on, SERVICE_STARTS_AFTER_MONTHS)
    if prior_service_ended_on and prior_service_ended_on >= hired_on:
        starts_on = max(starts_on, after_months(prior_service_ended_on + timedelta(days=1), 6))
    ends_on = period_end(hired_on, SERVICE_SPAN_ENDS_AFTER_MONTHS)
    end_reason = None

    changes = 0
    for current, following in zip(spells, [*spells[1:], None], strict=True):
        if current.left_on is None:
            continue
        if following is None:
            reason = END_REASON_LEFT_JOB
        elif following.hired_on > months_after_event(current.left_on, JOB_CHANGE_MAX_GAP_MONTHS):
            reason = END_REASON_GAP_TOO_LONG
        else:
            changes += 1
            if changes <= JOB_CHANGES_ALLOWED:
                continue
            reason = END_REASON_SECOND_CHANGE
        if current.left_on < ends_on:
            ends_on, end_reason = current.left_on, reason
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
    """A 支給決定 lasts one year at most, counted from its first day (2028-02-29 → 2029-02-28)."""
    return period_end(starts_on, DECISION_MAX_MONTHS)


@dataclass(frozen=True)
class DecisionProblem:
    field: str
    code: str  # "order", "longer_than_a_year", "overlap", "over_three_years"
    first: date | None = None
    last: date | None = None


def decision_total_limit(first_starts_on: date) -> int:
    """Days of 支給決定 a client may have in all: three years counted from the first decision's start."""
    return (period_end(first_starts_on, DECISIONS_MAX_TOTAL_MONTHS) - first_starts_on).days + 1


def decision_problem(
    starts_on: date, ends_on: date, others: Sequence[tuple[date, date]]
) -> DecisionProblem | None:
    """What breaks the 支給決定 rules when a decision [starts_on, ends_on] joins the client's `others`:
    one year at most each (counted as 民法 143 counts it), no overlap, three years at most in all."""
    if ends_on < starts_on:
        return DecisionProblem("ends_on", "order")
    if ends_on > max_decision_end(starts_on):
        return DecisionProblem("ends_on", "longer_than_a_year", last=max_decision_end(starts_on))
    for other_starts, other_ends in sorted(others):
        if other_starts <= ends_on and other_ends >= starts_on:
            return DecisionProblem("starts_on", "overlap", first=other_starts, last=other_ends)
    spans = [*others, (starts_on, ends_on)]
    first = min(start for start, _end in spans)
    used = sum((end - start).days + 1 for start, end in spans)
    if used > decision_total_limit(first):
        return DecisionProblem("ends_on", "over_three_years", first=first, last=period_end(first, 36))
    return None


def decision_outside_window(starts_on: date, ends_on: date, window: Window | None) -> bool:
    """A decision is recorded as the municipality wrote it; it is worth a warning when it reaches outside
    the window (only the days inside both count)."""
    return window is None or starts_on < window.starts_on or ends_on > window.ends_on
