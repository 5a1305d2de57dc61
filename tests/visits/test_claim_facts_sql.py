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
from visits.rules import month_facts, verdict_from_facts

from .test_month_facts_sql import build_client, random_client_month
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
    """Client-months drawn as in test_month_facts_sql's random test, the plans spread over the two months
    before as well; with the Python rule's answers: the month's verdict, and the months without a plan in
    effect counted back up to three."""
    cases = []
    for _ in range(n):
        client, args, extra, facts_of_plans, all_reviews = random_client_month(rng, earliest_start=-150)
        month, window = args[0], args[2]
        facts = month_facts(*args, **extra)
        covered = {
            m
            for m in (shift_month(month, -back) for back in range(3))
            if plan_in_effect(m, facts_of_plans, all_reviews)
        }
        without_plan = (
            min(months_without_plan(month, month_start(window.starts_on), covered), 3) if facts.in_window else 0
        )
        cases.append((client, month, verdict_from_facts(facts), without_plan))
    return cases


def test_sql_claim_facts_and_the_python_rule_agree_on_random_client_months():
    cases = random_client_months(random.Random(11), 80)
    assert {verdict.billable for _c, _m, verdict, _w in cases} == {True, False}  # both are drawn
    assert {without for _c, _m, _v, without in cases} == {0, 1, 2, 3}
    for client, month, verdict, without_plan in cases:
        [row] = claim_month_rows(Client.objects.filter(pk=client.pk), month, lookback=3)
        assert row == (client.pk, client.office_id, verdict.billable, without_plan), client.pk


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


def test_the_month_facts_with_the_run_agree_with_the_python_rule_on_random_client_months():
    """month_fact_codes(lookback=3) and verdict_run_rows (the claim page's month): the verdict with its
    reasons and the months without a plan counted back up to three are the Python rule's, and the
    columns are the client's."""
    from visits.facts import verdict_run_rows

    cases = random_client_months(random.Random(13), 60)
    assert {without for _c, _m, _v, without in cases} == {0, 1, 2, 3}
    for client, month, verdict, run in cases:
        [row] = verdict_run_rows(
            Client.objects.filter(pk=client.pk), month, lookback=3, columns={"kana": F("family_name_kana")}
        )
        assert row == (client.pk, client.office_id, verdict, run, client.family_name_kana)
