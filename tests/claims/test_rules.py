"""The claim's arithmetic: the official examples of the README, one row per add-on and reduction."""

from decimal import Decimal

import pytest

from claims import rules
from claims.rules import Line, Reduction

D = Decimal


@pytest.mark.parametrize(
    "units, rate, expected",
    [
        (587, D("0.70"), 411),  # 410.9 → 411
        (411, D("1.5"), 617),  # 616.5 → 617, half up (round() would give 616)
        (3522, D("0.15"), 528),  # 587 × 6 = 3,522 × 15% = 528.3 → 528
        (1, D("0.5"), 1),  # 0.5 → 1
        (3, D("0.5"), 2),  # 1.5 → 2
        (5, D("0.5"), 3),  # 2.5 → 3, not 2
        (3512, D("1"), 3512),
    ],
)
def test_scaled_units_rounds_half_up_each_step(units, rate, expected):
    assert rules.scaled_units(units, rate) == expected


def test_percentages_are_applied_one_at_a_time():
    assert rules.scaled_units(rules.scaled_units(587, D("0.70")), D("1.5")) == 617
    assert rules.scaled_units(587, D("0.70") * D("1.5")) == 616  # multiplied first: the wrong answer


@pytest.mark.parametrize(
    "units, price, expected",
    [(2468, D("11.20"), 27641), (3512, D("10.00"), 35120), (1, D("10.999"), 10), (0, D("11.14"), 0)],
)
def test_total_cost_floors_once(units, price, expected):
    assert rules.total_cost(units, price) == expected


@pytest.mark.parametrize(
    "cost, cap, burden",
    [(27641, 37200, 2764), (27641, 9300, 2764), (35120, 0, 0), (100000, 9300, 9300), (9, 9300, 0)],
)
def test_user_burden_and_benefit(cost, cap, burden):
    assert rules.user_burden(cost, cap) == burden
    assert rules.benefit(cost, burden) == cost - burden


FEE = 3512
MEETING_UNITS = {"I": 579, "II": 405}


@pytest.mark.parametrize(
    "case, kwargs, expected",
    [
        ("basic only", {}, [Line("basic:95", 3512)]),
        ("not billable", {"billable": False}, []),
        ("no tier", {"tier": None, "basic_units": None}, []),
        ("meeting I", {"meetings": ["I"]}, [Line("basic:95", 3512), Line("addon:meeting_1", 579)]),
        ("meeting II", {"meetings": ["II"]}, [Line("basic:95", 3512), Line("addon:meeting_2", 405)]),
        (
            "one meeting a month",
            {"meetings": ["II", "I"]},
            [Line("basic:95", 3512), Line("addon:meeting_2", 405)],
        ),
        (
            "就労定着実績体制加算",
            {"monthly_addons": [("retention_results", 300)]},
            [Line("basic:95", 3512), Line("addon:retention_results", 300)],
        ),
        (
            "職場適応援助者配置体制加算",
            {"monthly_addons": [("job_coach", 120)]},
            [Line("basic:95", 3512), Line("addon:job_coach", 120)],
        ),
        (
            "特別地域加算",
            {"monthly_addons": [("special_area", 240)]},
            [Line("basic:95", 3512), Line("addon:special_area", 240)],
        ),
        (
            "計画未作成 1-2か月目 70%",
            {"reductions": [Reduction("no_plan", D("0.70"))]},
            [Line("basic:95+no_plan70", 2458)],  # 2458.4
        ),
        (
            "計画未作成 3か月目から 50%",
            {"reductions": [Reduction("no_plan", D("0.50"))]},
            [Line("basic:95+no_plan50", 1756)],
        ),
        (
            "サビ管欠如 70%",
            {"reductions": [Reduction("manager_vacancy", D("0.70"))]},
            [Line("basic:95+manager_vacancy70", 2458)],
        ),
        (
            "支援体制構築未実施 −10%",
            {"reductions": [Reduction("handover_system", D("0.90"))]},
            [Line("basic:95+handover_system90", 3161)],  # 3160.8
        ),
        (
            "虐待防止措置未実施 −1%",
            {"reductions": [Reduction("abuse_prevention", D("0.99"))]},
            [Line("basic:95+abuse_prevention99", 3477)],  # 3476.88
        ),
        (
            "業務継続計画未策定 −1%",
            {"reductions": [Reduction("business_continuity", D("0.99"))]},
            [Line("basic:95+business_continuity99", 3477)],
        ),
        (
            "情報公表未報告 −5%",
            {"reductions": [Reduction("information_disclosure", D("0.95"))]},
            [Line("basic:95+information_disclosure95", 3336)],  # 3336.4
        ),
        (
            "two reductions in order, rounded each time, add-ons not reduced",
            {
                "reductions": [Reduction("business_continuity", D("0.99")), Reduction("no_plan", D("0.70"))],
                "monthly_addons": [("retention_results", 300)],
                "meetings": ["I"],
            },
            # no_plan first: 3512 × 0.7 = 2458.4 → 2458; × 0.99 = 2433.42 → 2433
            [
                Line("basic:95+no_plan70+business_continuity99", 2433),
                Line("addon:retention_results", 300),
                Line("addon:meeting_1", 579),
            ],
        ),
    ],
)
def test_claim_lines(case, kwargs, expected):
    args = {"billable": True, "tier": "95", "basic_units": FEE, "meeting_units": MEETING_UNITS, **kwargs}
    assert rules.claim_lines(**args) == expected, case


