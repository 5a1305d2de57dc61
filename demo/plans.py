"""Demo plans, reviews, consents and handovers for the demo office, so every dashboard list has rows.

Deterministic: the same clients (by id order) get the same situation for a given `today`.
"""

from datetime import date, timedelta

from django.db import transaction

from cases.models import Client, ClientStatus, Membership, Office, Role
from core.dates import after_months, period_end
from plans.models import (
    Consent,
    ConsentPurpose,
    Handover,
    PlanReview,
    PlanStatus,
    ReceiverKind,
    ReviewDecision,
    SupportPlan,
)

GOALS = [
    ("今の職場で長く働き続ける", "毎朝決まった時間に起きる\n困ったときに上司へ相談する"),
    ("正社員登用を目指す", "担当業務を一人でこなす\n通院と仕事を両立する"),
    ("体調を崩さずに働く", "睡眠時間を記録する\n休憩の取り方を職場と決める"),
]
ACCOMMODATIONS = ["静かな席での作業\n指示はメモで", "通院日の休暇取得", "業務量の段階的な調整"]


def _plan(client, version, status, starts_on, drafted_by, manager, index, **dates):
    long_goal, short_goals = GOALS[index % len(GOALS)]
    approved_on = dates.get("approved_on")
    if approved_on is None and status != PlanStatus.DRAFT:
        approved_on = starts_on - timedelta(days=7)
    return SupportPlan.objects.create(
        client=client,
        version=version,
        status=status,
        starts_on=starts_on,
        ends_on=period_end(starts_on, 6),
        long_term_goal=long_goal,
        short_term_goals=short_goals,
        support_content="本人面談と職場訪問で、仕事と生活の状況を確認し、必要に応じて企業と調整する。",
        interview_frequency="月1回以上",
        workplace_visit_frequency="月1回",
        employer_contact_frequency="月1回",
        accommodations=ACCOMMODATIONS[index % len(ACCOMMODATIONS)],
        drafted_by=drafted_by,
        approved_by=manager if status != PlanStatus.DRAFT else None,
        approved_on=approved_on if status != PlanStatus.DRAFT else None,
        agreed_on=dates.get("agreed_on"),
        delivered_on=dates.get("delivered_on"),
    )


def _in_effect(client, starts_on, drafted_by, manager, index, version=1):
    return _plan(
        client,
        version,
        PlanStatus.DELIVERED,
        starts_on,
        drafted_by,
        manager,
        index,
        agreed_on=starts_on,
        delivered_on=starts_on,
    )


def _history(client, until, drafted_by, manager, index) -> int:
    """Delivered versions from the window's start up to `until`, six months each, reviewed after three
    (as an office runs it), so the months before the current situation had a plan in effect."""
    starts_on, version = client.window_starts_on, 0
    while starts_on < until:
        version += 1
        plan = _in_effect(client, starts_on, drafted_by, manager, index, version=version)
        if plan.ends_on >= until:
            plan.ends_on = until - timedelta(days=1)
            plan.save(update_fields=["ends_on"])
        reviewed_on = period_end(starts_on, 3)
        if reviewed_on <= plan.ends_on:
            PlanReview.objects.create(
                plan=plan,
                reviewed_on=reviewed_on,
                reviewer=manager,
                findings="目標に沿って定着している。",
                decision=ReviewDecision.KEEP,
            )
        starts_on = plan.ends_on + timedelta(days=1)
    return version


