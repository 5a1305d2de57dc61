from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.models import Office
from core.dates import month_start
from flags import services


def _parse(value: str, fmt: str, what: str) -> date:
    try:
        return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time of day
    except ValueError as error:
        raise CommandError(
            f"{what} は {fmt.replace('%Y', 'YYYY').replace('%m', 'MM').replace('%d', 'DD')} の形式で指定してください: {value!r}"
        ) from error


class Command(BaseCommand):
    help = "Runs the month and deadline flag jobs for one office synchronously and prints what changed."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="事業所番号 (10 digits)")
        parser.add_argument("--month", help="YYYY-MM (default: the month of --today)")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today in Asia/Tokyo)")

    def handle(self, *args, office, month=None, today=None, **options):
        found = Office.objects.filter(provider_number=office).first()
        if found is None:
            raise CommandError(f"事業所番号 {office!r} の事業所はありません。")
        day = _parse(today, "%Y-%m-%d", "--today") if today else timezone.localdate()
        months = [month_start(_parse(month, "%Y-%m", "--month"))] if month else services.months_to_flag(day)
        for first in months:
            result = services.flag_months(office=found, month=first, today=day)
            self._report(f"months {first:%Y-%m}", result)
        self._report(f"deadlines {day.isoformat()}", services.flag_deadlines(office=found, today=day))
        self._report(f"claims {day.isoformat()}", services.flag_claims(office=found, today=day))

    def _report(self, label, result):
        self.stdout.write(
            f"{label}: created {len(result.created)}, reopened {len(result.reopened)}, "
            f"resolved {len(result.resolved)}, open {result.open_count}"
        )
        for verb, flags in (
            ("created", result.created),
            ("reopened", result.reopened),
            ("resolved", result.resolved),
        ):
            for flag in flags:
                self.stdout.write(f"  {verb} {flag.kind} {flag.period.isoformat()} client={flag.client_id}")
