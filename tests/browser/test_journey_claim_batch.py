"""Journey: the month's 国保連 claim on the claim page. An admin creates the batch and sees its error list,
follows each link to put it right, checks again, finalizes after the confirmation and downloads the three
files; a manager sees the batch, its errors and its files without the buttons."""

import importlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Role
from claims.interface import InterfaceSettings, validate_claim_files
from claims.models import ClaimBatch, ClaimFileDownload, ClientClaimProfile, ClientContract
from core.dates import fiscal_year, month_start, shift_month
from meetings.models import OfficeTierConfirmation

from ..claims.factories import ready_office
from ..factories import (
    ContactLogFactory,
    MembershipFactory,
    SupportReportFactory,
    agreed_plan,
    client_in_service,
)
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fee_tables(db):
    """The fee values the migrations load (基本報酬, 加算, 減算): an earlier transactional test flushed them."""
    from django.apps import apps

    from claims.models import BasicFee

    if not BasicFee.objects.exists():
        importlib.import_module("claims.migrations.0002_known_fee_values").load(apps, None)


def claimable(office, staff, manager, month, family_name, **profile):
    """A client billable in `month`: in service under a decision and an agreed plan, met face to face,
    the month's report shared."""
    client = client_in_service(
        office=office, hired_on=shift_month(month, -11), primary_staff=staff, family_name=family_name
    )
    agreed_plan(client=client, manager=manager, starts_on=month - timedelta(days=20))
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=3), kind="interview")
    ContactLogFactory(client=client, staff=staff, on=month.replace(day=10), kind="employer_visit")
    SupportReportFactory(
        client=client, month=month, created_by=staff, shared_with_client_on=month.replace(day=15)
    )
    ClientClaimProfile.objects.create(client=client, municipality_number="131041", **profile)
    return client


def download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=name, exact=True).click()
    return info.value.suggested_filename, info.value.path().read_bytes()


def errors(page):
    return page.locator(".claim-errors li")


