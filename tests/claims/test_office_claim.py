"""The claim of an office-month: amounts from the tables, the stop list, the page and claim_preview."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import CapManagementResult, OfficeReduction
from claims.selectors import office_claim
from meetings import selectors as meeting_selectors
from meetings.selectors import AddonMeeting
from plans.services import plan_withdraw

from ..factories import ContactLogFactory, client_in_service
from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def withdraw_plans(client, manager):
    """Plans are retained records: they are withdrawn, never deleted, and then count as no plan."""
    for plan in client.plans.all():
        plan_withdraw(actor=manager, plan=plan, reason="テストのため取消")


def test_a_billable_month_is_worth_the_tier_units_in_yen(office, staff, manager, admin_user):
    ready_office(office, admin_user)
    client = billable_client(office, staff, manager)
    claim = office_claim(office, SEPT)
    assert claim.ready, claim.stops
    (row,) = claim.billable
    assert row.client == client
    assert [(line.code, line.units) for line in row.lines] == [("470001", 2768)]
    # 2,768 × ¥11.20 = 31,001.6 → 31,001; a tenth 3,100; the client's cap (general_2 by default) is higher
    assert row.amounts.total_cost == 31001
    assert row.amounts.tenth == 3100
    assert row.amounts.burden == min(3100, client.burden_cap_yen)
    assert row.amounts.benefit == 31001 - row.amounts.burden
    assert claim.totals.count == 1 and claim.totals.units == 2768 and claim.totals.total_cost == 31001


def test_meetings_of_the_month_add_their_line(office, staff, manager, admin_user, monkeypatch):
    ready_office(office, admin_user)
    client = billable_client(office, staff, manager)
    monkeypatch.setattr(
        meeting_selectors,
        "addon_meetings",
        lambda ids, first, last: {
            client.pk: [AddonMeeting(date(2025, 9, 20), "II"), AddonMeeting(date(2025, 9, 5), "I")]
        },
    )
    (row,) = office_claim(office, SEPT).billable
    # the month's first meeting (9/5, kind I) is claimed, once
    assert [line.units for line in row.lines] == [2768, 579]
    assert row.amounts.units == 3347


def test_special_area_and_a_reduction(office, staff, manager, admin_user):
    ready_office(office, admin_user, codes=False)
    billable_client(office, staff, manager, special_area=True)
    OfficeReduction.objects.create(office=office, code="business_continuity", starts_month=date(2025, 4, 1))
    (row,) = office_claim(office, SEPT).billable
    assert [(line.key, line.units) for line in row.lines] == [
        ("basic:80+business_continuity99", 2740),  # 2768 × 0.99 = 2740.32
        ("addon:special_area", 240),
    ]


def test_no_agreed_plan_reduces_by_the_step_of_its_month(office, staff, manager, admin_user):
    ready_office(office, admin_user, codes=False)
    client = billable_client(office, staff, manager)
    withdraw_plans(client, manager)
    # the window started 2025-07-06: September is the third month without a plan → 50%
    (row,) = office_claim(office, SEPT).billable
    assert row.lines[0].key == "basic:80+no_plan50" and row.lines[0].units == 1384
    (row,) = office_claim(office, date(2025, 7, 1)).rows
    assert not row.billable  # July has no contact: no lines at all


def test_stop_list_names_each_missing_value_with_a_link(client, office, staff, manager, admin_user):
    billable_client(office, staff, manager, municipality="")
    claim = office_claim(office, SEPT)
    messages = " ".join(s.message for s in claim.stops)
    assert "級地が登録されていません" in messages
    assert "就労定着率の区分が確定していません" in messages
    assert "市町村番号が未登録です" in messages
    assert all(s.url.startswith("/") for s in claim.stops)

    ready_office(office, admin_user, price=None, codes=False)
    messages = " ".join(s.message for s in office_claim(office, SEPT).stops)
    assert "単位数単価（サービス種類47・一級地）が登録されていません" in messages
    assert "サービスコードが未登録です" in messages and "basic:80" in messages


def test_cap_managed_elsewhere_needs_the_result(office, staff, manager, admin_user):
    ready_office(office, admin_user)
    client = billable_client(
        office, staff, manager, cap_management="other_office", cap_manager_provider_number="1399999999"
    )
    assert any("上限額管理結果が未入力" in s.message for s in office_claim(office, SEPT).stops)
    CapManagementResult.objects.create(client=client, month=SEPT, result=1)
    claim = office_claim(office, SEPT)
    assert claim.ready
    assert claim.billable[0].amounts.burden == 0


def test_non_billable_clients_are_listed_with_the_reason(office, staff, manager, admin_user):
    ready_office(office, admin_user)
    idle = client_in_service(office=office)
    claim = office_claim(office, SEPT)
    assert [r.client for r in claim.not_billable] == [idle]
    assert "対面支援（本人面談・職場訪問）がありません" in claim.not_billable[0].reason_words


def test_the_page_shows_amounts_totals_and_stops(client, office, staff, manager, admin_user):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)
    billable_client(office, staff, manager, municipality="")
    client_in_service(office=office)
    client.force_login(manager)
    html = client.get(reverse("claims:office_month") + "?month=2025-09").content.decode()
    assert "31,001" in html  # 総費用額
    assert "給付費請求額" in html and "62,002" in html  # two clients
    assert (
        "市町村番号が未登録です" in html
        and reverse("claims:client_profile", args=[1]).rsplit("/", 3)[0] in html
    )
    assert "算定できない利用者" in html


@pytest.mark.parametrize("clients", [1, 6])
def test_the_page_keeps_a_constant_number_of_queries(
    client, office, staff, manager, admin_user, clients, django_assert_max_num_queries
):
    ready_office(office, admin_user)
    for _ in range(clients):
        c = billable_client(office, staff, manager)
        ContactLogFactory(client=c, staff=staff, on=date(2025, 9, 20))
    client.force_login(admin_user)
    with django_assert_max_num_queries(26):
        response = client.get(reverse("claims:office_month") + "?month=2025-09")
    assert response.status_code == 200


def test_another_office_is_never_shown(client, office, other_office, staff, manager, admin_user):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)
    from ..factories import MembershipFactory

    outsider = MembershipFactory(office=other_office, role="admin").user
    client.force_login(outsider)
    html = client.get(reverse("claims:office_month") + "?month=2025-09").content.decode()
    assert "31,001" not in html


def test_claim_preview_prints_the_same_numbers(office, staff, manager, admin_user):
    ready_office(office, admin_user)
    billable_client(office, staff, manager)
    out = StringIO()
    call_command("claim_preview", office=str(office.pk), month="2025-09", stdout=out)
    text = out.getvalue()
    assert "総費用額 31,001円" in text
    assert "件数 1" in text and "請求を止める項目はありません。" in text


def test_claim_preview_refuses_a_bad_month(office):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("claim_preview", office=str(office.pk), month="2025-13")


def test_a_recorded_meeting_adds_its_line_without_a_stub(office, staff, manager, admin_user):
    """The seam for real: a 地域連携会議 recorded in meetings (consent standing, an outside organisation)."""
    from plans.models import ConsentPurpose

    from ..factories import AttendeeFactory, ConsentFactory, MeetingFactory

    ready_office(office, admin_user)
    client = billable_client(office, staff, manager)
    ConsentFactory(client=client, purpose=ConsentPurpose.CASE_MEETING, given_on=date(2025, 8, 1))
    AttendeeFactory(meeting=MeetingFactory(client=client, held_on=date(2025, 9, 12), presenter_role="manager"))
    (row,) = office_claim(office, SEPT).billable
    assert [(line.code, line.units) for line in row.lines] == [("470001", 2768), ("470002", 579)]


def test_each_row_of_the_page_has_its_clients_lines_and_amounts(client, office, staff, manager, admin_user):
    """Rows whose months work out alike share their rendered lines and amounts; every row keeps its own
    client and sheet link, and a row that works out otherwise has its own lines."""
    import re

    ready_office(office, admin_user)
    alike = [billable_client(office, staff, manager) for _ in range(2)]
    other = billable_client(office, staff, manager, special_area=True)
    client.force_login(manager)
    html = client.get(reverse("claims:office_month") + "?month=2025-09").content.decode()
    rows = re.findall(r"<tr><td>(\d+)</td>.*?</tr>", html, flags=re.S)
    assert sorted(rows) == sorted(c.recipient_number for c in [*alike, other])
    body = {number: row for number, row in re.findall(r"<tr><td>(\d+)</td>(.*?)</tr>", html, flags=re.S)}
    first, second = (re.sub(r"/\d+/|clients/\d+", "", body[c.recipient_number]) for c in alike)
    assert first.replace(alike[0].full_name, "") == second.replace(alike[1].full_name, "")
    assert "31,001" in body[alike[0].recipient_number]
    lines = {number: re.search(r'<td class="small">(.*?)</td>', row, flags=re.S)[1] for number, row in body.items()}
    assert lines[alike[0].recipient_number] == lines[alike[1].recipient_number]
    assert lines[other.recipient_number] != lines[alike[0].recipient_number]
    for c in [*alike, other]:
        assert reverse("claims:client_month_pdf", args=[c.pk]) in body[c.recipient_number]
