"""The jobs and the exports at scale: the month flagging, the billing export, the retention rates, the
claim of every office and its files, each beside a reference (usually one SQL aggregate) from the same run."""

from __future__ import annotations

import time

from bench.figures import Figure, Report, timed, timed_pair


def analyze():
    """Fresh statistics and visibility map (seed_demo runs VACUUM ANALYZE too): a run should not depend on
    autovacuum's timing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def bench_month(report: Report, args):
    """flag_months for every office vs one SQL aggregate finding the client-months without a meeting."""
    from django.db import connection

    from cases.models import Client, Office
    from core.dates import month_end, month_start
    from flags.selectors import FINISHED_STATUSES, flaggable
    from flags.services import flag_months
    from visits import rules as visit_rules
    from visits.grid import clients_in_service, month_rows

    month = args.month
    offices = list(Office.objects.order_by("pk"))

    def jobs():
        flag_months(office=None, month=month, today=args.today)

    q = connection.ops.quote_name
    statuses = list(FINISHED_STATUSES)
    online = list(visit_rules.ONLINE_KINDS)
    sql = f"""
        SELECT c.id FROM {q(Client._meta.db_table)} c JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
        WHERE c.archived = %s AND c.window_starts_on <= %s AND c.window_ends_on >= %s
          AND c.status NOT IN ({", ".join(["%s"] * len(statuses))})
          AND NOT EXISTS (
            SELECT 1 FROM visits_contactlog l
            WHERE l.client_id = c.id AND l.{q("on")} BETWEEN %s AND %s
              AND (l.face_to_face OR (o.online_counts_as_face_to_face AND l.kind IN ({", ".join(["%s"] * len(online))}))))
    """
    first, last = month_start(month), month_end(month)
    params = [False, last, first, *statuses, first, last, *online]

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    jobs()  # warm up (first run writes the flags; later runs are the steady monthly rerun)
    value = timed(jobs, repeat=args.repeat)
    ref = timed(reference, repeat=args.repeat)
    by_sql = reference()
    by_app = set()
    for office in offices:
        clients = flaggable(clients_in_service(office.pk, month))
        by_app |= {r.client.pk for r in month_rows(office.pk, month, clients=clients)
                   if visit_rules.NO_FACE_TO_FACE in r.verdict.reasons}
    agree = by_sql == by_app
    ratio = value / ref if ref else float("inf")
    report.add(Figure(
        f"month flagging, {len(offices)} offices, {month:%Y-%m}", value, ref, "s", "≤ 2× the SQL aggregate",
        ratio <= 2 and agree,
        f"{len(by_app)} client-months without a face-to-face contact; sets {'agree' if agree else 'DIFFER'}",
    ))


def bench_billing(report: Report, args):
    """The billing export (rows + CSV) for every office vs reading the same rows with one raw query."""
    from django.db import connection

    from cases.models import Client, Office
    from core.dates import month_end, month_start
    from visits import billing
    from visits import rules as visit_rules

    month = args.month
    offices = list(Office.objects.order_by("pk"))
    count = 0

    def export():
        nonlocal count
        count = 0
        for office in offices:
            rows = billing.billing_rows(office, month)
            billing.render(rows, "csv")
            count += len(rows)

    q = connection.ops.quote_name
    agg = "string_agg({0}::text, ';' ORDER BY {0})" if connection.vendor == "postgresql" else "group_concat({0}, ';')"
    kinds = list(visit_rules.EMPLOYER_VISIT_KINDS)
    on = f"l.{q('on')}"
    sql = f"""
        SELECT o.provider_number, c.recipient_number, c.family_name, c.given_name, c.family_name_kana,
               c.given_name_kana, c.municipality, c.burden_category,
               (SELECT {agg.format(on)} FROM visits_contactlog l
                 WHERE l.client_id = c.id AND {on} BETWEEN %s AND %s AND l.face_to_face),
               (SELECT {agg.format(on)} FROM visits_contactlog l
                 WHERE l.client_id = c.id AND {on} BETWEEN %s AND %s
                   AND l.kind IN ({", ".join(["%s"] * len(kinds))})),
               (SELECT r.shared_with_client_on FROM visits_supportreport r WHERE r.client_id = c.id AND r.month = %s),
               (SELECT count(*) FROM cases_benefitdecision d
                 WHERE d.client_id = c.id AND d.starts_on <= %s AND d.ends_on >= %s)
        FROM {q(Client._meta.db_table)} c JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
        WHERE c.window_starts_on <= %s AND c.window_ends_on >= %s
        ORDER BY o.id, c.family_name_kana, c.given_name_kana, c.id
    """
    first, last = month_start(month), month_end(month)
    params = [first, last, first, last, *kinds, first, last, first, last, first]
    ref_rows = 0

    def reference():
        nonlocal ref_rows
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ref_rows = len(cursor.fetchall())

    export()
    value = timed(export, repeat=args.repeat)
    ref = timed(reference, repeat=args.repeat)
    report.add(Figure(
        f"billing export (rows + CSV), {len(offices)} offices, {month:%Y-%m}", value, ref, "s", "< 3 s",
        value < 3 and count == ref_rows, f"{count} rows (raw query: {ref_rows})",
    ))


def bench_rates(report: Report, args):
    """就労定着率 and 就労定着実績体制加算 of every office (four reads each, then the pure rules) against the
    same four reads alone."""
    from cases.models import Client, Employment, Office
    from core.dates import fiscal_year
    from meetings import rules as meeting_rules
    from meetings import selectors as meeting_selectors
    from meetings.models import FollowUp
    from visits.models import ContactLog

    offices = list(Office.objects.order_by("pk").values_list("pk", flat=True))
    year = fiscal_year(args.today)
    counted = 0

    def calculators():
        nonlocal counted
        counted = 0
        for office_id in offices:
            facts = [r.facts for r in meeting_selectors.client_facts(office_id, args.today)]
            counted += meeting_rules.retention_rate(year, facts).counted
            meeting_rules.track_record(year, facts, None)

    def reads():
        for office_id in offices:
            ids = list(Client.objects.filter(office_id=office_id).values_list("pk", "status", "window_ends_on"))
            pks = [i[0] for i in ids]
            list(Employment.objects.filter(client_id__in=pks).values_list("client_id", "hired_on", "left_on"))
            list(FollowUp.objects.filter(client_id__in=pks).values_list("client_id", "year_end", "still_employed"))
            list(ContactLog.objects.filter(client_id__in=pks, face_to_face=True).values_list("client_id", "on")[:1])

    calculators()
    value = timed(calculators, repeat=args.repeat)
    ref = timed(reads, repeat=args.repeat)
    report.add(Figure(
        f"retention rate + track-record add-on, {len(offices)} offices, FY{year}", value, ref, "s", "< 3 s",
        value < 3, f"{counted} clients counted for the rate",
    ))


def bench_claim_batch_files(report: Report, args):
    """The 国保連 files of every office for the month, from the database: office_claim and the adapter
    (claims.claim_files.office_month_input) for each office, then the writer beside csv.writer writing the
    same rows from memory (bench/claim_files.py's measure), and the validator reading every file back."""
    from bench.claim_files import measure
    from cases.models import Office
    from claims.claim_files import office_month_input
    from claims.interface import InterfaceSettings
    from claims.selectors import office_claim
    from core.dates import shift_month

    settings = InterfaceSettings(form_type_number="9901")  # a bench value, not the confirmed number
    offices = list(Office.objects.order_by("pk"))
    started = time.process_time()
    months, left_out = [], 0
    for office in offices:
        month, stops = office_month_input(office_claim(office, args.month), processing_month=shift_month(args.month, 1))
        left_out += sum(1 for stop in stops if stop.client is not None)
        if month.clients:
            months.append(month)
    inputs = time.process_time() - started
    r = measure(months, settings, repeat=args.repeat)
    clients = sum(len(m.clients) for m in months)
    report.add(Figure(
        f"claim files of every office, {len(offices)} offices, {args.month:%Y-%m}: write_claim_files",
        r["writer_s"], r["csv_writer_s"], "s", "≤ 3× csv.writer", r["ratio"] <= 3,
        f"{len(months)} offices, {clients} client-months ({left_out} left out by their errors), "
        f"{r['rows']} records, {r['bytes']:,} bytes; reference: csv.writer, the same rows from memory (CPU time)",
    ))
    report.add(Figure(
        "claim files: office_claim + adapter for every office (from the database)", inputs, None, "s",
        "reported", True, "CPU time of the process; the database's own time is not in it",
    ))
    report.add(Figure(
        "claim files: the validator reading every file back", r["validator_s"], r["writer_s"], "s",
        "reported", True, "reference: the writer",
    ))


def bench_claims(report: Report, args):
    """The claim of every office for one month (set-based) vs one hand-written SQL aggregate of the same
    client-months; each office's claim page computation in a constant number of queries; the office-month
    実績記録票 PDF of 50 clients vs rendering the same HTML."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Client, Office
    from claims import record_sheet
    from claims.selectors import all_office_totals, office_claim
    from core.dates import fiscal_year, month_end, month_start
    from demo.claims import seed_claim_settings
    from visits import rules as visit_rules

    month = args.month
    first, last = month_start(month), month_end(month)
    offices = list(Office.objects.order_by("pk"))
    seed_claim_settings(offices, args.today)
    analyze()

    q = connection.ops.quote_name
    online = sorted(visit_rules.ONLINE_KINDS)
    on = q("on")
    sql = f"""
        SELECT c.office_id, COUNT(*), SUM(f.units)
        FROM {q(Client._meta.db_table)} c
          JOIN {q(Office._meta.db_table)} o ON o.id = c.office_id
          JOIN meetings_officetierconfirmation t ON t.office_id = c.office_id AND t.fiscal_year = %s
          JOIN claims_basicfee f ON f.tier = t.tier AND f.valid_from <= %s AND (f.valid_to IS NULL OR f.valid_to >= %s)
        WHERE c.window_starts_on <= %s AND c.window_ends_on >= %s
          AND EXISTS (
            SELECT 1 FROM visits_contactlog l JOIN cases_benefitdecision d
              ON d.client_id = l.client_id AND d.starts_on <= l.{on} AND d.ends_on >= l.{on}
            WHERE l.client_id = c.id AND l.{on} BETWEEN %s AND %s
              AND l.{on} >= c.window_starts_on AND l.{on} <= c.window_ends_on
              AND (l.face_to_face OR (o.online_counts_as_face_to_face AND l.kind IN ({", ".join(["%s"] * len(online))}))))
          AND EXISTS (
            SELECT 1 FROM visits_supportreport r
            WHERE r.client_id = c.id AND r.month = %s AND r.shared_with_client_on IS NOT NULL)
        GROUP BY c.office_id
    """
    params = [fiscal_year(first), first, first, last, first, first, last, *online, first]

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {office_id: count for office_id, count, _units in cursor.fetchall()}

    def claims():
        return all_office_totals(month)

    by_app = claims()  # warm up
    reference()  # warm up
    value, ref = timed_pair(claims, reference, repeat=args.repeat)
    with CaptureQueriesContext(connection) as queries:
        claims()
    by_sql = reference()
    counts = {pk: t.totals.count for pk, t in by_app.items() if t.totals.count}
    agree = counts == by_sql
    ratio = value / ref if ref else float("inf")
    total = sum(counts.values())
    report.add(Figure(
        f"claim of every office (set-based), {len(offices)} offices, {month:%Y-%m}", value, ref, "s",
        "≤ 2× the SQL aggregate", ratio <= 2 and agree,
        f"{total} billable client-months, {len(queries.captured_queries)} queries in all; "
        f"counts per office {'agree' if agree else 'DIFFER'}",
    ))

    # one office at a time, with the days (claim_preview, the files, a draft batch's check on the page):
    # queries at the smallest and largest office
    sizes = {o.pk: 0 for o in offices}
    for office_id in Client.objects.in_service_during(first, last).values_list("office_id", flat=True):
        sizes[office_id] += 1
    small, large = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    per_office = {}
    for pk in (small, large):
        with CaptureQueriesContext(connection) as queries:
            office_claim(Office.objects.get(pk=pk), month)
        per_office[pk] = len(queries.captured_queries) - 1  # the office's own lookup
    started = time.perf_counter()
    for office in offices:
        office_claim(office, month)
    loop = time.perf_counter() - started
    report.add(Figure(
        "queries: office claim with its days (claim_preview, files)", per_office[large], per_office[small], "queries",
        "equal at both sizes", per_office[large] == per_office[small],
        f"{sizes[small]} clients → {per_office[small]}, {sizes[large]} clients → {per_office[large]}; "
        f"every office one by one {loop:.2f} s",
    ))

    # the office-month PDF of 50 clients
    office = Office.objects.get(pk=large)
    claim = office_claim(office, month)
    rows = (claim.rows * 50)[:50] if claim.rows else []
    if rows:
        html = timed(lambda: record_sheet.sheets_html(claim, rows), repeat=args.repeat)
        pdf = timed(lambda: record_sheet.render_pdf(claim, rows), repeat=1)
        report.add(Figure(
            "実績記録票 PDF, 50 clients (one office-month)", pdf, html, "s", "reported", True,
            "reference: rendering the same HTML without PDF",
        ))
