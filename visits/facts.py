"""The month rule's facts computed by the database for many clients at once (the flag jobs, the claim),
held to the Python rule (visits.rules.month_facts) by the rule's table and random client-months."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q

from cases.models import BenefitDecision, Employment, Office
from core.dates import month_end, month_start, shift_month
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


def client_values(clients, columns: dict | None = None):
    """`clients` (a Client queryset) as month_fact_codes reads them: their id, office and window, then
    `columns` ({alias: expression})."""
    return (
        clients.order_by()
        .values("id", "office_id", "window_starts_on", "window_ends_on")
        .annotate(**(columns or {}))
    )


def _candidate(alias: str, start: date, end: date) -> tuple[str, list]:
    """A version that may be the plan in effect of the month start–end (plans.rules.plan_in_effect)."""
    return (
        f"{alias}.status = %s AND {alias}.withdrawn_at IS NULL AND {alias}.agreed_on <= %s"
        f" AND {alias}.delivered_on <= %s AND {alias}.starts_on <= %s AND {alias}.ends_on >= %s",
        [PlanStatus.DELIVERED.value, end, end, end, start],
    )


def _not_covered(earlier: date) -> tuple[str, list]:
    """In service during the month of `earlier` and no plan in effect then, probed for the row's client
    `c` (as month_fact_codes judges it)."""
    q = connection.ops.quote_name
    plans, reviews = q(SupportPlan._meta.db_table), q(PlanReview._meta.db_table)
    start, end = month_start(earlier), month_end(earlier)
    kept = review_kept_from(start)
    p1, p1_params = _candidate("p", start, end)
    p2, p2_params = _candidate("p2", start, end)
    sql = f"""COALESCE(c.window_starts_on <= %s AND c.window_ends_on >= %s AND NOT EXISTS (
      SELECT 1 FROM {plans} p
      WHERE p.client_id = c.id AND {p1} AND NOT EXISTS (
          SELECT 1 FROM {plans} p2 WHERE p2.client_id = c.id AND {p2} AND p2.version > p.version)
        AND (p.starts_on >= %s OR EXISTS (
          SELECT 1 FROM {reviews} r JOIN {plans} rp ON rp.id = r.plan_id
          WHERE rp.client_id = c.id AND r.withdrawn_at IS NULL AND r.reviewed_on >= p.starts_on
            AND r.reviewed_on >= %s AND r.reviewed_on <= %s))), FALSE)"""
    return sql, [end, start, *p1_params, *p2_params, kept, kept - timedelta(days=1), end]


def _run_steps(first: date, lookback: int) -> tuple[str, list]:
    """`WHEN … THEN n` for n = 1 … lookback-1: the month's place in its run of months without a plan
    when the month `n` back is covered or out of service (the month itself and `ELSE` are the caller's)."""
    steps, params = [], []
    for back in range(1, lookback):
        sql, step_params = _not_covered(shift_month(first, -back))
        steps.append(f"WHEN NOT {sql} THEN {back}")
        params += step_params
    return " ".join(steps), params


def month_fact_codes(
    clients, month: date, *, lookback: int = 0, columns: dict | None = None, order: tuple[str, ...] = ()
) -> list[tuple]:
    """(client id, office id, facts code) of each client of `clients` (a Client queryset) for `month`;
    `decode_facts(code)` gives the MonthFacts. With `lookback` (≥ 1), then the month's place in its
    client's run of months in service without a plan in effect (plans.rules.months_without_plan, 0 when
    covered or not in service), counted back at most `lookback` months (as claim_month_rows counts it);
    then `columns` ({alias: expression on Client}): values of the client's row, read by the same query;
    `order`: the aliases of columns to order the rows by, then the client id. `clients` may also be the
    (sql, params) of `client_values(clients, columns)` compiled once (a statement's sql_with_params), its
    columns named by `columns`' keys.

    One query whatever the number of clients: per client, one index range scan of its contacts in the
    month (one aggregate for the contact facts) and an index probe each for decisions, the report,
    disclosure, consent and the plan in effect (disclosure and consent as scalar subqueries: PostgreSQL
    would hash an EXISTS over every employment first, a millisecond before the first row of a page) (its review judged against `plans.rules.review_kept_from`,
    so that no date arithmetic runs in SQL). Hand-written: the ORM spelling of the same query took longer to build than PostgreSQL
    took to run it (bench/README.md). The flag jobs use it; pages compute the same facts from the rows
    they show (`rules.month_facts`), and tests hold the two to the same answers.
    """
    first, last = month_start(month), month_end(month)
    q = connection.ops.quote_name
    on = q("on")
    # The clients as a derived table with the columns used below (the database folds it into one scan).
    columns = columns or {}
    extra = "".join(f", c.{q(alias)}" for alias in columns)
    clients_sql, clients_params = (
        clients if isinstance(clients, tuple) else client_values(clients, columns).query.sql_with_params()
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
          + COALESCE((
              SELECT {DISCLOSED_BIT} FROM {q(Employment._meta.db_table)} e
              WHERE e.client_id = c.id AND e.disclosed AND e.hired_on <= %s
                AND (e.left_on IS NULL OR e.left_on >= %s) LIMIT 1
            ), 0)
          + COALESCE((
              SELECT {EMPLOYER_CONSENT_BIT} FROM {q(Consent._meta.db_table)} k
              WHERE k.client_id = c.id AND k.purpose = %s AND k.given_on <= %s AND k.withdrawn_at IS NULL
                AND (k.withdrawn_on IS NULL OR k.withdrawn_on > %s) LIMIT 1
            ), 0)
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
          + CASE WHEN {in_window} THEN {IN_WINDOW_BIT} ELSE 0 END AS code
          {", c.window_starts_on, c.window_ends_on" if lookback else ""}{extra}
        FROM ({clients_sql}) c JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
    """
    run_params = []
    if lookback:
        # The run: 0 from the month's own facts (a plan in effect, or not in service), else probes of the
        # months before, for the clients without a plan this month only.
        earlier_steps, run_params = _run_steps(first, lookback)
        # MATERIALIZED: the database would otherwise copy the facts expression into each use of it.
        sql = f"""
        WITH f AS MATERIALIZED ({sql})
        SELECT c.id, c.office_id, c.code,
          CASE WHEN c.code & {AGREED_BIT} <> 0 OR c.code & {IN_WINDOW_BIT} = 0 THEN 0 {earlier_steps}
            ELSE {lookback} END{extra}
        FROM f c
        """
    if order:
        sql += f" ORDER BY {', '.join(f'c.{q(alias)}' for alias in order)}, c.id"
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
        cursor.execute(sql, [*params, *run_params])
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


def verdict_run_rows(
    clients, month: date, *, lookback: int, columns: dict | None = None, order: tuple[str, ...] = ()
) -> list[tuple]:
    """(client id, office id, Verdict, months without plan, *columns) of each client of `clients` for
    `month`, one query (month_fact_codes with `lookback` ≥ 1): the claim page's month."""
    return [
        (pk, office_id, rules.verdict_from_facts(decode_facts(code)), run, *values)
        for pk, office_id, code, run, *values in month_fact_codes(
            clients, month, lookback=max(lookback, 1), columns=columns, order=order
        )
    ]


def month_verdicts(clients, month: date) -> dict[int, rules.Verdict]:
    """{client id: Verdict} of each client of `clients` for `month` (see month_verdict_rows)."""
    return {pk: verdict for pk, _office, verdict in month_verdict_rows(clients, month)}


def claim_month_rows(clients, month: date, *, lookback: int = 1, columns: dict | None = None) -> list[tuple]:
    """(client id, office id, billable, months without plan, *columns) of each client of `clients` (a
    Client queryset) for `month`: what the claim reads of the month rule, in one query.

    `billable` is `rules.verdict_from_facts(...).billable`; `months without plan` is
    `plans.rules.months_without_plan` counted back at most `lookback` months (0 when a plan is in effect
    for the month or the client is not in service). `columns` ({alias: expression on Client}) adds values
    of the client's row (its claim details), read by the same query.

    Narrower than month_fact_codes (the facts the pages and the flags need) and set-based, joins rather
    than probes per client: the clients with a meeting on a day of their window and of a 支給決定, the
    month's report written and shared with the client, the clients owed a report to the employer
    (オープン with the consent standing), the newest candidate plan and the last review of the period that
    decides whether it is in effect. Only the months before are probed, and only for the clients without
    a plan. Every join gives at most one row per client. Partial indexes hold the month's written
    standing contacts, the written shared reports and the standing reviews by day, read from the index
    alone. Held to the Python rule by tests/visits/test_claim_facts_sql.py.
    """
    first, last = month_start(month), month_end(month)
    q = connection.ops.quote_name
    on = q("on")
    columns = columns or {}
    clients_sql, clients_params = client_values(clients, columns).query.sql_with_params()
    online = sorted(rules.ONLINE_KINDS)
    plans, reviews = q(SupportPlan._meta.db_table), q(PlanReview._meta.db_table)
    written = " OR ".join(f"r.{name} <> ''" for name in REPORT_TEXT_FIELDS)
    kept_from = review_kept_from(first)

    # The run of months without a plan, newest first, up to the first month covered or out of service;
    # the month itself from the joins p (the newest candidate version) and rv (the last review).
    earlier_steps, earlier_params = _run_steps(first, lookback)
    steps = [
        "WHEN NOT COALESCE(c.window_starts_on <= %s AND c.window_ends_on >= %s, FALSE)"
        " OR p.starts_on >= %s OR rv.reviewed_on >= p.starts_on THEN 0",
        earlier_steps,
    ]
    step_params = [last, first, kept_from, *earlier_params]
    plan_sql, plan_params = _candidate("p", first, last)
    sql = f"""
        WITH c AS NOT MATERIALIZED ({clients_sql})
        SELECT c.id, c.office_id,
          COALESCE(m.client_id IS NOT NULL AND r.client_id IS NOT NULL
            AND (er.client_id IS NULL OR r.shared_with_employer_on IS NOT NULL), FALSE),
          CASE {" ".join(steps)} ELSE {max(lookback, 1)} END
          {"".join(f", c.{q(alias)}" for alias in columns)}
        FROM c
          LEFT JOIN (
            SELECT DISTINCT l.client_id
            FROM {q(ContactLog._meta.db_table)} l JOIN (
              SELECT c.id, o.online_counts_as_face_to_face AS online_counts,
                CASE WHEN d.starts_on > c.window_starts_on THEN d.starts_on ELSE c.window_starts_on END
                  AS starts_on,
                CASE WHEN d.ends_on < c.window_ends_on THEN d.ends_on ELSE c.window_ends_on END AS ends_on
              FROM c JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
                JOIN {q(BenefitDecision._meta.db_table)} d ON d.client_id = c.id
              WHERE d.starts_on <= %s AND d.ends_on >= %s AND d.withdrawn_at IS NULL
            ) w ON w.id = l.client_id AND l.{on} >= w.starts_on AND l.{on} <= w.ends_on
            WHERE l.{on} BETWEEN %s AND %s AND l.withdrawn_at IS NULL AND l.narrative <> ''
              AND (l.face_to_face OR (l.kind IN ({", ".join(["%s"] * len(online))}) AND w.online_counts))
          ) m ON m.client_id = c.id
          LEFT JOIN {q(SupportReport._meta.db_table)} r
            ON r.client_id = c.id AND r.month = %s AND r.shared_with_client_on IS NOT NULL
              AND r.withdrawn_at IS NULL AND ({written})
          LEFT JOIN (
            SELECT e.client_id FROM {q(Employment._meta.db_table)} e
            WHERE e.disclosed AND e.hired_on <= %s AND (e.left_on IS NULL OR e.left_on >= %s)
            INTERSECT
            SELECT k.client_id FROM {q(Consent._meta.db_table)} k
            WHERE k.purpose = %s AND k.given_on <= %s AND k.withdrawn_at IS NULL
              AND (k.withdrawn_on IS NULL OR k.withdrawn_on > %s)
          ) er ON er.client_id = c.id
          LEFT JOIN (
            SELECT v.client_id, v.starts_on FROM (
              SELECT p.client_id, p.starts_on,
                ROW_NUMBER() OVER (PARTITION BY p.client_id ORDER BY p.version DESC) AS newest
              FROM {plans} p JOIN c ON c.id = p.client_id
              WHERE {plan_sql}
            ) v WHERE v.newest = 1
          ) p ON p.client_id = c.id
          LEFT JOIN (
            SELECT rp.client_id, MAX(r.reviewed_on) AS reviewed_on
            FROM {reviews} r JOIN {plans} rp ON rp.id = r.plan_id JOIN c ON c.id = rp.client_id
            WHERE r.withdrawn_at IS NULL AND r.reviewed_on >= %s AND r.reviewed_on <= %s
            GROUP BY rp.client_id
          ) rv ON rv.client_id = c.id
    """
    params = [
        *clients_params,
        *step_params,
        last,
        first,
        first,
        last,
        *online,
        first,
        last,
        first,
        ConsentPurpose.REPORT_TO_EMPLOYER.value,
        last,
        last,
        *plan_params,
        kept_from - timedelta(days=1),
        last,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
