"""plans.deadlines: the one deadline engine, from plain values. Each timeline is walked day by day around
its thresholds (handover, renewal, application), so no deadline goes quiet when its date passes."""

from datetime import date, timedelta

import pytest

from cases.rules import Window
from plans import deadlines as dl
from plans.deadlines import URGENT, WARNING, DeadlineFacts, DeadlineKind, Decision, PlanState

D = date
K = DeadlineKind
# H = 2025-01-06: service from 2025-07-06 to 2028-07-05.
HIRED = D(2025, 1, 6)
WINDOW = Window(D(2025, 7, 6), D(2028, 7, 5))
FIRST_DECISION = Decision(D(2025, 7, 6), D(2026, 7, 5), id=11)
PLAN = PlanState(21, 1, "delivered", D(2025, 7, 6), D(2026, 7, 5), D(2025, 7, 6), D(2025, 7, 6))


def facts(**overrides):
    values = {
        "client_id": 1,
        "window": WINDOW,
        "hired_on": HIRED,
        "decisions": (FIRST_DECISION,),
        "plans": (PLAN,),
        "review_days": (),
    }
    values.update(overrides)
    return DeadlineFacts(**values)


def of_kind(kind, today, **overrides):
    return [(d.due_on, d.severity) for d in dl.deadlines(facts(**overrides), today) if d.kind == kind]


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --- handover: keyed to the sharing deadline ---

END = D(2027, 9, 30)  # hired 2024-03-31: 3 years 6 months end 2027-09-30
SHARE_BY = D(2027, 6, 30)  # 3 whole months before the end (民法 143): 07-01 … 09-30


@pytest.mark.parametrize(
    ("window_ends_on", "deadline"),
    [
        (D(2026, 12, 31), D(2026, 9, 30)),
        (D(2027, 9, 30), D(2027, 6, 30)),
        (D(2026, 5, 31), D(2026, 2, 28)),  # 3 months from 03-01 end 05-31
        # Was 2028-02-29 under the clamp: sharing on 02-29 leaves 03-01 … 05-31, past the 05-30 end; the
        # latest day still leaving 3 whole months is 02-28 (from 02-29, 3 months end 05-28).
        (D(2028, 5, 30), D(2028, 2, 28)),
    ],
)
def test_handover_share_deadline(window_ends_on, deadline):
    assert dl.handover_share_deadline(window_ends_on) == deadline


def handover_facts(info_shared_on=None):
    window = Window(D(2024, 9, 30), END)
    return facts(window=window, hired_on=D(2024, 3, 31), decisions=(), plans=(), info_shared_on=info_shared_on)


def handover_on(today, info_shared_on=None):
    return [
        (d.due_on, d.severity, d.message)
        for d in dl.deadlines(handover_facts(info_shared_on), today)
        if d.kind == K.HANDOVER_SHARING
    ]


def test_handover_timeline_day_by_day():
    """Nothing until 60 days before the sharing deadline, a warning to 15 days before, urgent from 14 days
    before through the deadline, then 「減算の対象」 every day until the window ends."""
    alert_from = SHARE_BY - timedelta(days=60)  # 2027-05-01
    urgent_from = SHARE_BY - timedelta(days=14)  # 2027-06-16
    for today in days(alert_from - timedelta(days=3), END + timedelta(days=3)):
        got = handover_on(today)
        if today < alert_from or today > END:
            assert got == [], today
        elif today < urgent_from:
            assert [(due, sev) for due, sev, _ in got] == [(SHARE_BY, WARNING)], today
        elif today <= SHARE_BY:
            assert [(due, sev) for due, sev, _ in got] == [(SHARE_BY, URGENT)], today
            assert "減算" not in got[0][2]
        else:
            assert [(due, sev) for due, sev, _ in got] == [(SHARE_BY, URGENT)], today
            assert got[0][2].startswith("減算の対象")


def test_handover_on_07_01_and_07_02_is_the_reduction_not_a_warning():
    for today in (D(2027, 7, 1), D(2027, 7, 2)):
        [(due, severity, message)] = handover_on(today)
        assert (due, severity) == (SHARE_BY, URGENT) and message.startswith("減算の対象")


def test_sharing_on_time_clears_the_handover_deadline():
    assert handover_on(D(2027, 6, 20), info_shared_on=D(2027, 6, 30)) == []
    assert handover_on(D(2027, 8, 1), info_shared_on=D(2027, 6, 30)) == []


def test_a_late_sharing_does_not_clear_the_reduction_and_is_shown_late():
    [(due, severity, message)] = handover_on(D(2027, 8, 16), info_shared_on=D(2027, 8, 15))
    assert (due, severity) == (SHARE_BY, URGENT)
    assert message.startswith("減算の対象") and "2027年8月15日" in message
    assert dl.handover_shared_late(END, D(2027, 8, 15))
    assert not dl.handover_shared_late(END, D(2027, 6, 30))


