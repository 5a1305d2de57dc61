"""The flag jobs: compute the flags each client should have and upsert them, idempotently.

A run writes, with one upsert on (client, kind, period), the wanted flags that are new, reopened (the
condition came back) or changed, and resolves, with one UPDATE, the open flags of its scope that are no
longer wanted. Running twice leaves the same rows; a rerun with nothing changed writes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from cases.models import Client, Office
from claims import selectors as claims_selectors
from core.bulk import upsert_values
from core.dates import month_end, month_start, shift_month
from meetings.selectors import follow_ups_missing
from plans.selectors import deadline_candidates, office_deadlines, plan_missing_month_counts
from visits.facts import month_verdict_rows
from visits.rules import NO_AGREED_PLAN

from . import rules, selectors
from .models import Flag


@dataclass
class SyncResult:
    created: list[Wanted] = field(default_factory=list)
    reopened: list[Wanted] = field(default_factory=list)
    resolved: list[Flag] = field(default_factory=list)
    open_count: int = 0

    def __iadd__(self, other: SyncResult):
        self.created += other.created
        self.reopened += other.reopened
        self.resolved += other.resolved
        self.open_count += other.open_count
        return self


@dataclass(frozen=True)
class Wanted:
    """A flag the rules want open; a Flag row is built only when it has to be written."""

    client_id: int
    office_id: int
    kind: str
    period: date
    severity: str
    message: str
    object_id: int | None = None

    @property
    def key(self):
        return (self.client_id, self.kind, self.period)

    def as_row(self, now) -> tuple:
        """The values of FLAG_FIELDS: an open flag."""
        return (
            self.office_id, self.client_id, self.kind, self.period, self.severity, self.message,
            self.object_id, None, None, now,
        )  # fmt: skip


FLAG_FIELDS = [
    "office_id", "client_id", "kind", "period", "severity", "message", "object_id", "resolved_at",
    "resolved_by_id", "created_at",
]  # fmt: skip


def _sync(*, scope, wanted: list[Wanted]) -> SyncResult:
    """Make the open flags within `scope` (a Flag queryset) exactly `wanted`; three queries at most.

    Only rows that change are written: new flags, reopened ones and ones whose severity or text moved.
    """
    wanted_by_key = {w.key: w for w in wanted}  # one row per key (an upsert may not touch a row twice)
    wanted_clients = {w.client_id for w in wanted_by_key.values()}
    existing = {
        (client_id, kind, period): (pk, office_id, severity, message, object_id, resolved_at)
        for pk, client_id, kind, period, office_id, severity, message, object_id, resolved_at in scope.filter(
            Q(resolved_at__isnull=True) | Q(client_id__any=wanted_clients)
        )
        .order_by()
        .values_list(
            "pk", "client_id", "kind", "period", "office_id", "severity", "message", "object_id", "resolved_at"
        )
    }
    result = SyncResult(open_count=len(wanted_by_key))
    changed = []
    for key, w in wanted_by_key.items():
        old = existing.get(key)
        if old is None:
            result.created.append(w)
        elif old[5] is not None:
            result.reopened.append(w)
        elif old[1:5] != (w.office_id, w.severity, w.message, w.object_id):
            changed.append(w)
    now = timezone.now()
    upsert_values(
        Flag,
        FLAG_FIELDS,
        [w.as_row(now) for w in (*result.created, *result.reopened, *changed)],
        unique_fields=["client", "kind", "period"],
        update_fields=["office", "severity", "message", "object_id", "resolved_at", "resolved_by"],
    )
    result.resolved = [
        Flag(pk=old[0], client_id=key[0], kind=key[1], period=key[2], office_id=old[1])
        for key, old in existing.items()
        if old[5] is None and key not in wanted_by_key
    ]
    if result.resolved:
        Flag.objects.filter(pk__in=[f.pk for f in result.resolved], resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
    return result


def _wanted(client_id: int, office_id: int, due: rules.FlagDue) -> Wanted:
    return Wanted(client_id, office_id, due.kind, due.period, due.severity, due.message[:300])


def _month_wanted(clients, month: date, today: date) -> list[Wanted]:
    """The month flags `clients` (a Client queryset) should have: the month's verdicts through visits'
    seam (one facts query and the plans in effect), then the pure rule once per distinct verdict (a few
    dozen, whatever the number of clients)."""
    dues_of = {}
    wanted = []
    rows = month_verdict_rows(clients, month)
    # The month's place in a run without a plan, for the no_agreed_plan text (only those clients).
    unplanned = [pk for pk, _office, verdict in rows if NO_AGREED_PLAN in verdict.warnings]
    counts = (
        plan_missing_month_counts(
            Client.objects.filter(pk__any=unplanned).only("window_starts_on", "window_ends_on"), month
        )
        if unplanned
        else {}
    )
    for client_id, office_id, verdict in rows:
        key = (verdict, counts.get(client_id))
        dues = dues_of.get(key)
        if dues is None:
            dues = dues_of[key] = rules.month_flags(month, today, verdict, plan_missing_count=key[1])
        wanted += [_wanted(client_id, office_id, due) for due in dues]
    return wanted


def _deadline_wanted(office_id: int, today: date, clients=None) -> list[Wanted]:
    """The deadline engine's output for the office (the dashboard's items), as flags."""
    return [
        Wanted(client.pk, client.office_id, due.kind, due.due_on, due.severity, due.message[:300], due.object_id)
        for client, due in office_deadlines(office_id, today, clients=clients)
    ]


def _month_clients(month: date, office_id: int | None = None):
    clients = Client.objects.in_service_during(month, month_end(month))
    if office_id is not None:
        clients = clients.filter(office_id=office_id)
    return selectors.flaggable(clients)


def in_default_language(job):
    """Flag texts are stored in the site's language, whoever's request ran the job (else every run by a
    user of the other language would rewrite them)."""

    @wraps(job)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return job(*args, **kwargs)

    return wrapped


@in_default_language
@transaction.atomic
def flag_months(*, office: Office | None, month: date, today: date | None = None) -> SyncResult:
    """Month flags of every current client in service in `month` (the current or a closed month), of
    one office or, with `office=None`, of every office at once.

    A fixed number of queries whatever the number of offices and clients: one for the facts, at most
    three to write (only what changed), one more for the current month's close-out.
    """
    today = today or timezone.localdate()
    month = month_start(month)
    office_id = office.pk if office is not None else None
    wanted = _month_wanted(_month_clients(month, office_id), month, today)
    scope = Flag.objects.filter(period=month, kind__in=rules.MONTH_KINDS)
    if office_id is not None:
        scope = scope.filter(office_id=office_id)
    result = _sync(scope=scope, wanted=wanted)
    if month == month_start(today):
        result.resolved += _close_out_old_months(office_id=office_id, today=today)
    return result


def _close_out_old_months(*, office_id: int | None, today: date) -> list[Flag]:
    """Resolve the in-month reminders of months before the previous one: nothing can be done about them
    any more. `month_not_billable` stays open (a late claim is still possible) until a run for that month
    (`run_flags --month`, or `refresh_client_flags(months=...)` after a late record) finds it billable."""
    old = Flag.objects.filter(
        resolved_at__isnull=True, kind__in=rules.CLOSED_OUT_KINDS, period__lt=months_to_flag(today)[0]
    )
    if office_id is not None:
        old = old.filter(office_id=office_id)
    closed = list(old.only("pk", "client_id", "kind", "period", "office_id"))
    if closed:
        Flag.objects.filter(pk__in=[f.pk for f in closed]).update(resolved_at=timezone.now())
    return closed


@in_default_language
@transaction.atomic
def flag_deadlines(*, office: Office, today: date | None = None) -> SyncResult:
    """Deadline flags of the office: exactly the deadline engine's output, the dashboard's items."""
    today = today or timezone.localdate()
    wanted = _deadline_wanted(office.pk, today)
    scope = Flag.objects.filter(office_id=office.pk, kind__in=rules.DEADLINE_KINDS)
    return _sync(scope=scope, wanted=wanted)


@in_default_language
@transaction.atomic
def flag_follow_ups(*, office: Office, today: date | None = None) -> SyncResult:
    """Former clients whose employment at the last fiscal-year end (3/31) is not yet recorded: raised
    from April 1, resolved when the follow-up is recorded. Reads meetings' follow-up selector."""
    today = today or timezone.localdate()
    year_end = date(today.year if today.month >= 4 else today.year - 1, 3, 31)
    wanted = [
        _wanted(client_id, office.pk, rules.follow_up_flag(year_end, today))
        for client_id in follow_ups_missing(office.pk, year_end, today)
    ]
    scope = Flag.objects.filter(office_id=office.pk, kind=rules.FOLLOW_UP_MISSING)
    return _sync(scope=scope, wanted=wanted)


