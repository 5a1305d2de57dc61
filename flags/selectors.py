"""Reads for flags: the facts the jobs decide from (set-based), and what each user may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Case, F, Max, Min, Value, When

from cases.access import clients_visible_to
from cases.models import BenefitDecision, Client, ClientStatus, Employment, Membership, Role
from plans.models import Handover, PlanReview, PlanStatus, SupportPlan

from . import rules
from .models import Flag

AGREED_STATUSES = (PlanStatus.AGREED, PlanStatus.DELIVERED)


FINISHED_STATUSES = (ClientStatus.ENDED, ClientStatus.HANDED_OVER)


def flaggable(clients):
    """Clients flags are about: not archived, service not ended nor handed over."""
    return clients.filter(archived=False).exclude(status__in=FINISHED_STATUSES)


def deadline_candidates(office_id: int, today: date):
    """Current clients of the office whose window has not ended yet (deadline flags only apply to them)."""
    return flaggable(
        Client.objects.filter(office_id=office_id, window_starts_on__isnull=False, window_ends_on__gte=today)
    )


def deadline_facts(office_id: int, today: date, *, clients=None) -> list[tuple[Client, rules.DeadlineFacts]]:
    """Each candidate client with its deadline facts, from six queries whatever the number of clients.

    `clients` narrows the set (a queryset of the office's clients), e.g. to one client.
    """
    if clients is None:
        clients = deadline_candidates(office_id, today)
    clients = list(clients.order_by("pk"))
    if not clients:
        return []
    ids = [c.pk for c in clients]

    hired = dict(
        Employment.objects.filter(client_id__in=ids)
        .values_list("client_id")
        .annotate(first=Min("hired_on"))
        .order_by()
    )
    decisions = defaultdict(list)
    for client_id, starts_on, ends_on in BenefitDecision.objects.filter(client_id__in=ids).values_list(
        "client_id", "starts_on", "ends_on"
    ):
        decisions[client_id].append(rules.Decision(starts_on, ends_on))
    current_plan = {}
    for client_id, version, starts_on in SupportPlan.objects.filter(
        client_id__in=ids, status__in=AGREED_STATUSES, agreed_on__lte=today
    ).values_list("client_id", "version", "starts_on"):
        if client_id not in current_plan or version > current_plan[client_id][0]:
            current_plan[client_id] = (version, starts_on)
    last_review = dict(
        PlanReview.objects.filter(plan__client_id__in=ids, reviewed_on__lte=today)
        .values_list("plan__client_id")
        .annotate(last=Max("reviewed_on"))
        .order_by()
    )
    shared = dict(
        Handover.objects.filter(client_id__in=ids, info_shared_on__isnull=False).values_list(
            "client_id", "info_shared_on"
        )
    )
    return [
        (
            client,
            rules.DeadlineFacts(
                window=client.window,
                hired_on=hired.get(client.pk),
                decisions=tuple(sorted(decisions[client.pk], key=lambda d: d.starts_on)),
                plan_starts_on=current_plan[client.pk][1] if client.pk in current_plan else None,
                last_review_on=last_review.get(client.pk),
                info_shared_on=shared.get(client.pk),
            ),
        )
        for client in clients
    ]


def flags_visible_to(membership: Membership):
    """Flags a member may see: a staff member those of their own clients, managers and admins the office's."""
    queryset = Flag.objects.filter(office_id=membership.office_id, client__in=clients_visible_to(membership))
    if membership.role == Role.STAFF:
        queryset = queryset.filter(client__primary_staff_id=membership.user_id)
    return queryset


def my_flags(membership: Membership):
    """Flags of the clients a member is the primary staff of (whatever their role)."""
    return Flag.objects.filter(office_id=membership.office_id, client__primary_staff_id=membership.user_id)


def open_flag_count(membership: Membership) -> int:
    """The navigation badge: one COUNT query."""
    return flags_visible_to(membership).open().count()


SEVERITY_RANK = Case(
    When(severity=rules.URGENT, then=Value(0)),
    When(severity=rules.WARNING, then=Value(1)),
    default=Value(2),
)


def flags_for_list(queryset):
    """Open first, then by severity (urgent first) and date."""
    return (
        queryset.select_related("client", "client__primary_staff")
        .annotate(severity_rank=SEVERITY_RANK)
        .order_by(
            F("resolved_at").desc(nulls_first=True),
            "severity_rank",
            "period",
            "client__family_name_kana",
            "id",
        )
    )
