"""A staff member of office A typing the URL of a client of office B gets a 404 page in Japanese."""

import pytest

from cases.models import Role

from ..factories import ClientFactory, MembershipFactory, OfficeFactory
from .conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_other_offices_client_url_is_a_japanese_404(live_server, phone_page):
    office_a, office_b = OfficeFactory(), OfficeFactory()
    staff = MembershipFactory(office=office_a, role=Role.STAFF).user
    mine = ClientFactory(office=office_a, family_name="自社", given_name="花子")
    theirs = ClientFactory(office=office_b, family_name="他社", given_name="次郎")

    log_in(phone_page, live_server, staff)
    assert phone_page.get_by_role("heading", name="利用者一覧").is_visible()
    assert phone_page.get_by_text("自社 花子").is_visible()
    assert phone_page.get_by_text("他社 次郎").count() == 0

    response = phone_page.goto(f"{live_server.url}/clients/{theirs.pk}/")
    assert response.status == 404
    assert phone_page.get_by_role("heading", name="ページが見つかりません（404）").is_visible()
    assert "他社" not in phone_page.content()
    assert phone_page.locator("html").get_attribute("lang") == "ja"
    screenshot(phone_page, "access-404-phone")

    response = phone_page.goto(f"{live_server.url}/clients/{mine.pk}/")
    assert response.status == 200
