"""The caseload's page cache: served again until what it shows changes, per user, language and URL, with a
valid CSRF token in every response and flash messages never lost.

Transactional tests: the office's data version moves when a change commits."""

import re
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from cases import services
from cases.models import Client, Membership, Office, Role
from cases.pagecache import csrf_hole
from flags.models import Flag

from ..factories import ClientFactory, EmploymentFactory, MembershipFactory, OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("cases:caseload")


def served_from_cache(response) -> bool:
    return response.context is None  # a rendered page carries its template context in the test client


def csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def test_second_request_is_served_from_the_cache_with_fewer_queries(
    as_manager, office, django_assert_max_num_queries
):
    ClientFactory(office=office, family_name="青木")
    first = as_manager.get(URL)
    with django_assert_max_num_queries(4):  # session user, memberships, badge count (+ session row)
        second = as_manager.get(URL)
    assert not served_from_cache(first) and served_from_cache(second)
    assert "青木" in second.content.decode()
    assert csrf_hole() not in second.content.decode()


def test_the_token_in_a_cached_page_passes_the_csrf_check(manager, office):
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(manager)
    browser.get(URL)
    cached = browser.get(URL)
    assert served_from_cache(cached)
    [token] = csrf_tokens(cached)
    response = browser.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda c, m: services.client_update(actor=m, client=c, family_name="新名"), id="client edit"
        ),
        pytest.param(lambda c, m: services.client_archive(actor=m, client=c), id="client archived"),
        pytest.param(lambda c, m: EmploymentFactory(client=c, hired_on=date(2020, 1, 6)), id="employment"),
        pytest.param(
            lambda c, m: MembershipFactory(office=c.office, role=Role.STAFF, user__last_name="新人"),
            id="new staff member",
        ),
        pytest.param(lambda c, m: Office.objects.get(pk=c.office_id).save(), id="office saved"),
    ],
)
def test_a_change_to_what_the_page_shows_renders_it_again(as_manager, manager, office, change):
    client = ClientFactory(office=office, family_name="旧名")
    as_manager.get(URL)
    assert served_from_cache(as_manager.get(URL))
    change(Client.objects.get(pk=client.pk), manager)
    assert not served_from_cache(as_manager.get(URL))


def test_renaming_the_user_and_a_new_flag_show_at_once(as_manager, manager, office):
    client = ClientFactory(office=office)
    as_manager.get(URL)
    manager.last_name = "改名"
    manager.save()
    assert "改名" in as_manager.get(URL).content.decode()
    Flag.objects.create(
        office=office, client=client, kind="no_contact_yet", period=date(2026, 11, 1), message="x"
    )
    response = as_manager.get(URL)
    assert not served_from_cache(response)
    assert 'id="open-flag-badge">1' in response.content.decode()


def test_users_languages_and_filters_get_their_own_pages(as_manager, office, staff):
    ClientFactory(office=office, family_name="青木", primary_staff=staff)
    ClientFactory(office=office, family_name="佐藤")
    as_manager.get(URL)
    filtered = as_manager.get(URL, {"q": "佐藤"})
    assert "佐藤" in filtered.content.decode() and "青木" not in filtered.content.decode()
    as_manager.post(reverse("set_language"), {"language": "en"})
    assert "Clients" in as_manager.get(URL).content.decode()
    other = HttpClient()
    other.force_login(staff)
    page = other.get(URL)
    assert not served_from_cache(page)
    assert staff.display_name in page.content.decode()


def test_a_flash_message_is_shown_not_swallowed_by_the_cache(as_manager, office):
    client = ClientFactory(office=office)
    as_manager.get(URL)
    as_manager.get(URL)
    as_manager.post(reverse("cases:client_archive", args=[client.pk]))  # leaves a message for the next page
    page = as_manager.get(URL)
    assert not served_from_cache(page)
    assert "アーカイブしました" in page.content.decode()
    assert "アーカイブしました" not in as_manager.get(URL).content.decode()  # the archive moved the version
    assert served_from_cache(as_manager.get(URL))


def test_a_change_moves_only_its_own_offices_version(manager, office, other_office):
    client = ClientFactory(office=office)
    before = dict(Office.objects.values_list("pk", "data_version"))
    services.client_update(actor=manager, client=client, family_name="別名")
    after = dict(Office.objects.values_list("pk", "data_version"))
    assert after[office.pk] > before[office.pk]
    assert after[other_office.pk] == before[other_office.pk]
    Membership.objects.filter(user=manager).delete()
    assert Office.objects.get(pk=office.pk).data_version > after[office.pk]


def test_a_login_does_not_move_the_version(manager, office):
    from django.contrib.auth.models import update_last_login

    before = Office.objects.get(pk=office.pk).data_version
    update_last_login(None, manager)
    assert Office.objects.get(pk=office.pk).data_version == before


def test_a_record_moved_to_another_office_leaves_the_old_offices_page(as_manager, office, staff):
    elsewhere = OfficeFactory()
    client = ClientFactory(office=office, family_name="移動者")
    colleague = MembershipFactory(office=office, role=Role.STAFF, user__last_name="異動")
    as_manager.get(URL)
    assert served_from_cache(as_manager.get(URL))
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
    assert served_from_cache(as_manager.get(URL))
    staff.last_name = "改姓"
    staff.save()
    assert "改姓" in as_manager.get(URL).content.decode()


def test_saving_an_office_loaded_earlier_does_not_turn_its_version_back(as_manager, manager, office):
    client = ClientFactory(office=office, family_name="初名")
    loaded_earlier = Office.objects.get(pk=office.pk)
    services.client_update(actor=manager, client=client, family_name="中名")
    as_manager.get(URL)
    services.client_update(actor=manager, client=Client.objects.get(pk=client.pk), family_name="新名")
    loaded_earlier.name = "改名事業所"
    loaded_earlier.save()
    page = as_manager.get(URL).content.decode()
    assert "新名" in page and "改名事業所" in page


def test_only_the_token_fields_are_filled(as_manager, office, settings):
    hole = csrf_hole()
    assert len(hole) == 32 and "csrf" not in hole  # derived from SECRET_KEY: nobody can type it
    as_manager.get(URL, {"q": hole})
    page = as_manager.get(URL, {"q": hole})
    assert served_from_cache(page)
    [token] = csrf_tokens(page)
    body = page.content.decode()
    assert body.count(token) == body.count('name="csrfmiddlewaretoken"')  # in the token fields only
    assert f'value="{hole}"' in body  # the search box keeps what was typed
