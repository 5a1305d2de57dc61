"""サービス提供実績記録票: the rows of one client-month, and the office-month as one A4 PDF (WeasyPrint)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import jpholiday
from django.template.loader import render_to_string

from .selectors import ClientClaim, OfficeClaim

# WeasyPrint logs every layout step at INFO; the site logs INFO: keep only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

WEEKDAYS = "月火水木金土日"
REIWA_FIRST_YEAR = 2019


@dataclass(frozen=True)
class DayRow:
    day: date
    weekday: str  # 月 … 日, with 祝 on a national holiday
    holiday: str  # the holiday's name, or ""
    counted: int  # 算定日数: 1 on a day of support counted for the basic fee
    meeting: str  # "I" / "II" on the day of a counted 地域連携会議
    special_area: int  # 1 on a day of support in a designated area
    note: str


@dataclass(frozen=True)
class Sheet:
    row: ClientClaim
    days: list[DayRow]
    counted: int
    meetings_i: int
    meetings_ii: int
    special_area: int
    report_shared_on: date | None
    service_started_on: date | None  # 初期加算 利用開始日 (only in the month it falls in)


def reiwa(month: date) -> str:
    return f"令和{month.year - REIWA_FIRST_YEAR + 1}年{month.month}月分"


def sheet(row: ClientClaim) -> Sheet:
    support = set(row.support_days)
    meeting_on = {}
    for m in row.meetings[:1]:  # one claimed a month (claims.rules.claim_lines)
        meeting_on[m.held_on] = m.kind
    days = []
    for day in sorted(support | set(meeting_on)):
        holiday = jpholiday.is_holiday_name(day) or ""
        weekday = WEEKDAYS[day.weekday()] + ("・祝" if holiday else "")
        on_support = day in support
        days.append(
            DayRow(
                day=day,
                weekday=weekday,
                holiday=holiday,
                counted=1 if on_support and row.billable else 0,
                meeting=meeting_on.get(day, ""),
                special_area=1 if on_support and row.billable and row.special_area else 0,
                note=holiday,
            )
        )
    started = row.profile.service_started_on if row.profile else None
    month = row.month.month
    if started and (started.year, started.month) != (month.year, month.month):
        started = None
    return Sheet(
        row=row,
        days=days,
        counted=sum(d.counted for d in days),
        meetings_i=sum(1 for d in days if d.meeting == "I"),
        meetings_ii=sum(1 for d in days if d.meeting == "II"),
        special_area=sum(d.special_area for d in days),
        report_shared_on=row.month.report_shared_on,
        service_started_on=started,
    )


def sheets_html(claim: OfficeClaim, rows: list[ClientClaim]) -> str:
    if not claim.with_days:
        raise ValueError("the record sheets need the support days: office_claim(..., with_days=True)")
    return render_to_string(
        "claims/record_sheet.html",
        {"claim": claim, "sheets": [sheet(r) for r in rows], "title": reiwa(claim.month)},
    )


def render_pdf(claim: OfficeClaim, rows: list[ClientClaim]) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    return HTML(string=sheets_html(claim, rows)).write_pdf()
