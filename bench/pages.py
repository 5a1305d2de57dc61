"""The pages: their query counts (Django's test client, two office sizes) and their throughput under gunicorn
with wrk, each beside the trivial view on the same server. PAGES is the list of pages measured."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.figures import Figure, Report

ROOT = Path(__file__).resolve().parent.parent


# --- the pages ----------------------------------------------------------------------------------------------------

PAGES = {  # name: (url builder, query budget: what the page does today; --ci fails above it)
    "caseload": (lambda c: "/clients/", 12),
    "client page": (lambda c: f"/clients/{c.pk}/", 12),
    "office month": (lambda c: "/visits/month/", 12),
    "manager dashboard": (lambda c: "/plans/dashboard/", 12),
    "claim page": (lambda c: "/claims/month/", 12),
}
THROUGHPUT_TARGET = 0.05  # every page's share of the trivial view's req/s


def selected_pages(args) -> dict:
    return {name: page for name, page in PAGES.items() if not getattr(args, "page", None) or name in args.page}


# --- query counts -------------------------------------------------------------------------------------------------


def count_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


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
        for name, (url, _budget) in selected_pages(args).items():
            http.get(url(client) + "?warm")  # session into the cache, templates compiled
            status, n = count_queries(http, url(client) + "?counted")  # a URL no page cache holds yet
            if status != 200:
                raise RuntimeError(f"{name} for {membership.user.username}: HTTP {status}")
            counts.setdefault(name, []).append((size, n))
    for name, ((small_size, small), (large_size, large)) in counts.items():
        budget = PAGES[name][1]
        budget_ok &= small == large and large <= budget
        report.add(Figure(
            f"queries: {name}", large, small, "queries", f"equal at both sizes, ≤ {budget}",
            small == large and large <= budget,
            f"{small_size} clients → {small}, {large_size} clients → {large} (CI budget {budget})",
        ))
    return budget_ok


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


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk_report.lua"), "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
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
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    from audit.models import UserSession
    from audit.signals import LOGIN_AT_SESSION_KEY

    session[LOGIN_AT_SESSION_KEY] = time.time()
    session.create()
    UserSession.objects.create(session_key=session.session_key, user=user, user_agent="bench/run.py")
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def bench_http(report: Report, args):
    """Pages under gunicorn with concurrent requests (wrk), each beside the trivial view on the same server.

    For each page, `--rounds` pairs of runs alternate the trivial view and the page, and the medians are
    compared, so that a machine whose speed drifts during the run moves both sides alike; the note gives
    the range of the pairs' own ratios.
    """
    pages = selected_pages(args)
    _office, size, membership, client = page_users()[-1]
    cookie = session_cookie(membership.user)
    with gunicorn_server(args.workers) as base:
        for name, (url, _b) in pages.items():  # the cookie must get a 200, not a redirect to the login
            request = urllib.request.Request(base + url(client), headers={"Cookie": cookie})
            opener = urllib.request.build_opener(NoRedirect)
            response = opener.open(request, timeout=30)
            if response.status != 200:
                raise RuntimeError(f"{name}: HTTP {response.status} with the bench session")
        trivials = []
        for name, (url, _b) in pages.items():
            path = url(client)
            pairs = [
                (
                    wrk(base + "/healthz", "", args.seconds, args.connections),
                    wrk(base + path, cookie, args.seconds, args.connections),
                )
                for _ in range(args.rounds)
            ]
            trivial = median_run([t for t, _ in pairs])
            result = median_run([r for _, r in pairs])
            trivials.append(trivial)
            share = result["rps"] / trivial["rps"]
            shares = sorted(r["rps"] / t["rps"] for t, r in pairs)
            clean = all(r["errors"] == 0 and r["non2xx"] == 0 for _, r in pairs)
            report.add(Figure(
                f"throughput: {name} ({size} clients)", result["rps"], trivial["rps"], "req/s",
                f"≥ {THROUGHPUT_TARGET:.0%} of the trivial view", clean and share >= THROUGHPUT_TARGET,
                f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; "
                f"pairs {shares[0]:.1%}–{shares[-1]:.1%}"
                + ("" if clean else f", {result['errors']} errors, {result['non2xx']} non-2xx"),
            ))
        trivial = median_run(trivials)
        report.facts["trivial view (/healthz), median run"] = (
            f"{trivial['rps']:.0f} req/s, p50 {trivial['p50_ms']:.1f} ms, p95 {trivial['p95_ms']:.1f} ms"
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} redirected to {newurl}: the bench session was refused")
