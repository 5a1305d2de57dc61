"""サービス提供実績記録票: an A4 PDF with Japanese text, read back with pypdf and pdftotext."""

import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims import record_sheet
from claims.selectors import office_claim
from meetings import selectors as meeting_selectors
from meetings.selectors import AddonMeeting

from ..factories import ContactLogFactory
from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_days_weekdays_holidays_and_totals(office, staff, manager, admin_user, monkeypatch):
    ready_office(office, admin_user)
    client = billable_client(office, staff, manager, special_area=True, service_started_on=date(2025, 9, 3))
    ContactLogFactory(client=client, staff=staff, on=date(2025, 9, 15))  # 敬老の日
    monkeypatch.setattr(
        meeting_selectors,
        "addon_meetings",
        lambda ids, first, last: {client.pk: [AddonMeeting(date(2025, 9, 25), "I")]},
    )
    (row,) = office_claim(office, SEPT).billable
    sheet = record_sheet.sheet(row)
    assert [(d.day.day, d.weekday, d.counted, d.meeting, d.special_area) for d in sheet.days] == [
        (3, "水", 1, "", 1),
        (15, "月・祝", 1, "", 1),
        (25, "木", 0, "I", 0),
    ]
    assert sheet.days[1].holiday == "敬老の日"
    assert (sheet.counted, sheet.meetings_i, sheet.meetings_ii, sheet.special_area) == (2, 1, 0, 2)
    assert sheet.report_shared_on == date(2025, 9, 15)
    assert sheet.service_started_on == date(2025, 9, 3)


def test_the_office_month_pdf_is_a4_with_japanese_text(client, office, staff, manager, admin_user):
    ready_office(office, admin_user)
    first = billable_client(office, staff, manager)
    billable_client(office, staff, manager)
    client.force_login(admin_user)
    response = client.get(reverse("claims:office_month_pdf") + "?month=2025-09")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 2  # one page per client-month
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "サービス提供実績記録票" in text and "令和7年9月分" in text
    assert first.recipient_number in text and office.provider_number in text
    assert "支援レポート共有日" in text and "2025年9月15日" in text
    fonts = {str(f) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_one_client_pdf_reads_back_with_pdftotext(client, office, staff, manager, admin_user, tmp_path):
    ready_office(office, admin_user)
    person = billable_client(office, staff, manager)
    client.force_login(manager)
    response = client.get(reverse("claims:client_month_pdf", args=[person.pk]) + "?month=2025-09")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert person.full_name.replace(" ", "") in text.replace(" ", "")
    assert "地域連携会議実施加算" in text and "利用者確認" in text and "合計" in text


def test_a_client_of_another_office_is_not_found(client, office, other_office, staff, manager, admin_user):
    from ..factories import client_in_service

    stranger = client_in_service(office=other_office)
    client.force_login(admin_user)
    response = client.get(reverse("claims:client_month_pdf", args=[stranger.pk]) + "?month=2025-09")
    assert response.status_code == 404
