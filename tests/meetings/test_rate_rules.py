"""就労定着率 and 就労定着実績体制加算, from plain facts (../shared/domain.md "After the service: follow-up
and the office's rates" and the basic-fee tiers under "Fees, add-ons and reductions")."""

from datetime import date
from decimal import Decimal

import pytest

from cases.rules import Job
from meetings.rules import (
    NO,
    UNKNOWN,
    YES,
    ClientFacts,
    FollowUpFact,
    continuity,
    follow_up_year_ends,
    retention_rate,
    tier_for,
    track_record,
)


def facts(i, jobs, used=(date(2023, 1, 1), date(2025, 6, 30)), ended=None, follow_ups=()):
    return ClientFacts(i, f"利用者{i}", continuity([Job(*j) for j in jobs]), used[0], used[1], ended,
                       tuple(FollowUpFact(*f) for f in follow_ups))


# --- tiers ---

@pytest.mark.parametrize("rate, tier", [
    ("1", "95"), ("0.95", "95"), ("0.9499", "90"), ("0.90", "90"), ("0.8", "80"), ("0.7999", "70"),
    ("0.5", "50"), ("0.3", "30"), ("0.2999", "0"), ("0", "0"),
])
def test_tier_boundaries(rate, tier):
    assert tier_for(Decimal(rate)) == tier


def test_no_clients_no_tier():
    assert tier_for(None) is None


# --- follow-up year ends ---

@pytest.mark.parametrize("hired, ended, expected", [
    # hired 2020-04-01: 78 months end 2026-09-30 → year ends after the service to 2026-03-31
    (date(2020, 4, 1), date(2023, 9, 30), [date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)]),
    # service ended on a year end: that day is service, the next year end is the first
    (date(2020, 4, 1), date(2024, 3, 31), [date(2025, 3, 31), date(2026, 3, 31)]),
    # 78 months end exactly on a year end (hired 2019-10-01 → 2026-03-31): included
    (date(2019, 10, 1), date(2023, 3, 31), [date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)]),
    # an early leaver (month 10) is followed up as well
    (date(2024, 6, 1), date(2025, 3, 10), [date(2025, 3, 31), date(2026, 3, 31), date(2027, 3, 31),
                                           date(2028, 3, 31), date(2029, 3, 31), date(2030, 3, 31)]),
])
def test_follow_up_year_ends(hired, ended, expected):
    assert follow_up_year_ends(hired, ended) == expected


# --- 就労定着率 for FY2026: used in FY2023–FY2025, employed on 2026-03-31 ---

RATE_CASES = [
    ("in service and employed", facts(1, [(date(2024, 1, 10), None)]), True, True),
    ("left before the year end (early leaver)", facts(2, [(date(2024, 1, 10), date(2025, 2, 1))],
                                                          ended=date(2025, 2, 1)), True, False),
    ("job change within a month keeps the employment",
     facts(3, [(date(2024, 1, 10), date(2025, 1, 31)), (date(2025, 2, 20), None)]), True, True),
    ("a second change ends it",
     facts(4, [(date(2023, 1, 10), date(2024, 1, 31)), (date(2024, 2, 10), date(2025, 1, 31)),
               (date(2025, 2, 10), None)]), True, False),
    ("former client, follow-up yes", facts(5, [(date(2021, 1, 10), None)], ended=date(2024, 7, 9),
                                           follow_ups=[(date(2026, 3, 31), YES)]), True, True),
    ("former client, follow-up no", facts(6, [(date(2021, 1, 10), None)], ended=date(2024, 7, 9),
                                          follow_ups=[(date(2026, 3, 31), NO, date(2025, 12, 1))]), True, False),
    ("former client, follow-up unknown", facts(7, [(date(2021, 1, 10), None)], ended=date(2024, 7, 9),
                                               follow_ups=[(date(2026, 3, 31), UNKNOWN)]), True, False),
    ("former client, no follow-up", facts(8, [(date(2021, 1, 10), None)], ended=date(2024, 7, 9)), True, False),
    ("used only before the 3 years", facts(9, [(date(2018, 1, 10), None)],
                                           used=(date(2018, 8, 1), date(2023, 3, 31))), False, False),
    ("never used (no face-to-face contact)", facts(10, [(date(2025, 1, 10), None)], used=(None, None)),
     False, False),
]


