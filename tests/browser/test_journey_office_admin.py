"""An admin adds a staff member, the new member signs in and sets a password, and the admin unlocks an
account locked by failed logins — all in the browser."""

import pytest

from cases.models import Membership, Role, User

from ..factories import MembershipFactory
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL = "initial-password-2026"
CHOSEN = "my-own-secret-phrase-26"


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state("networkidle")


def test_admin_adds_a_member_who_sets_a_password_and_unlocks_a_locked_account(
    live_server, laptop_page, phone_page, office
):
    admin = MembershipFactory(office=office, role=Role.ADMIN, user__last_name="事務").user
    colleague = MembershipFactory(office=office, role=Role.STAFF, user__last_name="高橋").user

    # the admin adds a staff member with an initial password
    page = laptop_page
    log_in(page, live_server, admin)
    page.get_by_role("button", name="その他").click()
    page.get_by_role("link", name="事業所の管理").click()
    page.get_by_role("link", name="＋ 職員を追加").click()
    # a save with nothing filled in: an error summary at the top, the first field in error focused
    page.get_by_role("button", name="保存").click()
    page.locator(".error-summary").wait_for()
    assert page.locator(".error-summary").inner_text().startswith("入力内容を確認してください。")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.get_by_label("ユーザー名").fill("sato.hanako")
    page.locator("#id_last_name").fill("佐藤")
    page.locator("#id_first_name").fill("花子")
    page.get_by_label("役割").select_option(label="就労定着支援員")
    page.get_by_label("初期パスワードを設定する（初回ログイン時に変更）").check()
    page.locator("#id_password").fill(INITIAL)
    page.get_by_role("button", name="保存").click()
    page.get_by_text("職員「佐藤 花子」を追加しました。").wait_for()
    screenshot(page, "office-staff-added")
    member = User.objects.get(username="sato.hanako")
    assert Membership.objects.get(user=member).role == Role.STAFF

    # the new member signs in on a phone and must choose a password first
    phone = phone_page
    _sign_in(phone, live_server, "sato.hanako", INITIAL)
    phone.get_by_text("続ける前に、自分だけが知るパスワードに変更してください。").wait_for()
    phone.locator("#id_old_password").fill(INITIAL)
    phone.locator("#id_new_password1").fill(CHOSEN)
    phone.locator("#id_new_password2").fill(CHOSEN)
    phone.get_by_role("button", name="パスワードを変更").click()
    phone.get_by_text("パスワードを変更しました。").wait_for()
    screenshot(phone, "office-password-set-phone")
    member.refresh_from_db()
    assert member.check_password(CHOSEN)

    # a colleague mistypes five times and is locked out
    other = page.context.browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    locked_page = other.new_page()
    for _ in range(5):
        _sign_in(locked_page, live_server, colleague.username, "wrong-password-x")
    _sign_in(locked_page, live_server, colleague.username, "correct-horse-battery")
    locked_page.get_by_text("ログインを一時停止しました").first.wait_for()

    # the admin sees the lockout and unlocks it
    page.goto(f"{live_server.url}/office/lockouts/")
    page.get_by_text("ロック中", exact=True).wait_for()
    page.get_by_role("button", name=f"{colleague.username} のロックを解除").click()
    page.get_by_text(f"「{colleague.username}」のロックを解除しました。").wait_for()
    screenshot(page, "office-unlocked")

    _sign_in(locked_page, live_server, colleague.username, "correct-horse-battery")
    assert "/accounts/login/" not in locked_page.url
    other.close()

    # and the history shows every step in words
    page.goto(f"{live_server.url}/office/history/")
    for text in ("職員を追加", "パスワードを変更", "ロックを解除"):
        page.get_by_role("cell", name=text, exact=True).first.wait_for()
