import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from .labels import page_label

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell that spreadsheet programs do not evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def access_log_rows(queryset):
    yield ["日時", "種別", "ユーザー", "事業所ID", "利用者ID", "利用者", "画面", "出力名", "パス", "IPアドレス"]
    for row in queryset.iterator(chunk_size=2000):
        yield [
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
            row.get_kind_display(),
            row.username,
            row.office_id,
            row.client_id,
            row.client.full_name if row.client else "",
            page_label(row.page),
            row.export,
            row.path,
            row.ip,
        ]


def csv_response(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM: Excel opens UTF-8
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
