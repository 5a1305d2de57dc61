"""The caseload: search, filters, pagination, office scope and a fixed query budget."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from cases.models import Role

from ..factories import ClientFactory, EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def names(response):
    return sorted(c.full_name for c, _summary in response.context["rows"])


def test_search_by_name_kana_and_recipient_number(as_staff, office):
    ClientFactory(
        office=office,
        family_name="山田",
        given_name="一郎",
        family_name_kana="ヤマダ",
        recipient_number="1111111111",
    )
    ClientFactory(
        office=office,
        family_name="鈴木",
        given_name="花子",
        family_name_kana="スズキ",
        recipient_number="2222222222",
    )
    url = reverse("cases:caseload")
    assert names(as_staff.get(url, {"q": "山田"})) == ["山田 一郎"]
    assert names(as_staff.get(url, {"q": "スズキ"})) == ["鈴木 花子"]
    assert names(as_staff.get(url, {"q": "22222"})) == ["鈴木 花子"]


def test_filter_by_staff_member_and_status(as_staff, office, staff):
    other = MembershipFactory(office=office, role=Role.STAFF).user
    ClientFactory(office=office, given_name="A", primary_staff=staff, status="active")
    ClientFactory(office=office, given_name="B", primary_staff=other, status="preparing")
    url = reverse("cases:caseload")
    assert names(as_staff.get(url, {"primary_staff": staff.pk})) == ["山田 A"]
    assert names(as_staff.get(url, {"status": "preparing"})) == ["山田 B"]


@time_machine.travel(TODAY)
def test_filter_by_window_phase(as_staff, office):
    for given, hired_months_ago in [("before", 3), ("active", 12), ("ending", 41), ("ended", 48)]:
        client = ClientFactory(office=office, given_name=given)
        EmploymentFactory(client=client, hired_on=TODAY - timedelta(days=hired_months_ago * 30.5))
    url = reverse("cases:caseload")
    for phase in ["before", "active", "ending", "ended"]:
        assert names(as_staff.get(url, {"phase": phase})) == [f"山田 {phase}"], phase


def test_archived_clients_are_hidden_unless_asked(as_staff, office):
    ClientFactory(office=office, given_name="current")
    ClientFactory(office=office, given_name="old", archived=True)
    url = reverse("cases:caseload")
    assert names(as_staff.get(url)) == ["山田 current"]
    assert names(as_staff.get(url, {"archived": "on"})) == ["山田 current", "山田 old"]


def test_other_offices_clients_never_appear(as_staff, office, other_office):
    ClientFactory(office=office, given_name="mine")
    ClientFactory(office=other_office, given_name="theirs", family_name="山田")
    response = as_staff.get(reverse("cases:caseload"), {"q": "山田"})
    assert names(response) == ["山田 mine"]
    assert response.context["page"].paginator.count == 1


def test_pagination(as_staff, office):
    ClientFactory.create_batch(30, office=office)
    first = as_staff.get(reverse("cases:caseload"))
    second = as_staff.get(reverse("cases:caseload"), {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5


@pytest.mark.parametrize("size", [5, 40])
def test_caseload_query_count_does_not_grow(as_staff, office, staff, size, django_assert_max_num_queries):
    for _ in range(size):
        EmploymentFactory(client=ClientFactory(office=office, primary_staff=staff))
    with django_assert_max_num_queries(8):
        response = as_staff.get(reverse("cases:caseload"))
    assert response.status_code == 200
