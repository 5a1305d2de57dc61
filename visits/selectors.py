"""Reads for contacts, reports and billing, shaped for one page or export each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from cases.access import CASE_EDITORS, clients_visible_to, has_role
from cases.models import BenefitDecision, Client, Membership
from cases.rules import add_months, month_end, month_start, months_between
from plans.models import Consent, ConsentPurpose, PlanStatus, SupportPlan

from . import rules
from .models import ContactLog, MonthLock, SupportReport


@dataclass
class ClientMonth:
    """One client's calendar month: the facts and the verdict computed from them."""

    client: Client
    month: date
    verdict: rules.Verdict
    face_to_face_dates: list[date] = field(default_factory=list)
    employer_visit_dates: list[date] = field(default_factory=list)
    report: SupportReport | None = None

    @property
    def report_shared_on(self) -> date | None:
        return self.report.shared_with_client_on if self.report else None


def clients_in_service(office_id: int, month: date):
    """Clients of the office whose eligibility window overlaps the month."""
    return Client.objects.filter(office_id=office_id).in_service_during(month_start(month), month_end(month))


def month_rows(
    office_id: int, month: date, *, clients=None, online_counts: bool | None = None
) -> list[ClientMonth]:
    """Verdicts for every client in service in an office-month, from five queries whatever the size.

    `clients` narrows the rows (a queryset of the office's clients); by default every client whose window
    overlaps the month.
    """
    first = month_start(month)
    if clients is None:
        clients = clients_in_service(office_id, month)
    clients = list(
        clients.select_related("primary_staff", "office").order_by(
            "family_name_kana", "given_name_kana", "id"
        )
    )
    grid = verdict_grid(clients, first, first, online_counts=online_counts)
    return [grid[client.pk][0] for client in clients]


def _flag(condition, bit: int):
    return Case(When(condition, then=Value(bit)), default=Value(0), output_field=IntegerField())


# Meeting levels, nested so that the month's MAX says all three contact facts at once.
NOT_MET, MET_OUTSIDE_WINDOW, MET_IN_WINDOW, MET_COVERED = 0, 1, 2, 3
EMPLOYER_VISIT_BIT, DECIDED_BIT, SHARED_BIT, AGREED_BIT, IN_WINDOW_BIT = 4, 8, 16, 32, 64


@cache
def _decode_facts(code: int) -> rules.MonthFacts:
    level = code & 3
    return rules.MonthFacts(
        in_window=bool(code & IN_WINDOW_BIT),
        met=level >= MET_OUTSIDE_WINDOW,
        met_in_window=level >= MET_IN_WINDOW,
        met_covered=level == MET_COVERED,
        decided=bool(code & DECIDED_BIT),
        report_shared=bool(code & SHARED_BIT),
        employer_visit=bool(code & EMPLOYER_VISIT_BIT),
        plan_agreed=bool(code & AGREED_BIT),
    )


