"""Reads for plans, reviews, consents and handovers, and the facts of the deadline engine.

`deadline_facts(office, today)` is the one read the engine (plans.deadlines) decides from;
`office_deadlines` its output, which the dashboard (`dashboard`) and the flag job (flags.services) show.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from cases.access import clients_visible_to, load_for_page
from cases.models import BenefitDecision, Client, ClientStatus, Employment, Membership
from cases.rules import Window
from core.links import path_format
from core.statements import statement

from . import deadlines, rules
from .coverage import plan_coverage, plan_missing_month_counts  # noqa: F401  (other apps read them here)
from .links import deadline_fix_url
from .models import (
    PLAN_CONTENT_FIELDS,
    Consent,
    ConsentPurpose,
    Handover,
    PlanReview,
    PlanStatus,
    SupportPlan,
)

IN_EFFECT = (PlanStatus.AGREED, PlanStatus.DELIVERED)

# --- visibility ---


def plans_visible_to(membership: Membership):
    return SupportPlan.objects.filter(client__in=clients_visible_to(membership)).select_related(
        "client", "drafted_by", "approved_by"
    )


def reviews_visible_to(membership: Membership):
    return PlanReview.objects.filter(plan__client__in=clients_visible_to(membership)).select_related(
        "plan__client", "reviewer"
    )


def consents_visible_to(membership: Membership):
    return Consent.objects.filter(client__in=clients_visible_to(membership)).select_related("client")


# The loaders of a page: the record, else 404, and the page's access-log row (cases.access.load_for_page).


def plan_for_page(request, pk: int) -> SupportPlan:
    queryset = plans_visible_to(request.membership).select_related("client__office")
    return load_for_page(request, queryset, pk, client="client")


def review_for_page(request, pk: int) -> PlanReview:
    return load_for_page(request, reviews_visible_to(request.membership), pk, client="plan.client")


def consent_for_page(request, pk: int) -> Consent:
    return load_for_page(request, consents_visible_to(request.membership), pk, client="client")


# --- consent ---


def consent_stands(client: Client | int, purpose: str, on: date) -> bool:
    """Whether the client's consent for `purpose` was given on or before `on` and not withdrawn by then."""
    client_id = client if isinstance(client, int) else client.pk
    return (
        Consent.objects.filter(client_id=client_id, purpose=purpose, given_on__lte=on, withdrawn_at__isnull=True)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .exists()
    )


def consent_summary(client: Client, on: date) -> list[tuple[str, str, bool]]:
    """(purpose code, label, stands) for every purpose, from one query."""
    rows = list(client.consents.all())
    standing = {
        c.purpose
        for c in rows
        if not c.withdrawn and c.given_on <= on and (c.withdrawn_on is None or c.withdrawn_on > on)
    }
    return [(code, label, code in standing) for code, label in ConsentPurpose.choices]


# --- the client page panel ---


@dataclass(frozen=True)
class ClientPlansPanel:
    plans: list
    current: SupportPlan | None
    reviews: list
    next_review_on: date | None
    review_state: str | None
    consents: list
    consent_summary: list
    handover: Handover | None


# What the client page reads of the versions, their reviews and the consents (its plans panel and month
# grid): not the plans' and reviews' texts nor who recorded them.
PLAN_FIELDS = (
    "client_id", "version", "status", "starts_on", "ends_on", "agreed_on", "delivered_on", "withdrawn_at",
    "withdrawal_reason",
)  # fmt: skip
REVIEW_FIELDS = ("plan_id", "reviewed_on", "decision", "withdrawn_at", "reviewer__last_name",
                 "reviewer__first_name", "reviewer__username")  # fmt: skip


@statement
def _plans_of(*, client_id: int):
    return SupportPlan.objects.filter(client_id=client_id).only(*PLAN_FIELDS).order_by("-version")


@statement
def _reviews_of(*, plan_ids: list[int]):
    return (
        PlanReview.objects.filter(plan_id__any=plan_ids)
        .select_related("reviewer")
        .only(*REVIEW_FIELDS)
        .order_by("-reviewed_on")
    )


@statement
def _consents_of(*, client_id: int):
    return Consent.objects.filter(client_id=client_id)


def _of_client(client: Client, rows: list) -> list:
    for row in rows:
        row.client = client
    return rows


def client_plans(client: Client) -> list[SupportPlan]:
    """The client's plan versions, newest first; fetched once per client instance (the client page's
    plans panel and its month grid share them)."""
    if not hasattr(client, "_plans_newest_first"):
        client._plans_newest_first = _of_client(client, _plans_of(client_id=client.pk))
    return client._plans_newest_first


