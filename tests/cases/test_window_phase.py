"""Window phase and progress shown on the caseload and the client page."""

from datetime import date

import pytest

from cases.rules import (
    PHASE_ACTIVE,
    PHASE_BEFORE,
    PHASE_ENDED,
    PHASE_ENDING,
    PHASE_NONE,
    Window,
    window_phase,
    window_progress,
)

W = Window(date(2024, 10, 1), date(2027, 9, 30))


@pytest.mark.parametrize(
    ("window", "today", "phase"),
    [
        (None, date(2025, 1, 1), PHASE_NONE),
        (W, date(2024, 9, 30), PHASE_BEFORE),
        (W, date(2024, 10, 1), PHASE_ACTIVE),
        (W, date(2027, 7, 2), PHASE_ACTIVE),  # 90 days before the end
        (W, date(2027, 7, 3), PHASE_ENDING),  # 89 days left
        (W, date(2027, 9, 30), PHASE_ENDING),
        (W, date(2027, 10, 1), PHASE_ENDED),
    ],
)
def test_window_phase(window, today, phase):
    assert window_phase(window, today) == phase


@pytest.mark.parametrize(
    ("today", "used", "left"),
    [
        (date(2024, 9, 1), 0, 36),
        (date(2024, 10, 1), 1, 35),
        (date(2025, 9, 30), 12, 24),
        (date(2027, 9, 30), 36, 0),
        (date(2030, 1, 1), 36, 0),
    ],
)
def test_window_progress_counts_calendar_months(today, used, left):
    progress = window_progress(W, today)
    assert (progress.months_total, progress.months_used, progress.months_left) == (36, used, left)