def test_a_handed_over_client_keeps_only_the_handover_record():
    handed = facts(handed_over=True, decisions=(), plans=(), window=Window(D(2024, 9, 30), END))
    assert {d.kind for d in dl.deadlines(handed, D(2027, 7, 5))} == {K.HANDOVER_SHARING}


# --- 支給決定 renewal: 60 and 30 days before ends_on, and after it until renewed ---


def test_renewal_timeline_day_by_day():
    ends = FIRST_DECISION.ends_on  # 2026-07-05
    for today in days(ends - timedelta(days=63), ends + timedelta(days=40)):
        got = of_kind(K.DECISION_RENEWAL, today)
        left = (ends - today).days
        if left > 60:
            assert got == [], today
        elif left > 30:
            assert got == [(ends, WARNING)], today
        else:  # urgent from 30 days before, and it stays after ends_on
            assert got == [(ends, URGENT)], today


def test_renewal_after_ends_on_says_it_lapsed():
    [due] = [d for d in dl.deadlines(facts(), D(2026, 7, 6)) if d.kind == K.DECISION_RENEWAL]
    assert "終了しています" in due.message and due.object_id == FIRST_DECISION.id


def test_renewal_not_flagged_with_a_following_decision_or_when_the_window_ends_with_it():
    today = FIRST_DECISION.ends_on - timedelta(days=10)
    following = Decision(D(2026, 7, 6), D(2027, 7, 5))
    assert of_kind(K.DECISION_RENEWAL, today, decisions=(FIRST_DECISION, following)) == []
    short = Window(WINDOW.starts_on, FIRST_DECISION.ends_on)
    assert of_kind(K.DECISION_RENEWAL, today, window=short) == []


# --- a month in service with no decision: from its first day ---


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 7, 5), []),  # the decision's last day
        (D(2026, 7, 6), []),  # July still has service days covered (1–5)
        (D(2026, 7, 31), []),
        (D(2026, 8, 1), [(D(2026, 8, 1), URGENT)]),  # August: flagged from its first day
        (D(2026, 8, 31), [(D(2026, 8, 1), URGENT)]),
        (D(2026, 9, 1), [(D(2026, 9, 1), URGENT)]),
    ],
)
def test_a_month_with_no_decision_is_flagged_from_its_first_day(today, expected):
    assert of_kind(K.DECISION_MISSING, today) == expected


# --- the first application: month 2, urgent at month 5, and after the possible start ---


@pytest.mark.parametrize(
    ("hired_on", "today", "month"),
    [
        (D(2026, 1, 31), D(2026, 1, 30), 0),
        (D(2026, 1, 31), D(2026, 1, 31), 1),
        (D(2026, 1, 31), D(2026, 2, 27), 1),
        # Was 2 under the clamp: a month counted from 01-31 ends on 02-28 (no 02-31: the month's last
        # day, 民法 143), so month 2 starts on 03-01.
        (D(2026, 1, 31), D(2026, 2, 28), 1),
        (D(2026, 1, 31), D(2026, 3, 1), 2),
        (D(2026, 1, 31), D(2026, 7, 31), 7),
        (D(2026, 4, 1), D(2026, 10, 1), 7),  # H + 6 months: service may start
        (D(2024, 8, 31), D(2024, 9, 30), 1),  # 08-31 + 1 month ends 09-30: month 2 from 10-01
        (D(2024, 8, 31), D(2024, 10, 1), 2),
        (D(2024, 8, 31), D(2025, 2, 28), 6),  # service from 2025-03-01 (domain.md), so month 6 still
        (D(2024, 8, 31), D(2025, 3, 1), 7),
    ],
)
def test_employment_month(hired_on, today, month):
    assert dl.employment_month(hired_on, today) == month


def test_application_timeline_day_by_day():
    """From month 2 (2025-02-06) a warning, urgent from month 5 (2025-05-06), and after the possible
    start (2025-07-06) it stays urgent until a decision is recorded."""
    for today in days(D(2025, 2, 1), D(2025, 9, 30)):
        got = of_kind(K.APPLICATION_PREPARATION, today, decisions=())
        if today < D(2025, 2, 6):
            assert got == [], today
        elif today < D(2025, 5, 6):
            assert got == [(WINDOW.starts_on, WARNING)], today
        else:
            assert got == [(WINDOW.starts_on, URGENT)], today


