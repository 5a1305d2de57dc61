"""Managers and admins of an office that requires it must pass a TOTP check before any office page."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _token(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def strict_office(office):
    office.require_two_factor = True
    office.save()
    return office


def test_manager_without_device_is_sent_to_setup_then_enrols_with_a_real_token(as_manager, manager, strict_office):
    response = as_manager.get(reverse("cases:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:two_factor_setup"))
    page = as_manager.get(response["Location"])
    body = page.content.decode()
    assert "<svg" in body and "2段階認証の設定" in body
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", body).group(1)
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert b32decode(secret) == device.bin_key

    done = as_manager.post(reverse("audit:two_factor_setup") + "?next=/clients/", {"token": _token(device), "next": "/clients/"})
    assert done.status_code == 302 and done["Location"] == "/clients/"
    device.refresh_from_db()
    assert device.confirmed
    assert as_manager.get(reverse("cases:caseload")).status_code == 200


def test_admin_with_device_must_verify_in_each_new_session(client, admin_user, strict_office):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.force_login(admin_user)
    response = client.get(reverse("audit:access_log"))
    assert response["Location"].startswith(reverse("audit:two_factor_verify"))
    assert client.post(reverse("audit:two_factor_verify"), {"token": "12345x"}).status_code == 200
    ok = client.post(reverse("audit:two_factor_verify"), {"token": _token(device), "next": "/audit/access-log/"})
    assert ok["Location"] == "/audit/access-log/"
    assert client.get(reverse("audit:access_log")).status_code == 200


def test_staff_and_offices_without_the_setting_are_not_asked(as_staff, strict_office, client, manager):
    assert as_staff.get(reverse("cases:caseload")).status_code == 200
    strict_office.require_two_factor = False
    strict_office.save()
    client.force_login(manager)
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_verify_page_does_not_redirect_offsite(client, manager, strict_office):
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    client.force_login(manager)
    response = client.post(reverse("audit:two_factor_verify"), {"token": _token(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_a_wrong_token_is_refused(as_manager, manager, strict_office):
    as_manager.get(reverse("audit:two_factor_setup"))
    device = TOTPDevice.objects.get(user=manager)
    wrong = "000000" if _token(device) != "000000" else "111111"
    response = as_manager.post(reverse("audit:two_factor_setup"), {"token": wrong})
    assert response.status_code == 200 and "正しくありません" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert as_manager.get(reverse("cases:caseload")).status_code == 302
