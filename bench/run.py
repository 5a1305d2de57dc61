#!/usr/bin/env python
"""Benchmarks at office and corporate scale, each figure beside its reference from the same run.

    python bench/run.py --db postgres://postgres@127.0.0.1:5432/teichaku_bench          # full: 100 offices, 5,000 clients
    python bench/run.py --db postgres://... --offices 6 --clients 300 --ci              # small run used by CI

See bench/README.md for what is measured and how to read bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import Figure, Report, write_results  # noqa: E402
from bench.jobs import (  # noqa: E402
    analyze,
    bench_billing,
    bench_claim_batch_files,
    bench_claims,
    bench_month,
    bench_rates,
)
from bench.pages import bench_http, bench_query_counts  # noqa: E402


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

    from core.dates import month_start

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
