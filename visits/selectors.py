"""Reads for contacts, reports and billing, shaped for one page or export each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.db import connection
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cases.access import clients_visible_to
from cases.models import BenefitDecision, Client, Employment, Membership, Office
from cases.permissions import EDIT_CASES, can
from cases.rules import month_end, month_start, months_between, shift_month
from plans.coverage import plan_coverage
from plans.models import Consent, ConsentPurpose, PlanReview, PlanStatus, SupportPlan
from plans.rules import PlanFact, months_without_plan, plan_in_effect, review_kept_from
from plans.selectors import client_consents, client_plans, client_reviews

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
    # The month's place in a run of months in service without a plan in effect (1, 2, 3 …; 0 when
    # covered); None where the rows do not reach back to the start of service.
    plan_missing_count: int | None = None

    @property
    def report_shared_on(self) -> date | None:
        return self.report.shared_with_client_on if self.report else None


def clients_in_service(office_id: int, month: date):
    """Clients of the office whose eligibility window overlaps the month."""
    return Client.objects.filter(office_id=office_id).in_service_during(month_start(month), month_end(month))


def month_rows(
    office_id: int, month: date, *, clients=None, online_counts: bool | None = None
) -> list[ClientMonth]:
    """Verdicts for every client in service in an office-month, from six queries whatever the size.

    `clients` narrows the rows (a queryset of the office's clients); by default every client whose window
    overlaps the month. Whether the client works オープン and consented to the employer's copy comes
    with the clients (two probes each), for this one month.
    """
    first, last = month_start(month), month_end(month)
    if clients is None:
        clients = clients_in_service(office_id, month)
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
    )
    clients = list(
        clients.select_related("primary_staff", "office")
        .annotate(works_open=Exists(open_job), employer_consent=Exists(consent))
        .order_by("family_name_kana", "given_name_kana", "id")
    )
    grid = verdict_grid(
        clients,
        first,
        first,
        online_counts=online_counts,
        # Rows that say the same for this month as the records do (open during it, standing at its end).
        employment_rows=[(c.pk, first, None, True) for c in clients if c.works_open],
        consent_rows=[(c.pk, first, None) for c in clients if c.employer_consent],
    )
    return [grid[client.pk][0] for client in clients]


# A client-month's facts packed into one integer. Meeting levels are nested, so that the month's MAX
# says both contact facts at once. A meeting in the window is covered by a 支給決定 when one decision
# spans the month's whole service part (one probe per client) or, failing that, when a meeting day
# falls inside one (probed only for those clients).
NOT_MET, MET_OUTSIDE_WINDOW, MET_IN_WINDOW = 0, 1, 2
EMPLOYER_VISIT_BIT, DECIDED_BIT, SHARED_BIT, AGREED_BIT, IN_WINDOW_BIT = 4, 8, 16, 32, 64
ONE_DECISION_SPANS_BIT, MEETING_DAY_DECIDED_BIT = 128, 256
DISCLOSED_BIT, EMPLOYER_CONSENT_BIT, EMPLOYER_SHARED_BIT = 512, 1024, 2048
# The sections of a report; it counts as written when any of them is filled in.
REPORT_TEXT_FIELDS = ("work_situation", "life_situation", "issues", "support_given", "next_steps")


def report_written(report) -> bool:
    if hasattr(report, "has_text"):  # annotated by the grid's query, which leaves the texts unread
        return bool(report.has_text)
    return any(getattr(report, name) for name in REPORT_TEXT_FIELDS)


def written_expression():
    """Any section of the report filled in, computed by the database."""
    condition = Q()
    for name in REPORT_TEXT_FIELDS:
        condition |= ~Q(**{name: ""})
    return ExpressionWrapper(condition, output_field=BooleanField())


@cache
def decode_facts(code: int) -> rules.MonthFacts:
    level = code & 3
    return rules.MonthFacts(
        in_window=bool(code & IN_WINDOW_BIT),
        met=level >= MET_OUTSIDE_WINDOW,
        met_in_window=level >= MET_IN_WINDOW,
        met_covered=level >= MET_IN_WINDOW
        and bool(code & (ONE_DECISION_SPANS_BIT | MEETING_DAY_DECIDED_BIT)),
        decided=bool(code & DECIDED_BIT),
        report_shared=bool(code & SHARED_BIT),
        employer_visit=bool(code & EMPLOYER_VISIT_BIT),
        plan_agreed=bool(code & AGREED_BIT),
        employer_report_required=bool(code & DISCLOSED_BIT) and bool(code & EMPLOYER_CONSENT_BIT),
        employer_report_shared=bool(code & EMPLOYER_SHARED_BIT),
        employer_consent_missing=bool(code & DISCLOSED_BIT) and not code & EMPLOYER_CONSENT_BIT,
    )


def month_fact_codes(clients, month: date) -> list[tuple[int, int, int]]:
    """(client id, office id, facts code) of each client of `clients` (a Client queryset) for `month`;
    `decode_facts(code)` gives the MonthFacts.

    One query whatever the number of clients: per client, one index range scan of its contacts in the
    month (one aggregate for the contact facts) and an index probe each for decisions, the report,
    disclosure, consent and the plan in effect (its review judged against `plans.rules.review_kept_from`,
    so that no date arithmetic runs in SQL). Hand-written: the ORM spelling of the same query took longer to build than PostgreSQL
    took to run it (bench/README.md). The flag jobs use it; pages compute the same facts from the rows
    they show (`rules.month_facts`), and tests hold the two to the same answers.
    """
    first, last = month_start(month), month_end(month)
    q = connection.ops.quote_name
    on = q("on")
    # The clients as a derived table with the columns used below (the database folds it into one scan).
    clients_sql, clients_params = (
        clients.order_by()
        .values("id", "office_id", "window_starts_on", "window_ends_on")
        .query.sql_with_params()
    )
    online, visits = sorted(rules.ONLINE_KINDS), sorted(rules.EMPLOYER_VISIT_KINDS)

    def marks(values):
        return ", ".join(["%s"] * len(values))

    in_window = "(c.window_starts_on <= %s AND c.window_ends_on >= %s)"
    service_first = f"CASE WHEN {in_window} AND c.window_starts_on > %s THEN c.window_starts_on ELSE %s END"
    service_last = f"CASE WHEN {in_window} AND c.window_ends_on < %s THEN c.window_ends_on ELSE %s END"
    meeting = (
        f"(l.narrative <> '' AND (l.face_to_face"
        f" OR (l.kind IN ({marks(online)}) AND o.online_counts_as_face_to_face)))"
    )
    written = " OR ".join(f"r.{name} <> ''" for name in REPORT_TEXT_FIELDS)
    plans = q(SupportPlan._meta.db_table)

    def candidate(alias):
        """A version that may be the month's plan in effect (plans.rules.plan_in_effect's first test)."""
        return (
            f"{alias}.status = %s AND {alias}.withdrawn_at IS NULL AND {alias}.agreed_on <= %s"
            f" AND {alias}.delivered_on <= %s AND {alias}.starts_on <= %s AND {alias}.ends_on >= %s"
        )

    candidate_params = [PlanStatus.DELIVERED.value, last, last, last, first]
    # Not overdue at the month's end: the review period counts from `kept_from` or later (plans.rules).
    kept_from = review_kept_from(first)
    on_window_day = f"(l.{on} >= c.window_starts_on AND l.{on} <= c.window_ends_on)"
    decisions, contacts = q(BenefitDecision._meta.db_table), q(ContactLog._meta.db_table)
    sql = f"""
        SELECT c.id, c.office_id,
          COALESCE((
            SELECT MAX(CASE WHEN NOT {meeting} THEN {NOT_MET}
                            WHEN {on_window_day} THEN {MET_IN_WINDOW}
                            ELSE {MET_OUTSIDE_WINDOW} END)
              + MAX(CASE WHEN l.kind IN ({marks(visits)}) AND l.employer_met
                         THEN {EMPLOYER_VISIT_BIT} ELSE 0 END)
            FROM {contacts} l
            WHERE l.client_id = c.id AND l.{on} BETWEEN %s AND %s AND l.withdrawn_at IS NULL), 0)
          + CASE
              WHEN EXISTS (
                SELECT 1 FROM {decisions} d WHERE d.client_id = c.id
                  AND d.starts_on <= ({service_first}) AND d.ends_on >= ({service_last}))
                THEN {DECIDED_BIT + ONE_DECISION_SPANS_BIT}
              WHEN EXISTS (
                SELECT 1 FROM {decisions} d WHERE d.client_id = c.id
                  AND d.starts_on <= ({service_last}) AND d.ends_on >= ({service_first}))
                THEN {DECIDED_BIT} + CASE WHEN EXISTS (
                  SELECT 1 FROM {contacts} l JOIN {decisions} d
                    ON d.client_id = l.client_id AND d.starts_on <= l.{on} AND d.ends_on >= l.{on}
                  WHERE l.client_id = c.id AND l.{on} BETWEEN %s AND %s AND {meeting} AND {on_window_day}
                    AND l.withdrawn_at IS NULL
                ) THEN {MEETING_DAY_DECIDED_BIT} ELSE 0 END
              ELSE 0 END
          + COALESCE((
              SELECT CASE WHEN r.shared_with_client_on IS NOT NULL AND ({written}) THEN {SHARED_BIT} ELSE 0 END
                + CASE WHEN r.shared_with_employer_on IS NOT NULL THEN {EMPLOYER_SHARED_BIT} ELSE 0 END
              FROM {q(SupportReport._meta.db_table)} r
              WHERE r.client_id = c.id AND r.month = %s
            ), 0)
          + CASE WHEN EXISTS (
              SELECT 1 FROM {q(Employment._meta.db_table)} e
              WHERE e.client_id = c.id AND e.disclosed AND e.hired_on <= %s
                AND (e.left_on IS NULL OR e.left_on >= %s)
            ) THEN {DISCLOSED_BIT} ELSE 0 END
          + CASE WHEN EXISTS (
              SELECT 1 FROM {q(Consent._meta.db_table)} k
              WHERE k.client_id = c.id AND k.purpose = %s AND k.given_on <= %s
                AND (k.withdrawn_on IS NULL OR k.withdrawn_on > %s)
            ) THEN {EMPLOYER_CONSENT_BIT} ELSE 0 END
          + CASE WHEN EXISTS (
              SELECT 1 FROM {plans} p
              WHERE p.client_id = c.id AND {candidate("p")}
                AND NOT EXISTS (
                  SELECT 1 FROM {plans} p2
                  WHERE p2.client_id = c.id AND {candidate("p2")} AND p2.version > p.version)
                AND (p.starts_on >= %s OR EXISTS (
                  SELECT 1 FROM {q(PlanReview._meta.db_table)} r JOIN {plans} rp ON rp.id = r.plan_id
                  WHERE rp.client_id = c.id AND r.withdrawn_at IS NULL AND r.reviewed_on >= p.starts_on
                    AND r.reviewed_on >= %s AND r.reviewed_on <= %s))
            ) THEN {AGREED_BIT} ELSE 0 END
          + CASE WHEN {in_window} THEN {IN_WINDOW_BIT} ELSE 0 END
        FROM ({clients_sql}) c JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
    """
    window_params = [last, first]
    first_params = [*window_params, first, first]
    last_params = [*window_params, last, last]
    params = [
        *online,
        *visits,
        first,
        last,
        *first_params,
        *last_params,
        *last_params,
        *first_params,
        first,
        last,
        *online,
        first,
        last,
        first,
        ConsentPurpose.REPORT_TO_EMPLOYER.value,
        last,
        last,
        *candidate_params,
        *candidate_params,
        kept_from,
        kept_from - timedelta(days=1),
        last,
        *window_params,
        *clients_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def month_facts_rows(clients, month: date) -> list[tuple[int, int, rules.MonthFacts]]:
    """(client id, office id, MonthFacts) of each client of `clients` for `month` (see month_fact_codes)."""
    return [(pk, office_id, decode_facts(code)) for pk, office_id, code in month_fact_codes(clients, month)]


def month_verdict_rows(clients, month: date) -> list[tuple[int, int, rules.Verdict]]:
    """(client id, office id, Verdict) of each client of `clients` (a Client queryset) for `month`: the
    seam other apps (flags, claims) read the billable month through, whatever the facts' encoding.
    One query whatever the number of clients."""
    return [
        (pk, office_id, rules.verdict_from_facts(decode_facts(code)))
        for pk, office_id, code in month_fact_codes(clients, month)
    ]


def month_verdicts(clients, month: date) -> dict[int, rules.Verdict]:
    """{client id: Verdict} of each client of `clients` for `month` (see month_verdict_rows)."""
    return {pk: verdict for pk, _office, verdict in month_verdict_rows(clients, month)}


def window_months(client: Client) -> list[date]:
    """First days of every calendar month the client's eligibility window touches."""
    window = client.window
    if window is None:
        return []
    return [
        shift_month(month_start(window.starts_on), i)
        for i in range(months_between(window.starts_on, window.ends_on))
    ]


