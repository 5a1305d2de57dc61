"""Reads of meetings: the add-on meetings other apps bill, the office's rates and follow-up, statistics.

Every function here runs a fixed number of queries whatever the number of clients, meetings and years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Min, QuerySet

from cases.access import load_for_page
from cases.models import Client, ClientStatus, DisabilityCategory, Employment, Membership
from cases.rules import Job
from core.dates import fiscal_year, month_end, period_end, shift_month
from core.statements import statement
from plans.models import Consent, ConsentPurpose
from visits.models import ContactLog

from . import rules
from .models import FollowUp, Meeting, MeetingKind, OfficeDesignation, OfficeTierConfirmation, Organisation


@dataclass(frozen=True)
class AddonMeeting:
    held_on: date
    kind: str  # "I" (サービス管理責任者 presented) or "II" (another support worker presented)


# --- visibility ---


def meetings_visible_to(membership: Membership):
    return Meeting.objects.filter(client__office_id=membership.office_id)


def organisations_visible_to(membership: Membership):
    return Organisation.objects.filter(office_id=membership.office_id)


def follow_ups_visible_to(membership: Membership):
    return FollowUp.objects.filter(client__office_id=membership.office_id)


# --- the add-on ---


def _facts_of(meetings: list[Meeting]) -> dict[int, list[rules.MeetingFacts]]:
    """Each client's meetings as rule facts; consents from one query."""
    client_ids = sorted({m.client_id for m in meetings})
    consents = defaultdict(list)
    for client_id, given_on, withdrawn_on in _meeting_consents(client_ids=client_ids) if client_ids else ():
        consents[client_id].append((given_on, withdrawn_on))
    by_client = defaultdict(list)
    for m in meetings:
        consent = any(g <= m.held_on and (w is None or w > m.held_on) for g, w in consents[m.client_id])
        by_client[m.client_id].append(
            rules.MeetingFacts(
                id=m.pk,
                held_on=m.held_on,
                regional=m.kind == MeetingKind.REGIONAL,
                presenter_role=m.presenter_role,
                reported_to_manager_on=m.reported_to_manager_on,
                consent=consent,
                outside_organisations=m.outside_count,
            )
        )
    return by_client


def _with_outside_count(queryset):
    return queryset.annotate(outside_count=Count("attendees__organisation", distinct=True))


@statement
def _meeting_consents(*, client_ids: list[int]):
    return Consent.objects.filter(
        client_id__any=client_ids, purpose=ConsentPurpose.CASE_MEETING, withdrawn_at__isnull=True
    ).values_list("client_id", "given_on", "withdrawn_on")


def _meetings_since(client_ids, year_start: date, last_day: date, related: bool):
    meetings = _with_outside_count(
        Meeting.objects.filter(client_id__any=client_ids, held_on__gte=year_start, held_on__lte=last_day)
    ).order_by("held_on", "pk")
    return meetings.select_related("client", "presenter") if related else meetings


@statement
def _meetings_of(*, client_ids: list[int], year_start: date, last_day: date):
    return _meetings_since(client_ids, year_start, last_day, False)


@statement
def _related_meetings_of(*, client_ids: list[int], year_start: date, last_day: date):
    return _meetings_since(client_ids, year_start, last_day, True)


def meeting_verdicts(meetings: list[Meeting]) -> dict[int, rules.AddonVerdict]:
    """Verdicts of `meetings` (annotated by `_with_outside_count`, all of their clients' meetings of the
    fiscal years concerned from the start of each year): one more query for consents."""
    verdicts = {}
    for facts in _facts_of(meetings).values():
        verdicts.update(rules.addon_verdicts(facts))
    return verdicts


def meetings_with_verdicts(client_ids: Iterable[int], first_day: date, last_day: date, *, related=True):
    """(meeting, verdict) of the clients' meetings held between first_day and last_day, by date; the
    verdicts look at every meeting of the fiscal years from first_day's. Two queries. `client_ids` may
    be a queryset of client ids (read as a subquery). `related=False` leaves out the client and presenter
    rows, for callers that read only the meetings' own fields."""
    if not isinstance(client_ids, QuerySet):
        client_ids = list(client_ids)
        if not client_ids:
            return []
    year_start = date(fiscal_year(first_day), 4, 1)
    if isinstance(client_ids, QuerySet):
        meetings = list(_meetings_since(client_ids, year_start, last_day, related))
    else:
        read = _related_meetings_of if related else _meetings_of
        meetings = read(client_ids=client_ids, year_start=year_start, last_day=last_day)
    verdicts = meeting_verdicts(meetings)
    return [(m, verdicts[m.pk]) for m in meetings if m.held_on >= first_day]


