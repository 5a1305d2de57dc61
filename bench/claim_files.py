#!/usr/bin/env python
"""The 国保連 claim files of one month at 100 offices / 5,000 clients, beside csv.writer.

    python bench/claim_files.py                       # 100 offices, 5,000 clients, best of 5
    python bench/claim_files.py --offices 6 --clients 300 --repeat 1

Measured: ``claims.interface.write_claim_files`` for every office (the J111, J121 and J611 files: every
item checked against the layout, half-width kana, CP932, CRLF), from inputs held in memory (the claims
app's amounts are not part of the figure). Reference: ``csv.writer`` writing the same number of rows, with
the same fields, from lists in memory into CP932 bytes. Target (issue 15): ≤ 3× the reference. The
validator reading every file back is reported beside them. No database is used.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


KANA = ("ヤマダ タロウ", "すずき はなこ", "タナカ ジロウ", "サトウ ミサキ", "イトウ ケンタ")


def make_months(offices: int, clients: int) -> list:
    """Synthetic office months: clients spread over the offices and two municipalities each."""
    from claims.interface import ClaimLine, ClientMonth, ClientTotals, OfficeMonth, SupportDay

    service_month = date(2026, 10, 1)
    price = Decimal("11.14")
    months = []
    per_office = [clients // offices + (1 if n < clients % offices else 0) for n in range(offices)]
    serial = 0
    for office_index, count in enumerate(per_office):
        office_number = f"13{office_index:08d}"
        rows = []
        for n in range(count):
            serial += 1
            lines = (ClaimLine("471111", 3348, 1),) + ((ClaimLine("475001", 579, 1),) if n % 3 == 0 else ())
            units = sum(line.units * line.count for line in lines)
            cost = int(units * price)
            tenth = cost // 10
            cap = (0, 9300, 37200)[n % 3]
            burden = min(cap, tenth)
            days = tuple(
                SupportDay(
                    service_month + timedelta(days=day), meeting=1 if (n % 3 == 0 and day == 20) else None
                )
                for day in (4, 11, 20, 25)[: 1 + n % 4]
            )
            rows.append(
                ClientMonth(
                    recipient_number=f"{serial:010d}",
                    municipality_number=("131016", "141003")[n % 2],
                    name="利用者",
                    name_kana=KANA[n % len(KANA)],
                    birth_date=None,
                    monthly_cap=cap,
                    service_start=date(2025, 4, 1),
                    lines=lines,
                    totals=ClientTotals(
                        units=units,
                        total_cost=cost,
                        tenth=tenth,
                        cap_adjusted=burden,
                        decided_burden=burden,
                        benefit=cost - burden,
                        unit_price=price,
                    ),
                    support_days=days,
                    report_shared_on=date(2026, 10, 28),
                )
            )
        months.append(
            OfficeMonth(
                office_number=office_number,
                area_code="23",
                service_month=service_month,
                processing_month=date(2026, 11, 1),
                clients=tuple(rows),
            )
        )
    return months


def best_of(functions: dict, repeat: int) -> dict:
    """The best CPU time of each function, run in turns so that a busy machine weighs on all of them alike
    (process time, not wall time: on a shared machine the wall clock mostly measures the neighbours)."""
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(repeat):
        for name, fn in functions.items():
            start = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - start)
    return best


def bench_claim_files(offices: int = 100, clients: int = 5000, repeat: int = 3) -> dict:
    """Seconds for the writer, the csv.writer reference and the validator, with the counts behind them."""
    _setup()
    from claims.interface import InterfaceSettings

    settings = InterfaceSettings(form_type_number="9901")  # a bench value, not the confirmed number
    result = measure(make_months(offices, clients), settings, repeat)
    return {"offices": offices, "clients": clients, **result}


def measure(months, settings, repeat: int = 3) -> dict:
    """The writer over `months` (interface.OfficeMonth), csv.writer writing the same rows from memory,
    and the validator reading every file back: best CPU seconds of each, the rows, bytes and ratio."""
    from claims.interface import validate_claim_files, write_claim_files

    written = [write_claim_files(month, settings) for month in months]
    rows = [
        next(csv.reader([line]))
        for files in written
        for claim_file in files
        for line in claim_file.data.decode("cp932").split("\r\n")
        if line
    ]

    def writer():
        for month in months:
            write_claim_files(month, settings)

    def reference():
        for start in range(0, len(rows), 1000):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(rows[start : start + 1000])
            buffer.getvalue().encode("cp932")

    def validator():
        for files in written:
            assert not validate_claim_files([(f.name, f.data) for f in files], settings=settings)

    times = best_of({"writer_s": writer, "csv_writer_s": reference, "validator_s": validator}, repeat)
    result = {
        "rows": len(rows),
        "bytes": sum(f.size for files in written for f in files),
        **times,
    }
    result["ratio"] = result["writer_s"] / result["csv_writer_s"]
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    r = bench_claim_files(args.offices, args.clients, args.repeat)
    print(
        f"claim files: {r['offices']} offices, {r['clients']} clients, {r['rows']} records, {r['bytes']:,} bytes\n"
        f"  write_claim_files  {r['writer_s']:.3f} s\n"
        f"  csv.writer (ref)   {r['csv_writer_s']:.3f} s\n"
        f"  ratio              {r['ratio']:.2f}  (target ≤ 3)\n"
        f"  validator          {r['validator_s']:.3f} s"
    )
    return 0 if r["ratio"] <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
