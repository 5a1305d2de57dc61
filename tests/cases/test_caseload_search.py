"""Search that finds people (kana of any kind, width, spaces, recipient numbers), own clients first, and
clients grouped by whether they are in service, preparing or ended."""

import pytest
from django.urls import reverse

from cases.models import Role

from ..factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [c.full_name for c, _summary in response.context["rows"]]


@pytest.fixture
def saito(office, staff):
    return ClientFactory(
        office=office, family_name="斎藤", given_name="花子", family_name_kana="サイトウ",
        given_name_kana="ハナコ", recipient_number="3141592653", primary_staff=staff,
    )


@pytest.mark.parametrize(
    "text", ["さいとう", "サイトウ", "ｻｲﾄｳ", "さいとう はなこ", "サイトウハナコ", "ｻｲﾄｳ　ﾊﾅｺ", "斎藤 花子", "斎藤花子",
             "3141", "３１４１５９", "はなこ"],
)
def test_search_finds_the_client_however_it_is_typed(as_staff, saito, text):
    ClientFactory(office=saito.office, family_name="佐藤", family_name_kana="サトウ", given_name_kana="ジロウ")
    assert names(as_staff.get(reverse("cases:caseload"), {"q": text})) == ["斎藤 花子"]


def test_staff_see_their_own_clients_first_and_switch_to_the_office(as_staff, office, staff, saito):
    colleague = MembershipFactory(office=office, role=Role.STAFF).user
    ClientFactory(office=office, family_name="鈴木", given_name="一郎", primary_staff=colleague)
    url = reverse("cases:caseload")
    assert names(as_staff.get(url)) == ["斎藤 花子"]
    assert sorted(names(as_staff.get(url, {"scope": "all"}))) == ["斎藤 花子", "鈴木 一郎"]
    # a search that finds none of one's own looks through the whole office
    response = as_staff.get(url, {"scope": "mine", "q": "鈴木"})
    assert names(response) == ["鈴木 一郎"] and response.context["widened"]


def test_managers_see_the_whole_office_by_default(as_manager, office, saito):
    ClientFactory(office=office, family_name="鈴木", given_name="一郎")
    assert len(names(as_manager.get(reverse("cases:caseload")))) == 2


def test_ended_and_preparing_clients_are_grouped_apart(as_manager, office):
    ClientFactory(office=office, family_name="青木", family_name_kana="アオキ", status="ended")
    ClientFactory(office=office, family_name="井上", family_name_kana="イノウエ", status="preparing")
    ClientFactory(office=office, family_name="上田", family_name_kana="ウエダ", status="active")
    ClientFactory(office=office, family_name="江藤", family_name_kana="エトウ", status="handed_over")
    response = as_manager.get(reverse("cases:caseload"))
    groups = [(label, [c.family_name for c, _s in rows]) for _g, label, rows in response.context["groups"]]
    assert groups == [("利用中", ["上田"]), ("利用準備中", ["井上"]), ("終了・引継ぎ済み", ["青木", "江藤"])]
