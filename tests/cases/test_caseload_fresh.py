"""The caseload shows every committed change on the next request, per user, language and URL, with a valid
CSRF token and flash messages shown once; a revoked membership counts at once (django's ModelBackend)."""

import re
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from cases import services
from cases.models import Client, Membership, Office, Role
from flags.models import Flag

from ..factories import ClientFactory, MembershipFactory, OfficeFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:caseload")


def csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def test_the_token_in_a_reloaded_page_passes_the_csrf_check(manager, office):
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(manager)
    browser.get(URL)
    [token] = csrf_tokens(browser.get(URL))
    response = browser.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "change, shown",
    [
        pytest.param(
            lambda c, m: services.client_update(actor=m, client=c, family_name="新名"),
            "新名",
            id="client edit",
        ),
        pytest.param(
            lambda c, m: services.client_archive(actor=m, client=c),
            'badge text-bg-secondary">アーカイブ',
            id="client archived",
        ),
        pytest.param(
            lambda c, m: MembershipFactory(office=c.office, role=Role.STAFF, user__last_name="新人"),
            "新人",
            id="new staff member",
        ),
    ],
)
def test_a_change_to_what_the_page_shows_shows_at_once(as_manager, manager, office, change, shown):
    client = ClientFactory(office=office, family_name="旧名")
    as_manager.get(URL)
    assert shown not in as_manager.get(URL).content.decode()
    change(Client.objects.get(pk=client.pk), manager)
    assert shown in as_manager.get(URL, {"archived": "on"}).content.decode()


def test_renaming_the_user_and_a_new_flag_show_at_once(as_manager, manager, office):
    client = ClientFactory(office=office)
    as_manager.get(URL)
    manager.last_name = "改名"
    manager.save()
    assert "改名" in as_manager.get(URL).content.decode()
    Flag.objects.create(
        office=office, client=client, kind="no_contact_yet", period=date(2026, 11, 1), message="x"
    )
    assert 'id="open-flag-badge">1' in as_manager.get(URL).content.decode()


def test_users_languages_and_filters_get_their_own_pages(as_manager, office, staff):
    ClientFactory(office=office, family_name="青木", primary_staff=staff)
    ClientFactory(office=office, family_name="佐藤")
    as_manager.get(URL)
    filtered = as_manager.get(URL, {"q": "佐藤"})
    assert "佐藤" in filtered.content.decode() and "青木" not in filtered.content.decode()
    assert 'value="佐藤"' in filtered.content.decode()  # the search box keeps what was typed
    as_manager.post(reverse("set_language"), {"language": "en"})
    assert "Clients" in as_manager.get(URL).content.decode()
    other = HttpClient()
    other.force_login(staff)
    assert staff.display_name in other.get(URL).content.decode()


def test_a_flash_message_is_shown_once(as_manager, office):
    client = ClientFactory(office=office)
    as_manager.get(URL)
    as_manager.post(reverse("cases:client_archive", args=[client.pk]))  # leaves a message for the next page
    assert "アーカイブしました" in as_manager.get(URL).content.decode()
    assert "アーカイブしました" not in as_manager.get(URL).content.decode()


def test_a_record_moved_to_another_office_leaves_the_old_offices_page(as_manager, office, staff):
    elsewhere = OfficeFactory()
    client = ClientFactory(office=office, family_name="移動者")
    colleague = MembershipFactory(office=office, role=Role.STAFF, user__last_name="異動")
    assert "移動者" in as_manager.get(URL).content.decode()
    client.office = elsewhere  # as the admin can
    client.save()
    colleague.office = elsewhere
    colleague.save()
    page = as_manager.get(URL).content.decode()
    assert "移動者" not in page and "異動" not in page


def test_renaming_a_primary_staff_member_who_left_the_office(as_manager, office, staff):
    ClientFactory(office=office, primary_staff=staff)
    Membership.objects.filter(user=staff).delete()
    as_manager.get(URL)
    staff.last_name = "改姓"
    staff.save()
    assert "改姓" in as_manager.get(URL).content.decode()


def test_saving_an_office_loaded_earlier_keeps_the_changes_made_since(as_manager, manager, office):
    client = ClientFactory(office=office, family_name="初名")
    loaded_earlier = Office.objects.get(pk=office.pk)
    services.client_update(actor=manager, client=client, family_name="中名")
    as_manager.get(URL)
    services.client_update(actor=manager, client=Client.objects.get(pk=client.pk), family_name="新名")
    loaded_earlier.name = "改名事業所"
    loaded_earlier.save()
    page = as_manager.get(URL).content.decode()
    assert "新名" in page and "改名事業所" in page


def test_login_uses_the_model_backend_and_a_revoked_membership_counts_at_once(client):
    membership = MembershipFactory(role=Role.STAFF)
    client.post(reverse("login"), {"username": membership.user.username, "password": "correct-horse-battery"})
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert client.get(reverse("cases:caseload")).status_code == 200
    Membership.objects.filter(pk=membership.pk).delete()
    assert client.get(reverse("cases:caseload")).status_code == 403
