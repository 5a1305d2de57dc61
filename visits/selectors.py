"""Access-scoped reads of contacts and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Q, Value, When

from cases.access import clients_visible_to
from cases.models import Client, Membership, User
from core.dates import month_end, month_start
from core.permissions import EDIT_CASES, can
from core.statements import statement
from plans.models import Consent, ConsentPurpose

from .models import ContactLog, MonthLock


def contacts_visible_to(membership: Membership):
    return ContactLog.objects.filter(client__in=clients_visible_to(membership))


def can_edit_contact(membership: Membership, contact: ContactLog) -> bool:
    """Support staff edit the contacts they wrote; managers and admins any in their office."""
    if membership is None or contact.client.office_id != membership.office_id:
        return False
    return can(membership, EDIT_CASES) or contact.staff_id == membership.user_id


def clients_for_recording(membership: Membership):
    """Clients a contact can be recorded for, the member's own caseload first, then by kana."""
    return (
        clients_visible_to(membership)
        .current()
        .annotate(own=Case(When(primary_staff_id=membership.user_id, then=Value(0)), default=Value(1)))
        .order_by("own", "family_name_kana", "given_name_kana", "id")
    )


@statement
def _standing_locks(*, office_id: int, month: date):
    return MonthLock.objects.filter(office_id=office_id, month=month, unlocked_at__isnull=True).values_list("pk")[:1]


def month_is_locked(office_id: int, day: date) -> bool:
    return bool(_standing_locks(office_id=office_id, month=month_start(day)))


def locked_months(office_id: int, first: date, last: date) -> list[date]:
    """First days of the office's locked months from first to last (cases.locks' lookup)."""
    return list(
        MonthLock.objects.filter(
            office_id=office_id, month__range=(month_start(first), last), unlocked_at__isnull=True
        ).values_list("month", flat=True)
    )


def employer_sharing_allowed(client: Client, on: date) -> bool:
    """The report may go to the employer on `on`: the client works disclosed (オープン) then, and the
    client's consent to share the report with the employer stands on that day."""
    disclosed = client.employments.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on), hired_on__lte=on, disclosed=True
    ).exists()
    if not disclosed:
        return False
    return Consent.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
        client=client,
        purpose=ConsentPurpose.REPORT_TO_EMPLOYER,
        given_on__lte=on,
        withdrawn_at__isnull=True,
    ).exists()


@dataclass(frozen=True, slots=True)
class ContactLine:
    """A contact as the client page shows it (its recent contacts) and its month grid reads it."""

    pk: int
    client_id: int
    staff_id: int | None
    on: date
    kind: str
    face_to_face: bool
    narrative: str
    employer_met: bool
    withdrawn: bool
    withdrawal_reason: str
    staff_name: str


@statement
def _contact_lines(*, client_id: int):
    return (
        ContactLog.objects.filter(client_id=client_id)
        .order_by("-on", "-started_at", "-id")
        .values_list(
            "pk", "client_id", "staff_id", "on", "kind", "face_to_face", "narrative", "employer_met",
            "withdrawn_at", "withdrawal_reason", "staff__last_name", "staff__first_name", "staff__username",
        )
    )  # fmt: skip


def client_contacts(client: Client) -> list[ContactLine]:
    """Every contact of the client, newest first: one query for the client page's month grid and its
    recent contacts (a client has a few hundred at most), read as rows rather than model instances."""
    return [
        ContactLine(*row[:8], row[8] is not None, row[9], User.name_of(*row[10:]) if row[2] else "")
        for row in _contact_lines(client_id=client.pk)
    ]


def month_contacts(client: Client, month: date):
    return list(
        client.contacts.filter(on__range=(month_start(month), month_end(month)), withdrawn_at__isnull=True)
        .select_related("staff")
        .order_by("on", "started_at", "id")
    )
