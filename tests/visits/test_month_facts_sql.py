"""visits.facts.month_facts_rows (SQL, for the flag jobs) agrees with visits.rules.month_facts (Python,
for the pages) on every row of the billable-month rule's table, and so gives the same verdicts."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Client, Role
from cases.rules import Window
from cases.services import benefit_decision_withdraw
from plans.models import ConsentPurpose, SupportPlan
from plans.rules import PlanFact, plan_in_effect
from visits.facts import month_facts_rows, month_verdicts
from visits.grid import client_month_grid, month_rows, month_status_rows, verdict_grid
from visits.models import ContactLog, SupportReport
from visits.rules import (
    NO_DECISION,
    NO_SUPPORT_REPORT,
    ContactFact,
    DecisionPeriod,
    month_facts,
    verdict_from_facts,
)
from visits.services import support_report_withdraw

from ..factories import (
    BenefitDecisionFactory,
    ClientFactory,
    ConsentFactory,
    EmploymentFactory,
    MembershipFactory,
    OfficeFactory,
    PlanReviewFactory,
    UserFactory,
    agreed_plan,
    client_in_service,
)
from .test_month_verdict import CASES, each_case

pytestmark = pytest.mark.django_db


def build_client(
    month,
    contacts,
    window,
    decisions,
    plan_agreed_on,
    report_shared,
    online_counts,
    extra=None,
    plans=None,
    withdrawn=(),
):
    """The records that give the facts of a row of the rule's table (keyword facts in `extra`); `plans`,
    when given, is [(PlanFact, status, [(review day, withdrawn)], withdrawn)] to store instead of the
    plan of `plan_agreed_on`. `withdrawn` names records entered by mistake and withdrawn, stored beside
    and left out of the rule: "decision" (one spanning the window), "report" (written and shared),
    "consent" (to share the report with the employer)."""
    extra = extra or {}
    staff = UserFactory()
    client = ClientFactory(office=OfficeFactory(online_counts_as_face_to_face=online_counts))
    required = extra.get("employer_report_required", False)
    if required or extra.get("employer_consent_missing", False):
        # オープン during the month; the job's dates go through the window refresh, so the window is set after.
        EmploymentFactory(client=client, hired_on=month - timedelta(days=400), disclosed=True)
    if required:
        ConsentFactory(
            client=client, purpose=ConsentPurpose.REPORT_TO_EMPLOYER, given_on=month.replace(day=1)
        )
    Client.objects.filter(pk=client.pk).update(
        window_starts_on=window.starts_on if window else None,
        window_ends_on=window.ends_on if window else None,
    )
    for decision in decisions:
        BenefitDecisionFactory(client=client, starts_on=decision.starts_on, ends_on=decision.ends_on)
    if "decision" in withdrawn:
        BenefitDecisionFactory(
            client=client,
            starts_on=month.replace(day=1) - timedelta(days=100),
            ends_on=month.replace(day=1) + timedelta(days=200),
            withdrawn_at=timezone.now(),
            withdrawal_reason="別の利用者の決定",
        )
    if "consent" in withdrawn:  # an employer-sharing consent recorded by mistake: it never counted
        ConsentFactory(
            client=client,
            purpose=ConsentPurpose.REPORT_TO_EMPLOYER,
            given_on=month.replace(day=1) - timedelta(days=30),
            withdrawn_at=timezone.now(),
            withdrawal_reason="別の利用者の同意",
        )
    if "report" in withdrawn:
        SupportReport.objects.create(
            client=client,
            month=month.replace(day=1),
            shared_with_client_on=month,
            shared_with_employer_on=month,
            support_given="誤って作成",
            created_by=staff,
            withdrawn_at=timezone.now(),
            withdrawal_reason="誤って作成",
        )
    for contact in contacts:
        ContactLog.objects.create(
            client=client,
            staff=staff,
            on=contact.on,
            kind=contact.kind,
            face_to_face=contact.face_to_face,
            narrative="面談を実施。" if contact.written else "",
            employer_met=contact.employer_met,
        )
    plan_in_effect = extra.get("plan_in_effect")
    if plans is not None:
        for fact, status, review_days, withdrawn in plans:
            stored = SupportPlan.objects.create(
                client=client,
                version=fact.version,
                status=status,
                starts_on=fact.starts_on,
                ends_on=fact.ends_on,
                drafted_by=staff,
                approved_by=staff,
                approved_on=fact.starts_on,
                agreed_on=fact.agreed_on,
                delivered_on=fact.delivered_on,
                withdrawn_at=timezone.now() if withdrawn else None,
            )
            for day, review_withdrawn in review_days:
                PlanReviewFactory(
                    plan=stored,
                    reviewer=staff,
                    reviewed_on=day,
                    withdrawn_at=timezone.now() if review_withdrawn else None,
                )
    elif plan_in_effect is False:
        # Agreed on time but never delivered: not in effect.
        agreed_plan(client=client, manager=staff, starts_on=plan_agreed_on, status="agreed")
    elif plan_agreed_on:
        # Delivered with its agreement, a long period, reviewed on the month's first day when it had begun:
        # in effect exactly when agreed by the month's end (the positional argument's meaning).
        plan = agreed_plan(
            client=client,
            manager=staff,
            starts_on=plan_agreed_on,
            ends_on=plan_agreed_on + timedelta(days=2000),
        )
        if month.replace(day=1) >= plan_agreed_on:
            PlanReviewFactory(plan=plan, reviewer=staff, reviewed_on=month.replace(day=1))
    written = extra.get("report_written", True)
    if report_shared or extra.get("employer_report_shared") or not written:
        SupportReport.objects.create(
            client=client,
            month=month.replace(day=1),
            shared_with_client_on=month if report_shared else None,
            shared_with_employer_on=month if extra.get("employer_report_shared") else None,
            support_given="面談で体調を確認" if written else "",
            created_by=staff,
        )
    return client


@each_case
def test_sql_facts_match_the_python_facts(
    month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected, extra
):
    client = build_client(
        month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, extra
    )

    [(client_id, office_id, facts)] = month_facts_rows(Client.objects.filter(pk=client.pk), month)

    assert (client_id, office_id) == (client.pk, client.office_id)
    assert facts == month_facts(
        month,
        contacts,
        window,
        decisions,
        plan_agreed_on,
        report_shared,
        online_counts=online_counts,
        **extra,
    )
    assert verdict_from_facts(facts) == expected
    assert month_verdicts(Client.objects.filter(pk=client.pk), month) == {client.pk: expected}


def test_one_query_for_any_number_of_clients(django_assert_num_queries):
    case = CASES[0][1:-1]
    for _ in range(3):
        build_client(*case)
    with django_assert_num_queries(1):
        rows = month_facts_rows(Client.objects.all(), case[0])
    assert len(rows) == 3
    assert {verdict_from_facts(facts).billable for _, _, facts in rows} == {True}


def random_client_month(rng, *, earliest_start: int = -60):
    """One client-month drawn at random: a window starting from `earliest_start` days before 2025-05-01,
    decisions (gaps, overlaps, renewals mid-month), contacts of every kind with and without their 内容 or
    the employer met, reports written or not and shared with whom, オープン with or without consent, and
    plans of every status with reviews; some records withdrawn by mistake. Returns (client, the rule's
    arguments, its keyword facts, the standing plans' facts, the standing review days)."""
    kinds = ["interview", "workplace_visit", "employer_visit", "phone", "online"]
    start = date(2025, 5, 1) + timedelta(days=rng.randint(earliest_start, 60))
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
        reviews = sorted({starts + timedelta(days=rng.randint(-20, 200)) for _ in range(rng.randint(0, 2))})
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
        # the pages' rule, from the same records (delivered_on counts only on a delivered plan)
        "plan_in_effect": plan_in_effect(month, facts_of_plans, all_reviews),
    }
    args = (month, contacts, window, decisions, None, rng.random() < 0.7, rng.random() < 0.3)
    # records entered by mistake and withdrawn, stored beside: left out by both paths
    withdrawn = [name for name in ("decision", "report", "consent") if rng.random() < 0.25]
    client = build_client(*args, extra, plans=plans, withdrawn=withdrawn)
    return client, args, extra, facts_of_plans, all_reviews


