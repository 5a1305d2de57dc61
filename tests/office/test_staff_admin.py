"""Office administration by the admin role: staff members, lockouts, settings, own password, history."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessLog
from cases.models import Membership, Role, User
from office.models import EventKind, OfficeEvent, PasswordChangeRequired

from ..factories import MembershipFactory, OfficeFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-long-new-secret-2026"


def _login(client, username, password, ip="203.0.113.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _new_staff(as_admin, **extra):
    data = {
        "username": "hanako",
        "last_name": "佐藤",
        "first_name": "花子",
        "email": "",
        "role": Role.STAFF,
        "method": "password",
        "password": "initial-password-2026",
        **extra,
    }
    return as_admin.post(reverse("office:staff_create"), data)


def test_admin_adds_a_member_with_an_initial_password_changed_at_first_login(as_admin, admin_user, office, client):
    response = _new_staff(as_admin)
    user = User.objects.get(username="hanako")
    assert response.status_code == 302
    assert Membership.objects.get(user=user).office == office
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    event = OfficeEvent.objects.get(kind=EventKind.STAFF_ADDED)
    assert (event.actor, event.target, event.office) == (admin_user, user, office)
    assert AccessLog.objects.filter(page="office:staff_create", user=admin_user).exists()

    client.logout()
    assert _login(client, "hanako", "initial-password-2026").status_code == 302
    # every page sends the member to choose their own password first
    assert client.get(reverse("cases:caseload"))["Location"] == reverse("office:password_change")
    response = client.post(
        reverse("office:password_change"),
        {"old_password": "initial-password-2026", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    assert OfficeEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, target=user).exists()


def test_a_setup_link_works_once(as_admin, client):
    response = _new_staff(as_admin, method="link", password="")
    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+/office/setup/[^"]+)"', response.content.decode()).group(1)
    user = User.objects.get(username="hanako")
    assert not user.has_usable_password()
    client.logout()
    path = url.replace("http://testserver", "").replace("&amp;", "&")
    assert "パスワードを決めてください" in client.get(path).content.decode()
    query = dict(part.split("=", 1) for part in path.split("?", 1)[1].split("&"))
    response = client.post(
        reverse("office:account_setup"), {**query, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("login")
    assert _login(client, "hanako", NEW_PASSWORD).status_code == 302
    client.logout()
    assert "このリンクは使えません" in client.get(path).content.decode()


def test_weak_or_taken_values_give_japanese_errors_and_save_nothing(as_admin, admin_user):
    response = _new_staff(as_admin, password="short")
    assert "このパスワードは短すぎます" in response.content.decode() or "短すぎ" in response.content.decode()
    response = _new_staff(as_admin, username=admin_user.username)
    assert "このユーザー名は既に使われています。" in response.content.decode()
    assert not User.objects.filter(username="hanako").exists()


def test_role_change_deactivate_reset_password_and_two_factor(as_admin, office, client):
    member = MembershipFactory(office=office, role=Role.STAFF)
    user = member.user
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert as_admin.post(reverse("office:staff_role", args=[user.pk]), {"role": Role.MANAGER}).status_code == 302
    member.refresh_from_db()
    assert member.role == Role.MANAGER
    as_admin.post(reverse("office:staff_two_factor", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    as_admin.post(reverse("office:staff_password", args=[user.pk]), {"method": "password", "password": "reset-password-2026"})
    user.refresh_from_db()
    assert user.check_password("reset-password-2026")
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    as_admin.post(reverse("office:staff_deactivate", args=[user.pk]))
    user.refresh_from_db()
    assert not user.is_active
    kinds = list(OfficeEvent.objects.filter(target=user).order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.ROLE_CHANGED, EventKind.TWO_FACTOR_RESET, EventKind.PASSWORD_RESET, EventKind.DEACTIVATED]
    history = as_admin.get(reverse("office:event_list")).content.decode()
    assert "就労定着支援員 → サービス管理責任者" in history
    assert "manager" not in history.split("<main", 1)[1]


def test_the_last_admin_cannot_demote_or_stop_themselves(as_admin, admin_user):
    response = as_admin.post(reverse("office:staff_role", args=[admin_user.pk]), {"role": Role.STAFF}, follow=True)
    assert "管理者が1人もいなくなる" in response.content.decode()
    assert Membership.objects.get(user=admin_user).role == Role.ADMIN
    as_admin.post(reverse("office:staff_deactivate", args=[admin_user.pk]))
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_another_offices_member_is_not_found(as_admin):
    stranger = MembershipFactory(office=OfficeFactory()).user
    assert as_admin.get(reverse("office:staff_detail", args=[stranger.pk])).status_code == 404
    assert as_admin.post(reverse("office:staff_deactivate", args=[stranger.pk])).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_admin_sees_and_unlocks_a_locked_out_member(as_admin, office, client):
    user = MembershipFactory(office=office).user
    outsider = MembershipFactory(office=OfficeFactory()).user
    anonymous = client.__class__()
    for _ in range(5):
        _login(anonymous, user.username, "wrong-password-xx")
        _login(anonymous, outsider.username, "wrong-password-xx")
    assert _login(anonymous, user.username, PASSWORD).status_code == 429
    page = as_admin.get(reverse("office:lockout_list")).content.decode()
    assert user.username in page and "ロック中" in page
    assert outsider.username not in page  # another office's usernames are not shown
    # nor can they be unlocked from here
    as_admin.post(reverse("office:lockout_unlock"), {"username": outsider.username})
    assert _login(anonymous, outsider.username, PASSWORD).status_code == 429
    as_admin.post(reverse("office:lockout_unlock"), {"username": user.username})
    assert _login(anonymous, user.username, PASSWORD).status_code == 302
    assert OfficeEvent.objects.filter(kind=EventKind.UNLOCKED, target=user).exists()
    assert AccessLog.objects.filter(page="office:lockout_unlock").count() == 1


def test_office_settings_are_saved_and_kept_in_history(as_admin, office):
    response = as_admin.post(reverse("office:settings"), {"record_retention_years": "3"})
    assert "5 以上の値にしてください" in response.content.decode() or "以上" in response.content.decode()
    assert not OfficeEvent.objects.exists()
    response = as_admin.post(
        reverse("office:settings"),
        {"require_two_factor": "on", "online_counts_as_face_to_face": "", "record_retention_years": "7"},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.require_two_factor and office.record_retention_years == 7
    event = OfficeEvent.objects.get(kind=EventKind.SETTINGS_CHANGED)
    assert {c["field"] for c in event.details["changes"]} == {"require_two_factor", "record_retention_years"}


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_office_administration_is_for_admins_only(client, office, role):
    client.force_login(MembershipFactory(office=office, role=role).user)
    for name in ("office:staff_list", "office:staff_create", "office:lockout_list", "office:settings"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("office:password_change")).status_code == 200


def test_staff_list_query_count_does_not_grow(as_admin, office, django_assert_max_num_queries):
    for _ in range(3):
        MembershipFactory(office=office)
    with django_assert_max_num_queries(8):
        as_admin.get(reverse("office:staff_list"))
    for _ in range(10):
        MembershipFactory(office=office)
    with django_assert_max_num_queries(8):
        assert as_admin.get(reverse("office:staff_list")).status_code == 200


def test_failed_logins_and_the_lockout_reach_the_offices_access_log(as_admin, office, client):
    user = MembershipFactory(office=office).user
    anonymous = client.__class__()
    for _ in range(5):
        _login(anonymous, user.username, "wrong-password-xx")
    rows = AccessLog.objects.filter(office=office, username=user.username)
    assert rows.filter(kind="login_failed", page="login").count() == 5
    assert rows.filter(page="axes:lockout").count() == 1
    page = as_admin.get(reverse("audit:access_log")).content.decode()
    assert user.username in page


def test_handover_policy_and_person_in_charge(as_admin, office, admin_user):
    outsider = MembershipFactory(office=OfficeFactory()).user
    response = as_admin.post(
        reverse("office:settings"),
        {"record_retention_years": "5", "handover_policy": "支援終了の3か月前までに…", "handover_officer": outsider.pk},
    )
    assert response.status_code == 200  # another office's person can't be chosen
    as_admin.post(
        reverse("office:settings"),
        {"record_retention_years": "5", "handover_policy": "支援終了の3か月前までに情報を共有する。", "handover_officer": admin_user.pk},
    )
    office.refresh_from_db()
    assert office.handover_officer == admin_user and office.handover_policy.startswith("支援終了")
    history = as_admin.get(reverse("office:event_list")).content.decode()
    assert f"引継ぎの責任者: （なし） → {admin_user.display_name}" in history
