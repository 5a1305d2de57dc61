"""visits.rules.month_verdict: one row per rule, edge days included."""

from datetime import date

import pytest

from cases.rules import Window
from visits.rules import (
    EMPLOYER_CONSENT_MISSING,
    NO_AGREED_PLAN,
    NO_DECISION,
    NO_EMPLOYER_REPORT,
    NO_EMPLOYER_VISIT,
    NO_FACE_TO_FACE,
    NO_SUPPORT_REPORT,
    OUTSIDE_WINDOW,
    ContactFact,
    DecisionPeriod,
    Verdict,
    month_verdict,
)

D = date
WINDOW = Window(D(2025, 4, 10), D(2028, 4, 9))
DECISION = DecisionPeriod(D(2025, 4, 10), D(2026, 4, 9))
PLAN = D(2025, 4, 1)


def interview(day):
    return ContactFact(day, "interview", True)


def workplace(day):
    return ContactFact(day, "workplace_visit", True)


def employer_only(day):
    return ContactFact(day, "employer_visit", False)


def phone(day):
    return ContactFact(day, "phone", False)


def online(day):
    return ContactFact(day, "online", False)


OK = Verdict(True, (), ())

CASES = [
    # id, month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected
    (
        "workplace visit, report shared: billable, no warnings",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "interview plus employer visit",
        D(2025, 6, 30),
        [interview(D(2025, 6, 3)), employer_only(D(2025, 6, 20))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "interview alone: billable, warns of no employer visit",
        D(2025, 6, 15),
        [interview(D(2025, 6, 3))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(True, (), (NO_EMPLOYER_VISIT,)),
    ),
    (
        "no contact at all",
        D(2025, 6, 1),
        [],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), (NO_EMPLOYER_VISIT,)),
    ),
    (
        "phone only is not face to face",
        D(2025, 6, 1),
        [phone(D(2025, 6, 3)), employer_only(D(2025, 6, 4))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), ()),
    ),
    (
        "employer visit alone is not face to face with the client",
        D(2025, 6, 1),
        [employer_only(D(2025, 6, 4))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), ()),
    ),
    (
        "contact in another month does not count",
        D(2025, 6, 1),
        [workplace(D(2025, 5, 31)), workplace(D(2025, 7, 1))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), (NO_EMPLOYER_VISIT,)),
    ),
    (
        "report not shared",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        False,
        False,
        Verdict(False, (NO_SUPPORT_REPORT,), ()),
    ),
    (
        "contact on the window's first day",
        D(2025, 4, 1),
        [workplace(D(2025, 4, 10))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "contact the day before the window starts",
        D(2025, 4, 1),
        [workplace(D(2025, 4, 9))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (OUTSIDE_WINDOW,), ()),
    ),
    (
        "contact on the window's last day",
        D(2028, 4, 1),
        [workplace(D(2028, 4, 9))],
        WINDOW,
        [DecisionPeriod(D(2027, 4, 10), D(2028, 4, 9))],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "contact the day after the window ends",
        D(2028, 4, 1),
        [workplace(D(2028, 4, 10))],
        WINDOW,
        [DecisionPeriod(D(2027, 4, 10), D(2028, 4, 9))],
        PLAN,
        True,
        False,
        Verdict(False, (OUTSIDE_WINDOW,), ()),
    ),
    (
        "month wholly before the window",
        D(2025, 3, 1),
        [workplace(D(2025, 3, 5))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (OUTSIDE_WINDOW, NO_DECISION), ()),
    ),
    (
        "no window (no job)",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 5))],
        None,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (OUTSIDE_WINDOW,), ()),
    ),
    (
        "no decision at all",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 5))],
        WINDOW,
        [],
        PLAN,
        True,
        False,
        Verdict(False, (NO_DECISION,), ()),
    ),
    (
        "decision ends mid-month and the contact is after it",
        D(2026, 4, 1),
        [workplace(D(2026, 4, 20))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_DECISION,), ()),
    ),
    (
        "decision ends mid-month, contact on its last day",
        D(2026, 4, 1),
        [workplace(D(2026, 4, 9))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "renewed decision starts mid-month, contact after the gap",
        D(2026, 4, 1),
        [workplace(D(2026, 4, 20))],
        WINDOW,
        [DECISION, DecisionPeriod(D(2026, 4, 15), D(2027, 4, 14))],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "contact falls in the gap between two decisions",
        D(2026, 4, 1),
        [workplace(D(2026, 4, 12))],
        WINDOW,
        [DECISION, DecisionPeriod(D(2026, 4, 15), D(2027, 4, 14))],
        PLAN,
        True,
        False,
        Verdict(False, (NO_DECISION,), ()),
    ),
    (
        "every condition fails",
        D(2025, 6, 1),
        [],
        WINDOW,
        [],
        None,
        False,
        False,
        Verdict(
            False, (NO_FACE_TO_FACE, NO_DECISION, NO_SUPPORT_REPORT), (NO_EMPLOYER_VISIT, NO_AGREED_PLAN)
        ),
    ),
    (
        "online interview does not count by default",
        D(2025, 6, 1),
        [online(D(2025, 6, 5)), employer_only(D(2025, 6, 6))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), ()),
    ),
    (
        "online interview counts when the office allows it",
        D(2025, 6, 1),
        [online(D(2025, 6, 5)), employer_only(D(2025, 6, 6))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        True,
        OK,
    ),
    (
        "no agreed plan only warns",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 5))],
        WINDOW,
        [DECISION],
        None,
        True,
        False,
        Verdict(True, (), (NO_AGREED_PLAN,)),
    ),
    (
        "plan agreed on the month's last day counts",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 5))],
        WINDOW,
        [DECISION],
        D(2025, 6, 30),
        True,
        False,
        OK,
    ),
    (
        "plan agreed after the month warns",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 5))],
        WINDOW,
        [DECISION],
        D(2025, 7, 1),
        True,
        False,
        Verdict(True, (), (NO_AGREED_PLAN,)),
    ),
    # --- the conditions of issue 13 (keyword facts; the positional ones keep their meanings) ---
    (
        "interview with no 内容 written does not count",
        D(2025, 6, 1),
        [ContactFact(D(2025, 6, 3), "interview", True, written=False), employer_only(D(2025, 6, 4))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_FACE_TO_FACE,), ()),
    ),
    (
        "one written interview among unwritten ones counts",
        D(2025, 6, 1),
        [ContactFact(D(2025, 6, 3), "interview", True, written=False), workplace(D(2025, 6, 9))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
    ),
    (
        "workplace visit without meeting the employer is no employer visit",
        D(2025, 6, 1),
        [ContactFact(D(2025, 6, 9), "workplace_visit", True, employer_met=False)],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(True, (), (NO_EMPLOYER_VISIT,)),
    ),
    (
        "employer visit at which no one of the employer was met",
        D(2025, 6, 1),
        [interview(D(2025, 6, 3)), ContactFact(D(2025, 6, 20), "employer_visit", False, employer_met=False)],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(True, (), (NO_EMPLOYER_VISIT,)),
    ),
    (
        "empty report shared with the client is no report",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_SUPPORT_REPORT,), ()),
        {"report_written": False},
    ),
    (
        "オープン with consent: shared with the client only is not enough",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(False, (NO_EMPLOYER_REPORT,), ()),
        {"employer_report_required": True},
    ),
    (
        "オープン with consent: shared with both is billable",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        OK,
        {"employer_report_required": True, "employer_report_shared": True},
    ),
    (
        "オープン without consent: billable, and says so",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(True, (), (EMPLOYER_CONSENT_MISSING,)),
        {"employer_consent_missing": True},
    ),
    (
        "not written, not shared with the client, nor with the employer: both reasons",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        False,
        False,
        Verdict(False, (NO_SUPPORT_REPORT, NO_EMPLOYER_REPORT), ()),
        {"report_written": False, "employer_report_required": True},
    ),
    (
        "plan agreed but not in effect (not delivered, period over or review overdue) warns",
        D(2025, 6, 1),
        [workplace(D(2025, 6, 12))],
        WINDOW,
        [DECISION],
        PLAN,
        True,
        False,
        Verdict(True, (), (NO_AGREED_PLAN,)),
        {"plan_in_effect": False},
    ),
    (
        "leap February, contact on the 29th",
        D(2028, 2, 1),
        [workplace(D(2028, 2, 29))],
        WINDOW,
        [DecisionPeriod(D(2027, 4, 10), D(2028, 4, 9))],
        PLAN,
        True,
        False,
        OK,
    ),
]


CASE_FIELDS = (
    "month",
    "contacts",
    "window",
    "decisions",
    "plan_agreed_on",
    "report_shared",
    "online_counts",
    "expected",
    "extra",
)
# A row's optional last item holds the keyword facts (month_facts' keyword arguments).
each_case = pytest.mark.parametrize(
    CASE_FIELDS,
    [(*case[1:], {}) if len(case) == 9 else case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)


@each_case
def test_month_verdict(
    month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected, extra
):
    verdict = month_verdict(
        month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts=online_counts, **extra
    )
    assert verdict == expected


def test_any_day_of_the_month_names_the_month():
    contacts = [workplace(D(2025, 6, 12))]
    verdicts = {
        month_verdict(D(2025, 6, day), contacts, WINDOW, [DECISION], PLAN, True) for day in (1, 15, 30)
    }
    assert verdicts == {OK}