@pytest.mark.parametrize(
    "tier, units",
    [("95", 3512), ("90", 3348), ("80", 2768), ("70", 2234), ("50", 1690), ("30", 1433), ("0", 1074)],
)
def test_basic_line_per_tier(tier, units):
    assert rules.claim_lines(billable=True, tier=tier, basic_units=units) == [Line(f"basic:{tier}", units)]


def test_amounts_of_a_month():
    lines = [Line("basic:80", 2468)]
    amounts = rules.claim_amounts(lines, D("11.20"), 37200)
    assert amounts == rules.Amounts(units=2468, total_cost=27641, tenth=2764, burden=2764, benefit=24877)


@pytest.mark.parametrize(
    "result, amount, burden",
    [(None, None, 2764), (1, None, 0), (2, None, 2764), (3, 1000, 1000), (3, 5000, 2764)],
)
def test_cap_management_result_decides_the_burden(result, amount, burden):
    amounts = rules.claim_amounts(
        [Line("basic:80", 2468)], D("11.20"), 37200, cap_result=result, cap_result_amount=amount
    )
    assert amounts.burden == burden
    assert amounts.benefit == 27641 - burden


@pytest.mark.parametrize(
    "steps, nth, rate",
    [
        ([(1, D("0.7")), (3, D("0.5"))], 1, D("0.7")),
        ([(1, D("0.7")), (3, D("0.5"))], 2, D("0.7")),
        ([(1, D("0.7")), (3, D("0.5"))], 3, D("0.5")),
        ([(1, D("0.7")), (3, D("0.5"))], 12, D("0.5")),
        ([(3, D("0.5"))], 1, None),
    ],
)
def test_step_rate(steps, nth, rate):
    assert rules.step_rate(steps, nth) == rate


@pytest.mark.parametrize(
    "number, ok",
    [
        ("131041", True),  # 東京都新宿区
        ("131016", True),  # 東京都千代田区
        ("011002", True),  # 北海道札幌市
        ("271004", True),  # 大阪府大阪市
        ("131040", False),
        ("13104", False),
        ("1310411", False),
        ("13104a", False),
        ("１３１０４１", False),
    ],
)
def test_municipality_number_check_digit(number, ok):
    assert rules.municipality_number_ok(number) is ok
