"""Month verdicts computed in Python from the rows a page shows: the client's month grid, the office
month, the member's month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from cases.access import clients_of_office
from cases.models import BenefitDecision, Client, Employment, Membership, Office, User
from core.dates import month_end, month_start, months_between, shift_month
from core.statements import statement
from plans.coverage import month_coverage_and_runs, plan_coverage
from plans.models import Consent, ConsentPurpose, PlanStatus
from plans.rules import PlanFact, months_without_plan, plan_in_effect
from plans.selectors import client_consents, client_plans, client_reviews

from . import rules
from .facts import month_facts_rows, report_written, written_expression
from .models import ContactLog, SupportReport
from .selectors import month_is_locked


@dataclass
class ClientMonth:
    """One client's calendar month: the facts and the verdict computed from them."""

    client: Client | ClientLine  # a ClientLine in month_status_rows
    month: date
    verdict: rules.Verdict
    face_to_face_dates: list[date] = field(default_factory=list)
    employer_visit_dates: list[date] = field(default_factory=list)
    report: MonthReport | None = None
    # The month's place in a run of months in service without a plan in effect (1, 2, 3 …; 0 when
    # covered); None where the rows do not reach back to the start of service.
    plan_missing_count: int | None = None

    @property
    def report_shared_on(self) -> date | None:
        return self.report.shared_with_client_on if self.report else None


def clients_in_service(office_id: int, month: date):
    """Clients of the office whose eligibility window overlaps the month."""
    return clients_in_service_between(office_id, month_start(month), month_end(month))


def clients_in_service_between(office_id: int, first: date, last: date):
    """Clients of the office whose eligibility window overlaps first–last."""
    return clients_of_office(office_id).in_service_during(first, last)


def _share_office(office: Office | int, clients: list[Client]) -> list[Client]:
    """Given the Office rather than its id, the clients share it instead of reading a copy each."""
    if not isinstance(office, int):
        for client in clients:
            client.office = office
    return clients


@dataclass(frozen=True, slots=True)
class StaffName:
    pk: int
    last_name: str
    display_name: str


@dataclass(frozen=True, slots=True)
class ClientLine:
    """A client as the month's status lists show it (month_status_rows): read as values, not a model."""

    pk: int
    full_name: str
    full_name_kana: str
    window_starts_on: date | None
    window_ends_on: date | None
    primary_staff: StaffName | None


def _line_values(clients):
    return clients.order_by("family_name_kana", "given_name_kana", "id").values_list(
        "pk", "family_name", "given_name", "family_name_kana", "given_name_kana", "window_starts_on",
        "window_ends_on", "primary_staff_id", "primary_staff__last_name", "primary_staff__first_name",
        "primary_staff__username",
    )  # fmt: skip


@statement
def _client_lines_in_service(*, office_id: int, first: date, last: date):
    """The office's clients in service during first–last, a status line's columns each, in kana order."""
    return _line_values(clients_in_service_between(office_id, first, last))


@statement
def _staff_client_lines_in_service(*, office_id: int, first: date, last: date, staff_id: int):
    return _line_values(clients_in_service_between(office_id, first, last).filter(primary_staff_id=staff_id))


def _client_lines(rows) -> list[ClientLine]:
    staff = {}
    lines = []
    for pk, family, given, family_kana, given_kana, starts_on, ends_on, staff_id, last, first, username in rows:
        if staff_id is not None and staff_id not in staff:
            staff[staff_id] = StaffName(staff_id, last, User.name_of(last, first, username))
        lines.append(
            ClientLine(
                pk,
                Client.name_of(family, given),
                Client.name_of(family_kana, given_kana),
                starts_on,
                ends_on,
                staff.get(staff_id),
            )
        )
    return lines


def month_clients(clients, first: date, last: date):
    """`clients` (a queryset) as month_rows reads them for the month first–last: in kana order with their
    primary staff (not their office), each with whether it works オープン and whether its consent to the
    employer's copy stands (two probes each)."""
    open_job = Employment.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first),
        client_id=OuterRef("pk"),
        disclosed=True,
        hired_on__lte=last,
    )
    consent = Consent.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=last),
        client_id=OuterRef("pk"),
        purpose=ConsentPurpose.REPORT_TO_EMPLOYER,
        given_on__lte=last,
        withdrawn_at__isnull=True,
    )
    return (
        clients.annotate(works_open=Exists(open_job), employer_consent=Exists(consent))
        .select_related("primary_staff")
        .order_by("family_name_kana", "given_name_kana", "id")
    )


@statement
def _month_clients_in_service(*, office_id: int, first: date, last: date):
    return month_clients(clients_in_service_between(office_id, first, last), first, last)


