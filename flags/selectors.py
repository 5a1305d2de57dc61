"""Reads for flags: which clients month flags are about, and what each user may see. (The deadline
facts are plans.selectors.deadline_facts, shared with the dashboard.)"""

from __future__ import annotations

from django.db.models import Case, F, Value, When

from cases.models import ClientStatus, Membership, Role
from core.statements import counted, statement

from . import rules
from .models import Flag

FINISHED_STATUSES = (ClientStatus.ENDED, ClientStatus.HANDED_OVER)


def flaggable(clients):
    """Clients flags are about: not archived, service not ended nor handed over."""
    return clients.filter(archived=False).exclude(status__in=FINISHED_STATUSES)


def flags_visible_to(membership: Membership):
    """Flags a member may see: a staff member those of their own clients, managers and admins the office's.
    Both the flag's office and its client's (a join, not a subquery of the office's clients): a client
    moved to another office by an admin leaves its older flags behind with the office they were written
    for, and those stay out of sight of both offices' lists."""
    return _visible_flags(membership.office_id, membership.user_id if membership.role == Role.STAFF else None)


def _visible_flags(office_id: int, staff_id: int | None):
    queryset = Flag.objects.filter(office_id=office_id, client__office_id=office_id)
    if staff_id is not None:
        queryset = queryset.filter(client__primary_staff_id=staff_id)
    return queryset


def my_flags(membership: Membership):
    """Flags of the clients a member is the primary staff of (whatever their role)."""
    return Flag.objects.filter(office_id=membership.office_id, client__primary_staff_id=membership.user_id)


@statement
def _office_open_count(*, office_id: int):
    return counted(_visible_flags(office_id, None).open())


@statement
def _staff_open_count(*, office_id: int, staff_id: int):
    return counted(_visible_flags(office_id, staff_id).open())


def open_flag_count(membership: Membership) -> int:
    """The navigation badge: one COUNT query of the flags `flags_visible_to` gives (every page reads it)."""
    if membership.role == Role.STAFF:
        [(count,)] = _staff_open_count(office_id=membership.office_id, staff_id=membership.user_id)
    else:
        [(count,)] = _office_open_count(office_id=membership.office_id)
    return count


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