def test_admin_takes_the_month_claim_to_files_and_a_manager_follows(
    live_server, laptop_page, chromium, office
):
    today = timezone.localdate()
    month = shift_month(month_start(today), -1)
    admin = MembershipFactory(office=office, role=Role.ADMIN, user__last_name="事務").user
    manager = MembershipFactory(office=office, role=Role.MANAGER, user__last_name="高橋").user
    staff = MembershipFactory(office=office, role=Role.STAFF, user__last_name="佐藤").user
    ready_office(office, admin)
    if fiscal_year(month) != 2025:
        OfficeTierConfirmation.objects.create(
            office=office,
            fiscal_year=fiscal_year(month),
            tier="80",
            confirmed_by=admin,
            confirmed_at=timezone.now(),
        )
    started = month - timedelta(days=150)
    yamada = claimable(office, staff, manager, month, "山田", service_started_on=started)
    ClientContract.objects.create(
        client=yamada, entry_number=1, service_code="471111", amount=Decimal("1"), starts_on=started
    )
    aoki = claimable(office, staff, manager, month, "青木")  # no 利用開始日 yet
    page_url = f"{live_server.url}/claims/month/?month={month:%Y-%m}"

    # The admin creates the month's batch: the error list names what to set, each with its link.
    page = laptop_page
    log_in(page, live_server, admin)
    page.goto(page_url)
    with page.expect_navigation():  # the page comes back to the same URL
        page.get_by_role("button", name="この月の請求を作成してエラーチェックする").click()
    expect(errors(page).filter(has_text="様式種別番号")).to_have_count(1)
    expect(errors(page).filter(has_text=f"{aoki.full_name}: 利用開始日")).to_have_count(1)
    batch = ClaimBatch.objects.get(office=office, service_month=month)
    assert batch.state == ClaimBatch.State.DRAFT
    assert page.get_by_role("link", name="確定へ進む").count() == 0
    screenshot(page, "journey-claim-01-errors-laptop")

    # A manager sees the same batch and error list, without the buttons.
    manager_context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="ja-JP")
    manager_page = manager_context.new_page()
    log_in(manager_page, live_server, manager)
    manager_page.goto(page_url)
    batch_card = manager_page.locator(f"#batch-{batch.pk}")
    assert "通常請求" in batch_card.inner_text()
    assert errors(manager_page).filter(has_text="様式種別番号").count() == 1
    assert manager_page.get_by_role("button", name="エラーチェック").count() == 0
    assert manager_page.get_by_role("link", name="確定へ進む").count() == 0

    # The admin follows the links: the office's 様式種別番号 and J121:05 required items, then the 利用開始日.
    errors(page).filter(has_text="様式種別番号").get_by_role("link", name="修正する").click()
    page.wait_for_url(re.compile(r"/claims/settings/files/"))
    page.get_by_label("様式種別番号（実績記録票 J611 項目7）").fill("0101")
    page.get_by_label("契約情報レコード（J121:05）の必須項目").fill("7,8,9,11")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="請求ファイルの設定を保存しました。")).to_be_visible()
    page.goto(page_url)
    errors(page).filter(has_text=aoki.full_name).get_by_role("link", name="修正する").click()
    page.wait_for_url(re.compile(rf"/claims/clients/{aoki.pk}/profile/"))
    page.get_by_label("利用開始日", exact=True).fill(started.isoformat())
    page.locator("form").filter(has=page.locator('input[name="form"][value="profile"]')).get_by_role(
        "button", name="保存"
    ).click()
    expect(page.get_by_role("alert").filter(has_text="請求情報を保存しました。")).to_be_visible()

    # Checked again: no errors; the confirmation page first, then the files.
    page.goto(page_url)
    with page.expect_navigation():
        page.get_by_role("button", name="エラーチェック").click()
    page.wait_for_load_state("networkidle")
    assert errors(page).all_inner_texts() == []
    expect(page.get_by_text("エラーはありません。", exact=True)).to_be_visible()
    page.get_by_role("link", name="確定へ進む").click()
    page.wait_for_url(re.compile(rf"/claims/batches/{batch.pk}/finalize/"))
    expect(page.get_by_text("確定した請求は変更できません。")).to_be_visible()
    expect(page.get_by_text(f"{yamada.full_name}（{yamada.recipient_number}）")).to_be_visible()
    batch.refresh_from_db()
    assert batch.state == ClaimBatch.State.CHECKED  # the confirmation page changes nothing
    screenshot(page, "journey-claim-02-confirm-laptop")
    with page.expect_navigation():
        page.get_by_role("button", name="確定してファイルを作成する").click()
    expect(
        page.get_by_role("alert").filter(has_text="請求を確定し、請求ファイルを作成しました。")
    ).to_be_visible()
    batch.refresh_from_db()
    assert batch.state == ClaimBatch.State.WRITTEN and batch.finalized_by == admin
    screenshot(page, "journey-claim-03-files-laptop")

    files = dict(download(page, name) for name in ("SEIKYU.CSV", "MEISAI.CSV", "JISSEKI.CSV"))
    assert set(files) == {"SEIKYU.CSV", "MEISAI.CSV", "JISSEKI.CSV"}
    assert {name: bytes(f.content) for name, f in ((f.name, f) for f in batch.files.all())} == files
    settings = InterfaceSettings(form_type_number="0101", contract_required_items=frozenset({7, 8, 9, 11}))
    assert validate_claim_files(list(files.items()), settings=settings) == []
    meisai = files["MEISAI.CSV"].decode("cp932")
    assert (
        f",J121,05,{month:%Y%m},131041,{office.provider_number},{yamada.recipient_number},"
        f"471111,100,{started:%Y%m%d},,1\r\n"
    ) in meisai
    assert f",{aoki.recipient_number}," in meisai and ",J121,02," in meisai
    assert ClaimFileDownload.objects.filter(file__batch=batch, user=admin).count() == 3

    # The manager reloads: the batch is finalized, its files listed but not downloadable by a manager.
    manager_page.reload()
    card = manager_page.locator(f"#batch-{batch.pk}").inner_text()
    assert "MEISAI.CSV" in card and "確定" in card
    assert manager_page.get_by_role("link", name="MEISAI.CSV").count() == 0
    manager_context.close()


def test_the_claim_page_and_the_contract_form_are_accessible(live_server, axe_page, office):
    from .test_accessibility import assert_accessible

    month = shift_month(month_start(timezone.localdate()), -1)
    admin = MembershipFactory(office=office, role=Role.ADMIN).user
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    ready_office(office, admin)
    client = claimable(office, admin, manager, month, "山田")
    ClientContract.objects.create(client=client, entry_number=1, starts_on=month - timedelta(days=30))
    log_in(axe_page, live_server, admin)
    axe_page.goto(f"{live_server.url}/claims/month/?month={month:%Y-%m}")
    with axe_page.expect_navigation():
        axe_page.get_by_role("button", name="この月の請求を作成してエラーチェックする").click()
    for path in [
        f"/claims/month/?month={month:%Y-%m}",
        f"/claims/clients/{client.pk}/profile/",
        f"/claims/clients/{client.pk}/profile/?contract={client.claim_contracts.get().pk}",
    ]:
        assert_accessible(axe_page, f"{live_server.url}{path}")
