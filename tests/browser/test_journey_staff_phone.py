"""Journey 1: a support staff member on a phone records this month's interview and makes the month billable."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Role
from core.dates import month_start, shift_month
from visits.models import ContactLog

from ..factories import ContactLogFactory, MembershipFactory, SupportReportFactory, client_in_service
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_records_an_interview_on_a_phone_and_the_month_becomes_billable(
    live_server, phone_page, office
):
    page = phone_page
    today = timezone.localdate()
    hired_on = shift_month(month_start(today), -12)  # window opened 6 months ago, 支給決定 covers today
    staff = MembershipFactory(office=office, role=Role.STAFF, user__last_name="佐藤").user
    colleague = MembershipFactory(office=office, role=Role.STAFF, user__last_name="鈴木").user
    mine = client_in_service(
        office=office,
        hired_on=hired_on,
        primary_staff=staff,
        family_name="山田",
        given_name="花子",
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
    )
    also_mine = client_in_service(
        office=office,
        hired_on=hired_on,
        primary_staff=staff,
        family_name="渡辺",
        given_name="健",
        family_name_kana="ワタナベ",
        given_name_kana="ケン",
    )
    theirs = client_in_service(
        office=office,
        hired_on=hired_on,
        primary_staff=colleague,
        family_name="青木",
        given_name="一郎",
        family_name_kana="アオキ",
        given_name_kana="イチロウ",
    )
    for back in (1, 2, 3):  # earlier months already met and reported (so the month grid has history)
        month = shift_month(month_start(today), -back)
        ContactLogFactory(client=mine, staff=staff, on=month + timedelta(days=9), kind="interview")
        SupportReportFactory(
            client=mine, month=month, created_by=staff, shared_with_client_on=month + timedelta(days=14)
        )

    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/visits/mine/")
    still_to_meet = page.get_by_role("list").filter(has_text=mine.full_name)
    assert still_to_meet.get_by_text(mine.full_name).is_visible()
    assert still_to_meet.get_by_text(also_mine.full_name).is_visible()
    screenshot(page, "journey1-01-still-to-meet-phone")

    # From the caseload, one tap opens "record a contact".
    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="支援を記録する", exact=True).click()
    page.wait_for_url(re.compile(r"/visits/record/$"))
    assert page.get_by_role("heading", name="支援を記録する").is_visible()

    # Own clients come first in the picker, in kana order; a colleague's client after them.
    picker = page.get_by_label("利用者", exact=True)
    options = [o.strip() for o in picker.locator("option").all_inner_texts()]
    assert options[1:] == [mine.full_name, also_mine.full_name, theirs.full_name], options
    picker.select_option(value=str(mine.pk))
    assert page.get_by_label("日付").input_value() == today.isoformat()
    page.get_by_text("本人面談", exact=True).click()
    assert page.get_by_role("radio", name="本人面談").is_checked()
    page.get_by_text("体調・通院", exact=True).click()
    page.get_by_text("生活リズム", exact=True).click()
    page.get_by_label("内容").fill("職場で面談。睡眠が安定し、遅刻なく出勤できている。")
    page.get_by_label("次回までの対応").fill("通院日の調整を上司と確認する")
    screenshot(page, "journey1-02-record-contact-phone")
    page.get_by_role("heading", name="支援を記録する").evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "journey1-02-record-contact-phone-viewport", full_page=False)
    page.get_by_role("button", name="保存").click()

    # Back on the client page: recorded, but the month needs the shared support report too.
    page.wait_for_url(re.compile(rf"/clients/{mine.pk}/$"))
    assert page.get_by_role("alert").filter(has_text="記録しました。").is_visible()
    status = page.get_by_test_id("month-status")
    assert "今月はまだ算定できません" in status.inner_text()
    assert page.get_by_text("支援レポートを本人と共有していません").first.is_visible()
    contact = ContactLog.objects.get(client=mine, on=today)
    assert (contact.kind, contact.face_to_face, contact.staff) == ("interview", True, staff)
    assert sorted(contact.topics) == ["health", "rhythm"]

    # Draft this month's support report from the contacts, save it, record sharing it with the client.
    page.get_by_role("link", name="今月の支援レポートを作成").click()
    page.get_by_role("button", name=re.compile(r"この月の支援記録（1件）から下書きを作成")).click()
    page.wait_for_url(re.compile(r"/reports/\d+/\d+/edit/$"))
    assert (
        "睡眠が安定"
        in page.get_by_label("実施した支援").input_value() + page.get_by_label("職場での状況").input_value()
    )
    page.get_by_label("今後の支援").fill("通院日の調整を上司と確認する。")
    page.get_by_role("button", name="保存して共有").click()  # one tap to the sharing form
    assert page.get_by_label("本人への共有日").input_value() == today.isoformat()
    page.get_by_text("手渡し", exact=True).click()
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(re.compile(rf"/clients/{mine.pk}/$"))
    assert page.get_by_role("alert").filter(has_text="共有を記録しました。").is_visible()
    assert "今月は算定できます" in page.get_by_test_id("month-status").inner_text()
    this_month = page.get_by_role("link", name=re.compile(rf"^{today:%Y.%-m} (✓|算定可)"))
    assert this_month.is_visible()
    screenshot(page, "journey1-03-client-month-billable-phone")
    page.get_by_role("heading", name="今月の算定").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -40)")
    screenshot(page, "journey1-03-client-month-billable-phone-viewport", full_page=False)

    # "This month": the client is no longer still to meet; the other own client still is.
    page.get_by_role("button", name="メニューを開く").click()
    page.get_by_role("link", name="今月", exact=True).click()
    page.wait_for_url(re.compile(r"/visits/mine/$"))
    assert page.get_by_text(also_mine.full_name).is_visible()
    assert page.get_by_text(mine.full_name).count() == 0
    assert page.get_by_text(theirs.full_name).count() == 0
    screenshot(page, "journey1-04-still-to-meet-after-phone")