def month_rows(
    office: Office | int, month: date, *, clients=None, online_counts: bool | None = None
) -> list[ClientMonth]:
    """Verdicts for every client in service in an office-month, from six queries whatever the size.

    `clients` narrows the rows (a queryset of the office's clients, or the list a statement read through
    `month_clients`); by default every client whose window overlaps the month. Whether the client works
    オープン and consented to the employer's copy comes with the clients, for this one month. Given the
    Office rather than its id, the clients share it instead of reading a copy each.
    """
    office_id = office if isinstance(office, int) else office.pk
    first, last = month_start(month), month_end(month)
    if clients is None and not isinstance(office, int):
        clients = _month_clients_in_service(office_id=office_id, first=first, last=last)
    elif not isinstance(clients, list):
        clients = month_clients(clients_in_service(office_id, month) if clients is None else clients, first, last)
        clients = list(clients.select_related("office") if isinstance(office, int) else clients)
    clients = _share_office(office, clients)
    # The month's plan in effect and each row's place in a run of months without one (two queries).
    coverage, runs = month_coverage_and_runs(clients, first)
    grid = verdict_grid(
        clients,
        first,
        first,
        online_counts=online_counts,
        # Rows that say the same for this month as the records do (open during it, standing at its end).
        employment_rows=[(c.pk, first, None, True) for c in clients if c.works_open],
        consent_rows=[(c.pk, first, None) for c in clients if c.employer_consent],
        coverage=coverage,
    )
    rows = [grid[client.pk][0] for client in clients]
    for row in rows:
        row.plan_missing_count = runs[row.client.pk]
    return rows


def month_status_rows(
    office: Office | int, month: date, *, clients=None, staff_id: int | None = None
) -> list[ClientMonth]:
    """The month's verdict and place in a run of months without a plan for every client in service in an
    office-month (`staff_id`: a staff member's clients; `clients`: a queryset of them), as month_rows
    gives them but without the month's dates and report: for the pages that list who is billable and why
    not. Each row's client is a ClientLine. The verdicts come from the database's facts (visits.facts, one
    query, held to the Python rule by its tests), so no contact, decision or report row is read; the
    plans only of the clients without one in effect this month. Four queries whatever the size."""
    office_id = office if isinstance(office, int) else office.pk
    first, last = month_start(month), month_end(month)
    if clients is not None:
        rows = _client_lines(_line_values(clients))
    elif staff_id:
        rows = _client_lines(
            _staff_client_lines_in_service(office_id=office_id, first=first, last=last, staff_id=staff_id)
        )
        clients = clients_in_service(office_id, month).filter(primary_staff_id=staff_id)
    else:
        rows = _client_lines(_client_lines_in_service(office_id=office_id, first=first, last=last))
        clients = clients_in_service(office_id, month)
    facts = {pk: month_facts for pk, _office, month_facts in month_facts_rows(clients, first)}
    # The run of months without a plan, counted back only for the clients without one this month.
    _coverage, runs = month_coverage_and_runs([c for c in rows if not facts[c.pk].plan_agreed], first)
    return [
        ClientMonth(
            client=client,
            month=first,
            verdict=rules.verdict_from_facts(facts[client.pk]),
            plan_missing_count=runs.get(client.pk, 0),
        )
        for client in rows
    ]


def window_months(client: Client) -> list[date]:
    """First days of every calendar month the client's eligibility window touches."""
    window = client.window
    if window is None:
        return []
    return [
        shift_month(month_start(window.starts_on), i)
        for i in range(months_between(window.starts_on, window.ends_on))
    ]


def client_month_grid(client: Client, contacts: list | None = None) -> list[ClientMonth]:
    """One ClientMonth per month of the client's whole window.

    Reuses what the client page has fetched already: `contacts` (all the client's contacts, see
    `client_contacts`), the employments and decisions prefetched on `client`, its plans, reviews and
    consents (`client_plans`, `client_reviews`, `client_consents`, shared with the plans panel);
    otherwise queries them. Reports are the one query of its own.
    """
    months = window_months(client)
    if not months:
        return []
    cache = getattr(client, "_prefetched_objects_cache", {})
    decisions = employments = None
    if "decisions" in cache:
        decisions = [(client.pk, d.starts_on, d.ends_on) for d in client.decisions.all() if not d.withdrawn]
    if "employments" in cache:
        employments = [(client.pk, e.hired_on, e.left_on, e.disclosed) for e in client.employments.all()]
    plans = client_plans(client)
    reviews = [r.reviewed_on for r in client_reviews(client) if not r.withdrawn]
    plan_facts = [
        PlanFact(p.version, p.starts_on, p.ends_on, p.agreed_on, p.delivered_on)
        for p in plans
        if p.status == PlanStatus.DELIVERED and not p.withdrawn
    ]
    return verdict_grid(
        [client],
        months[0],
        months[-1],
        contact_rows=None if contacts is None else [contact_row(c) for c in contacts if not c.withdrawn],
        decision_rows=decisions,
        employment_rows=employments,
        consent_rows=[
            (c.client_id, c.given_on, c.withdrawn_on)
            for c in client_consents(client)
            if c.purpose == ConsentPurpose.REPORT_TO_EMPLOYER and not c.withdrawn
        ],
        coverage={client.pk: {m for m in months if plan_in_effect(m, plan_facts, reviews)}},
    )[client.pk]