def client_month_grid(client: Client, contacts: list[ContactLog] | None = None) -> list[ClientMonth]:
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
        decisions = [(client.pk, d.starts_on, d.ends_on) for d in client.decisions.all()]
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
            if c.purpose == ConsentPurpose.REPORT_TO_EMPLOYER
        ],
        coverage={client.pk: {m for m in months if plan_in_effect(m, plan_facts, reviews)}},
    )[client.pk]


def contact_row(c: ContactLog) -> tuple:
    """The values of a contact the month rule reads, as verdict_grid takes them."""
    return (c.client_id, c.on, c.kind, c.face_to_face, c.narrative != "", c.employer_met)


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
        contact_rows = (
            ContactLog.objects.filter(client_id__in=ids, on__range=(first, last), withdrawn_at__isnull=True)
            .order_by("on", "id")
            .annotate(written=~Q(narrative=""))
            .values_list("client_id", "on", "kind", "face_to_face", "written", "employer_met")
        )
    for client_id, on, kind, face_to_face, written, employer_met in contact_rows:
        if first <= on <= last:
            contacts[(client_id, month_start(on))].append(
                rules.ContactFact(on, kind, face_to_face, bool(written), employer_met)
            )

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
        # The grid needs whether a report was written and when it was shared (the report page reads it).
        for r in SupportReport.objects.filter(client_id__in=ids, month__range=(first, last))
        .order_by()
        .only("id", "client_id", "month", "shared_with_client_on", "shared_with_employer_on", "share_method")
        .annotate(has_text=written_expression())
    }

    disclosed = defaultdict(list)
    if employment_rows is None:
        employment_rows = Employment.objects.filter(client_id__in=ids, disclosed=True).values_list(
            "client_id", "hired_on", "left_on", "disclosed"
        )
    for client_id, hired_on, left_on, is_disclosed in employment_rows:
        if is_disclosed:
            disclosed[client_id].append((hired_on, left_on))

    consents = defaultdict(list)
    if consent_rows is None:
        consent_rows = Consent.objects.filter(
            client_id__in=ids, purpose=ConsentPurpose.REPORT_TO_EMPLOYER, given_on__lte=last
        ).values_list("client_id", "given_on", "withdrawn_on")
    for client_id, given_on, withdrawn_on in consent_rows:
        consents[client_id].append((given_on, withdrawn_on))

    if coverage is None:
        coverage = plan_coverage(ids, first, last)

    grid = {}
    for client in clients:
        window = client.window
        covered = coverage.get(client.pk, set())
        counting = window is not None and month_start(window.starts_on) >= first
        rows = []
        for month in months:
            facts = contacts[(client.pk, month)]
            report = reports.get((client.pk, month))
            month_last = month_end(month)
            open_ = any(
                hired_on <= month_last and (left_on is None or left_on >= month)
                for hired_on, left_on in disclosed[client.pk]
            )
            consent = any(
                given_on <= month_last and (withdrawn_on is None or withdrawn_on > month_last)
                for given_on, withdrawn_on in consents[client.pk]
            )
            verdict = rules.month_verdict(
                month,
                facts,
                window,
                decisions[client.pk],
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


# --- words for the rule's codes -------------------------------------------------------------------

REASON_LABELS = {
    rules.NO_FACE_TO_FACE: _("対面支援（本人面談・職場訪問）がありません"),
    rules.OUTSIDE_WINDOW: _("支援期間外です"),
    rules.NO_DECISION: _("支給決定期間外です"),
    rules.NO_SUPPORT_REPORT: _("支援レポートを本人と共有していません"),
    rules.NO_EMPLOYER_REPORT: _("支援レポートを企業と共有していません（オープン・同意あり）"),
}
WARNING_LABELS = {
    rules.NO_EMPLOYER_VISIT: _("企業訪問がありません（努力義務）"),
    rules.NO_AGREED_PLAN: _("有効な支援計画がありません（減算）"),
    rules.EMPLOYER_CONSENT_MISSING: _("オープン就労ですが企業への共有に本人の同意がありません"),
}


REASON_SHORT = {
    rules.NO_FACE_TO_FACE: _("対面なし"),
    rules.OUTSIDE_WINDOW: _("期間外"),
    rules.NO_DECISION: _("支給決定なし"),
    rules.NO_SUPPORT_REPORT: _("レポート未共有"),
    rules.NO_EMPLOYER_REPORT: _("企業へ未共有"),
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


def month_is_locked(office_id: int, day: date) -> bool:
    return MonthLock.objects.filter(
        office_id=office_id, month=month_start(day), unlocked_at__isnull=True
    ).exists()


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


def month_contacts(client: Client, month: date):
    return list(
        client.contacts.filter(on__range=(month_start(month), month_end(month)), withdrawn_at__isnull=True)
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
