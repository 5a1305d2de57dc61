"""visits.selectors.month_facts_rows (SQL, for the flag jobs) agrees with visits.rules.month_facts (Python,
for the pages) on every row of the billable-month rule's table, and so gives the same verdicts."""

from datetime import date

import pytest

from cases.models import Client
from visits.models import ContactLog, SupportReport
from visits.rules import month_facts, verdict_from_facts
from visits.selectors import month_facts_rows

from ..factories import BenefitDecisionFactory, ClientFactory, OfficeFactory, UserFactory, agreed_plan
from .test_month_verdict import CASES, each_case

pytestmark = pytest.mark.django_db


def build_client(month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts):
    staff = UserFactory()
    client = ClientFactory(office=OfficeFactory(online_counts_as_face_to_face=online_counts))
    Client.objects.filter(pk=client.pk).update(
        window_starts_on=window.starts_on if window else None,
        window_ends_on=window.ends_on if window else None,
    )
    for decision in decisions:
        BenefitDecisionFactory(client=client, starts_on=decision.starts_on, ends_on=decision.ends_on)
    for contact in contacts:
        ContactLog.objects.create(
            client=client, staff=staff, on=contact.on, kind=contact.kind, face_to_face=contact.face_to_face
        )
    if plan_agreed_on:
        agreed_plan(client=client, manager=staff, starts_on=plan_agreed_on)
    if report_shared:
        SupportReport.objects.create(
            client=client, month=month.replace(day=1), shared_with_client_on=month, created_by=staff
        )
    return client


@each_case
def test_sql_facts_match_the_python_facts(
    month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected
):
    client = build_client(month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts)

    [(client_id, office_id, facts)] = month_facts_rows(Client.objects.filter(pk=client.pk), month)

    assert (client_id, office_id) == (client.pk, client.office_id)
    assert facts == month_facts(
        month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts=online_counts
    )
    assert verdict_from_facts(facts) == expected


def test_one_query_for_any_number_of_clients(django_assert_num_queries):
    case = CASES[0][1:-1]
    for _ in range(3):
        build_client(*case)
    with django_assert_num_queries(1):
        rows = month_facts_rows(Client.objects.all(), case[0])
    assert len(rows) == 3
    assert {verdict_from_facts(facts).billable for _, _, facts in rows} == {True}


def test_sql_and_python_facts_agree_on_random_client_months():
    """Windows, decisions (gaps, overlaps, renewals mid-month), contacts of every kind and plans, drawn at
    random with a fixed seed: the two computations agree on every client-month."""
    import random
    from datetime import timedelta

    from cases.rules import Window
    from visits.rules import ContactFact, DecisionPeriod

    rng = random.Random(7)
    kinds = ["interview", "workplace_visit", "employer_visit", "phone", "online"]
    base = date(2025, 5, 1)
    cases = []
    for _ in range(40):
        start = base + timedelta(days=rng.randint(-60, 60))
        window = None if rng.random() < 0.1 else Window(start, start + timedelta(days=rng.randint(20, 400)))
        decisions, day = [], start + timedelta(days=rng.randint(-20, 20))
        for _ in range(rng.randint(0, 3)):
            ends = day + timedelta(days=rng.randint(5, 200))
            decisions.append(DecisionPeriod(day, ends))
            day = ends + timedelta(days=max(1, rng.randint(-3, 15)))  # decisions never overlap (a DB rule)
        month = date(2025, rng.randint(4, 8), 1)
        contacts = [
            ContactFact(
                month + timedelta(days=rng.randint(-3, 33)), kind, kind in ("interview", "workplace_visit")
            )
            for kind in rng.choices(kinds, k=rng.randint(0, 4))
        ]
        plan = rng.choice([None, month - timedelta(days=40), month + timedelta(days=rng.randint(0, 40))])
        args = (month, contacts, window, decisions, plan, rng.random() < 0.7, rng.random() < 0.3)
        cases.append((build_client(*args).pk, args))
    for pk, (month, contacts, window, decisions, plan, shared, online_counts) in cases:
        [(_, _, facts)] = month_facts_rows(Client.objects.filter(pk=pk), month)
        assert facts == month_facts(month, contacts, window, decisions, plan, shared, online_counts), pk
