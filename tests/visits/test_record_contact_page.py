"""The phone-first "record a contact" page and contact editing through the browser."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Role
from visits.models import ContactLog, MonthLock

from ..factories import ContactLogFactory, MembershipFactory, SupportReportFactory, client_in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

URL = reverse("visits:contact_create")


def test_defaults_today_interview_and_own_clients_first(as_staff, office, staff):
    other = client_in_service(office=office, family_name_kana="アイダ", given_name="他担当")
    mine = client_in_service(
        office=office, family_name_kana="ワタナベ", given_name="自分", primary_staff=staff
    )
    response = as_staff.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["on"].value() == date(2025, 9, 20)
    assert form["kind"].value() == "interview"
    choices = [c.instance for c, _ in list(form.fields["client"].choices)[1:] if hasattr(c, "instance")]
    assert choices.index(mine) < choices.index(other)
    assert b'name="viewport"' in response.content
    assert b"<script>" not in response.content and b"onclick" not in response.content


def test_client_preselected_from_the_caseload_button(as_staff, office):
    client = client_in_service(office=office)
    response = as_staff.get(f"{URL}?client={client.pk}")
    assert response.context["form"]["client"].value() == client.pk
    caseload = as_staff.get(reverse("cases:caseload"))
    assert f"{URL}?client={client.pk}".encode() in caseload.content


def test_logging_an_interview_after_the_shared_report_turns_the_month_billable(as_staff, office, staff):
    client = client_in_service(office=office, primary_staff=staff)
    SupportReportFactory(client=client, created_by=staff, shared_with_client_on=date(2025, 9, 19))

    response = as_staff.post(
        URL,
        {
            "client": client.pk,
            "on": "2025-09-20",
            "kind": "interview",
            "topics": ["workload", "health"],
            "narrative": "職場での様子を聞いた。",
        },
        follow=True,
    )

    contact = ContactLog.objects.get()
    assert contact.staff == staff and contact.face_to_face and contact.topics == ["workload", "health"]
    assert response.redirect_chain[-1][0] == reverse("cases:client_detail", args=[client.pk])
    assert "今月は算定できます。".encode() in response.content


def test_after_saving_the_client_page_says_what_is_missing(as_staff, office):
    client = client_in_service(office=office)
    response = as_staff.post(URL, {"client": client.pk, "on": "2025-09-20", "kind": "phone"}, follow=True)
    text = response.content.decode()
    assert "今月はまだ算定できません" in text
    assert "対面支援（本人面談・職場訪問）がありません" in text
    assert "支援レポートを本人と共有していません" in text


def test_future_date_shows_the_japanese_error_and_saves_nothing(as_staff, office):
    client = client_in_service(office=office)
    response = as_staff.post(URL, {"client": client.pk, "on": "2025-09-21", "kind": "interview"})
    assert response.status_code == 200
    assert "未来の日付では記録できません。" in response.content.decode()
    assert not ContactLog.objects.exists()


def test_another_offices_client_cannot_be_chosen(as_staff, other_office):
    stranger = client_in_service(office=other_office)
    response = as_staff.post(URL, {"client": stranger.pk, "on": "2025-09-20", "kind": "interview"})
    assert response.status_code == 200 and "client" in response.context["form"].errors
    assert not ContactLog.objects.exists()


def test_admin_role_does_not_record(as_admin):
    assert as_admin.get(URL).status_code == 403


def test_staff_cannot_open_a_colleagues_contact_for_editing(as_staff, office):
    colleague = MembershipFactory(office=office, role=Role.STAFF).user
    contact = ContactLogFactory(client=client_in_service(office=office), staff=colleague)
    assert as_staff.get(reverse("visits:contact_update", args=[contact.pk])).status_code == 403


def test_another_offices_contact_is_not_found(as_manager, other_office):
    contact = ContactLogFactory(client=client_in_service(office=other_office))
    assert as_manager.get(reverse("visits:contact_update", args=[contact.pk])).status_code == 404


def test_manager_edits_in_a_locked_month_with_a_reason(as_manager, office, manager, admin_user):
    client = client_in_service(office=office)
    contact = ContactLogFactory(client=client, on=date(2025, 8, 20))
    MonthLock.objects.create(office=office, month=date(2025, 8, 1), locked_by=admin_user)
    url = reverse("visits:contact_update", args=[contact.pk])
    data = {"on": "2025-08-20", "kind": "interview", "narrative": "訂正"}
    response = as_manager.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = as_manager.post(url, {**data, "reason": "日付の誤り"})
    assert response.status_code == 302
    assert contact.history.first().history_change_reason == "日付の誤り"


def test_withdraw_page_needs_a_reason_and_the_client_page_shows_it_withdrawn(as_staff, office, staff):
    contact = ContactLogFactory(client=client_in_service(office=office), staff=staff)
    url = reverse("visits:contact_delete", args=[contact.pk])
    assert as_staff.post(url, {"reason": ""}).status_code == 200
    assert not ContactLog.objects.get(pk=contact.pk).withdrawn
    assert as_staff.post(url, {"reason": "重複登録"}).status_code == 302
    assert ContactLog.objects.get(pk=contact.pk).withdrawal_reason == "重複登録"  # kept, not deleted
    page = as_staff.get(reverse("cases:client_detail", args=[contact.client_id])).content.decode()
    assert "取消済み" in page
