"""The full support record of a client: every contact, paged, filtered by month and kind, printable."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AccessLog

from ..factories import ClientFactory, ContactLogFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_client(office, staff):
    client = ClientFactory(office=office)
    for day in range(1, 26):
        ContactLogFactory(client=client, staff=staff, on=date(2025, 9, day), kind="phone", narrative=f"電話{day}")
    ContactLogFactory(client=client, staff=staff, on=date(2025, 10, 2), kind="interview", narrative="十月の面談",
                      topics=["health", "workload"], next_actions="来月職場訪問")
    return client


def test_every_contact_paged_oldest_first(as_staff, record_client):
    url = reverse("visits:support_record", args=[record_client.pk])
    first = as_staff.get(url)
    assert first.context["page"].paginator.count == 26
    assert len(first.context["rows"]) == 20
    assert first.context["rows"][0][0].narrative == "電話1"
    second = as_staff.get(url, {"page": 2}).content.decode()
    assert "十月の面談" in second and "体調・通院・業務量" in second and "来月職場訪問" in second
    assert AccessLog.objects.filter(client=record_client, page="visits:support_record").count() == 2


def test_filter_by_month_and_kind(as_staff, record_client):
    url = reverse("visits:support_record", args=[record_client.pk])
    assert as_staff.get(url, {"month": "2025-10"}).context["page"].paginator.count == 1
    assert as_staff.get(url, {"kind": "phone"}).context["page"].paginator.count == 25
    assert as_staff.get(url, {"month": "2025-09", "kind": "interview"}).context["page"].paginator.count == 0
    # nonsense filters are ignored, never a 500
    assert as_staff.get(url, {"month": "2025-13", "kind": "x", "page": "abc"}).status_code == 200


def test_print_lists_all_filtered_contacts_on_one_sheet(as_staff, record_client):
    response = as_staff.get(reverse("visits:support_record_print", args=[record_client.pk]), {"month": "2025-09"})
    body = response.content.decode()
    assert len(response.context["rows"]) == 25
    assert "就労定着支援 支援記録" in body and "2025年9月" in body and record_client.recipient_number in body
    assert "phone" not in body.split("<main", 1)[1]


def test_another_offices_client_is_not_found(as_staff):
    other = ClientFactory(office=OfficeFactory())
    assert as_staff.get(reverse("visits:support_record", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("extra", [3, 30])
def test_query_count_does_not_grow(as_staff, office, staff, extra, django_assert_max_num_queries):
    client = ClientFactory(office=office)
    for day in range(extra):
        ContactLogFactory(client=client, staff=staff, on=date(2025, 9, 1 + day % 28))
    with django_assert_max_num_queries(10):
        assert as_staff.get(reverse("visits:support_record", args=[client.pk])).status_code == 200


def test_the_months_report_page_lists_that_months_contacts(as_staff, record_client):
    body = as_staff.get(reverse("visits:report_detail", args=[record_client.pk, 2025, 10])).content.decode()
    assert "2025年10月の支援記録（1件）" in body
    assert "十月の面談" in body and "体調・通院・業務量" in body and "電話1<" not in body
