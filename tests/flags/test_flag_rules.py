"""flags.rules: which flags a client should have on a day, from plain values. One row per threshold edge."""

from datetime import date

import pytest

from flags import rules
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


# The previous month: 「今月10日までに請求」 from the 1st to the 10th, 「請求できません」 only after.
@pytest.mark.parametrize(
    ("today", "words"),
    [
        (date(2025, 10, 1), "2025年9月分は今月10日までに請求"),
        (date(2025, 10, 10), "2025年9月分は今月10日までに請求"),
        (date(2025, 10, 11), "2025年9月は請求できません"),
        (date(2025, 11, 1), "2025年9月は請求できません"),  # two months back: no claim day left
    ],
)
def test_previous_month_reads_claim_by_the_10th_then_cannot_be_claimed(today, words):
    [flag] = rules.month_flags(SEPT, today, verdict(v.NO_SUPPORT_REPORT))
    assert (flag.kind, flag.severity) == (rules.MONTH_NOT_BILLABLE, rules.URGENT)
    assert flag.message.startswith(words)
    assert "支援レポート未共有" in flag.message


def test_closed_month_names_the_employer_report_reason():
    [flag] = rules.month_flags(SEPT, date(2025, 10, 20), verdict(v.NO_EMPLOYER_REPORT))
    assert "企業へのレポート未共有" in flag.message