@in_default_language
@transaction.atomic
def flag_claims(*, office: Office, today: date | None = None) -> SyncResult:
    """Claim deadline flags of the office's billable client-months: last month's from the 1st (urgent
    from the 8th) until its files are written, and, after the 10th or a return, until a 月遅れ batch
    carries it. Earlier months are looked at from the office's first claim batch (an office that does not
    claim through teichaku gets only last month's), at most CLAIM_LOOKBACK_MONTHS back."""
    today = today or timezone.localdate()
    last = shift_month(month_start(today), -1)
    months = [last]
    first = claims_selectors.first_claim_month(office.pk)
    if first is not None:
        month = max(first, shift_month(last, -(rules.CLAIM_LOOKBACK_MONTHS - 1)))
        months = []
        while month <= last:
            months.append(month)
            month = shift_month(month, 1)
    facts = claims_selectors.client_month_claims(office.pk, months)
    wanted = []
    for month in months:
        for client_id, office_id, verdict in month_verdict_rows(_month_clients(month, office.pk), month):
            if not verdict.billable:
                continue
            claim = rules.ClaimFacts(**facts.get((client_id, month), {}))
            wanted += [_wanted(client_id, office_id, due) for due in rules.claim_flags(month, today, claim)]
    scope = Flag.objects.filter(office_id=office.pk, kind__in=rules.CLAIM_KINDS)
    return _sync(scope=scope, wanted=wanted)


