"""Lockout after 5 failures of a user from any address, 13-character passwords, session expiry, own sessions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import UserSession

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
TOKYO = ZoneInfo("Asia/Tokyo")


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_that_user_from_every_address(client, office):
    user = MembershipFactory(office=office).user
    for _ in range(5):
        _login(client, user.username, "wrong-password-xx", "203.0.113.5")
    locked = _login(client, user.username, PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    assert "ログインを一時停止しました" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # nor from another address: guessing spread over addresses is stopped too (the office admin unlocks)
    assert _login(client, user.username, PASSWORD, "198.51.100.7").status_code == 429


def test_four_failures_do_not_lock(client, office):
    user = MembershipFactory(office=office).user
    for _ in range(4):
        _login(client, user.username, "wrong-password-xx", "203.0.113.5")
    assert _login(client, user.username, PASSWORD, "203.0.113.5").status_code == 302


def test_lockout_ends_after_15_minutes(client, office):
    user = MembershipFactory(office=office).user
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=TOKYO), tick=False) as clock:
        for _ in range(5):
            _login(client, user.username, "wrong-password-xx", "203.0.113.5")
        assert _login(client, user.username, PASSWORD, "203.0.113.5").status_code == 429
        clock.shift(timedelta(minutes=16))
        assert _login(client, user.username, PASSWORD, "203.0.113.5").status_code == 302


@pytest.mark.parametrize("password", ["short-pw-12c", "qwertyuiop123", "manchesterunited"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("sakura-kumo-umi-2026")


def test_session_ends_after_30_minutes_idle(client, office):
    user = MembershipFactory(office=office).user
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=TOKYO), tick=False) as clock:
        client.force_login(user)
        assert client.get(reverse("cases:caseload")).status_code == 200
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("cases:caseload")).status_code == 200  # activity keeps it alive
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("cases:caseload")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_ends_12_hours_after_login_even_when_active(client, office):
    user = MembershipFactory(office=office).user
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=TOKYO), tick=False) as clock:
        client.force_login(user)
        for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("cases:caseload")).status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_session_cookie_ends_at_browser_close(client, office):
    response = _login(client, MembershipFactory(office=office).user.username, PASSWORD, "127.0.0.1")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_user_sees_and_ends_their_other_session(client, django_user_model, office):
    from django.test import Client

    user = MembershipFactory(office=office).user
    other_browser = Client()
    _login(other_browser, user.username, PASSWORD, "198.51.100.9")
    _login(client, user.username, PASSWORD, "127.0.0.1")
    assert UserSession.objects.filter(user=user).count() == 2
    page = client.get(reverse("audit:session_list")).content.decode()
    assert "198.51.100.9" in page and "この端末" in page
    other_key = other_browser.session.session_key
    client.post(reverse("audit:session_end"), {"session_key": other_key})
    assert other_browser.get(reverse("cases:caseload")).status_code == 302  # signed out
    assert client.get(reverse("cases:caseload")).status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_nobody_ends_someone_elses_session(client, office):
    from django.test import Client

    victim = MembershipFactory(office=office).user
    victim_browser = Client()
    _login(victim_browser, victim.username, PASSWORD, "127.0.0.1")
    client.force_login(MembershipFactory(office=office).user)
    client.post(reverse("audit:session_end"), {"session_key": victim_browser.session.session_key})
    assert victim_browser.get(reverse("cases:caseload")).status_code == 200


def test_behind_one_proxy_the_forwarded_address_is_used(client, office, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for user in [MembershipFactory(office=office).user for _ in range(10)]:
        for _ in range(2):
            client.post(
                reverse("login"), {"username": user.username, "password": "wrong-password-xx"},
                REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5",
            )
    from audit.models import AccessLog

    assert set(AccessLog.objects.values_list("ip", flat=True)) == {"203.0.113.5"}
    user = MembershipFactory(office=office).user
    refused = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5",
    )
    assert refused.status_code == 429  # the sprayed address is locked
    # same proxy, another client address: not locked out
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302
