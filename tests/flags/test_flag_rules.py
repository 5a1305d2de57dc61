"""flags.rules: which flags a client should have on a day, from plain values. One row per threshold edge."""

from datetime import date, timedelta

import pytest

from cases.rules import Window
from flags import rules
from flags.rules import DeadlineFacts, Decision
from visits import rules as v

SEPT = date(2025, 9, 1)


def verdict(*reasons, warnings=()):
    return v.Verdict(billable=not reasons, reasons=tuple(reasons), warnings=tuple(warnings))


def kinds(flags):
    return sorted((f.kind, f.period, f.severity) for f in flags)


@pytest.mark.parametrize(
    ("month", "today", "expected"),
    [
        (SEPT, date(2025, 9, 1), None),
        (SEPT, date(2025, 9, 19), None),
        (SEPT, date(2025, 9, 20), rules.WARNING),
        (SEPT, date(2025, 9, 25), rules.WARNING),  # 30-day month: the last 5 days are 26–30
        (SEPT, date(2025, 9, 26), rules.URGENT),
        (SEPT, date(2025, 9, 30), rules.URGENT),
        (date(2025, 10, 1), date(2025, 10, 26), rules.WARNING),  # 31 days: 27–31
        (date(2025, 10, 1), date(2025, 10, 27), rules.URGENT),
        (date(2026, 2, 1), date(2026, 2, 23), rules.WARNING),  # February: 24–28
        (date(2026, 2, 1), date(2026, 2, 24), rules.URGENT),
        (date(2028, 2, 1), date(2028, 2, 24), rules.WARNING),  # leap February: 25–29
        (date(2028, 2, 1), date(2028, 2, 25), rules.URGENT),
    ],
)
def test_no_contact_yet_from_the_20th_and_urgent_in_the_last_five_days(month, today, expected):
    flags = rules.month_flags(month, today, verdict(v.NO_FACE_TO_FACE))
    assert kinds(flags) == ([(rules.NO_CONTACT_YET, month, expected)] if expected else [])
    assert all("対面支援" in f.message for f in flags)


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2025, 9, 19), []), (date(2025, 9, 20), [(rules.NO_SUPPORT_REPORT, SEPT, rules.WARNING)])],
)
def test_no_support_report_warns_from_the_20th(today, expected):
    assert kinds(rules.month_flags(SEPT, today, verdict(v.NO_SUPPORT_REPORT))) == expected


def test_face_to_face_done_gives_no_contact_flag():
    assert rules.month_flags(SEPT, date(2025, 9, 29), verdict()) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 9, 19), []),
        (date(2025, 9, 20), [(rules.NO_EMPLOYER_VISIT, SEPT, rules.INFO)]),
        (date(2025, 10, 1), [(rules.NO_EMPLOYER_VISIT, SEPT, rules.WARNING)]),  # closed: still billable
    ],
)
def test_no_employer_visit_is_an_effort_duty(today, expected):
    assert kinds(rules.month_flags(SEPT, today, verdict(warnings=[v.NO_EMPLOYER_VISIT]))) == expected


@pytest.mark.parametrize("today", [date(2025, 9, 1), date(2025, 10, 1)])
def test_no_agreed_plan_flags_at_once(today):
    assert kinds(rules.month_flags(SEPT, today, verdict(warnings=[v.NO_AGREED_PLAN]))) == [
        (rules.NO_AGREED_PLAN, SEPT, rules.WARNING)
    ]


def test_closed_month_not_billable_is_urgent_with_its_reasons():
    flags = rules.month_flags(SEPT, date(2025, 10, 1), verdict(v.NO_FACE_TO_FACE, v.NO_SUPPORT_REPORT))
    assert kinds(flags) == [(rules.MONTH_NOT_BILLABLE, SEPT, rules.URGENT)]
    assert "対面支援なし" in flags[0].message and "支援レポート未共有" in flags[0].message


def test_closed_billable_month_and_future_month_have_no_flags():
    assert rules.month_flags(SEPT, date(2025, 10, 15), verdict()) == []
    assert rules.month_flags(date(2025, 11, 1), date(2025, 10, 25), verdict(v.NO_FACE_TO_FACE)) == []


# Deadlines. H = 2025-01-06: service from 2025-07-06 to 2028-07-05.
HIRED = date(2025, 1, 6)
WINDOW = Window(date(2025, 7, 6), date(2028, 7, 5))
FIRST_DECISION = Decision(date(2025, 7, 6), date(2026, 7, 5))


def facts(**overrides):
    values = {"window": WINDOW, "hired_on": HIRED, "decisions": (FIRST_DECISION,)}
    values.update(overrides)
    return DeadlineFacts(**values)


def of_kind(kind, flags):
    return [(f.period, f.severity) for f in flags if f.kind == kind]


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(61, None), (60, rules.WARNING), (31, rules.WARNING), (30, rules.URGENT), (0, rules.URGENT), (-1, None)],
)
def test_decision_renewal_60_and_30_days_before_it_ends(days_before, expected):
    today = FIRST_DECISION.ends_on - timedelta(days=days_before)
    got = of_kind(rules.DECISION_RENEWAL, rules.deadline_flags(facts(), today))
    assert got == ([(FIRST_DECISION.ends_on, expected)] if expected else [])