@transaction.atomic
def seed_plans(office: Office, today: date) -> None:
    if SupportPlan.objects.filter(client__office=office).exists():
        return
    manager = Membership.objects.filter(office=office, role=Role.MANAGER).select_related("user").first().user
    clients = list(Client.objects.filter(office=office).select_related("primary_staff").order_by("pk"))
    in_service = [
        c
        for c in clients
        if c.window_starts_on
        and c.window_starts_on <= today <= c.window_ends_on
        and c.status != ClientStatus.HANDED_OVER
    ]
    for index, client in enumerate(in_service):
        writer = client.primary_staff or manager
        situation = index % 6
        if situation == 0:
            if index % 12 == 6:  # agreed but not delivered yet: not in effect either
                agreed = today - timedelta(days=10)
                _plan(client, 1, PlanStatus.AGREED, agreed, writer, manager, index, agreed_on=agreed)
            continue  # in service without a plan in effect: the claim is reduced
        current = {
            1: today - timedelta(days=100),
            2: after_months(today, -3) + timedelta(days=6),
            3: after_months(today, -5),
            5: after_months(today, -2),
        }.get(situation)
        done = _history(client, current, writer, manager, index) if current else 0
        if situation == 1:  # review overdue: started ~100 days ago, never reviewed
            _in_effect(client, current, writer, manager, index, version=done + 1)
        elif situation == 2:  # review due within a week
            _in_effect(client, current, writer, manager, index, version=done + 1)
        elif situation == 3:  # reviewed and revised: the version in effect, the next a draft awaiting approval
            first = _in_effect(client, current, writer, manager, index, version=done + 1)
            PlanReview.objects.create(
                plan=first,
                reviewed_on=after_months(today, -2),
                reviewer=manager,
                findings="短期目標はおおむね達成。",
                client_view="仕事に慣れてきた。",
                employer_view="勤怠は安定している。",
                decision=ReviewDecision.KEEP,
            )
            PlanReview.objects.create(
                plan=first,
                reviewed_on=today - timedelta(days=20),
                reviewer=manager,
                findings="業務が増え、配慮事項の見直しが必要。",
                client_view="新しい業務に不安がある。",
                employer_view="業務の切り出しを相談したい。",
                decision=ReviewDecision.REVISE,
            )
            _plan(client, done + 2, PlanStatus.DRAFT, today + timedelta(days=7), writer, manager, index + 1)
        elif situation == 4:  # approved, awaiting the client's consent
            _plan(client, 1, PlanStatus.APPROVED, today + timedelta(days=3), writer, manager, index)
        else:  # in effect, next review next month
            _in_effect(client, current, writer, manager, index, version=done + 1)
        if situation in (1, 2, 3, 5):
            for purpose in (ConsentPurpose.PLAN_TO_CONSULTATION, ConsentPurpose.REPORT_TO_EMPLOYER):
                Consent.objects.create(
                    client=client,
                    purpose=purpose,
                    given_on=client.window_starts_on,
                    document_note="同意書（利用開始時）",
                    recorded_by=manager,
                )

    # The end of service: clients already handed over, and one ending window shared in time.
    for client in clients:
        if client.status == ClientStatus.HANDED_OVER and client.window_ends_on:
            ends = client.window_ends_on
            Consent.objects.create(
                client=client,
                purpose=ConsentPurpose.HANDOVER,
                given_on=after_months(ends, -5),
                document_note="情報提供同意書",
                recorded_by=manager,
            )
            Handover.objects.create(
                client=client,
                receiver_name="新宿区障害者就業・生活支援センター",
                receiver_kind=ReceiverKind.NAKAPOTSU,
                contact_person="就業支援担当 小川",
                consent_on=after_months(ends, -5),
                info_shared_on=after_months(ends, -4),
                handed_over_on=ends,
                content="支援経過、職場での配慮事項、緊急時の連絡先",
                documents="就労定着支援計画書\n支援経過記録（直近6か月）",
                recorded_by=manager,
            )
    ending = [c for c in in_service if 0 <= (c.window_ends_on - today).days <= 120]
    if ending:  # the first one shared in time; the others are left for the dashboard to flag
        client = ending[0]
        Consent.objects.create(
            client=client,
            purpose=ConsentPurpose.HANDOVER,
            given_on=today - timedelta(days=30),
            document_note="情報提供同意書",
            recorded_by=manager,
        )
        Handover.objects.create(
            client=client,
            receiver_name="中野区障害者就業・生活支援センター",
            receiver_kind=ReceiverKind.NAKAPOTSU,
            contact_person="相談員 森",
            consent_on=today - timedelta(days=30),
            info_shared_on=today - timedelta(days=25),
            content="支援経過と配慮事項を共有",
            recorded_by=manager,
        )