def months_to_flag(today: date) -> list[date]:
    """The month jobs look at: the current month and the previous (closed) one."""
    current = month_start(today)
    return [month_start(current - timedelta(days=1)), current]


@in_default_language
@transaction.atomic
def refresh_client_flags(
    *, client: Client, today: date | None = None, months: list[date] | None = None, deadlines: bool = True
) -> SyncResult:
    """Recompute one client's month flags and (unless `deadlines=False`) deadline flags at once.

    For changes to a flag's condition (a review done, a decision added), run by the receivers of the
    lower apps' events in the same transaction; about fifteen queries, a savepoint when nested. `months`
    defaults to the previous and the current month; pass an older month when a late record was entered
    for it. A contact changes only its months' verdicts: `contacts_changed` passes those months and
    `deadlines=False` (the facts of each month, then one read and at most two writes for all).
    """
    return _refresh_flags_of(client.office_id, [client.pk], today, months, deadlines)


@in_default_language
@transaction.atomic
def refresh_clients_flags(
    *,
    office_id: int,
    client_ids: list[int],
    today: date | None = None,
    months: list[date] | None = None,
    deadlines: bool = True,
) -> SyncResult:
    """`refresh_client_flags` for many clients of one office at once, set-based: the same queries
    whatever their number (an import)."""
    return _refresh_flags_of(office_id, client_ids, today, months, deadlines)


def _refresh_flags_of(office_id, client_ids, today, months, deadlines) -> SyncResult:
    today = today or timezone.localdate()
    wanted_months = sorted({month_start(m) for m in months or months_to_flag(today)})
    wanted = []
    for month in wanted_months:
        wanted += _month_wanted(_month_clients(month, office_id).filter(pk__any=client_ids), month, today)
    kinds = Q(period__in=wanted_months, kind__in=rules.MONTH_KINDS)
    if deadlines:
        candidates = deadline_candidates(office_id, today).filter(pk__any=client_ids)
        wanted += _deadline_wanted(office_id, today, clients=candidates)
        kinds |= Q(kind__in=rules.DEADLINE_KINDS)
    # one write for the months and the deadlines: their scopes share no (client, kind, period)
    return _sync(scope=Flag.objects.filter(kinds, client_id__any=client_ids), wanted=wanted)


_batched_offices: ContextVar[set[int] | None] = ContextVar("flags_batched_offices", default=None)


@contextmanager
def flags_refreshed_per_office():
    """Within it, `client_changed` only notes the client's office; when the block ends without an error,
    each noted office's month flags (previous and current month) and deadline flags are recomputed once,
    set-based. For many writes in one transaction (an import), where refreshing each client on its own
    costs some forty queries a row; after an error (a rolled-back preview) nothing is recomputed."""
    token = _batched_offices.set(set())
    try:
        yield
        office_ids = _batched_offices.get()
    finally:
        _batched_offices.reset(token)
    today = timezone.localdate()
    for office in Office.objects.filter(pk__in=office_ids):
        for month in months_to_flag(today):
            flag_months(office=office, month=month, today=today)
        flag_deadlines(office=office, today=today)


def client_changed(*, client: Client, days=()) -> SyncResult:
    """Recompute a client's flags right after a service changed what they depend on.

    Covers the current and previous month, plus the months of `days` (a contact dated in an older month).
    Inside `flags_refreshed_per_office` it only notes the office, for one pass at the end.
    """
    batched = _batched_offices.get()
    if batched is not None:
        batched.add(client.office_id)
        return SyncResult()
    today = timezone.localdate()
    return refresh_client_flags(client=client, today=today, months=[*months_to_flag(today), *days])


def clients_changed(*, office: Office, client_ids: list[int]) -> SyncResult:
    """Recompute the flags of many clients of the office at once after a bulk write (an import): the
    current and previous month and the deadlines, as `client_changed` does for each."""
    batched = _batched_offices.get()
    if batched is not None:
        batched.add(office.pk)
        return SyncResult()
    return refresh_clients_flags(office_id=office.pk, client_ids=client_ids, today=timezone.localdate())


def contacts_changed(*, client: Client, days) -> SyncResult:
    """Recompute the month flags of the months of `days` (the dates of the contacts recorded, changed or
    withdrawn), and nothing else: a contact counts only in its own month's verdict, and no deadline reads
    one. Inside `flags_refreshed_per_office` it only notes the office, like `client_changed`."""
    batched = _batched_offices.get()
    if batched is not None:
        batched.add(client.office_id)
        return SyncResult()
    return refresh_client_flags(client=client, today=timezone.localdate(), months=list(days), deadlines=False)