def test_decision_renewal_not_flagged_with_a_following_decision_or_when_the_window_ends_with_it():
    today = FIRST_DECISION.ends_on - timedelta(days=10)
    following = Decision(date(2026, 7, 6), date(2027, 7, 5))
    assert (
        of_kind(
            rules.DECISION_RENEWAL, rules.deadline_flags(facts(decisions=(FIRST_DECISION, following)), today)
        )
        == []
    )
    short = Window(WINDOW.starts_on, FIRST_DECISION.ends_on)
    assert of_kind(rules.DECISION_RENEWAL, rules.deadline_flags(facts(window=short), today)) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 2, 5), None),  # month 1 after hire
        (date(2025, 2, 6), rules.WARNING),  # month 2
        (date(2025, 5, 5), rules.WARNING),  # month 4
        (date(2025, 5, 6), rules.URGENT),  # month 5: escalated
        (date(2025, 6, 6), rules.URGENT),  # month 6: still urgent until the service can start
        (date(2025, 7, 6), None),  # service start: the month verdict (no decision) takes over
    ],
)
def test_application_prep_from_month_2_escalated_at_month_5(today, expected):
    got = of_kind(rules.APPLICATION_PREP, rules.deadline_flags(facts(decisions=()), today))
    assert got == ([(date(2025, 7, 6), expected)] if expected else [])


def test_application_prep_not_flagged_with_a_decision_starting_by_month_7():
    assert of_kind(rules.APPLICATION_PREP, rules.deadline_flags(facts(), date(2025, 5, 10))) == []
    late = Decision(date(2025, 8, 1), date(2026, 7, 31))
    assert of_kind(rules.APPLICATION_PREP, rules.deadline_flags(facts(decisions=(late,)), date(2025, 5, 10)))


@pytest.mark.parametrize(
    ("hired_on", "today", "month"),
    [
        (date(2025, 1, 31), date(2025, 1, 30), 0),
        (date(2025, 1, 31), date(2025, 1, 31), 1),
        (date(2025, 1, 31), date(2025, 2, 27), 1),
        (date(2025, 1, 31), date(2025, 2, 28), 2),  # month ends clamp: Jan 31 + 1 month = Feb 28
        (date(2024, 8, 31), date(2024, 9, 29), 1),
        (date(2024, 8, 31), date(2024, 9, 30), 2),
        (date(2024, 8, 31), date(2025, 2, 28), 7),
    ],
)
def test_month_after_hire_clamps_month_ends(hired_on, today, month):
    assert rules.month_after_hire(hired_on, today) == month


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [
        (121, None),
        (120, rules.WARNING),
        (90, rules.WARNING),
        (89, rules.URGENT),
        (0, rules.URGENT),
        (-1, None),
    ],
)
def test_window_ending_from_120_days_urgent_under_90(days_before, expected):
    today = WINDOW.ends_on - timedelta(days=days_before)
    decisions = (Decision(date(2027, 7, 6), date(2028, 7, 5)),)
    got = of_kind(rules.WINDOW_ENDING, rules.deadline_flags(facts(decisions=decisions), today))
    assert got == ([(WINDOW.ends_on, expected)] if expected else [])


def test_window_ending_not_flagged_once_information_was_shared():
    today = WINDOW.ends_on - timedelta(days=100)
    assert of_kind(rules.WINDOW_ENDING, rules.deadline_flags(facts(info_shared_on=today), today)) == []


PLAN_START = date(2025, 7, 6)  # first review due 2025-10-06


@pytest.mark.parametrize(
    ("today", "last_review_on", "expected"),
    [
        (date(2025, 9, 21), None, []),  # 15 days before
        (date(2025, 9, 22), None, [(rules.REVIEW_DUE, date(2025, 10, 6), rules.WARNING)]),  # 14 days
        (date(2025, 10, 6), None, [(rules.REVIEW_DUE, date(2025, 10, 6), rules.WARNING)]),  # due day
        (date(2025, 10, 7), None, [(rules.REVIEW_OVERDUE_KIND, date(2025, 10, 6), rules.URGENT)]),
        (date(2025, 10, 7), date(2025, 10, 1), []),  # reviewed: next due 2026-01-01
        (date(2025, 12, 18), date(2025, 10, 1), [(rules.REVIEW_DUE, date(2026, 1, 1), rules.WARNING)]),
        (date(2025, 10, 7), date(2025, 6, 1), [(rules.REVIEW_OVERDUE_KIND, date(2025, 10, 6), rules.URGENT)]),
    ],
)
def test_review_due_within_14_days_and_overdue(today, last_review_on, expected):
    flags = rules.deadline_flags(facts(plan_starts_on=PLAN_START, last_review_on=last_review_on), today)
    got = sorted(
        (f.kind, f.period, f.severity)
        for f in flags
        if f.kind in (rules.REVIEW_DUE, rules.REVIEW_OVERDUE_KIND)
    )
    assert got == expected


def test_no_plan_no_review_flags_and_no_window_no_deadlines():
    assert of_kind(rules.REVIEW_DUE, rules.deadline_flags(facts(), date(2025, 10, 1))) == []
    assert rules.deadline_flags(DeadlineFacts(window=None), date(2025, 10, 1)) == []