def addon_meetings(
    client_ids: Iterable[int], first_day: date, last_day: date
) -> dict[int, list[AddonMeeting]]:
    """Counted 地域連携会議 per client between first_day and last_day (inclusive), by date."""
    result: dict[int, list[AddonMeeting]] = {}
    for meeting, verdict in meetings_with_verdicts(client_ids, first_day, last_day, related=False):
        if verdict.counted:
            result.setdefault(meeting.client_id, []).append(AddonMeeting(meeting.held_on, verdict.kind))
    return result


def client_meetings(client: Client):
    """All meetings of one client, newest first, each with its verdict. Two queries."""
    meetings = list(
        _with_outside_count(Meeting.objects.filter(client=client))
        .select_related("presenter")
        .order_by("held_on", "pk")
    )
    verdicts = meeting_verdicts(meetings)
    return [(m, verdicts[m.pk]) for m in reversed(meetings)]


def meeting_for_page(request, pk: int):
    """The meeting, else 404, and the page's access-log row (cases.access.load_for_page)."""
    queryset = meetings_visible_to(request.membership).select_related(
        "client", "client__office", "presenter", "new_plan", "recorded_by"
    )
    return load_for_page(request, queryset, pk, client="client")


def verdict_of(meeting: Meeting) -> rules.AddonVerdict:
    """The verdict of one meeting, from its client's meetings of that fiscal year (two queries)."""
    rows = meetings_with_verdicts([meeting.client_id], meeting.held_on, meeting.held_on)
    return next(v for m, v in rows if m.pk == meeting.pk)


def office_meetings(membership: Membership, first_day: date, last_day: date):
    ids = Client.objects.filter(office_id=membership.office_id).values_list("pk", flat=True)
    return meetings_with_verdicts(list(ids), first_day, last_day)


# --- the facts of the office's clients for the rates, follow-up and statistics ---


FINISHED = (ClientStatus.ENDED, ClientStatus.HANDED_OVER)


@dataclass(frozen=True)
class ClientRow:
    client: Client
    facts: rules.ClientFacts


def client_facts(office_id: int, today: date, *, client_ids=None) -> list[ClientRow]:
    """Every client of the office (or those of `client_ids`) with the facts the rates read. Four queries."""
    clients = Client.objects.filter(office_id=office_id)
    if client_ids is not None:
        clients = clients.filter(pk__in=client_ids)
    clients = list(clients.select_related("handover").order_by("pk"))
    ids = [c.pk for c in clients]
    jobs = defaultdict(list)
    for client_id, hired_on, left_on in Employment.objects.filter(client_id__in=ids).values_list(
        "client_id", "hired_on", "left_on"
    ):
        jobs[client_id].append(Job(hired_on, left_on))
    follow_ups = defaultdict(list)
    for client_id, year_end, status, left_on in FollowUp.objects.filter(client_id__in=ids).values_list(
        "client_id", "year_end", "still_employed", "left_on"
    ):
        follow_ups[client_id].append(rules.FollowUpFact(year_end, status, left_on))
    used = {
        client_id: (first, last)
        for client_id, first, last in ContactLog.objects.filter(client_id__in=ids, face_to_face=True)
        .values_list("client_id")
        .annotate(first=Min("on"), last=Max("on"))
        .values_list("client_id", "first", "last")
        .order_by()
    }
    rows = []
    for c in clients:
        first, last = used.get(c.pk, (None, None))
        if first is not None and c.window_starts_on is not None:
            first, last = max(first, c.window_starts_on), min(last, c.window_ends_on)
            if first > last:
                first = last = None
        elif c.window_starts_on is None:
            first = last = None
        rows.append(
            ClientRow(
                c,
                rules.ClientFacts(
                    client_id=c.pk,
                    name=c.full_name,
                    continuity=rules.continuity(jobs[c.pk]),
                    used_from=first,
                    used_to=last,
                    service_ended_on=service_ended_on(c, last, today),
                    follow_ups=tuple(sorted(follow_ups[c.pk], key=lambda f: f.year_end)),
                ),
            )
        )
    return rows


def service_ended_on(client: Client, last_use: date | None, today: date) -> date | None:
    """The day the service ended: the handover day, else (service ended) the window's end or the last
    face-to-face contact if earlier, else the window's end once passed; None while it goes on."""
    try:
        handover = client.handover
        handed_over_on = None if handover.withdrawn else handover.handed_over_on
    except ObjectDoesNotExist:
        handed_over_on = None
    if client.status in FINISHED:
        if handed_over_on:
            return handed_over_on
        candidates = [d for d in (client.window_ends_on, last_use) if d]
        return min(candidates) if candidates else None
    if client.window_ends_on is not None and client.window_ends_on < today:
        return client.window_ends_on
    return None


def designation_of(office_id: int) -> date | None:
    row = OfficeDesignation.objects.filter(office_id=office_id).first()
    return row.designated_on if row else None


def retention_rate_for(office_id: int, year: int, today: date) -> rules.RateResult:
    return rules.retention_rate(year, [r.facts for r in client_facts(office_id, today)])


