#!/usr/bin/env python
"""Benchmarks at office and corporate scale, each figure beside its reference from the same run.

    python bench/run.py --db postgres://postgres@127.0.0.1:5432/teichaku_bench          # full: 100 offices, 5,000 clients
    python bench/run.py --db postgres://... --offices 6 --clients 300 --ci              # small run used by CI

See bench/README.md for what is measured and how to read bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    name: str
    value: float
    reference: float | None
    unit: str
    target: str
    ok: bool
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.value / self.reference


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def add(self, figure: Figure):
        self.figures.append(figure)
        status = "ok " if figure.ok else "MISS"
        ratio = f" ratio {figure.ratio:.2f}" if figure.ratio is not None else ""
        ref = f" (ref {figure.reference:.3f})" if figure.reference is not None else ""
        print(f"[{status}] {figure.name}: {figure.value:.3f} {figure.unit}{ref}{ratio}  target {figure.target}  {figure.note}")

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.figures)


def setup_django(db_url: str):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()


def timed(fn, repeat: int = 3) -> float:
    """Best wall time of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def timed_pair(fn, reference, repeat: int = 3) -> tuple[float, float]:
    """Best wall times of `repeat` runs of `fn` and of `reference`, run alternately, so that a change of
    the machine's load while they run weighs on both alike."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for index, f in enumerate((fn, reference)):
            started = time.perf_counter()
            f()
            best[index] = min(best[index], time.perf_counter() - started)
    return best[0], best[1]


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "load average at the end (1 / 5 / 15 min)": load,
    }


def ensure_data(args, report: Report):
    from django.core.management import call_command

    from cases.models import Client

    call_command("migrate", verbosity=0)
    if Client.objects.exists() and not args.fresh:
        report.facts["seed"] = "reused existing data"
        analyze()
        return
    started = time.perf_counter()
    call_command(
        "seed_demo", offices=args.offices, clients=args.clients, months=args.months, verbosity=0 if args.ci else 1
    )
    seconds = time.perf_counter() - started
    report.add(Figure("seed_demo (bulk)", seconds, None, "s", "< 180 s", seconds < 180))


def analyze():
    """Fresh statistics and visibility map (seed_demo runs VACUUM ANALYZE too): a run should not depend on
    autovacuum's timing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- gunicorn + wrk ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn_server(workers: int):
    port = free_port()
    env = {**os.environ}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wrk(url: str, cookie: str, seconds: int, connections: int, unique: bool = False) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk_report.lua"), "-H", f"Cookie: {cookie}", url]
    env = {**os.environ, "WRK_UNIQUE_QUERY": "1" if unique else "0"}
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30, env=env
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that loads users (axes' standalone backend only checks lockouts and has no get_user).
    session[BACKEND_SESSION_KEY] = "cases.backends.MemberBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    from audit.models import UserSession
    from audit.signals import LOGIN_AT_SESSION_KEY

    session[LOGIN_AT_SESSION_KEY] = time.time()
    session.create()
    UserSession.objects.create(session_key=session.session_key, user=user, user_agent="bench/run.py")
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- query counts -------------------------------------------------------------------------------------------------


def count_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def median(values):
    return statistics.median(values) if values else 0.0


def write_results(report: Report, path: Path, args):
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py --db {args.db_label} "
        f"--offices {args.offices} --clients {args.clients} --months {args.months}`.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**machine_facts(), **report.facts}.items()],
        "",
        "| figure | value | reference | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    def number(x, unit):
        return f"{x:.0f}" if unit == "queries" else f"{x:.1f}" if unit == "req/s" else f"{x:.3f}"

    for f in report.figures:
        ref = f"{number(f.reference, f.unit)} {f.unit}" if f.reference is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(f"| {f.name} | {number(f.value, f.unit)} {f.unit} | {ref} | {ratio} | {f.target} | {'yes' if f.ok else '**no**'} {f.note} |")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")


# --- the figures ------------------------------------------------------------------------------------------------

QUERY_TARGET = 12  # the target for every page
PAGES = {  # name: (url builder, query budget: what the page does today; --ci fails above it)
    "caseload": (lambda c: "/clients/", 12),
    "client page": (lambda c: f"/clients/{c.pk}/", 12),
    "office month": (lambda c: "/visits/month/", 12),
    "manager dashboard": (lambda c: "/plans/dashboard/", 12),
}


def bench_month(report: Report, args):
    """flag_months for every office vs one SQL aggregate finding the client-months without a meeting."""
    from django.db import connection

    from cases.models import Client, Office
    from cases.rules import month_end, month_start
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
    from cases.rules import month_end, month_start
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
    from cases.rules import fiscal_year
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
    from cases.rules import shift_month
    from claims.claim_files import office_month_input
    from claims.interface import InterfaceSettings
    from claims.selectors import office_claim

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
    from cases.rules import fiscal_year, month_end, month_start
    from claims import record_sheet
    from claims.demo import seed_claim_settings
    from claims.selectors import all_office_totals, office_claim
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

    # one office at a time (the page and claim_preview): queries at the smallest and largest office
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
        "queries: office claim (page, claim_preview)", per_office[large], per_office[small], "queries",
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


def page_users():
    """(smallest office, largest office) as (manager membership, a client with the most contacts)."""
    from django.db.models import Count

    from cases.models import Client, Membership, Office, Role

    offices = list(Office.objects.annotate(n=Count("clients")).filter(n__gt=0).order_by("n", "pk"))
    picked = []
    for office in (offices[0], offices[-1]):
        membership = (
            Membership.objects.filter(office=office, role=Role.MANAGER).select_related("user").order_by("pk").first()
        )
        client = (
            Client.objects.filter(office=office, archived=False)
            .annotate(k=Count("contacts"))
            .order_by("-k", "pk")
            .first()
        )
        picked.append((office, office.n, membership, client))
    return picked


def bench_query_counts(report: Report, args) -> bool:
    """Query count of each page for the smallest and the largest office: equal and within budget."""
    from django.test import Client as HttpClient

    budget_ok = True
    counts = {}
    for office, size, membership, client in page_users():
        if office.require_two_factor:
            type(office).objects.filter(pk=office.pk).update(require_two_factor=False)
        http = HttpClient()
        http.force_login(membership.user)
        for name, (url, _budget) in PAGES.items():
            http.get(url(client) + "?warm")  # session into the cache, templates compiled
            status, n = count_queries(http, url(client) + "?counted")  # a URL no page cache holds yet
            if status != 200:
                raise RuntimeError(f"{name} for {membership.user.username}: HTTP {status}")
            counts.setdefault(name, []).append((size, n))
    for name, ((small_size, small), (large_size, large)) in counts.items():
        budget = PAGES[name][1]
        budget_ok &= small == large and large <= budget
        report.add(Figure(
            f"queries: {name}", large, small, "queries", f"equal at both sizes, ≤ {QUERY_TARGET}",
            small == large and large <= QUERY_TARGET,
            f"{small_size} clients → {small}, {large_size} clients → {large} (CI budget {budget})",
        ))
    return budget_ok


def bench_http(report: Report, args):
    """Pages under gunicorn with concurrent requests (wrk), each beside the trivial view on the same server.

    For each page, `--rounds` pairs of runs alternate the trivial view and the page, and the medians are
    compared, so that a machine whose speed drifts during the run moves both sides alike. The caseload is
    also measured with a new URL for every request, which its page cache never serves (reported only).
    """
    _office, size, membership, client = page_users()[-1]
    cookie = session_cookie(membership.user)
    with gunicorn_server(args.workers) as base:
        for name, (url, _b) in PAGES.items():  # the cookie must get a 200, not a redirect to the login
            request = urllib.request.Request(base + url(client), headers={"Cookie": cookie})
            opener = urllib.request.build_opener(NoRedirect)
            response = opener.open(request, timeout=30)
            if response.status != 200:
                raise RuntimeError(f"{name}: HTTP {response.status} with the bench session")
        trivials = []
        runs = [(name, url(client), False) for name, (url, _b) in PAGES.items()]
        runs.insert(1, ("caseload, every request a new URL (no page cache)", PAGES["caseload"][0](client), True))
        for name, path, unique in runs:
            pairs = [
                (
                    wrk(base + "/healthz", "", args.seconds, args.connections),
                    wrk(base + path, cookie, args.seconds, args.connections, unique=unique),
                )
                for _ in range(args.rounds)
            ]
            trivial = median_run([t for t, _ in pairs])
            result = median_run([r for _, r in pairs])
            trivials.append(trivial)
            share = result["rps"] / trivial["rps"]
            is_target = name == "caseload"
            clean = all(r["errors"] == 0 and r["non2xx"] == 0 for _, r in pairs)
            report.add(Figure(
                f"throughput: {name} ({size} clients)", result["rps"], trivial["rps"], "req/s",
                "≥ 30% of the trivial view" if is_target else "reported",
                clean and (share >= 0.30 or not is_target),
                f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms"
                + ("" if clean else f", {result['errors']} errors, {result['non2xx']} non-2xx"),
            ))
        trivial = median_run(trivials)
        report.facts["trivial view (/healthz), median run"] = (
            f"{trivial['rps']:.0f} req/s, p50 {trivial['p50_ms']:.1f} ms, p95 {trivial['p95_ms']:.1f} ms"
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} redirected to {newurl}: the bench session was refused")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database URL, e.g. postgres://postgres@127.0.0.1:5432/teichaku_bench")
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--months", type=int, default=42)
    parser.add_argument("--fresh", action="store_true", help="seed even when the database holds clients")
    parser.add_argument("--ci", action="store_true",
                        help="small run: fail only on a broken query budget; skip wrk when it is absent")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration of each run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating trivial-view/page run pairs per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk concurrent connections")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure (best is kept)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--only", choices=["claims"], help="run only these figures (and write them to --out)")
    args = parser.parse_args(argv)
    args.db_label = args.db.split("@")[-1]

    setup_django(args.db)
    from django.utils import timezone

    from cases.rules import month_start

    args.today = timezone.localdate()
    args.month = month_start(month_start(args.today) - timedelta(days=1))  # last closed month
    report = Report()
    from django.db import connection

    report.facts["database"] = f"{connection.vendor} {args.db_label}"
    ensure_data(args, report)
    from cases.models import Client, Office

    report.facts["data"] = f"{Office.objects.count()} offices, {Client.objects.count()} clients"

    if args.only == "claims":
        bench_claims(report, args)
        bench_claim_batch_files(report, args)
        write_results(report, Path(args.out), args)
        return 0 if report.ok else 1
    budget_ok = bench_query_counts(report, args)
    bench_month(report, args)
    bench_billing(report, args)
    bench_rates(report, args)
    bench_claims(report, args)
    bench_claim_batch_files(report, args)
    if shutil.which("wrk"):
        bench_http(report, args)
    elif not args.ci:
        report.add(Figure("throughput", 0, None, "req/s", "wrk installed", False, "wrk not found"))
    else:
        print("wrk not found: HTTP figures skipped")

    if args.ci:
        # Timings on a small run say little: only the query budget decides the exit status here.
        print("query budget (the only check in --ci):", "ok" if budget_ok else "BROKEN")
        return 0 if budget_ok else 1
    write_results(report, Path(args.out), args)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
