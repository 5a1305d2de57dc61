"""A manager records a 地域連携会議 with two outside organisations on a phone; the statistics page draws
its charts (Chart.js served from static files) with the numbers in tables beside them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import ClientStatus, Role
from core.dates import after_months
from meetings.models import Meeting
from plans.models import ConsentPurpose

from ..factories import ClientFactory, ConsentFactory, ContactLogFactory, EmploymentFactory, MembershipFactory
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_records_a_regional_meeting_on_a_phone(live_server, phone_page, office):
    manager = MembershipFactory(office=office, role=Role.MANAGER, user__last_name="田中").user
    person = ClientFactory(office=office, family_name="山田", given_name="花子")
    ConsentFactory(client=person, purpose=ConsentPurpose.CASE_MEETING, given_on=timezone.localdate() - timedelta(days=30))
    page = phone_page
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/meetings/new/?client={person.pk}")
    page.get_by_label("サービス管理責任者", exact=True).check()
    page.get_by_label("場所").fill("株式会社みどり 会議室")
    page.get_by_label("決まったこと").fill("12月から勤務時間を1日6時間に延ばす")
    rows = [("山田 一郎", "株式会社みどり", "企業（雇用先）"), ("佐藤 恵", "ハローワーク新宿", "ハローワーク")]
    for i, (name, org, kind) in enumerate(rows):
        page.locator(f"#id_attendees-{i}-name").fill(name)
        page.locator(f"#id_attendees-{i}-new_organisation_name").fill(org)
        page.locator(f"#id_attendees-{i}-new_organisation_kind").select_option(label=kind)
    page.locator("#id_attendees-2-name").fill("山田 花子")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.get_by_role("button", name="保存する").click()
    page.wait_for_load_state("networkidle")
    assert "加算(I) 算定" in page.content()
    meeting = Meeting.objects.get()
    assert meeting.attendees.filter(organisation__isnull=False).count() == 2
    screenshot(page, "meeting-recorded-phone")


def test_statistics_page_draws_the_charts(live_server, laptop_page, office):
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    today = timezone.localdate()
    for i, (categories, left) in enumerate([(["mental"], False), (["mental"], True), (["developmental"], False)]):
        hired_on = after_months(today, -20 - i)
        client = ClientFactory(office=office, disability_categories=categories, status=ClientStatus.ACTIVE)
        EmploymentFactory(client=client, hired_on=hired_on, left_on=after_months(hired_on, 8) if left else None)
        client.refresh_from_db()
        ContactLogFactory(client=client, on=client.window_starts_on, face_to_face=True, kind="interview")
    page = laptop_page
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/meetings/statistics/")
    page.wait_for_selector("html[data-charts-ready='1']")
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas')].map(c => Chart.getChart(c) ? Chart.getChart(c).data.datasets.length : 0)"
    )
    assert drawn == [2, 1]
    table = page.locator("#retention-table").inner_text()
    assert "精神" in table and "1/2" in table and "0.493" in table
    path = screenshot(page, "retention-statistics")
    assert path.stat().st_size > 10_000


def test_meeting_and_rate_pages_are_accessible(live_server, axe_page, office):
    from .test_accessibility import assert_accessible

    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    person = ClientFactory(office=office)
    meeting = Meeting.objects.create(
        client=person, held_on=timezone.localdate(), presenter_role="manager", recorded_by=manager
    )
    log_in(axe_page, live_server, manager)
    for path in [
        "/meetings/",
        "/meetings/new/",
        f"/meetings/{meeting.pk}/",
        "/meetings/organisations/",
        "/meetings/follow-ups/",
        "/meetings/rates/",
        "/meetings/statistics/",
    ]:
        assert_accessible(axe_page, f"{live_server.url}{path}")