def test_application_not_flagged_with_a_decision_from_the_start():
    assert of_kind(K.APPLICATION_PREPARATION, D(2025, 5, 10)) == []
    assert of_kind(K.APPLICATION_PREPARATION, D(2025, 8, 10)) == []


def test_application_with_a_late_decision_hands_over_to_the_month_without_decision():
    late = Decision(D(2025, 9, 1), D(2026, 8, 31))
    assert of_kind(K.APPLICATION_PREPARATION, D(2025, 5, 10), decisions=(late,))  # does not cover the start
    assert of_kind(K.APPLICATION_PREPARATION, D(2025, 8, 10), decisions=(late,)) == []
    assert of_kind(K.DECISION_MISSING, D(2025, 8, 10), decisions=(late,)) == [(D(2025, 8, 1), URGENT)]


# --- reviews, plans in effect and the plan workflow ---

PLAN_START = D(2025, 7, 6)  # first review due 2025-10-05 (3 months from 07-06 end 10-05, 民法 143)


@pytest.mark.parametrize(
    ("today", "review_days", "expected"),
    [
        (D(2025, 9, 20), (), []),  # 15 days before
        (D(2025, 9, 21), (), [(K.REVIEW_DUE_SOON, D(2025, 10, 5), WARNING)]),  # 14 days before
        (D(2025, 10, 5), (), [(K.REVIEW_DUE_SOON, D(2025, 10, 5), WARNING)]),  # the due day
        (D(2025, 10, 6), (), [(K.REVIEW_OVERDUE, D(2025, 10, 5), URGENT)]),
        (D(2025, 10, 7), (D(2025, 10, 1),), []),  # reviewed: next due 2026-01-01
        (D(2025, 12, 18), (D(2025, 10, 1),), [(K.REVIEW_DUE_SOON, D(2026, 1, 1), WARNING)]),
        (D(2025, 10, 7), (D(2025, 6, 1),), [(K.REVIEW_OVERDUE, D(2025, 10, 5), URGENT)]),  # before the plan
    ],
)
def test_review_due_within_14_days_and_overdue(today, review_days, expected):
    got = [
        (d.kind, d.due_on, d.severity)
        for d in dl.deadlines(facts(review_days=review_days), today)
        if d.kind in (K.REVIEW_DUE_SOON, K.REVIEW_OVERDUE)
    ]
    assert got == expected


def test_plan_missing_counts_the_months_of_the_run():
    none = facts(plans=())
    for today, n in ((D(2025, 7, 6), 1), (D(2025, 8, 31), 2), (D(2025, 9, 1), 3), (D(2025, 12, 1), 6)):
        [due] = [d for d in dl.deadlines(none, today) if d.kind == K.PLAN_MISSING]
        assert (due.due_on, due.severity) == (D(today.year, today.month, 1), URGENT)
        assert f"計画未作成{n}か月目" in due.message, today


def test_agreed_but_not_delivered_is_no_plan_and_waits_for_delivery():
    agreed = PlanState(5, 1, "agreed", D(2025, 7, 6), D(2026, 7, 5), D(2025, 7, 6), None)
    got = {d.kind for d in dl.deadlines(facts(plans=(agreed,)), D(2025, 8, 10))}
    assert {K.PLAN_MISSING, K.PLAN_AWAITING_DELIVERY} <= got


def test_a_plan_whose_period_ended_is_no_plan():
    ended = PlanState(5, 1, "delivered", D(2025, 7, 6), D(2025, 9, 30), D(2025, 7, 6), D(2025, 7, 6))
    assert of_kind(K.PLAN_MISSING, D(2025, 9, 30), plans=(ended,)) == []
    assert of_kind(K.PLAN_MISSING, D(2025, 10, 1), plans=(ended,)) == [(D(2025, 10, 1), URGENT)]


def test_plan_steps_waiting():
    draft = PlanState(7, 2, "draft", D(2025, 9, 1), D(2026, 2, 28))
    approved = PlanState(8, 2, "approved", D(2025, 9, 1), D(2026, 2, 28))
    assert of_kind(K.PLAN_AWAITING_APPROVAL, D(2025, 8, 20), plans=(PLAN, draft)) == [(D(2025, 9, 1), WARNING)]
    assert of_kind(K.PLAN_AWAITING_APPROVAL, D(2025, 9, 2), plans=(PLAN, draft)) == [(D(2025, 9, 1), URGENT)]
    assert of_kind(K.PLAN_AWAITING_CONSENT, D(2025, 8, 20), plans=(PLAN, approved)) == [
        (D(2025, 9, 1), WARNING)
    ]


def test_no_window_no_deadlines():
    assert dl.deadlines(DeadlineFacts(client_id=1, window=None), D(2025, 10, 1)) == []
