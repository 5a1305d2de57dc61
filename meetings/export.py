"""The rates as a table for the 体制届: CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from visits.billing import escape_cell

from .rules import RateResult

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _percent(rate) -> str:
    return "" if rate is None else f"{rate * 100:.2f}%"


def table(office, rate: RateResult, track: RateResult, tier_label: str) -> list[list]:
    """Summary lines, then one line per client and calculator."""
    rows = [
        [_("事業所番号"), office.provider_number, _("事業所名"), office.name],
        [_("年度"), rate.fiscal_year],
        [
            _("就労定着率"),
            _percent(rate.rate),
            _("対象者数"),
            rate.counted,
            _("就労継続者数"),
            rate.achieved,
            _("区分"),
            tier_label,
        ],
        [
            _("就労定着実績体制加算"),
            _percent(track.rate),
            _("対象者数"),
            track.counted,
            _("42月以上78月未満の就労者数"),
            track.achieved,
            _("届出"),
            _("可") if track.notifiable else _("不可"),
        ],
        [],
        [_("計算"), _("利用者ID"), _("氏名"), _("対象"), _("算入"), _("理由")],
    ]
    for label, result in ((_("就労定着率"), rate), (_("就労定着実績体制加算"), track)):
        for r in result.rows:
            if r.counted:
                rows.append(
                    [
                        label,
                        r.client_id,
                        r.name,
                        _("対象"),
                        _("算入") if r.achieved else _("不算入"),
                        r.reason,
                    ]
                )
    return [[escape_cell(v) for v in row] for row in rows]


def render(rows: list[list], fmt: str) -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("定着実績")
        for values in rows:
            sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def filename(office, year: int, fmt: str) -> str:
    return f"retention_{office.provider_number}_{year}.{fmt}"
