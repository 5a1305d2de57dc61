"""python manage.py load_fee_table FILE [--source TEXT]: load the official unit-price table or
サービスコード表 (CSV) into the claim's tables, keeping the file's SHA-256."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.services import fee_table_load


class Command(BaseCommand):
    help = "単位数単価またはサービスコード表（CSV）を読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="出典（告示・通知の名称と日付）")

    def handle(self, *args, file, source, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {file}")
        try:
            record = fee_table_load(actor=None, name=path.name, content=path.read_bytes(), source=source)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            f"{record.get_kind_display()}: {record.rows}行を読み込みました（SHA-256 {record.sha256}）"
        )