def client_reviews(client: Client) -> list[PlanReview]:
    """The reviews of all the client's plan versions, newest first; fetched once per client instance."""
    if not hasattr(client, "_reviews_newest_first"):
        # By the plan ids in hand (the index on plan_id), not a join back to the client's plans.
        by_id = {p.pk: p for p in client_plans(client)}
        reviews = _reviews_of(plan_ids=list(by_id)) if by_id else []
        for review in reviews:
            review.plan = by_id[review.plan_id]
        client._reviews_newest_first = reviews
    return client._reviews_newest_first


def client_consents(client: Client) -> list[Consent]:
    """The client's consent records; fetched once per client instance."""
    if not hasattr(client, "_consents"):
        client._consents = _of_client(client, _consents_of(client_id=client.pk))
    return client._consents


def client_plans_panel(client: Client, today: date) -> ClientPlansPanel:
    plans = client_plans(client)
    current = next((p for p in plans if p.status in IN_EFFECT and not p.withdrawn), None)
    reviews = client_reviews(client)
    next_on = state = None
    if current:
        last = max(
            (r.reviewed_on for r in reviews if r.reviewed_on <= today and not r.withdrawn), default=None
        )
        next_on = rules.next_review_due(current.starts_on, last)
        state = {
            deadlines.DeadlineKind.REVIEW_OVERDUE: "overdue",
            deadlines.DeadlineKind.REVIEW_DUE_SOON: "due_soon",
        }.get(deadlines.review_status(next_on, today), "ok")
    consents = client_consents(client)
    summary = [
        (
            code,
            label,
            any(
                c.purpose == code
                and not c.withdrawn
                and c.given_on <= today
                and (c.withdrawn_on is None or c.withdrawn_on > today)
                for c in consents
            ),
        )
        for code, label in ConsentPurpose.choices
    ]
    try:
        handover = client.handover  # select_related by client_file (client_for_page); else one query
    except Handover.DoesNotExist:
        handover = None
    return ClientPlansPanel(plans, current, reviews, next_on, state, consents, summary, handover)


# --- what changed between two versions ---


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    lines: list  # [(op, text)] with op in " ", "-", "+"


def plan_diff(old: SupportPlan, new: SupportPlan) -> list[FieldChange]:
    changes = []
    for name in PLAN_CONTENT_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        before_text = "" if before is None else str(before)
        after_text = "" if after is None else str(after)
        lines = [
            (line[0], line[2:])
            for line in difflib.ndiff(before_text.splitlines(), after_text.splitlines())
            if line[:1] in (" ", "-", "+")
        ]
        label = str(SupportPlan._meta.get_field(name).verbose_name)
        changes.append(FieldChange(label, before_text, after_text, lines))
    return changes


# --- deadlines: the facts the engine (plans.deadlines) decides from, and the dashboard's view of it ---


@dataclass(frozen=True)
class Deadline:
    """A dashboard row: one deadline of the engine with the client's name and staff."""

    kind: str
    client_id: int
    client_name: str
    staff_id: int | None
    due_on: date
    late: str  # what is late / due, in words
    urgent: bool = False
    object_id: int | None = None  # the plan / decision the row is about, where there is one

    @property
    def client_url(self) -> str:
        return path_format("cases:client_detail", "id").format(self.client_id)

    @property
    def fix_url(self) -> str:
        """The page where this row is dealt with (the same map as the flags')."""
        return deadline_fix_url(self.kind, self.client_id, self.object_id)


FINISHED_STATUSES = (ClientStatus.ENDED,)


def deadline_candidates(office_id: int, today: date):
    """Clients of the office deadlines may concern: not archived, service not ended, the window not over.
    (Handed-over clients stay: the handover's sharing record still counts; the engine skips the rest.)"""
    return Client.objects.filter(
        office_id=office_id, archived=False, window_starts_on__isnull=False, window_ends_on__gte=today
    ).exclude(status__in=FINISHED_STATUSES)


@dataclass(frozen=True, slots=True)
class DeadlineClient:
    """What the deadlines' rows name of a client (the dashboard, the flag job)."""

    pk: int
    office_id: int
    full_name: str
    primary_staff_id: int | None


def _with_deadline_columns(clients):
    """(id, office, family name, given name, staff, status, window start, end and end reason, first hire,
    the handover's sharing day) of `clients`, in kana order."""
    first_hire = Employment.objects.filter(client_id=OuterRef("pk")).order_by("hired_on").values("hired_on")
    shared = Handover.objects.filter(
        client_id=OuterRef("pk"), info_shared_on__isnull=False, withdrawn_at__isnull=True
    ).values("info_shared_on")
    return (
        clients.annotate(first_hired_on=Subquery(first_hire[:1]), info_shared_on=Subquery(shared[:1]))
        .order_by("family_name_kana", "given_name_kana", "pk")
        .values_list(
            "pk", "office_id", "family_name", "given_name", "primary_staff_id", "status",
            "window_starts_on", "window_ends_on", "window_end_reason", "first_hired_on", "info_shared_on",
        )
    )  # fmt: skip