def contact_row(c) -> tuple:
    """The values of a contact (a ContactLog or a selectors.ContactLine) the month rule reads, as
    verdict_grid takes them."""
    return (c.client_id, c.on, c.kind, c.face_to_face, c.narrative != "", c.employer_met)


# The rows verdict_grid reads for first–last, where its caller holds none.
@statement
def _contact_rows(*, client_ids: list[int], first: date, last: date):
    return (
        ContactLog.objects.filter(client_id__any=client_ids, on__range=(first, last), withdrawn_at__isnull=True)
        .order_by("on", "id")
        .annotate(written=~Q(narrative=""))
        .values_list("client_id", "on", "kind", "face_to_face", "written", "employer_met")
    )


@statement
def _decision_rows(*, client_ids: list[int], first: date, last: date):
    return BenefitDecision.objects.filter(
        client_id__any=client_ids, starts_on__lte=last, ends_on__gte=first, withdrawn_at__isnull=True
    ).values_list("client_id", "starts_on", "ends_on")


@statement
def _disclosed_job_rows(*, client_ids: list[int]):
    return Employment.objects.filter(client_id__any=client_ids, disclosed=True).values_list(
        "client_id", "hired_on", "left_on", "disclosed"
    )


@statement
def _employer_consent_rows(*, client_ids: list[int], last: date):
    return Consent.objects.filter(
        client_id__any=client_ids,
        purpose=ConsentPurpose.REPORT_TO_EMPLOYER,
        given_on__lte=last,
        withdrawn_at__isnull=True,
    ).values_list("client_id", "given_on", "withdrawn_on")


@dataclass(frozen=True, slots=True)
class MonthReport:
    """What the month rule reads of a month's standing report (the report page reads the rest)."""

    client_id: int
    month: date
    shared_with_client_on: date | None
    shared_with_employer_on: date | None
    has_text: bool  # any section written (visits.facts.report_written)


@statement
def _month_reports(*, client_ids: list[int], first: date, last: date):
    """The standing reports of first–last: whether written and when shared."""
    return (
        SupportReport.objects.filter(client_id__any=client_ids, month__range=(first, last), withdrawn_at__isnull=True)
        .order_by()
        .annotate(has_text=written_expression())
        .values_list("client_id", "month", "shared_with_client_on", "shared_with_employer_on", "has_text")
    )


