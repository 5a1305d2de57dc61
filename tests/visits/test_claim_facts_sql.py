"""visits.facts.claim_month_rows (SQL, for the claim of every office) agrees with the Python rule
(visits.rules.month_facts and verdict_from_facts, plans.rules.plan_in_effect and months_without_plan) on
every row of the billable-month rule's table and on random client-months, as month_fact_codes does
(tests/visits/test_month_facts_sql.py, whose records these tests build the same way)."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import F

from cases.models import Client
from cases.rules import Window
from core.dates import month_start, shift_month
from plans.rules import PlanFact, months_without_plan, plan_in_effect
from visits.facts import claim_month_rows
from visits.rules import ContactFact, DecisionPeriod, month_facts, verdict_from_facts

from .test_month_facts_sql import build_client
from .test_month_verdict import CASES, each_case

pytestmark = pytest.mark.django_db


@each_case
def test_sql_claim_facts_match_the_python_rule(
    month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected, extra
):
    client = build_client(
        month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, extra
    )

    [row] = claim_month_rows(Client.objects.filter(pk=client.pk), month)

    facts = month_facts(
        month,
        contacts,
        window,
        decisions,
        plan_agreed_on,
        report_shared,
        online_counts=online_counts,
        **extra,
    )
    assert row == (
        client.pk,
        client.office_id,
        expected.billable,
        1 if facts.in_window and not facts.plan_agreed else 0,
    )
    assert verdict_from_facts(facts) == expected


def test_one_query_for_any_number_of_clients_with_their_columns(django_assert_num_queries):
    case = CASES[0][1:-1]
    clients = [build_client(*case) for _ in range(3)]
    with django_assert_num_queries(1):
        rows = claim_month_rows(
            Client.objects.all(), case[0], lookback=3, columns={"kana": F("family_name_kana")}
        )
    assert sorted(rows) == sorted((c.pk, c.office_id, True, 0, c.family_name_kana) for c in clients)


def random_client_months(rng, n):
    """Client-months drawn as in test_month_facts_sql's random test (windows, decisions, contacts of every
    kind, reports, オープン and consent, plans of every status with reviews, some withdrawn), the plans
    spread over the two months before as well; with the Python rule's answers: whether the month is
    billable, and the months without a plan in effect counted back up to three."""
    kinds = ["interview", "workplace_visit", "employer_visit", "phone", "online"]
    base = date(2025, 5, 1)
    cases = []
    for _ in range(n):
        start = base + timedelta(days=rng.randint(-150, 60))
        window = None if rng.random() < 0.1 else Window(start, start + timedelta(days=rng.randint(20, 400)))
        decisions, day = [], start + timedelta(days=rng.randint(-20, 20))
        for _ in range(rng.randint(0, 3)):
            ends = day + timedelta(days=rng.randint(5, 200))
            decisions.append(DecisionPeriod(day, ends))
            day = ends + timedelta(days=max(1, rng.randint(-3, 15)))  # decisions never overlap (a DB rule)
        month = date(2025, rng.randint(4, 8), 1)
        contacts = [
            ContactFact(
                month + timedelta(days=rng.randint(-3, 33)),
                kind,
                kind in ("interview", "workplace_visit"),
                written=rng.random() < 0.8,
                employer_met=kind == "employer_visit" or rng.random() < 0.5,
            )
            for kind in rng.choices(kinds, k=rng.randint(0, 4))
        ]
        plans, facts_of_plans, all_reviews = [], [], []
        for version in range(1, rng.randint(0, 3) + 1):
            starts = month + timedelta(days=rng.randint(-200, 40))
            agreed = starts + timedelta(days=rng.choice([0, 0, 5, 40]))
            status = rng.choice(["delivered", "delivered", "agreed", "approved"])
            delivered = agreed + timedelta(days=rng.choice([0, 3, 35])) if status == "delivered" else None
            fact = PlanFact(
                version,
                starts,
                starts + timedelta(days=rng.randint(20, 300)),
                agreed if status != "approved" else None,
                delivered,
            )
            reviews = sorted(
                {starts + timedelta(days=rng.randint(-20, 200)) for _ in range(rng.randint(0, 2))}
            )
            reviews = [(day, rng.random() < 0.15) for day in reviews]  # some withdrawn by mistake
            withdrawn = rng.random() < 0.15
            plans.append((fact, status, reviews, withdrawn))
            if not withdrawn:  # withdrawn records are left out of the rule
                facts_of_plans.append(fact)
            all_reviews += [day for day, review_withdrawn in reviews if not review_withdrawn]
        disclosed, consent = rng.random() < 0.5, rng.random() < 0.5
        extra = {
            "report_written": rng.random() < 0.8,
            "employer_report_required": disclosed and consent,
            "employer_report_shared": rng.random() < 0.5,
            "employer_consent_missing": disclosed and not consent,
            "plan_in_effect": plan_in_effect(month, facts_of_plans, all_reviews),
        }
        args = (month, contacts, window, decisions, None, rng.random() < 0.7, rng.random() < 0.3)
        # records entered by mistake and withdrawn, stored beside: left out by both paths
        withdrawn = [name for name in ("decision", "report", "consent") if rng.random() < 0.25]
        client = build_client(*args, extra, plans=plans, withdrawn=withdrawn)
        facts = month_facts(*args, **extra)
        covered = {
            m
            for m in (shift_month(month, -back) for back in range(3))
            if plan_in_effect(m, facts_of_plans, all_reviews)
        }
        in_service = facts.in_window
        without_plan = (
            min(months_without_plan(month, month_start(window.starts_on), covered), 3) if in_service else 0
        )
        cases.append((client, month, verdict_from_facts(facts).billable, without_plan))
    return cases


def test_sql_claim_facts_and_the_python_rule_agree_on_random_client_months():
    cases = random_client_months(random.Random(11), 80)
    assert {billable for _c, _m, billable, _w in cases} == {True, False}  # both are drawn
    assert {without for _c, _m, _b, without in cases} == {0, 1, 2, 3}
    for client, month, billable, without_plan in cases:
        [row] = claim_month_rows(Client.objects.filter(pk=client.pk), month, lookback=3)
        assert row == (client.pk, client.office_id, billable, without_plan), client.pk


def test_many_clients_at_once_agree_with_one_by_one():
    """Every join gives one row per client: the set read at once is the clients read one by one."""
    cases = random_client_months(random.Random(12), 30)
    month = date(2025, 6, 1)
    one_by_one = {
        client.pk: claim_month_rows(Client.objects.filter(pk=client.pk), month, lookback=3)[0]
        for client, _m, _b, _w in cases
    }
    at_once = claim_month_rows(Client.objects.filter(pk__in=one_by_one), month, lookback=3)
    assert sorted(at_once) == sorted(one_by_one.values())


def test_the_run_of_months_without_a_plan_at_the_review_boundaries():
    """Plans starting and reviews falling on the days that decide (the day before and on the first day a
    review period may start and still reach a month's end, the plan's first day, a month's last day),
    for one version, one ending in August, or a newer one whose review was recorded on the version it
    replaces: the months without a plan, counted back from September, are the Python rule's."""
    from plans.rules import review_kept_from

    month = date(2025, 9, 1)
    months = [shift_month(month, -back) for back in range(3)]
    ends = {m: shift_month(m, 1) - timedelta(days=1) for m in months}
    window = Window(date(2025, 1, 6), date(2027, 1, 5))
    far, august_end = date(2026, 12, 31), ends[date(2025, 8, 1)]
    cases = []
    for start in sorted({k + timedelta(days=d) for k in map(review_kept_from, months) for d in (-1, 0)}):
        around_start = [None, start - timedelta(days=1), start]
        decisive = []
        for m in months:
            kept = review_kept_from(m)
            decisive += [kept - timedelta(days=2), kept - timedelta(days=1), ends[m]]
        for two_versions, plan_ends, review_days in (
            (False, far, around_start + decisive),
            (True, far, around_start),
            (False, august_end, [None, august_end, ends[date(2025, 7, 1)]]),
        ):
            for review in dict.fromkeys(review_days):
                reviews = [(review, False)] if review and review <= plan_ends else []
                newest = PlanFact(2 if two_versions else 1, start, max(plan_ends, start), start, start)
                stored = [(newest, "delivered", [] if two_versions else reviews, False)]
                facts = [newest]
                if two_versions:
                    older = PlanFact(1, window.starts_on, far, window.starts_on, window.starts_on)
                    stored.insert(0, (older, "delivered", reviews, False))
                    facts.insert(0, older)
                covered = {m for m in months if plan_in_effect(m, facts, [d for d, _w in reviews])}
                client = build_client(month, [], window, [], None, False, False, {}, plans=stored)
                without_plan = months_without_plan(month, month_start(window.starts_on), covered)
                cases.append((client, min(without_plan, 3)))
    assert {n for _c, n in cases} >= {0, 1, 2}
    for client, expected in cases:
        [(_pk, _office, _billable, without_plan)] = claim_month_rows(
            Client.objects.filter(pk=client.pk), month, lookback=3
        )
        assert without_plan == expected, (client.pk, list(client.plans.values_list("version", "starts_on")))
