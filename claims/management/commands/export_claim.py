"""python manage.py export_claim --office N --month YYYY-MM --output DIR: the files of the finalized claim.

Writes SEIKYU.CSV, MEISAI.CSV and JISSEKI.CSV of the office-month's finalized claim batch (the regular
one, or `--batch ID` for a 月遅れ or correction batch) into DIR, as kept when they were first written;
each export is recorded. Refuses with the error list (exit status 1) while the batch is not finalized.
"""

import re
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.models import Office
from claims import services
from claims.models import ClaimBatch


def _month(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(_("月は YYYY-MM で指定してください: %(month)s") % {"month": text})
    return date(int(match.group(1)), int(match.group(2)), 1)


def _office(text: str) -> Office:
    found = Office.objects.filter(provider_number=text).first() if len(text) == 10 else None
    if found is None and text.isdigit():
        found = Office.objects.filter(pk=int(text)).first()
    if found is None:
        raise CommandError(_("事業所が見つかりません: %(office)s") % {"office": text})
    return found


class Command(BaseCommand):
    help = _("確定した請求の国保連ファイル（CSV）をフォルダに書き出します。")

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help=_("事業所のID または 事業所番号（10桁）"))
        parser.add_argument("--month", required=True, help=_("サービス提供年月 YYYY-MM"))
        parser.add_argument("--output", required=True, help=_("書き出すフォルダ"))
        parser.add_argument("--batch", type=int, help=_("請求のID（月遅れ・過誤再請求のとき）"))

    def handle(self, *args, office, month, output, batch=None, **options):
        found, first = _office(office), _month(month)
        batches = ClaimBatch.objects.filter(office=found, service_month=first)
        chosen = (
            batches.filter(pk=batch).first()
            if batch
            else batches.filter(kind=ClaimBatch.Kind.REGULAR).first()
        )
        if chosen is None:
            raise CommandError(
                _("%(office)s の %(month)s の請求がありません。請求ページで作成してください。")
                % {"office": found.name, "month": f"{first:%Y年%-m月}"}
            )
        if not chosen.locked:
            _files, errors = services.claim_batch_errors(chosen)
            for error in errors:
                self.stderr.write(f"{error.message}")
            raise CommandError(
                _("請求は確定していません（状態: %(state)s、エラー %(count)d件）。")
                % {"state": chosen.get_state_display(), "count": len(errors)}
            )
        try:
            files = services.claim_batch_write_files(actor=None, batch=chosen)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("ファイルを作成できません。")) from None
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for f in files:
                (folder / f.name).write_bytes(bytes(f.content))
        except OSError as error:
            raise CommandError(
                _("フォルダ %(folder)s に書き出せません: %(error)s")
                % {"folder": output, "error": error.strerror}
            ) from None
        for f in files:
            services.claim_file_download(actor=None, file=f, via="command")
            self.stdout.write(f"{folder / f.name}  {f.size} bytes  sha256 {f.sha256}")