def verdict_grid(
    clients: list[Client],
    first_month: date,
    last_month: date,
    *,
    online_counts: bool | None = None,
    contact_rows=None,
    decision_rows=None,
    employment_rows=None,
    consent_rows=None,
    coverage=None,
) -> dict[int, list[ClientMonth]]:
    """Verdicts for each client and each month from first_month to last_month.

    A fixed number of queries whatever the number of clients, months or contacts (contacts, decisions,
    reports, employments, employer-sharing consents and plans with their reviews for the whole span),
    then one pass in Python through the pure rule. A caller that holds some of these already passes them
    as rows, (client_id, on, kind, face_to_face, written, employer_met), (client_id, starts_on, ends_on),
    (client_id, hired_on, left_on, disclosed), (client_id, given_on, withdrawn_on) and `coverage`
    ({client_id: months with a plan in effect}), and the query is skipped; rows outside the span are
    ignored. When the span starts at a client's first month of service, each row also carries its place
    in the run of months without a plan in effect (`plan_missing_count`).
    """
    if not clients:
        return {}
    first, last = month_start(first_month), month_end(last_month)
    months = [shift_month(first, i) for i in range(months_between(first, last))]
    if online_counts is None:
        online_counts = clients[0].office.online_counts_as_face_to_face
    ids = [c.pk for c in clients]

    contacts = defaultdict(list)
    if contact_rows is None:
        contact_rows = _contact_rows(client_ids=ids, first=first, last=last)
    for client_id, on, kind, face_to_face, written, employer_met in contact_rows:
        if first <= on <= last:
            contacts[(client_id, month_start(on))].append(
                rules.ContactFact(on, kind, face_to_face, bool(written), employer_met)
            )

    decisions = defaultdict(list)
    if decision_rows is None:
        decision_rows = _decision_rows(client_ids=ids, first=first, last=last)
    for client_id, starts_on, ends_on in decision_rows:
        if starts_on <= last and ends_on >= first:
            decisions[client_id].append(rules.DecisionPeriod(starts_on, ends_on))

    reports = {
        (row[0], row[1]): MonthReport(*row) for row in _month_reports(client_ids=ids, first=first, last=last)
    }

    disclosed = defaultdict(list)
    if employment_rows is None:
        employment_rows = _disclosed_job_rows(client_ids=ids)
    for client_id, hired_on, left_on, is_disclosed in employment_rows:
        if is_disclosed:
            disclosed[client_id].append((hired_on, left_on))

    consents = defaultdict(list)
    if consent_rows is None:
        consent_rows = _employer_consent_rows(client_ids=ids, last=last)
    for client_id, given_on, withdrawn_on in consent_rows:
        consents[client_id].append((given_on, withdrawn_on))

    if coverage is None:
        coverage = plan_coverage(ids, first, last)

    grid = {}
    for client in clients:
        pk, window = client.pk, client.window
        covered = coverage.get(pk, set())
        counting = window is not None and month_start(window.starts_on) >= first
        disclosed_jobs, consent_periods, decision_periods = disclosed[pk], consents[pk], decisions[pk]
        rows = []
        for month in months:
            facts = contacts[(pk, month)]
            report = reports.get((pk, month))
            month_last = month_end(month)
            open_ = any(
                hired_on <= month_last and (left_on is None or left_on >= month) for hired_on, left_on in disclosed_jobs
            )
            consent = any(
                given_on <= month_last and (withdrawn_on is None or withdrawn_on > month_last)
                for given_on, withdrawn_on in consent_periods
            )
            verdict = rules.month_verdict(
                month,
                facts,
                window,
                decision_periods,
                None,
                report_shared=bool(report and report.shared_with_client_on),
                online_counts=online_counts,
                plan_in_effect=month in covered,
                report_written=bool(report and report_written(report)),
                employer_report_required=open_ and consent,
                employer_report_shared=bool(report and report.shared_with_employer_on),
                employer_consent_missing=open_ and not consent,
            )
            in_service = window is not None and window.starts_on <= month_last and window.ends_on >= month
            rows.append(
                ClientMonth(
                    client=client,
                    month=month,
                    verdict=verdict,
                    face_to_face_dates=sorted(
                        {c.on for c in facts if rules.counts_as_face_to_face(c, online_counts)}
                    ),
                    employer_visit_dates=sorted({c.on for c in facts if rules.counts_as_employer_visit(c)}),
                    report=report,
                    plan_missing_count=(
                        months_without_plan(month, month_start(window.starts_on), covered)
                        if counting and in_service
                        else (0 if counting else None)
                    ),
                )
            )
        grid[client.pk] = rows
    return grid


@dataclass
class StaffGroup:
    staff: object  # User or None (no primary staff)
    rows: list[ClientMonth]


@dataclass
class OfficeMonth:
    month: date
    rows: list[ClientMonth]
    billable: int
    not_billable: int
    missing_by_staff: list[StaffGroup]
    locked: bool
    # Clients in service without a plan in effect, with their run's month count (個別支援計画未作成減算).
    plan_missing: list[ClientMonth] = field(default_factory=list)


def _missing(row: ClientMonth) -> bool:
    reasons = row.verdict.reasons
    return bool({rules.NO_FACE_TO_FACE, rules.NO_SUPPORT_REPORT, rules.NO_EMPLOYER_REPORT} & set(reasons))


def _group_by_staff(rows: list[ClientMonth]) -> list[StaffGroup]:
    groups: dict[int | None, StaffGroup] = {}
    for row in rows:
        staff = row.client.primary_staff
        key = staff.pk if staff else None
        groups.setdefault(key, StaffGroup(staff=staff, rows=[])).rows.append(row)
    return sorted(
        groups.values(),
        key=lambda g: (g.staff is None, g.staff.last_name if g.staff else "", g.staff.pk if g.staff else 0),
    )


def office_month(office: Office | int, month: date, *, with_dates: bool = False) -> OfficeMonth:
    """Counts for the office month page and the clients still missing a meeting or a shared report;
    `with_dates`: the rows carry the month's meeting days and report too (month_rows)."""
    office_id = office if isinstance(office, int) else office.pk
    rows = (month_rows if with_dates else month_status_rows)(office, month)
    billable = sum(1 for r in rows if r.verdict.billable)
    return OfficeMonth(
        month=month_start(month),
        rows=rows,
        billable=billable,
        not_billable=len(rows) - billable,
        missing_by_staff=_group_by_staff([r for r in rows if _missing(r)]),
        locked=month_is_locked(office_id, month),
        plan_missing=[r for r in rows if r.plan_missing_count],
    )


def my_month(membership: Membership, month: date) -> list[ClientMonth]:
    """The member's own clients in service this month still to meet or to report to."""
    return [r for r in month_status_rows(membership.office, month, staff_id=membership.user_id) if _missing(r)]