def month_facts_rows(clients, month: date) -> list[tuple[int, int, rules.MonthFacts]]:
    """(client id, office id, MonthFacts) of each client of `clients` (a Client queryset) for `month`.

    One query whatever the number of clients, each client's facts packed into one integer: per client,
    one index range scan of its contacts in the month (one aggregate for the four contact facts) and an
    index probe each for decisions, the report and plans. The flag jobs use it; pages compute the same
    facts from the rows they show (`rules.month_facts`), and tests hold the two to the same answers.
    """
    first, last = month_start(month), month_end(month)
    in_window = Q(window_starts_on__lte=last, window_ends_on__gte=first)
    meeting = Q(face_to_face=True) | (
        Q(kind__in=sorted(rules.ONLINE_KINDS))
        & Exact(OuterRef("office__online_counts_as_face_to_face"), True)
    )
    on_window_day = Q(on__gte=OuterRef("window_starts_on"), on__lte=OuterRef("window_ends_on"))
    covered = Exists(
        BenefitDecision.objects.filter(
            client_id=OuterRef("client_id"), starts_on__lte=OuterRef("on"), ends_on__gte=OuterRef("on")
        )
    )
    level = Case(  # in order: the decision probe runs only for meetings on a window day (NULL window: none)
        When(~meeting, then=Value(NOT_MET)),
        When(on_window_day & covered, then=Value(MET_COVERED)),
        When(on_window_day, then=Value(MET_IN_WINDOW)),
        default=Value(MET_OUTSIDE_WINDOW),
        output_field=IntegerField(),
    )
    contact_code = (
        ContactLog.objects.filter(client_id=OuterRef("pk"), on__range=(first, last))
        .order_by()
        .values("client_id")
        .annotate(
            code=Max(level) + Max(_flag(Q(kind__in=sorted(rules.EMPLOYER_VISIT_KINDS)), EMPLOYER_VISIT_BIT))
        )
        .values("code")
    )
    service_first = Case(
        When(in_window, then=Greatest(Value(first), "window_starts_on")), default=Value(first)
    )
    service_last = Case(When(in_window, then=Least(Value(last), "window_ends_on")), default=Value(last))
    decided = BenefitDecision.objects.filter(
        client_id=OuterRef("pk"),
        starts_on__lte=OuterRef("service_last"),
        ends_on__gte=OuterRef("service_first"),
    )
    shared = SupportReport.objects.filter(
        client_id=OuterRef("pk"), month=first, shared_with_client_on__isnull=False
    )
    agreed = SupportPlan.objects.filter(
        client_id=OuterRef("pk"), status__in=[PlanStatus.AGREED, PlanStatus.DELIVERED], agreed_on__lte=last
    )
    rows = (
        clients.order_by()
        .annotate(service_first=service_first, service_last=service_last)
        .annotate(
            facts=Coalesce(Subquery(contact_code), 0)
            + _flag(Exists(decided), DECIDED_BIT)
            + _flag(Exists(shared), SHARED_BIT)
            + _flag(Exists(agreed), AGREED_BIT)
            + _flag(in_window, IN_WINDOW_BIT)
        )
        .values_list("pk", "office_id", "facts")
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:  # plain ints: fetched at once, without per-row converters
        cursor.execute(sql, params)
        return [(pk, office_id, _decode_facts(code)) for pk, office_id, code in cursor.fetchall()]


def window_months(client: Client) -> list[date]:
    """First days of every calendar month the client's eligibility window touches."""
    window = client.window
    if window is None:
        return []
    return [
        add_months(month_start(window.starts_on), i)
        for i in range(months_between(window.starts_on, window.ends_on))
    ]


def client_month_grid(client: Client, contacts: list[ContactLog] | None = None) -> list[ClientMonth]:
    """One ClientMonth per month of the client's whole window.

    Reuses what the client page has fetched already: `contacts` (all the client's contacts, see
    `client_contacts`), the decisions prefetched on `client` and its plans (`client_plans`); otherwise
    queries them. Reports are the one query of its own.
    """
    months = window_months(client)
    if not months:
        return []
    from plans.selectors import client_plans

    decisions = None
    if "decisions" in getattr(client, "_prefetched_objects_cache", {}):
        decisions = [(client.pk, d.starts_on, d.ends_on) for d in client.decisions.all()]
    return verdict_grid(
        [client],
        months[0],
        months[-1],
        contact_rows=None
        if contacts is None
        else [(c.client_id, c.on, c.kind, c.face_to_face) for c in contacts],
        decision_rows=decisions,
        agreed_rows=[
            (p.client_id, p.agreed_on)
            for p in client_plans(client)
            if p.status in (PlanStatus.AGREED, PlanStatus.DELIVERED) and p.agreed_on is not None
        ],
    )[client.pk]


def verdict_grid(
    clients: list[Client],
    first_month: date,
    last_month: date,
    *,
    online_counts: bool | None = None,
    contact_rows=None,
    decision_rows=None,
    agreed_rows=None,
) -> dict[int, list[ClientMonth]]:
    """Verdicts for each client and each month from first_month to last_month.

    Four queries whatever the number of clients, months or contacts (contacts, decisions, reports and
    agreed plans for the whole span, one query each), then one pass in Python through the pure rule.
    A caller that holds some of these already passes them as rows, (client_id, on, kind, face_to_face),
    (client_id, starts_on, ends_on) and (client_id, agreed_on), and the query is skipped; rows outside
    the span are ignored.
    """
    if not clients:
        return {}
    first, last = month_start(first_month), month_end(last_month)
    months = [add_months(first, i) for i in range(months_between(first, last))]
    if online_counts is None:
        online_counts = clients[0].office.online_counts_as_face_to_face
    ids = [c.pk for c in clients]

    contacts = defaultdict(list)
    if contact_rows is None:
        contact_rows = (
            ContactLog.objects.filter(client_id__in=ids, on__range=(first, last))
            .order_by("on", "id")
            .values_list("client_id", "on", "kind", "face_to_face")
        )
    for client_id, on, kind, face_to_face in contact_rows:
        if first <= on <= last:
            contacts[(client_id, month_start(on))].append(rules.ContactFact(on, kind, face_to_face))

    decisions = defaultdict(list)
    if decision_rows is None:
        decision_rows = BenefitDecision.objects.filter(
            client_id__in=ids, starts_on__lte=last, ends_on__gte=first
        ).values_list("client_id", "starts_on", "ends_on")
    for client_id, starts_on, ends_on in decision_rows:
        if starts_on <= last and ends_on >= first:
            decisions[client_id].append(rules.DecisionPeriod(starts_on, ends_on))

    reports = {
        (r.client_id, r.month): r
        # The grid needs whether and when a report was shared, not its text (the report page reads that).
        for r in SupportReport.objects.filter(client_id__in=ids, month__range=(first, last))
        .order_by()
        .only("id", "client_id", "month", "shared_with_client_on", "shared_with_employer_on", "share_method")
    }

    agreed = defaultdict(list)
    if agreed_rows is None:
        agreed_rows = (
            SupportPlan.objects.filter(
                client_id__in=ids,
                status__in=[PlanStatus.AGREED, PlanStatus.DELIVERED],
                agreed_on__lte=last,
            )
            .order_by()
            .values_list("client_id", "agreed_on")
        )  # no ordering: the default one joins the client
    for client_id, agreed_on in agreed_rows:
        if agreed_on <= last:
            agreed[client_id].append(agreed_on)

    grid = {}
    for client in clients:
        window = client.window
        rows = []
        for month in months:
            facts = contacts[(client.pk, month)]
            report = reports.get((client.pk, month))
            month_last = month_end(month)
            plan_agreed_on = max((d for d in agreed[client.pk] if d <= month_last), default=None)
            verdict = rules.month_verdict(
                month,
                facts,
                window,
                decisions[client.pk],
                plan_agreed_on,
                report_shared=bool(report and report.shared_with_client_on),
                online_counts=online_counts,
            )
            rows.append(
                ClientMonth(
                    client=client,
                    month=month,
                    verdict=verdict,
                    face_to_face_dates=sorted(
                        {c.on for c in facts if rules.counts_as_face_to_face(c, online_counts)}
                    ),
                    employer_visit_dates=sorted(
                        {c.on for c in facts if c.kind in rules.EMPLOYER_VISIT_KINDS}
                    ),
                    report=report,
                )
            )
        grid[client.pk] = rows
    return grid


# --- words for the rule's codes -------------------------------------------------------------------

REASON_LABELS = {
    rules.NO_FACE_TO_FACE: _("対面支援（本人面談・職場訪問）がありません"),
    rules.OUTSIDE_WINDOW: _("支援期間外です"),
    rules.NO_DECISION: _("支給決定期間外です"),
    rules.NO_SUPPORT_REPORT: _("支援レポートを本人と共有していません"),
}
WARNING_LABELS = {
    rules.NO_EMPLOYER_VISIT: _("企業訪問がありません（努力義務）"),
    rules.NO_AGREED_PLAN: _("同意済みの支援計画がありません（減算）"),
}


REASON_SHORT = {
    rules.NO_FACE_TO_FACE: _("対面なし"),
    rules.OUTSIDE_WINDOW: _("期間外"),
    rules.NO_DECISION: _("支給決定なし"),
    rules.NO_SUPPORT_REPORT: _("レポート未共有"),
}


def reason_short_words(codes) -> list[str]:
    return [str(REASON_SHORT.get(code, code)) for code in codes]


def reason_words(codes) -> list[str]:
    return [str(REASON_LABELS.get(code, code)) for code in codes]


def warning_words(codes) -> list[str]:
    return [str(WARNING_LABELS.get(code, code)) for code in codes]


# --- access-scoped reads --------------------------------------------------------------------------


def contacts_visible_to(membership: Membership):
    return ContactLog.objects.filter(client__in=clients_visible_to(membership))


def reports_visible_to(membership: Membership):
    return SupportReport.objects.filter(client__in=clients_visible_to(membership))


def can_edit_contact(membership: Membership, contact: ContactLog) -> bool:
    """Support staff edit the contacts they wrote; managers and admins any in their office."""
    if membership is None or contact.client.office_id != membership.office_id:
        return False
    return has_role(membership, *CASE_EDITORS) or contact.staff_id == membership.user_id


def clients_for_recording(membership: Membership):
    """Clients a contact can be recorded for, the member's own caseload first, then by kana."""
    return (
        clients_visible_to(membership)
        .current()
        .annotate(own=Case(When(primary_staff_id=membership.user_id, then=Value(0)), default=Value(1)))
        .order_by("own", "family_name_kana", "given_name_kana", "id")
    )


def month_is_locked(office_id: int, day: date) -> bool:
    return MonthLock.objects.filter(office_id=office_id, month=month_start(day)).exists()


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
    ).exists()


