"""Journey 3: an admin exports last month's billing (CSV and XLSX) and locks it; a later edit needs a reason."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Role
from core.dates import month_start, shift_month
from visits.billing import HEADER
from visits.models import ContactLog, MonthLock

from ..factories import ContactLogFactory, MembershipFactory, SupportReportFactory, client_in_service
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = HEADER.index("算定不可理由")
BILLABLE = HEADER.index("算定可否")
RECIPIENT = HEADER.index("受給者証番号")
F2F = HEADER.index("対面支援日")
NO_F2F = "対面支援（本人面談・職場訪問）がありません"
NO_REPORT = "支援レポートを本人と共有していません"


def by_recipient(rows):
    assert list(rows[0]) == list(HEADER)
    return {row[RECIPIENT]: row for row in rows[1:]}


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    dl = info.value
    return dl.suggested_filename, dl.path().read_bytes()


def test_admin_exports_and_locks_last_month_then_an_edit_needs_a_reason(
    live_server, laptop_page, phone_page, office
):
    today = timezone.localdate()
    last_month = shift_month(month_start(today), -1)
    hired_on = shift_month(month_start(today), -12)
    admin = MembershipFactory(office=office, role=Role.ADMIN, user__last_name="事務").user
    staff = MembershipFactory(office=office, role=Role.STAFF, user__last_name="佐藤").user
    met_and_shared = client_in_service(
        office=office, hired_on=hired_on, primary_staff=staff, family_name="山田", given_name="花子"
    )
    phone_only = client_in_service(
        office=office, hired_on=hired_on, primary_staff=staff, family_name="渡辺", given_name="健"
    )
    report_unshared = client_in_service(
        office=office, hired_on=hired_on, primary_staff=staff, family_name="青木", given_name="一郎"
    )
    met_on = last_month + timedelta(days=9)
    interview = ContactLogFactory(client=met_and_shared, staff=staff, on=met_on, kind="interview")
    SupportReportFactory(
        client=met_and_shared,
        month=last_month,
        created_by=staff,
        shared_with_client_on=met_on + timedelta(days=5),
        share_method="handed",
    )
    ContactLogFactory(client=phone_only, staff=staff, on=met_on, kind="phone")
    ContactLogFactory(client=report_unshared, staff=staff, on=met_on, kind="workplace_visit")
    SupportReportFactory(client=report_unshared, month=last_month, created_by=staff)

    page = laptop_page
    log_in(page, live_server, admin)
    page.get_by_role("link", name="請求", exact=True).click()
    page.wait_for_url(re.compile(r"/visits/billing/$"))
    page.get_by_label("対象月").fill(f"{last_month:%Y-%m}")  # the picker submits itself on change
    page.wait_for_url(re.compile(rf"\?month={last_month:%Y-%m}$"))
    heading = page.get_by_role("heading", level=1)
    assert f"{last_month:%Y年%-m月}" in heading.inner_text()
    assert page.get_by_text("対象 3名（算定可 1名・算定不可 2名）").is_visible()
    screenshot(page, "journey3-01-billing-last-month-laptop")
    screenshot(page, "journey3-01-billing-last-month-laptop-viewport", full_page=False)

    # CSV (UTF-8 with BOM): one row per client in service, billable flag and reason codes.
    name, content = download(page, "CSV（UTF-8）")
    assert name == f"billing_{office.provider_number}_{last_month:%Y%m}.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    rows = by_recipient(list(csv.reader(io.StringIO(content.decode("utf-8-sig")))))
    assert set(rows) == {c.recipient_number for c in (met_and_shared, phone_only, report_unshared)}
    ok = rows[met_and_shared.recipient_number]
    assert (ok[BILLABLE], ok[REASON], ok[F2F]) == ("可", "", met_on.isoformat())
    assert ok[HEADER.index("氏名")] == "山田 花子"
    assert ok[HEADER.index("支援レポート共有日")] == (met_on + timedelta(days=5)).isoformat()
    assert ok[HEADER.index("事業所番号")] == office.provider_number
    assert ok[HEADER.index("サービス提供年月")] == f"{last_month:%Y%m}"
    phone = rows[phone_only.recipient_number]
    assert (phone[BILLABLE], phone[REASON], phone[F2F]) == ("不可", f"{NO_F2F};{NO_REPORT}", "")
    unshared = rows[report_unshared.recipient_number]
    assert (unshared[BILLABLE], unshared[REASON]) == ("不可", NO_REPORT)

    # XLSX: the same rows; numbers with leading zeros stay text.
    name, content = download(page, "Excel（XLSX）")
    assert name.endswith(f"{last_month:%Y%m}.xlsx")
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    xrows = by_recipient(
        [tuple("" if v is None else v for v in r) for r in sheet.iter_rows(values_only=True)]
    )
    assert {k: (r[BILLABLE], r[REASON]) for k, r in xrows.items()} == {
        met_and_shared.recipient_number: ("可", ""),
        phone_only.recipient_number: ("不可", f"{NO_F2F};{NO_REPORT}"),
        report_unshared.recipient_number: ("不可", NO_REPORT),
    }

    # Lock the month.
    page.get_by_role("button", name="この月を締める").click()
    assert page.get_by_role("alert").filter(has_text="を締めました").is_visible()
    assert page.get_by_text("締め済み", exact=True).is_visible()
    assert page.get_by_role("button", name="この月を締める").count() == 0
    assert MonthLock.objects.filter(office=office, month=last_month, locked_by=admin).exists()
    screenshot(page, "journey3-02-billing-locked-laptop")

    # Later, the staff member edits the interview from the client page: the form asks for a reason.
    staff_page = phone_page
    log_in(staff_page, live_server, staff)
    staff_page.goto(f"{live_server.url}/clients/{met_and_shared.pk}/")
    staff_page.get_by_role("link", name="編集").first.click()
    staff_page.wait_for_url(re.compile(rf"/visits/contacts/{interview.pk}/edit/$"))
    assert staff_page.get_by_role("alert").filter(has_text="締められています").is_visible()
    reason = staff_page.get_by_label("変更の理由")
    assert reason.is_visible()
    assert reason.get_attribute("aria-required") == "true"
    staff_page.get_by_label("内容").fill("面談を実施。通院日の変更を確認（追記）。")
    staff_page.get_by_role("button", name="保存").click()
    assert staff_page.get_by_text("変更の理由を入力してください").is_visible()
    screenshot(staff_page, "journey3-03-locked-edit-needs-reason-phone")
    interview.refresh_from_db()
    assert interview.narrative == "面談を実施。"

    staff_page.get_by_label("変更の理由").fill("通院日の記載漏れを追記")
    staff_page.get_by_role("button", name="保存").click()
    staff_page.wait_for_url(re.compile(rf"/clients/{met_and_shared.pk}/$"))
    assert staff_page.get_by_role("alert").filter(has_text="支援記録を更新しました。").is_visible()
    interview.refresh_from_db()
    assert interview.narrative == "面談を実施。通院日の変更を確認（追記）。"
    latest = ContactLog.history.filter(id=interview.pk).order_by("-history_date").first()
    assert latest.history_change_reason == "通院日の記載漏れを追記"
