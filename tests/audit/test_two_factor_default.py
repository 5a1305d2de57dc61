"""2FA required by default for managers and admins (new and existing offices), OTP for the Django admin,
admin views in the access log, and recovery codes."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from audit.models import AccessLog
from cases.models import Office, Role

from ..factories import ClientFactory, MembershipFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _verified(client, user):
    device = StaticDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def test_a_new_office_requires_two_factor_for_managers_and_admins(client):
    office = Office.objects.create(name="新事業所", provider_number="1399999999", municipality="新宿区")
    assert office.require_two_factor
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    client.force_login(manager)
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit:two_factor_setup"))
    staff = MembershipFactory(office=office, role=Role.STAFF).user
    client.force_login(staff)
    assert client.get(reverse("cases:caseload")).status_code == 200  # offered, not forced
    assert client.get(reverse("audit:two_factor_setup")).status_code == 200


def test_the_migration_switches_two_factor_on_for_existing_offices():
    office = OfficeFactory(require_two_factor=False)
    migration = importlib.import_module("cases.migrations.0006_two_factor_required_by_default")
    migration.require_everywhere(apps, None)
    office.refresh_from_db()
    assert office.require_two_factor


def test_the_django_admin_asks_a_superuser_for_a_second_factor(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.get("/admin/cases/client/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login_page = client.get("/admin/login/")
    assert 'name="otp_token"' in login_page.content.decode()
    _verified(client, superuser)
    assert client.get("/admin/cases/client/").status_code == 200


def test_admin_views_are_access_logged_with_the_client_shown(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    _verified(client, superuser)
    shown = ClientFactory()
    assert client.get(f"/admin/cases/client/{shown.pk}/change/").status_code == 200
    row = AccessLog.objects.get(page="admin:cases_client_change")
    assert (row.user_id, row.client_id, row.office_id) == (superuser.pk, shown.pk, shown.office_id)
    client.get("/admin/cases/client/")
    assert AccessLog.objects.filter(page="admin:cases_client_changelist").count() == 1


def test_recovery_codes_are_shown_once_and_each_works_once(client, office):
    office.require_two_factor = True
    office.save()
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    client.force_login(manager)
    assert client.post(reverse("audit:recovery_codes")).status_code == 302  # only once verified
    _verified(client, manager)
    page = client.post(reverse("audit:recovery_codes"))
    codes = list(StaticToken.objects.filter(device__user=manager, device__name="recovery").values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page.content.decode() for code in codes)
    assert codes[0] not in client.get(reverse("audit:recovery_codes")).content.decode()

    client.logout()
    client.force_login(manager)
    ok = client.post(reverse("audit:two_factor_verify"), {"token": codes[0].upper(), "next": "/clients/"})
    assert ok.status_code == 302 and ok["Location"] == "/clients/"
    assert client.get(reverse("cases:caseload")).status_code == 200
    client.logout()
    client.force_login(manager)
    again = client.post(reverse("audit:two_factor_verify"), {"token": codes[0], "next": "/clients/"})
    assert again.status_code == 200  # used up
