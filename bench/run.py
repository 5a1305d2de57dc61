#!/usr/bin/env python
"""Benchmarks at office and corporate scale, each figure beside its reference from the same run.

    python bench/run.py --db postgres://postgres@127.0.0.1:5432/teichaku_bench          # full: 100 offices, 5,000 clients
    python bench/run.py --db postgres://... --offices 6 --clients 300 --ci              # small run used by CI

See bench/README.md for what is measured and how to read bench/results.md.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory, "python": platform.python_version()}


def ensure_data(args, report: Report):
    from django.core.management import call_command

    from cases.models import Client

    call_command("migrate", verbosity=0)
    if Client.objects.exists() and not args.fresh:
        report.facts["seed"] = "reused existing data"
        return
    started = time.perf_counter()
    call_command(
        "seed_demo", offices=args.offices, clients=args.clients, months=args.months, verbosity=0 if args.ci else 1
    )
    seconds = time.perf_counter() - started
    report.add(Figure("seed_demo (bulk)", seconds, None, "s", "< 180 s", seconds < 180))


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
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    return json.loads(output.strip().splitlines()[-1])


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0] if hasattr(settings, "AUTHENTICATION_BACKENDS") else "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["login_time"] = time.time()
    session.create()
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
        f"Run on {time.strftime('%Y-%m-%d')} with `python bench/run.py --db {args.db_label} "
        f"--offices {args.offices} --clients {args.clients} --months {args.months}`.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in {**machine_facts(), **report.facts}.items()],
        "",
        "| figure | value | reference | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for f in report.figures:
        ref = f"{f.reference:.3f} {f.unit}" if f.reference is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(f"| {f.name} | {f.value:.3f} {f.unit} | {ref} | {ratio} | {f.target} | {'yes' if f.ok else '**no**'} {f.note} |")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")