@statement
def _candidates(*, office_id: int, today: date):
    return _with_deadline_columns(deadline_candidates(office_id, today))


@statement
def _staff_candidates(*, office_id: int, today: date, staff_id: int):
    return _with_deadline_columns(deadline_candidates(office_id, today).filter(primary_staff_id=staff_id))


@statement
def _decision_rows(*, client_ids: list[int]):
    return (
        BenefitDecision.objects.filter(client_id__any=client_ids, withdrawn_at__isnull=True)
        .order_by("starts_on")
        .values_list("pk", "client_id", "starts_on", "ends_on")
    )


@statement
def _plan_rows(*, client_ids: list[int]):
    return (
        SupportPlan.objects.filter(client_id__any=client_ids, withdrawn_at__isnull=True)
        .order_by("version")
        .values_list("pk", "client_id", "version", "status", "starts_on", "ends_on", "agreed_on", "delivered_on")
    )


@statement
def _review_rows(*, client_ids: list[int], today: date):
    return (
        PlanReview.objects.filter(
            plan__client_id__any=client_ids, reviewed_on__lte=today, withdrawn_at__isnull=True
        )
        .order_by()
        .values_list("plan__client_id", "reviewed_on")
    )


def deadline_facts(
    office_id: int, today: date, *, clients=None, staff_id: int | None = None
) -> list[tuple[DeadlineClient, deadlines.DeadlineFacts]]:
    """Each candidate client with the facts of its deadlines, from four queries whatever the number of
    clients (the first hire and the handover's sharing day read with the clients). `clients` narrows the
    set (a queryset of the office's clients), e.g. to one client; `staff_id` to a staff member's caseload."""
    if clients is not None:
        rows = list(_with_deadline_columns(clients))
    elif staff_id:
        rows = _staff_candidates(office_id=office_id, today=today, staff_id=staff_id)
    else:
        rows = _candidates(office_id=office_id, today=today)
    if not rows:
        return []
    ids = [row[0] for row in rows]
    decisions = defaultdict(list)
    for pk, client_id, starts_on, ends_on in _decision_rows(client_ids=ids):
        decisions[client_id].append(deadlines.Decision(starts_on, ends_on, pk))
    plans = defaultdict(list)
    for pk, client_id, *rest in _plan_rows(client_ids=ids):
        plans[client_id].append(deadlines.PlanState(pk, *rest))
    reviews = defaultdict(list)
    for client_id, reviewed_on in _review_rows(client_ids=ids, today=today):
        reviews[client_id].append(reviewed_on)
    return [
        (
            DeadlineClient(pk, office, Client.name_of(family_name, given_name), staff_id),
            deadlines.DeadlineFacts(
                client_id=pk,
                window=Window(starts_on, ends_on, end_reason or None) if starts_on else None,
                hired_on=hired_on,
                decisions=tuple(decisions[pk]),
                plans=tuple(plans[pk]),
                review_days=tuple(sorted(reviews[pk])),
                info_shared_on=shared_on,
                handed_over=status == ClientStatus.HANDED_OVER,
            ),
        )
        for pk, office, family_name, given_name, staff_id, status, starts_on, ends_on, end_reason, hired_on, shared_on
        in rows
    ]


def office_deadlines(
    office_id: int, today: date, *, clients=None, staff_id: int | None = None
) -> list[tuple[DeadlineClient, deadlines.Due]]:
    """Every deadline of the office's candidate clients on `today`: what the dashboard lists and the
    flag job writes."""
    return [
        (client, due)
        for client, facts in deadline_facts(office_id, today, clients=clients, staff_id=staff_id)
        for due in deadlines.deadlines(facts, today)
    ]


def dashboard(office, as_of: date, staff_id: int | None = None) -> list[tuple[str, str, list[Deadline]]]:
    """(kind, label, rows) for every kind, in the engine's order; a staff member's clients only when
    `staff_id` is given. Four queries whatever the office size (deadline_facts)."""
    office_id = office if isinstance(office, int) else office.pk
    rows = defaultdict(list)
    for client, due in office_deadlines(office_id, as_of, staff_id=staff_id):
        rows[due.kind].append(
            Deadline(
                due.kind,
                client.pk,
                client.full_name,
                client.primary_staff_id,
                due.due_on,
                due.message,
                due.urgent,
                due.object_id,
            )
        )
    for kind_rows in rows.values():
        kind_rows.sort(key=lambda r: (r.due_on, r.client_id))
    return [(kind, label, rows[kind]) for kind, label in deadlines.DeadlineKind.choices]
