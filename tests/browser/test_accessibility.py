"""Main pages pass basic accessibility: axe-core (npm package, injected into the page) finds no serious violations."""

import json
import os

import pytest
from django.utils import timezone

from core.dates import after_months, month_start, shift_month

from ..factories import ContactLogFactory, agreed_plan, client_in_service
from .conftest import AXE_JS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def serious_violations(page):
    if not AXE_JS.exists():
        reason = f"needs axe-core at {AXE_JS}: run `npm install`"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") in {"ja", "en"}
    assert page.title().strip()
    violations = serious_violations(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


def test_login_page_is_accessible(live_server, axe_page):
    assert_accessible(axe_page, f"{live_server.url}/accounts/login/")


def test_main_pages_are_accessible(live_server, axe_page, office, manager):
    """Caseload, client page, "record a contact" and the manager dashboard (plus the client edit form)."""
    today = timezone.localdate()
    client = client_in_service(
        office=office, primary_staff=manager, hired_on=shift_month(month_start(today), -12)
    )
    agreed_plan(client=client, manager=manager, starts_on=after_months(today, -5))  # a review overdue
    ContactLogFactory(client=client, staff=manager, on=today, kind="interview")
    log_in(axe_page, live_server, manager)
    for path in [
        "/clients/",
        f"/clients/{client.pk}/",
        "/visits/record/",
        "/plans/dashboard/",
        f"/clients/{client.pk}/edit/",
    ]:
        assert_accessible(axe_page, f"{live_server.url}{path}")


def test_office_administration_pages_are_accessible(live_server, axe_page, office, admin_user):
    """The admin's staff, lockout, settings, import and history pages, and a client's support record."""
    client = client_in_service(office=office, hired_on=shift_month(month_start(timezone.localdate()), -12))
    ContactLogFactory(client=client, staff=admin_user, on=timezone.localdate(), kind="interview")
    log_in(axe_page, live_server, admin_user)
    for path in [
        "/office/staff/",
        "/office/staff/new/",
        f"/office/staff/{admin_user.pk}/",
        "/office/lockouts/",
        "/office/settings/",
        "/office/import/",
        "/office/history/",
        "/office/password/",
        f"/visits/clients/{client.pk}/record/",
        f"/visits/clients/{client.pk}/record/print/",
    ]:
        assert_accessible(axe_page, f"{live_server.url}{path}")
