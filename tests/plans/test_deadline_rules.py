"""plans.rules: handover sharing, decision renewal and first-application alerts, as tables."""

from datetime import date

import pytest

from plans.rules import (
    ALERT,
    URGENT,
    application_alert,
    decision_renewal_alert,
    employment_month,
    handover_alert,
    handover_share_deadline,
)

D = date


@pytest.mark.parametrize(
    ("window_ends_on", "info_shared_on", "today", "expected"),
    [
        (D(2026, 12, 31), None, D(2026, 9, 1), None),  # 121 days left: not yet
        (D(2026, 12, 31), None, D(2026, 9, 2), ALERT),  # 120 days left: alert starts
        (D(2026, 12, 31), None, D(2026, 10, 2), ALERT),  # 90 days left: still alert
        (D(2026, 12, 31), None, D(2026, 10, 3), URGENT),  # 89 days left: the 3-month deadline passed
        (D(2026, 12, 31), None, D(2026, 12, 31), URGENT),  # last day
        (D(2026, 12, 31), None, D(2027, 1, 1), None),  # window over
        (D(2026, 12, 31), D(2026, 9, 15), D(2026, 11, 1), None),  # shared: nothing to do
    ],
)
def test_handover_alert(window_ends_on, info_shared_on, today, expected):
    assert handover_alert(window_ends_on, info_shared_on, today) == expected


@pytest.mark.parametrize(
    ("window_ends_on", "deadline"),
    [
        (D(2026, 12, 31), D(2026, 9, 30)),
        (D(2026, 5, 31), D(2026, 2, 28)),  # month end clamps
        (D(2028, 5, 30), D(2028, 2, 29)),  # leap February
    ],
)
def test_handover_share_deadline(window_ends_on, deadline):
    assert handover_share_deadline(window_ends_on) == deadline


@pytest.mark.parametrize(
    ("ends_on", "window_ends_on", "has_following", "today", "expected"),
    [
        (D(2026, 12, 31), D(2028, 1, 1), False, D(2026, 11, 1), ALERT),  # 60 days
        (D(2026, 12, 31), D(2028, 1, 1), False, D(2026, 10, 31), None),  # 61 days
        (D(2026, 12, 31), D(2028, 1, 1), False, D(2026, 12, 1), URGENT),  # 30 days
        (D(2026, 12, 31), D(2028, 1, 1), True, D(2026, 12, 1), None),  # renewed already
        (D(2026, 12, 31), D(2026, 12, 31), False, D(2026, 12, 1), None),  # window ends with it
        (D(2026, 12, 31), None, False, D(2026, 12, 1), None),
        (D(2026, 12, 31), D(2028, 1, 1), False, D(2027, 1, 1), None),  # already over
    ],
)
def test_decision_renewal_alert(ends_on, window_ends_on, has_following, today, expected):
    assert decision_renewal_alert(ends_on, window_ends_on, has_following, today) == expected


@pytest.mark.parametrize(
    ("hired_on", "today", "month"),
    [
        (D(2026, 1, 31), D(2026, 1, 30), 0),
        (D(2026, 1, 31), D(2026, 1, 31), 1),
        (D(2026, 1, 31), D(2026, 2, 27), 1),
        (D(2026, 1, 31), D(2026, 2, 28), 2),  # month-end hire: month 2 starts on Feb 28
        (D(2026, 1, 31), D(2026, 7, 31), 7),
        (D(2026, 4, 1), D(2026, 10, 1), 7),  # H + 6 months: service may start
    ],
)
def test_employment_month(hired_on, today, month):
    assert employment_month(hired_on, today) == month


@pytest.mark.parametrize(
    ("hired_on", "has_decision", "today", "expected"),
    [
        (D(2026, 4, 1), False, D(2026, 4, 30), None),  # month 1
        (D(2026, 4, 1), False, D(2026, 5, 1), ALERT),  # month 2
        (D(2026, 4, 1), False, D(2026, 7, 31), ALERT),  # month 4
        (D(2026, 4, 1), False, D(2026, 8, 1), URGENT),  # month 5
        (D(2026, 4, 1), False, D(2026, 9, 30), URGENT),  # month 6, the day before the start
        (D(2026, 4, 1), False, D(2026, 10, 1), None),  # month 7: in service (other lists take over)
        (D(2026, 4, 1), True, D(2026, 8, 1), None),  # decision exists
    ],
)
def test_application_alert(hired_on, has_decision, today, expected):
    assert application_alert(hired_on, has_decision, today) == expected
