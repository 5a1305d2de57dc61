"""The client page's change-history panel loads after the page, in Chromium, under the app's CSP."""

import pytest

from cases import services
from cases.models import Role

from ..factories import ClientFactory, MembershipFactory
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_history_panel_replaces_its_link_with_the_changes(live_server, laptop_page, office):
    manager = MembershipFactory(office=office, role=Role.MANAGER).user
    client = ClientFactory(office=office, municipality="新宿区")
    services.client_update(actor=manager, client=client, municipality="渋谷区")
    failed = []
    laptop_page.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and failed.append(r.url))

    log_in(laptop_page, live_server, manager)
    laptop_page.goto(f"{live_server.url}/clients/{client.pk}/")
    panel = laptop_page.locator("#history-panel")
    panel.wait_for()
    assert "渋谷区" in panel.inner_text() and manager.display_name in panel.inner_text()
    assert laptop_page.get_by_role("link", name="変更履歴を見る").count() == 0
    assert failed == []
