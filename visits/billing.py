"""The monthly billing export: one function builds the rows; the browser and the command render them."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import translation

from cases.models import Office

from .grid import month_rows
from .labels import reason_words, warning_words

FORMATS = ("csv", "csv-cp932", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-cp932": "text/csv; charset=Shift_JIS",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "csv-cp932": "csv", "xlsx": "xlsx"}

HEADER = (
    "事業所番号",
    "サービス提供年月",
    "受給者証番号",
    "氏名",
    "フリガナ",
    "市町村",
    "負担上限区分",
    "負担上限月額",
    "対面支援日",
    "企業訪問日",
    "支援レポート共有日",
    "算定可否",
    "算定不可理由",
    "警告",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# 算定可否 as the office reads it (the reasons and warnings come as words from visits.labels).
BILLABLE_WORDS = {True: "可", False: "不可"}


def _dates(days) -> str:
    return ";".join(f"{d:%Y-%m-%d}" for d in days)


def billing_rows(office: Office, month: date) -> list[list]:
    """The rows of the export (header excluded), one per client in service in the office-month.

    Values are str except 負担上限月額 (int yen). Labels are Japanese whatever the request's language.
    """
    rows = []
    with translation.override("ja"):
        for row in month_rows(office, month):
            client = row.client
            rows.append(
                [
                    office.provider_number,
                    f"{row.month:%Y%m}",
                    client.recipient_number,
                    client.full_name,
                    client.full_name_kana,
                    client.municipality,
                    str(client.get_burden_category_display()),
                    client.burden_cap_yen,
                    _dates(row.face_to_face_dates),
                    _dates(row.employer_visit_dates),
                    _dates([row.report_shared_on] if row.report_shared_on else []),
                    BILLABLE_WORDS[row.verdict.billable],
                    ";".join(reason_words(row.verdict.reasons)),
                    ";".join(warning_words(row.verdict.warnings)),
                ]
            )
    return rows


def escape_cell(value):
    """Neutralise spreadsheet formulas: a text cell starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def render(rows: list[list], fmt: str) -> bytes:
    """The file for `rows` in one of FORMATS, header first."""
    table = [list(HEADER), *([escape_cell(v) for v in row] for row in rows)]
    if fmt == "xlsx":
        return _xlsx(table)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    text = buffer.getvalue()
    if fmt == "csv":
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "csv-cp932":
        # Characters outside cp932 (e.g. 𠮷) become "?" rather than failing the whole export.
        return text.encode("cp932", errors="replace")
    raise ValueError(f"unknown format: {fmt}")


def _xlsx(table: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "請求"
    for values in table:
        sheet.append(values)
    # Numbers with leading zeros stay text; keep every cell but the yen column as a string cell.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(office: Office, month: date, fmt: str) -> str:
    return f"billing_{office.provider_number}_{month:%Y%m}.{EXTENSIONS[fmt]}"