def test_sql_and_python_facts_agree_on_random_client_months():
    """Client-months drawn at random with a fixed seed: the two computations agree on every one."""
    rng = random.Random(7)
    cases = [random_client_month(rng)[:3] for _ in range(60)]
    assert {extra["plan_in_effect"] for _client, _args, extra in cases} == {True, False}  # both are drawn
    for client, (month, contacts, window, decisions, plan, shared, online_counts), extra in cases:
        [(_, _, facts)] = month_facts_rows(Client.objects.filter(pk=client.pk), month)
        python = month_facts(month, contacts, window, decisions, plan, shared, online_counts, **extra)
        assert facts == python, client.pk


@each_case
def test_withdrawn_decisions_and_reports_change_no_row_of_the_table(
    month, contacts, window, decisions, plan_agreed_on, report_shared, online_counts, expected, extra
):
    """Each row again with a withdrawn 支給決定 spanning the window, a withdrawn shared report and a
    withdrawn employer-sharing consent stored beside: both paths leave them out, so every row keeps its
    verdict."""
    client = build_client(
        month,
        contacts,
        window,
        decisions,
        plan_agreed_on,
        report_shared,
        online_counts,
        extra,
        withdrawn=("decision", "report", "consent"),
    )
    [(_, _, facts)] = month_facts_rows(Client.objects.filter(pk=client.pk), month)
    assert verdict_from_facts(facts) == expected
    client = Client.objects.prefetch_related("decisions").get(pk=client.pk)
    [row] = verdict_grid([client], month, month)[client.pk]
    assert row.verdict == expected


