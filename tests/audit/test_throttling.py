"""Throttling per account across addresses and per address across accounts; failed logins reach the
office's access log; a 1 MB username is a refused login, not a server error."""

import pytest
from django.urls import reverse

from audit.models import AccessKind, AccessLog
from audit.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_on_one_account_from_many_addresses_lock_the_account(client, office):
    user = MembershipFactory(office=office).user
    for n in range(ACCOUNT_LIMIT):
        _login(client, user.username, "wrong-password-xx", f"203.0.113.{n + 1}")
    locked = _login(client, user.username, PASSWORD, "198.51.100.7")  # the right password, a new address
    assert locked.status_code == 429
    assert "ログインを一時停止しました" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_spraying_many_accounts_from_one_address_locks_the_address(client, office):
    users = [MembershipFactory(office=office).user for _ in range(ADDRESS_LIMIT // 2)]
    for user in users:
        for _ in range(2):  # under the account limit each
            _login(client, user.username, "wrong-password-xx", "203.0.113.9")
    victim = MembershipFactory(office=office).user
    assert _login(client, victim.username, PASSWORD, "203.0.113.9").status_code == 429
    assert _login(client, victim.username, PASSWORD, "198.51.100.7").status_code == 302


def test_a_few_typos_at_a_shared_office_address_do_not_lock_it(client, office):
    users = [MembershipFactory(office=office).user for _ in range(4)]
    for user in users:
        _login(client, user.username, "wrong-password-xx", "192.0.2.1")
    assert _login(client, users[0].username, PASSWORD, "192.0.2.1").status_code == 302


def test_failed_logins_carry_the_office_of_the_username(client, office):
    user = MembershipFactory(office=office).user
    _login(client, user.username, "wrong-password-xx", "203.0.113.5")
    _login(client, "nobody-here", "wrong-password-xx", "203.0.113.5")
    rows = AccessLog.objects.filter(kind=AccessKind.LOGIN_FAILED).order_by("id")
    assert [(r.username, r.office_id) for r in rows] == [(user.username, office.pk), ("nobody-here", None)]


def test_a_megabyte_username_is_refused_without_a_server_error(client):
    client.raise_request_exception = False
    response = _login(client, "a" * 1024 * 1024, "wrong-password-xx", "203.0.113.5")
    assert response.status_code == 200
    assert AccessLog.objects.get(kind=AccessKind.LOGIN_FAILED).username == "a" * 150


def test_the_axes_limit_is_the_address_limit(settings):
    assert settings.AXES_FAILURE_LIMIT == ADDRESS_LIMIT
