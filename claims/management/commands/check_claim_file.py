"""Check 国保連 claim files against the record layouts: ``python manage.py check_claim_file FILE...``.

Prints every problem in Japanese and exits with status 1 when there is any. Several files (J111, J121,
J611 of one month) are also checked against each other (J111 = Σ J121).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from claims.interface import InterfaceSettings, validate_claim_files


def _item_numbers(text: str) -> frozenset[int]:
    try:
        numbers = frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise CommandError(
            _("--contract-required には項目番号をカンマ区切りで指定してください（例: 7,9）。")
        ) from None
    if not numbers <= frozenset(range(7, 12)):
        raise CommandError(_("--contract-required の項目番号は7〜11です。"))
    return numbers


class Command(BaseCommand):
    help = _("国保連の請求ファイル（CSV）を読み直して、レイアウトと合計を検査します。")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--form-type",
            help=_("事業所の設定の様式種別番号（J611 項目7）。指定するとその値かどうかも検査します。"),
        )
        parser.add_argument(
            "--contract-required",
            help=_("事業所の設定の契約情報レコード（J121:05）の必須項目番号（カンマ区切り）。"),
        )

    def handle(self, *args, files, form_type=None, contract_required=None, **options):
        settings = InterfaceSettings(
            form_type_number=form_type or None,
            contract_required_items=_item_numbers(contract_required) if contract_required else None,
        )
        contents = []
        for name in files:
            path = Path(name)
            try:
                contents.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(
                    _("ファイル %(name)s を読めません: %(error)s") % {"name": name, "error": error.strerror}
                ) from None
        problems = validate_claim_files(contents, settings=settings)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(_("%(count)d件のエラーがあります。") % {"count": len(problems)})
        self.stdout.write(_("エラーはありません（%(count)dファイル）。") % {"count": len(contents)})
