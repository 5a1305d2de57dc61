"""The flag jobs: compute the flags each client should have and upsert them, idempotently.

A run writes the wanted flags with one upsert on (client, kind, period) (reopening a resolved flag whose
condition came back), and resolves, with one UPDATE, the open flags of its scope that are no longer wanted.
Running twice leaves the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Client, Office
from cases.rules import month_start
from visits.selectors import clients_in_service, month_rows

from . import rules, selectors
from .models import Flag


@dataclass
class SyncResult:
    created: list[Flag] = field(default_factory=list)
    reopened: list[Flag] = field(default_factory=list)
    resolved: list[Flag] = field(default_factory=list)
    open_count: int = 0

    def __iadd__(self, other: SyncResult):
        self.created += other.created
        self.reopened += other.reopened
        self.resolved += other.resolved
        self.open_count += other.open_count
        return self


def _sync(*, scope, wanted: list[Flag]) -> SyncResult:
    """Make the open flags within `scope` (a Flag queryset) exactly `wanted`; three queries at most."""
    # One row per key: PostgreSQL refuses an upsert batch that touches the same row twice.
    wanted = list({(f.client_id, f.kind, f.period): f for f in reversed(wanted)}.values())[::-1]
    wanted_keys = {(f.client_id, f.kind, f.period) for f in wanted}
    wanted_clients = {f.client_id for f in wanted}
    existing = list(
        scope.filter(Q(resolved_at__isnull=True) | Q(client_id__in=wanted_clients)).only(
            "pk", "client_id", "kind", "period", "resolved_at"
        )
    )
    by_key = {(f.client_id, f.kind, f.period): f for f in existing}
    result = SyncResult(open_count=len(wanted))
    for flag in wanted:
        old = by_key.get((flag.client_id, flag.kind, flag.period))
        if old is None:
            result.created.append(flag)
        elif old.resolved_at is not None:
            result.reopened.append(flag)
    if wanted:
        Flag.objects.bulk_create(
            wanted,
            update_conflicts=True,
            unique_fields=["client", "kind", "period"],
            update_fields=["office", "severity", "message", "resolved_at", "resolved_by"],
        )
    result.resolved = [f for key, f in by_key.items() if f.resolved_at is None and key not in wanted_keys]
    if result.resolved:
        Flag.objects.filter(pk__in=[f.pk for f in result.resolved], resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
    return result


def _flag(client: Client, due: rules.FlagDue) -> Flag:
    return Flag(
        office_id=client.office_id,
        client=client,
        kind=due.kind,
        period=due.period,
        severity=due.severity,
        message=due.message[:300],
        resolved_at=None,
        resolved_by=None,
    )


def _month_wanted(office_id: int, month: date, today: date, clients) -> list[Flag]:
    return [
        _flag(row.client, due)
        for row in month_rows(office_id, month, clients=clients)
        for due in rules.month_flags(row.month, today, row.verdict)
    ]


def _deadline_wanted(office_id: int, today: date, clients=None) -> list[Flag]:
    return [
        _flag(client, due)
        for client, facts in selectors.deadline_facts(office_id, today, clients=clients)
        for due in rules.deadline_flags(facts, today)
    ]


@transaction.atomic
def flag_months(*, office: Office, month: date, today: date | None = None) -> SyncResult:
    """Month flags of every current client in service in `month` (the current or a closed month).

    A fixed number of queries whatever the office's size: five for the verdicts, at most three to write.
    """
    today = today or timezone.localdate()
    month = month_start(month)
    clients = selectors.flaggable(clients_in_service(office.pk, month))
    wanted = _month_wanted(office.pk, month, today, clients)
    scope = Flag.objects.filter(office_id=office.pk, period=month, kind__in=rules.MONTH_KINDS)
    result = _sync(scope=scope, wanted=wanted)
    if month == month_start(today):
        result.resolved += _close_out_old_months(office_id=office.pk, today=today)
    return result


def _close_out_old_months(*, office_id: int, today: date) -> list[Flag]:
    """Resolve the in-month reminders of months before the previous one: nothing can be done about them
    any more. `month_not_billable` stays open (a late claim is still possible) until a run for that month
    (`run_flags --month`, or `refresh_client_flags(months=...)` after a late record) finds it billable."""
    old = Flag.objects.filter(
        office_id=office_id,
        resolved_at__isnull=True,
        kind__in=rules.CLOSED_OUT_KINDS,
        period__lt=months_to_flag(today)[0],
    )
    closed = list(old.only("pk", "client_id", "kind", "period"))
    if closed:
        Flag.objects.filter(pk__in=[f.pk for f in closed]).update(resolved_at=timezone.now())
    return closed


@transaction.atomic
def flag_deadlines(*, office: Office, today: date | None = None) -> SyncResult:
    """Deadline flags (reviews, renewals, applications, window ends) of the office's current clients."""
    today = today or timezone.localdate()
    wanted = _deadline_wanted(office.pk, today)
    scope = Flag.objects.filter(office_id=office.pk, kind__in=rules.DEADLINE_KINDS)
    return _sync(scope=scope, wanted=wanted)


def months_to_flag(today: date) -> list[date]:
    """The month jobs look at: the current month and the previous (closed) one."""
    current = month_start(today)
    return [month_start(current - timedelta(days=1)), current]


@transaction.atomic
def refresh_client_flags(
    *, client: Client, today: date | None = None, months: list[date] | None = None
) -> SyncResult:
    """Recompute one client's month flags and deadline flags at once.

    For services that change a flag's condition (a contact logged, a review done, a decision added):
    call it in the same transaction; about twenty queries, a savepoint when nested. `months` defaults to
    the previous and the current month; pass an older month when a late record was entered for it.
    """
    today = today or timezone.localdate()
    result = SyncResult()
    wanted_months = sorted({month_start(m) for m in months or months_to_flag(today)})
    for month in wanted_months:
        clients = selectors.flaggable(clients_in_service(client.office_id, month).filter(pk=client.pk))
        wanted = _month_wanted(client.office_id, month, today, clients)
        scope = Flag.objects.filter(client_id=client.pk, period=month, kind__in=rules.MONTH_KINDS)
        result += _sync(scope=scope, wanted=wanted)
    candidates = selectors.deadline_candidates(client.office_id, today).filter(pk=client.pk)
    wanted = _deadline_wanted(client.office_id, today, clients=candidates)
    scope = Flag.objects.filter(client_id=client.pk, kind__in=rules.DEADLINE_KINDS)
    result += _sync(scope=scope, wanted=wanted)
    return result


def client_changed(*, client: Client, days=()) -> SyncResult:
    """Recompute a client's flags right after a service changed what they depend on.

    Covers the current and previous month, plus the months of `days` (a contact dated in an older month).
    """
    today = timezone.localdate()
    return refresh_client_flags(client=client, today=today, months=[*months_to_flag(today), *days])