def track_record_for(office_id: int, year: int, today: date) -> rules.RateResult:
    return rules.track_record(
        year, [r.facts for r in client_facts(office_id, today)], designation_of(office_id)
    )


def confirmation_of(office_id: int, year: int) -> OfficeTierConfirmation | None:
    return (
        OfficeTierConfirmation.objects.filter(office_id=office_id, fiscal_year=year)
        .select_related("confirmed_by")
        .first()
    )


@statement
def _confirmed_tiers(*, office_id: int, fiscal_year: int):
    return OfficeTierConfirmation.objects.filter(office_id=office_id, fiscal_year=fiscal_year).values_list("tier")[:1]


def confirmed_tier(office_id: int, fiscal_year: int) -> str | None:
    """The 就労定着率 tier code the office confirmed for the fiscal year, or None."""
    rows = _confirmed_tiers(office_id=office_id, fiscal_year=fiscal_year)
    return rows[0][0] if rows else None


# --- follow-up after the service ---


@dataclass(frozen=True)
class FollowUpDue:
    client: Client
    year_end: date
    record: FollowUp | None


def follow_ups_due(office_id: int, today: date) -> list[FollowUpDue]:
    """Each former client's fiscal-year ends from the end of service to 78 months after hire that have
    come (up to today), with the record if there is one. Five queries."""
    records = {
        (f.client_id, f.year_end): f
        for f in FollowUp.objects.filter(client__office_id=office_id).select_related("recorded_by")
    }
    due = []
    for row in client_facts(office_id, today):
        f = row.facts
        if f.service_ended_on is None or f.continuity is None:
            continue
        for year_end in rules.follow_up_year_ends(f.continuity.hired_on, f.service_ended_on, until=today):
            due.append(FollowUpDue(row.client, year_end, records.get((row.client.pk, year_end))))
    return due


def follow_ups_missing(office_id: int, year_end: date, today: date) -> list[int]:
    """Ids of the former clients whose status at `year_end` is to be recorded and is not."""
    return sorted(
        d.client.pk
        for d in follow_ups_due(office_id, today)
        if d.year_end == year_end and d.record is None and not d.client.archived
    )


def follow_up_year_ends_of(client: Client, today: date) -> list[date]:
    rows = client_facts(client.office_id, today, client_ids=[client.pk])
    if not rows:
        return []
    f = rows[0].facts
    if f.service_ended_on is None or f.continuity is None:
        return []
    return rules.follow_up_year_ends(f.continuity.hired_on, f.service_ended_on)


# --- statistics ---

# One national study's 1-year retention by disability category (see the domain reference).
NATIONAL_ONE_YEAR_RETENTION = {
    DisabilityCategory.DEVELOPMENTAL: Decimal("0.715"),
    DisabilityCategory.INTELLECTUAL: Decimal("0.680"),
    DisabilityCategory.PHYSICAL: Decimal("0.608"),
    DisabilityCategory.MENTAL: Decimal("0.493"),
}


@dataclass(frozen=True)
class CategoryRetention:
    code: str
    label: str
    clients: int
    retained: int
    unknown: int
    rate: Decimal | None
    national: Decimal | None


@dataclass(frozen=True)
class Statistics:
    categories: list[CategoryRetention]
    months: list[tuple[date, int]]


def statistics(office_id: int, today: date, months: int = 12) -> Statistics:
    """1-year retention (still in the employment begun at H one year after H) by disability category,
    and the number of clients in service in each of the last `months` months. Four queries."""
    rows = client_facts(office_id, today)
    counts = {code: [0, 0, 0] for code, _label in DisabilityCategory.choices}
    for row in rows:
        f = row.facts
        if f.continuity is None:
            continue
        one_year = period_end(f.continuity.hired_on, 12)
        if one_year >= today:
            continue
        known = rules.employment_on(f, one_year)
        for code in row.client.disability_categories or []:
            if code in counts:
                counts[code][0] += 1
                counts[code][1] += known.status == rules.YES
                counts[code][2] += known.status == rules.UNKNOWN
    categories = [
        CategoryRetention(
            code,
            str(label),
            counts[code][0],
            counts[code][1],
            counts[code][2],
            rules.share(counts[code][1], counts[code][0]),
            NATIONAL_ONE_YEAR_RETENTION.get(code),
        )
        for code, label in DisabilityCategory.choices
    ]
    first_month = shift_month(today.replace(day=1), -(months - 1))
    month_counts = []
    for i in range(months):
        start = shift_month(first_month, i)
        end = month_end(start)
        n = 0
        for row in rows:
            c, f = row.client, row.facts
            if c.window_starts_on is None or c.window_starts_on > end or c.window_ends_on < start:
                continue
            if f.used_from is None or f.used_from > end:
                continue
            if f.service_ended_on is not None and f.service_ended_on < start:
                continue
            n += 1
        month_counts.append((start, n))
    return Statistics(categories, month_counts)
