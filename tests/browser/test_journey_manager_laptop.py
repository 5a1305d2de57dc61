"""Journey 2: a service manager on a laptop deals with an overdue review through to the client's consent."""

import re

import pytest
from django.utils import timezone

from cases.models import Role
from core.dates import after_months, month_start, shift_month
from plans.models import PlanStatus, SupportPlan

from ..factories import MembershipFactory, agreed_plan, client_in_service
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dashboard_section(page, heading):
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(heading)}"))


def test_manager_revises_an_overdue_plan_and_the_dashboard_clears(live_server, laptop_page, office):
    page = laptop_page
    today = timezone.localdate()
    manager = MembershipFactory(office=office, role=Role.MANAGER, user__last_name="高橋").user
    staff = MembershipFactory(office=office, role=Role.STAFF, user__last_name="佐藤").user
    client = client_in_service(
        office=office,
        hired_on=shift_month(month_start(today), -12),
        primary_staff=staff,
        family_name="中村",
        given_name="美咲",
        family_name_kana="ナカムラ",
        given_name_kana="ミサキ",
    )
    started = after_months(today, -5)  # never reviewed: due 3 months after the start, 2 months ago
    plan = agreed_plan(client=client, manager=manager, starts_on=started, version=1)
    assert plan.ends_on > today

    log_in(page, live_server, manager)  # managers land on the dashboard
    page.wait_for_url(re.compile(r"/plans/dashboard/$"))
    overdue = dashboard_section(page, "モニタリング期限超過")
    assert overdue.get_by_role("link", name=client.full_name).is_visible()
    screenshot(page, "journey2-01-dashboard-overdue-laptop")
    screenshot(page, "journey2-01-dashboard-overdue-laptop-viewport", full_page=False)

    # Record the review, deciding to revise: a new draft version is made from the plan in effect.
    overdue.get_by_role("link", name="対応する").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/reviews/new/$"))
    assert page.get_by_label("実施日").input_value() == today.isoformat()
    page.get_by_label("目標ごとの評価").fill("生活リズムは安定。業務量の増加に合わせて目標を見直す。")
    page.get_by_label("本人の意見").fill("新しい作業にも挑戦したい。")
    page.get_by_label("計画を見直す").check()
    screenshot(page, "journey2-02-review-revise-laptop")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(re.compile(r"/plans/\d+/edit/$"))
    assert page.get_by_role("alert").filter(has_text="第2版の下書きを作成しました").first.is_visible()
    draft = SupportPlan.objects.get(client=client, version=2)
    assert draft.status == PlanStatus.DRAFT
    page.get_by_label("短期目標").fill("新しい作業手順を1か月で覚える\n体調の波を記録する")
    page.get_by_role("button", name="保存").click()

    # Approve the new version (as サービス管理責任者), then record the client's consent.
    page.wait_for_url(re.compile(rf"/plans/{draft.pk}/$"))
    assert page.get_by_role("heading", name=re.compile("就労定着支援計画 第2版")).is_visible()
    assert page.get_by_label("承認日").input_value() == today.isoformat()
    page.get_by_role("button", name="承認する（サービス管理責任者）").click()
    assert page.get_by_role("alert").filter(has_text="計画を承認しました。").is_visible()
    assert page.get_by_label("本人同意日").input_value() == today.isoformat()
    screenshot(page, "journey2-03-plan-approved-laptop")
    page.get_by_role("button", name="本人の同意を記録").click()
    assert page.get_by_role("alert").filter(has_text="本人の同意を記録しました。").is_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by, draft.agreed_on) == (PlanStatus.AGREED, manager, today)
    # A plan takes effect once the client has also received a copy: record the delivery.
    page.get_by_role("button", name="交付を記録").click()
    assert page.get_by_role("alert").filter(has_text="交付を記録しました。").is_visible()
    draft.refresh_from_db()
    assert (draft.status, draft.delivered_on) == (PlanStatus.DELIVERED, today)
    plan.refresh_from_db()
    assert plan.version == 1 and plan.status == PlanStatus.DELIVERED  # old versions are never overwritten

    # The dashboard no longer lists the client anywhere.
    page.get_by_role("link", name="ダッシュボード").click()
    page.wait_for_url(re.compile(r"/plans/dashboard/$"))
    for heading in (
        "モニタリング期限超過",
        "承認待ちの計画",
        "本人同意待ちの計画",
        "交付待ちの計画",
        "有効な計画のない利用者",
    ):
        section = dashboard_section(page, heading)
        assert section.is_visible(), heading
        assert section.get_by_text(client.full_name).count() == 0, heading
    assert page.get_by_role("link", name=client.full_name).count() == 0
    screenshot(page, "journey2-04-dashboard-clear-laptop")
