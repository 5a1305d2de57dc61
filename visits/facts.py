"""The month rule's facts computed by the database for many clients at once (the flag jobs, the claim),
held to the Python rule (visits.rules.month_facts) by the rule's table and random client-months."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q

from cases.models import BenefitDecision, Employment, Office
from core.dates import month_end, month_start
from plans.models import Consent, ConsentPurpose, PlanReview, PlanStatus, SupportPlan
from plans.rules import review_kept_from

from . import rules
from .models import ContactLog, SupportReport

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
                SELECT 1 FROM {decisions} d WHERE d.client_id = c.id AND d.withdrawn_at IS NULL
                  AND d.starts_on <= ({service_first}) AND d.ends_on >= ({service_last}))
                THEN {DECIDED_BIT + ONE_DECISION_SPANS_BIT}
              WHEN EXISTS (
                SELECT 1 FROM {decisions} d WHERE d.client_id = c.id AND d.withdrawn_at IS NULL
                  AND d.starts_on <= ({service_last}) AND d.ends_on >= ({service_first}))
                THEN {DECIDED_BIT} + CASE WHEN EXISTS (
                  SELECT 1 FROM {contacts} l JOIN {decisions} d
                    ON d.client_id = l.client_id AND d.starts_on <= l.{on} AND d.ends_on >= l.{on}
                      AND d.withdrawn_at IS NULL
                  WHERE l.client_id = c.id AND l.{on} BETWEEN %s AND %s AND {meeting} AND {on_window_day}
                    AND l.withdrawn_at IS NULL
                ) THEN {MEETING_DAY_DECIDED_BIT} ELSE 0 END
              ELSE 0 END
          + COALESCE((
              SELECT CASE WHEN r.shared_with_client_on IS NOT NULL AND ({written}) THEN {SHARED_BIT} ELSE 0 END
                + CASE WHEN r.shared_with_employer_on IS NOT NULL THEN {EMPLOYER_SHARED_BIT} ELSE 0 END
              FROM {q(SupportReport._meta.db_table)} r
              WHERE r.client_id = c.id AND r.month = %s AND r.withdrawn_at IS NULL
            ), 0)
          + CASE WHEN EXISTS (
              SELECT 1 FROM {q(Employment._meta.db_table)} e
              WHERE e.client_id = c.id AND e.disclosed AND e.hired_on <= %s
                AND (e.left_on IS NULL OR e.left_on >= %s)
            ) THEN {DISCLOSED_BIT} ELSE 0 END
          + CASE WHEN EXISTS (
              SELECT 1 FROM {q(Consent._meta.db_table)} k
              WHERE k.client_id = c.id AND k.purpose = %s AND k.given_on <= %s AND k.withdrawn_at IS NULL
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
