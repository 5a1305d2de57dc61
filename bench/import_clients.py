"""Client import speed: N rows through office.importer (parse, plan, the cases services, one transaction)
against a bulk_create of the same clients. Runs in a throw-away test database.

    DATABASE_URL=postgres://…/teichaku_bench python bench/import_clients.py 5000
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main(rows_wanted: int):
    from cases.models import Client, Membership, Office, User
    from office import importer

    office = Office.objects.create(name="bench", provider_number="1399999999", municipality="新宿区")
    admin = User.objects.create(username="bench-admin")
    Membership.objects.create(user=admin, office=office, role="admin")
    table = [importer.HEADERS]
    for i in range(rows_wanted):
        table.append(
            [f"{3000000000 + i}", "山田", f"太郎{i}", "ヤマダ", "タロウ", "1990-04-01", "精神", "新宿区", "一般1",
             "就労移行支援", "利用中", "", "", f"株式会社{i % 50}", "2025-01-06", "", "事務", "30", "オープン",
             "2025-07-06", "2026-07-05", ""]
        )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    content = buffer.getvalue().encode()

    started = time.perf_counter()
    rows = importer.parse(content, "bench.csv")
    importer.plan(rows, office)
    result = importer.run(rows, office=office, actor=admin, commit=True)
    imported = time.perf_counter() - started
    assert result.committed and result.created == rows_wanted, result.errors[:3]

    other = Office.objects.create(name="bench2", provider_number="1399999998", municipality="新宿区")
    started = time.perf_counter()
    with transaction.atomic():
        Client.objects.bulk_create(
            Client(office=other, family_name="山田", given_name=f"太郎{i}", family_name_kana="ヤマダ",
                   given_name_kana="タロウ", birth_date="1990-04-01", recipient_number=f"{3000000000 + i}",
                   municipality="新宿区")
            for i in range(rows_wanted)
        )
    bulk = time.perf_counter() - started
    print(
        f"{connection.vendor}: {rows_wanted} rows (client + employment + 支給決定 each) imported in {imported:.1f} s;"
        f" bulk_create of the clients alone {bulk:.2f} s; ratio {imported / bulk:.0f}×"
    )


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    finally:
        teardown_databases(old, verbosity=0)