@pytest.mark.parametrize(("record", "reason"), [("decision", NO_DECISION), ("report", NO_SUPPORT_REPORT)])
def test_withdrawing_a_decision_or_a_report_flips_the_month_in_both_paths(record, reason):
    month = date(2025, 9, 1)
    with time_machine.travel(date(2025, 10, 20), tick=False):
        client = client_in_service(office=OfficeFactory())
        manager = UserFactory()
        MembershipFactory(user=manager, office=client.office, role=Role.MANAGER)
        agreed_plan(client=client, manager=manager, starts_on=date(2025, 7, 6))
        ContactLog.objects.create(
            client=client,
            staff=manager,
            on=date(2025, 9, 3),
            kind="interview",
            face_to_face=True,
            narrative="面談を実施。",
        )
        report = SupportReport.objects.create(
            client=client,
            month=month,
            shared_with_client_on=date(2025, 9, 30),
            support_given="体調を確認",
            created_by=manager,
        )

        def verdicts():
            sql = month_verdicts(Client.objects.filter(pk=client.pk), month)[client.pk]
            [row] = verdict_grid([client], month, month)[client.pk]
            page = next(
                r
                for r in client_month_grid(Client.objects.prefetch_related("decisions").get(pk=client.pk))
                if r.month == month
            )
            return sql, row.verdict, page.verdict

        assert all(v.billable for v in verdicts())
        if record == "decision":
            benefit_decision_withdraw(actor=manager, decision=client.decisions.get(), reason="別人の決定")
        else:
            support_report_withdraw(actor=manager, report=report, reason="別の月のレポート")
        after = verdicts()
        assert after[0] == after[1] == after[2]
        assert not after[0].billable and reason in after[0].reasons


def test_the_pages_status_rows_agree_with_the_month_rows_on_random_client_months():
    """The office month and "this month" lists read the verdicts from the database's facts
    (month_status_rows); the billing preview and the claim compute them from the rows (month_rows): the
    same verdict and the same place in a run of months without a plan for every client-month drawn."""
    rng = random.Random(21)
    for client, (month, *_rest), _extra in [random_client_month(rng)[:3] for _ in range(40)]:
        clients = Client.objects.filter(pk=client.pk)
        [status] = month_status_rows(client.office_id, month, clients=clients)
        [row] = month_rows(client.office_id, month, clients=clients)
        assert (status.verdict, status.plan_missing_count) == (row.verdict, row.plan_missing_count), client.pk
