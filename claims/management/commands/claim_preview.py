"""python manage.py claim_preview --office N --month YYYY-MM: the claim of an office-month as text."""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cases.models import Office
from claims.selectors import office_claim


class Command(BaseCommand):
    help = "事業所・月の請求（単位数・総費用額・給付費）と、請求を止める項目を表示します。"

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="事業所のID または 事業所番号（10桁）")
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, office, month, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError(f"月は YYYY-MM で指定してください: {month}")
        first = date(int(match.group(1)), int(match.group(2)), 1)
        found = Office.objects.filter(provider_number=office).first() if len(office) == 10 else None
        if found is None and office.isascii() and office.isdigit():
            found = Office.objects.filter(pk=int(office)).first()
        if found is None:
            raise CommandError(f"事業所が見つかりません: {office}")
        claim = office_claim(found, first)
        out = self.stdout.write
        out(f"{found.name}（{found.provider_number}） {first:%Y年%-m月}分")
        out(
            f"級地 {claim.region_label or '—'} / 単位数単価 {claim.unit_price or '—'} / 区分 {claim.tier_label or '—'}"
        )
        out("")
        for row in claim.billable:
            out(f"{row.client.recipient_number} {row.client.full_name}")
            for line in row.lines:
                out(f"    {line.code or '(未登録)':>8} {line.name}  {line.units:,} × {line.count}")
            for warning in row.warnings:
                out(f"    ! {warning}")
            if row.amounts:
                a = row.amounts
                out(
                    f"    単位数 {a.units:,}  総費用額 {a.total_cost:,}円  1割相当額 {a.tenth:,}円  "
                    f"利用者負担 {a.burden:,}円  給付費 {a.benefit:,}円"
                )
        t = claim.totals
        out("")
        out(
            f"合計: 件数 {t.count}  単位数 {t.units:,}  費用合計 {t.total_cost:,}円  "
            f"給付費請求額 {t.benefit:,}円  利用者負担額 {t.burden:,}円"
        )
        if claim.not_billable:
            out("")
            out("算定できない利用者:")
            for row in claim.not_billable:
                out(f"  {row.client.recipient_number} {row.client.full_name}: {'、'.join(row.reason_words)}")
        for warning in claim.warnings:
            out(f"! {warning}")
        out("")
        if claim.stops:
            out(f"請求を止める項目（{len(claim.stops)}件）:")
            for stop in claim.stops:
                out(f"  - {stop.message}  → {stop.url}")
        else:
            out("請求を止める項目はありません。")
