import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Office
from visits import billing

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """YYYY-MM → the month's first day; CommandError otherwise."""
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"--month must be YYYY-MM (e.g. 2025-09), got {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


class Command(BaseCommand):
    help = "Write the monthly billing export of an office (same rows as the browser download)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="事業所番号 (10 digits)")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", default="csv", choices=billing.FORMATS)
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options):
        month = parse_month(options["month"])
        office = Office.objects.filter(provider_number=options["office"]).first()
        if office is None:
            raise CommandError(f"No office with 事業所番号 {options['office']!r}")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Directory does not exist: {output.parent}")
        rows = billing.billing_rows(office, month)
        output.write_bytes(billing.render(rows, options["format"]))
        self.stdout.write(
            self.style.SUCCESS(f"{len(rows)} rows for {office.provider_number} {month:%Y-%m} → {output}")
        )