def client_contacts(client: Client) -> list[ContactLog]:
    """Every contact of the client with its staff, newest first: one query for the client page's month
    grid and its recent contacts (a client has a few hundred at most)."""
    return list(client.contacts.select_related("staff").order_by("-on", "-started_at", "-id"))


def recent_contacts(client: Client, limit: int = 10):
    return list(client.contacts.select_related("staff").order_by("-on", "-started_at", "-id")[:limit])


def month_contacts(client: Client, month: date):
    return list(
        client.contacts.filter(on__range=(month_start(month), month_end(month)))
        .select_related("staff")
        .order_by("on", "started_at", "id")
    )


# --- pages ----------------------------------------------------------------------------------------


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


def _missing(row: ClientMonth) -> bool:
    reasons = row.verdict.reasons
    return rules.NO_FACE_TO_FACE in reasons or rules.NO_SUPPORT_REPORT in reasons


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


def office_month(office_id: int, month: date) -> OfficeMonth:
    """Counts for the office month page and the clients still missing a meeting or a shared report."""
    rows = month_rows(office_id, month)
    billable = sum(1 for r in rows if r.verdict.billable)
    return OfficeMonth(
        month=month_start(month),
        rows=rows,
        billable=billable,
        not_billable=len(rows) - billable,
        missing_by_staff=_group_by_staff([r for r in rows if _missing(r)]),
        locked=month_is_locked(office_id, month),
    )


def my_month(membership: Membership, month: date) -> list[ClientMonth]:
    """The member's own clients in service this month still to meet or to report to."""
    clients = clients_in_service(membership.office_id, month).filter(primary_staff_id=membership.user_id)
    return [r for r in month_rows(membership.office_id, month, clients=clients) if _missing(r)]