@pytest.mark.parametrize("name, client, counted, achieved", RATE_CASES, ids=[c[0] for c in RATE_CASES])
def test_retention_rate_rows(name, client, counted, achieved):
    row = retention_rate(2026, [client]).rows[0]
    assert (row.counted, row.achieved) == (counted, achieved)
    assert row.reason


def test_retention_rate_totals_and_tier():
    result = retention_rate(2026, [c for _n, c, _a, _b in RATE_CASES])
    assert (result.counted, result.achieved) == (8, 3)
    assert result.rate == Decimal("0.3750") and result.tier == "30"
    assert result.unknown == 2  # follow-up unknown, follow-up missing


# --- 就労定着実績体制加算 for FY2026: service ended FY2020–FY2025, 42 to under 78 months ---

TRACK_CASES = [
    ("still employed at 2026-03-31, 50 months", facts(1, [(date(2022, 1, 10), None)], ended=date(2025, 7, 9),
                                                      follow_ups=[(date(2026, 3, 31), YES)]), True, True),
    ("early leaver: left at month 10", facts(2, [(date(2024, 1, 10), date(2024, 11, 1))], ended=date(2024, 11, 1)),
     True, False),
    ("left at month 45 (known from follow-up)", facts(3, [(date(2020, 1, 10), None)], ended=date(2023, 7, 9),
                                                     follow_ups=[(date(2024, 3, 31), NO, date(2023, 10, 20))]),
     True, True),
    ("job change within a month counts as continued",
     facts(4, [(date(2021, 4, 1), date(2022, 3, 31)), (date(2022, 4, 15), None)], ended=date(2024, 9, 30),
           follow_ups=[(date(2025, 3, 31), YES), (date(2026, 3, 31), YES)]), True, True),
    ("unknown follow-up: not counted, listed as unknown",
     facts(5, [(date(2022, 6, 10), None)], ended=date(2025, 7, 9), follow_ups=[(date(2026, 3, 31), UNKNOWN)]),
     True, False),
    ("78 months or more: outside 42 to under 78", facts(6, [(date(2019, 4, 1), None)], ended=date(2022, 9, 30),
                                                       follow_ups=[(date(2026, 3, 31), YES)]), True, False),
    ("still in service: not finished", facts(7, [(date(2024, 1, 10), None)]), False, False),
    ("finished before the 6 years", facts(8, [(date(2014, 1, 10), None)], ended=date(2017, 7, 9)), False, False),
]


@pytest.mark.parametrize("name, client, counted, achieved", TRACK_CASES, ids=[c[0] for c in TRACK_CASES])
def test_track_record_rows(name, client, counted, achieved):
    row = track_record(2026, [client], date(2015, 4, 1)).rows[0]
    assert (row.counted, row.achieved) == (counted, achieved), row.reason


def test_reaching_month_42_in_service_is_enough_whatever_came_later():
    """Employed through the last day of month 42 (service end) and evaluated before month 78."""
    client = facts(9, [(date(2022, 1, 10), None)], ended=date(2025, 7, 9), follow_ups=[(date(2026, 3, 31), UNKNOWN)])
    assert track_record(2026, [client], date(2015, 4, 1)).rows[0].achieved


def test_track_record_share_and_notification():
    result = track_record(2026, [c for _n, c, _a, _b in TRACK_CASES], date(2015, 4, 1))
    assert (result.counted, result.achieved) == (6, 3)
    assert result.rate == Decimal("0.5000") and not result.notifiable
    assert result.unknown == 1
    good = track_record(2026, [TRACK_CASES[0][1], TRACK_CASES[2][1], TRACK_CASES[3][1]], date(2015, 4, 1))
    assert good.rate == Decimal("1.0000") and good.notifiable


@pytest.mark.parametrize("designated_on, notifiable", [
    (date(2025, 4, 1), True),  # one year has passed on 2026-04-01
    (date(2025, 4, 2), False),  # the first year after designation runs to 2026-04-01
    (None, False),
])
def test_not_in_the_first_year_after_designation(designated_on, notifiable):
    client = TRACK_CASES[0][1]
    assert track_record(2026, [client], designated_on).notifiable is notifiable
