"""Client import speed: N rows through office.importer (parse, plan, the bulk write, one transaction)
against `bulk_create` of the same rows (clients, their employers, employments and 支給決定, no history),
and against the old reference (`bulk_create` of the clients alone). Runs in a throw-away test database;
each repetition imports into a fresh office.

    DATABASE_URL=postgres://…/teichaku_bench python bench/import_clients.py 5000 [--repeat 3] [--services]

`--services` also times the row-by-row path through the cases services (`run(..., bulk=False)`).
"""

import argparse
import csv
import io
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402


def _content(rows_wanted: int) -> bytes:
    from office import importer

    table = [importer.HEADERS]
    for i in range(rows_wanted):
        table.append(
            [f"{3000000000 + i}", "山田", f"太郎{i}", "ヤマダ", "タロウ", "1990-04-01", "精神", "新宿区", "一般1",
             "就労移行支援", "利用中", "", "", f"株式会社{i % 50}", "2025-01-06", "", "事務", "30", "オープン",
             "2025-07-06", "2026-07-05", ""]
        )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode()


def _office(n: int):
    from cases.models import Membership, Office, User

    office = Office.objects.create(name=f"bench{n}", provider_number=f"{1300000000 + n}", municipality="新宿区")
    admin = User.objects.create(username=f"bench-admin-{n}")
    Membership.objects.create(user=admin, office=office, role="admin")
    return office, admin


def _import(content: bytes, rows_wanted: int, n: int, bulk: bool):
    from cases.models import Client
    from office import importer

    office, admin = _office(n)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rows = importer.parse(content, "bench.csv")
        importer.plan(rows, office)
        result = importer.run(rows, office=office, actor=admin, commit=True, bulk=bulk)
    elapsed = time.perf_counter() - started
    assert result.committed and result.created == rows_wanted, result.errors[:3]
    assert result.in_bulk == bulk
    assert Client.objects.filter(office=office, window_starts_on__isnull=False).count() == rows_wanted
    return elapsed, len(queries), office


def _reference(rows_wanted: int, n: int, *, clients_only: bool = False, flags_like=None) -> float:
    """bulk_create of the rows: the clients alone (`clients_only`, the old reference), or the clients,
    their employers, employments and 支給決定; with `flags_like` (an imported office) also their history
    rows and the flags that office got: every row the import writes."""
    from cases.models import BenefitDecision, Client, Employer, Employment
    from flags.models import Flag

    office, admin = _office(n)
    flags = []
    if flags_like is not None:
        flags = list(
            Flag.objects.filter(office=flags_like)
            .order_by("pk")
            .values_list("client__recipient_number", "kind", "period", "severity", "message")
        )
    started = time.perf_counter()
    with transaction.atomic():
        clients = Client.objects.bulk_create(
            Client(office=office, family_name="山田", given_name=f"太郎{i}", family_name_kana="ヤマダ",
                   given_name_kana="タロウ", birth_date=date(1990, 4, 1), recipient_number=f"{3000000000 + i}",
                   municipality="新宿区", disability_categories=["mental"], status="active")
            for i in range(rows_wanted)
        )
        if not clients_only:
            employers = Employer.objects.bulk_create(Employer(office=office, name=f"株式会社{k}") for k in range(50))
            Employment.objects.bulk_create(
                Employment(client=client, employer=employers[i % 50], hired_on=date(2025, 1, 6), job_title="事務",
                           weekly_hours=Decimal(30), disclosed=True)
                for i, client in enumerate(clients)
            )
            BenefitDecision.objects.bulk_create(
                BenefitDecision(client=client, starts_on=date(2025, 7, 6), ends_on=date(2026, 7, 5),
                                municipality="新宿区")
                for client in clients
            )
        if flags_like is not None:
            decisions = list(BenefitDecision.objects.filter(client__office=office))
            employments = list(Employment.objects.filter(client__office=office))
            for model, records in ((Client, clients), (Employment, employments), (BenefitDecision, decisions)):
                model.history.bulk_history_create(records, default_user=admin)
            client_of = {client.recipient_number: client for client in clients}
            Flag.objects.bulk_create(
                Flag(office=office, client=client_of[number], kind=kind, period=period, severity=severity,
                     message=message)
                for number, kind, period, severity, message in flags
            )
    return time.perf_counter() - started


def main(rows_wanted: int, repeat: int, services: bool):
    content = _content(rows_wanted)
    n = 0
    for attempt in range(1, repeat + 1):
        n += 1
        imported, queries, office = _import(content, rows_wanted, n, bulk=True)
        n += 1
        same_rows = _reference(rows_wanted, n)
        n += 1
        clients_alone = _reference(rows_wanted, n, clients_only=True)
        n += 1
        everything = _reference(rows_wanted, n, flags_like=office)
        line = (
            f"{connection.vendor} #{attempt}: {rows_wanted} rows (client + employment + 支給決定 each) imported in"
            f" {imported:.2f} s ({queries} queries); bulk_create of the same rows {same_rows:.2f} s"
            f" (ratio {imported / same_rows:.2f}×); of the clients alone {clients_alone:.2f} s"
            f" (ratio {imported / clients_alone:.2f}×); of every row the import writes (with the history"
            f" rows and flags) {everything:.2f} s (ratio {imported / everything:.2f}×)"
        )
        if services:
            n += 1
            by_row, by_row_queries, _office_by_row = _import(content, rows_wanted, n, bulk=False)
            line += f"; row by row through the services {by_row:.1f} s ({by_row_queries} queries)"
        print(line, flush=True)
        reset_queries()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="?", default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--services", action="store_true")
    args = parser.parse_args()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main(args.rows, args.repeat, args.services)
    finally:
        teardown_databases(old, verbosity=0)
