"""The client's change history (its own page, loaded into the client page's history panel) shows who
changed what and when, for the client, employments and decisions."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services
from cases.models import Client

from ..factories import ClientFactory, EmployerFactory

pytestmark = pytest.mark.django_db


def test_page_shows_who_changed_which_field(as_staff, manager, office):
    client = ClientFactory(office=office, note="", municipality="新宿区")
    services.client_update(actor=manager, client=client, municipality="渋谷区")
    employer = EmployerFactory(office=office)
    services.employment_save(
        actor=manager, client=client, employer=employer, hired_on=date(2025, 4, 1),
        job_title="事務補助", weekly_hours=30, disclosed=True,
    )
    body = as_staff.get(reverse("audit:client_history", args=[client.pk])).content.decode()
    section = body[body.index('id="history-panel"'):]
    assert manager.display_name in section
    assert "支給決定市町村" in section and "新宿区" in section and "渋谷区" in section
    assert f"雇用（{employer.name}・2025/04/01〜）" in section and "作成" in section


def _page_queries(as_staff, client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as ctx:
        assert as_staff.get(reverse("audit:client_history", args=[client.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_history_query_count_does_not_grow_with_history(as_staff, manager, office, django_assert_max_num_queries):
    client = ClientFactory(office=office)
    few = _page_queries(as_staff, client, django_assert_max_num_queries, 30)
    for n in range(120):
        services.client_update(actor=manager, client=client, note=f"メモ{n}")
    many = _page_queries(as_staff, client, django_assert_max_num_queries, 30)
    assert many == few
    body = as_staff.get(reverse("audit:client_history", args=[client.pk])).content.decode()
    assert "メモ119" in body and "メモ10<" not in body  # bounded to the latest 50
    assert Client.history.filter(id=client.pk).count() == 121


def test_client_page_links_its_history_panel_and_logs_the_history_view(as_staff, staff, office):
    from audit.models import AccessLog

    client = ClientFactory(office=office)
    url = reverse("audit:client_history", args=[client.pk])
    page = as_staff.get(reverse("cases:client_detail", args=[client.pk])).content.decode()
    assert f'data-fragment="{url}"' in page and 'data-fragment-part="#history-panel"' in page
    assert f'href="{url}"' in page  # without JavaScript
    as_staff.get(url)
    assert AccessLog.objects.filter(user=staff, client=client, page="audit:client_history").exists()
