"""Reads for the cases pages, shaped for one page each, always scoped by the access helper."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from . import rules
from .access import clients_visible_to
from .models import BenefitDecision, Client, Employment, Membership, Role, User


def caseload(membership: Membership):
    return clients_visible_to(membership).select_related("primary_staff")


def search_clients(queryset, text: str):
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q(recipient_number__startswith=text)
    for word in text.replace("\u3000", " ").split():
        condition |= (
            Q(family_name__icontains=word)
            | Q(given_name__icontains=word)
            | Q(family_name_kana__icontains=word)
            | Q(given_name_kana__icontains=word)
        )
    return queryset.filter(condition)


def client_for_page(membership: Membership, pk: int) -> Client:
    queryset = (
        clients_visible_to(membership)
        .select_related("primary_staff", "office", "handover")
        .prefetch_related(
            Prefetch(
                "employments", queryset=Employment.objects.select_related("employer").order_by("hired_on")
            ),
            Prefetch("decisions", queryset=BenefitDecision.objects.order_by("starts_on")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def support_staff_of_office(office_id: int):
    """Users who can carry a caseload in the office (support staff and service managers)."""
    return User.objects.filter(
        memberships__office_id=office_id, memberships__role__in=[Role.STAFF, Role.MANAGER], is_active=True
    ).order_by("last_name", "first_name", "id")


@dataclass(frozen=True)
class WindowSummary:
    window: rules.Window | None
    phase: str
    progress: rules.WindowProgress | None


def window_summary(client: Client, today: date) -> WindowSummary:
    window = client.window
    return WindowSummary(
        window=window,
        phase=rules.window_phase(window, today),
        progress=rules.window_progress(window, today) if window else None,
    )
