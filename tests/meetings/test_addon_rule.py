"""地域連携会議実施加算: at most once a month and four times a fiscal year per client, (I) and (II) together.

Source: 令和6年度障害福祉サービス等報酬改定, 就労定着支援 地域連携会議実施加算 ((I) 579単位 / (II) 405単位,
「1月に1回、かつ、1年に4回を限度」). The exact 告示 text was not found with the project's search tool; the
rule is taken from ../shared/domain.md "Case meetings (地域連携会議) and the add-on" and "Fees, add-ons and
reductions". The year is the fiscal year (April to March), as the fee tables of the revision are kept.
"""

from datetime import date

import pytest

from meetings.rules import ADDON_I, ADDON_II, MeetingFacts, addon_verdicts


def m(i, day, presenter="manager", **kwargs):
    reported = kwargs.pop("reported", day if presenter == "staff" else None)
    return MeetingFacts(id=i, held_on=day, regional=kwargs.pop("regional", True), presenter_role=presenter,
                        reported_to_manager_on=reported, **kwargs)


CASES = [
    # (name, meetings, counted ids, kinds of counted)
    ("one meeting (I)", [m(1, date(2026, 5, 10))], {1}, {1: ADDON_I}),
    ("(II) reported to the manager", [m(1, date(2026, 5, 10), "staff")], {1}, {1: ADDON_II}),
    ("(II) not yet reported", [m(1, date(2026, 5, 10), "staff", reported=None)], set(), {}),
    ("two in one month: the first counts",
     [m(1, date(2026, 5, 10)), m(2, date(2026, 5, 31), "staff")], {1}, {1: ADDON_I}),
    ("same day: the one recorded first", [m(2, date(2026, 5, 10)), m(1, date(2026, 5, 10))], {1}, {}),
    ("month boundary: 5/31 and 6/1 both count", [m(1, date(2026, 5, 31)), m(2, date(2026, 6, 1))], {1, 2}, {}),
    ("five in a fiscal year: the fifth not",
     [m(i, date(2026, 3 + i, 1)) for i in range(1, 6)], {1, 2, 3, 4}, {}),
    ("(I) and (II) together toward four",
     [m(1, date(2026, 4, 2)), m(2, date(2026, 5, 2), "staff"), m(3, date(2026, 6, 2)),
      m(4, date(2026, 7, 2), "staff"), m(5, date(2026, 8, 2), "staff")], {1, 2, 3, 4}, {}),
    ("the fiscal year starts in April: March and April in different years",
     [m(i, date(2025, 11 + i, 1) if i < 2 else date(2026, i - 1, 1)) for i in range(1, 5)]
     + [m(5, date(2026, 4, 1)), m(6, date(2026, 5, 1))], {1, 2, 3, 4, 5, 6}, {}),
    ("no consent on the day: recorded, not counted, does not use the month",
     [m(1, date(2026, 5, 1), consent=False), m(2, date(2026, 5, 20))], {2}, {}),
    ("no outside organisation", [m(1, date(2026, 5, 1), outside_organisations=0)], set(), {}),
    ("another case meeting is never an add-on", [m(1, date(2026, 5, 1), regional=False)], set(), {}),
]


@pytest.mark.parametrize("name, meetings, counted, kinds", CASES, ids=[c[0] for c in CASES])
def test_addon_verdicts(name, meetings, counted, kinds):
    verdicts = addon_verdicts(meetings)
    assert {i for i, v in verdicts.items() if v.counted} == counted
    for i, kind in kinds.items():
        assert verdicts[i].kind == kind
    for i, v in verdicts.items():
        assert v.counted or v.reasons, f"meeting {i} not counted without a reason"


def test_the_fifth_meeting_says_why():
    verdicts = addon_verdicts([m(i, date(2026, 3 + i, 3)) for i in range(1, 6)])
    assert not verdicts[5].counted
    assert "2026年度は既に4回算定しています" in verdicts[5].reasons[0]
    assert "2026/04/03" in verdicts[5].reasons[0]


def test_the_second_in_a_month_names_the_first():
    verdicts = addon_verdicts([m(1, date(2026, 5, 10)), m(2, date(2026, 5, 20))])
    assert "2026/05/10" in verdicts[2].reasons[0] and "月1回まで" in verdicts[2].reasons[0]
