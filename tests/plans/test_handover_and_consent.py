"""Handover closes the case (引継ぎ済み); consent per purpose stands or not on a given day."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from cases.models import ClientStatus
from plans.models import ConsentPurpose, Handover
from plans.selectors import consent_stands

from ..factories import ClientFactory, ConsentFactory, verify_otp

pytestmark = pytest.mark.django_db

HANDOVER = {
    "receiver_name": "新宿区障害者就業・生活支援センター",
    "receiver_kind": "nakapotsu",
    "contact_person": "担当 小川",
    "consent_on": "2026-08-01",
    "info_shared_on": "2026-08-15",
    "handed_over_on": "",
    "content": "支援経過、配慮事項",
    "documents": "支援計画書（第3版）\nフェイスシート",
}


@time_machine.travel(date(2026, 11, 23))
def test_handover_with_date_closes_the_case_and_shows_on_client_page(as_staff, office):
    person = ClientFactory(office=office, status=ClientStatus.ACTIVE)
    url = reverse("plans:handover_edit", args=[person.pk])
    as_staff.post(url, HANDOVER)
    person.refresh_from_db()
    assert person.status == ClientStatus.ACTIVE  # information shared, not yet handed over
    assert Handover.objects.get(client=person).info_shared_on == date(2026, 8, 15)

    response = as_staff.post(url, {**HANDOVER, "handed_over_on": "2026-11-20"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == ClientStatus.HANDED_OVER
    assert Handover.objects.filter(client=person).count() == 1
    page = as_staff.get(reverse("cases:client_detail", args=[person.pk])).content.decode()
    assert "新宿区障害者就業・生活支援センター" in page and "2026/11/20" in page
    assert "引継ぎ済み" in page


def test_sharing_before_consent_is_refused(as_staff, office):
    person = ClientFactory(office=office)
    response = as_staff.post(reverse("plans:handover_edit", args=[person.pk]), {**HANDOVER, "consent_on": ""})
    assert response.status_code == 200
    assert "情報共有日は本人の同意日以降にしてください" in response.content.decode()
    assert not Handover.objects.exists()


def test_handover_page_shows_whether_consent_stands(as_staff, office):
    person = ClientFactory(office=office)
    url = reverse("plans:handover_edit", args=[person.pk])
    assert "有効な同意がありません" in as_staff.get(url).content.decode()
    ConsentFactory(client=person, purpose=ConsentPurpose.HANDOVER, given_on=date(2025, 1, 1))
    assert "引継ぎ先への情報提供について、本人の同意があります" in as_staff.get(url).content.decode()


def test_other_offices_handover_is_404(as_staff, other_office):
    person = ClientFactory(office=other_office)
    assert as_staff.get(reverse("plans:handover_edit", args=[person.pk])).status_code == 404


@pytest.mark.parametrize(
    ("given_on", "withdrawn_on", "on", "stands"),
    [
        (date(2026, 4, 1), None, date(2026, 3, 31), False),  # before it was given
        (date(2026, 4, 1), None, date(2026, 4, 1), True),  # from the day given
        (date(2026, 4, 1), date(2026, 6, 1), date(2026, 5, 31), True),
        (date(2026, 4, 1), date(2026, 6, 1), date(2026, 6, 1), False),  # withdrawn from that day
    ],
)
def test_consent_stands(office, given_on, withdrawn_on, on, stands):
    person = ClientFactory(office=office)
    ConsentFactory(
        client=person, purpose=ConsentPurpose.REPORT_TO_EMPLOYER, given_on=given_on, withdrawn_on=withdrawn_on
    )
    assert consent_stands(person, ConsentPurpose.REPORT_TO_EMPLOYER, on) is stands
    assert consent_stands(person.pk, ConsentPurpose.REPORT_TO_EMPLOYER, on) is stands
    assert consent_stands(person, ConsentPurpose.HANDOVER, on) is False  # per purpose


@time_machine.travel(date(2026, 11, 23))
def test_record_and_withdraw_consent_in_the_browser(as_staff, office):
    person = ClientFactory(office=office)
    url = reverse("plans:consent_list", args=[person.pk])
    as_staff.post(
        url, {"purpose": "case_meeting", "given_on": "2026-11-01", "document_note": "同意書 2026-11"}
    )
    assert consent_stands(person, ConsentPurpose.CASE_MEETING, date(2026, 11, 23))
    consent = person.consents.get()
    as_staff.post(
        reverse("plans:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": "2026-11-23", "reason": "本人の申し出"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 23)
    assert not consent_stands(person, ConsentPurpose.CASE_MEETING, date(2026, 11, 23))


def test_withdrawing_another_offices_consent_is_404(as_staff, other_office):
    consent = ConsentFactory(client=ClientFactory(office=other_office))
    response = as_staff.post(
        reverse("plans:consent_withdraw", args=[consent.pk]), {"withdrawn_on": "2026-11-23"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_database_refuses_sharing_before_consent(office):
    from django.db import IntegrityError, transaction

    from ..factories import HandoverFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        HandoverFactory(client=ClientFactory(office=office), consent_on=None, info_shared_on=date(2026, 1, 1))


# --- consent, one source (issue 13) ---

TODAY = date(2026, 11, 23)


@time_machine.travel(TODAY)
def test_consent_dates_cannot_be_in_the_future(as_staff, office):
    person = ClientFactory(office=office)
    response = as_staff.post(
        reverse("plans:consent_list", args=[person.pk]),
        {"purpose": ConsentPurpose.REPORT_TO_EMPLOYER, "given_on": "2026-11-24"},
    )
    assert response.status_code == 200 and "未来の日付" in response.content.decode()
    assert not person.consents.exists()
    consent = ConsentFactory(client=person, given_on=date(2026, 11, 1))
    as_staff.post(
        reverse("plans:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": "2026-11-30", "reason": "申し出"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@time_machine.travel(TODAY)
def test_withdrawal_needs_a_reason_kept_in_history(as_staff, office):
    consent = ConsentFactory(client=ClientFactory(office=office), given_on=date(2026, 11, 1))
    url = reverse("plans:consent_withdraw", args=[consent.pk])
    as_staff.post(url, {"withdrawn_on": "2026-11-20"})
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    as_staff.post(url, {"withdrawn_on": "2026-11-20", "reason": "本人の申し出（電話）"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 20)
    assert consent.history.first().history_change_reason == "本人の申し出（電話）"


@time_machine.travel(TODAY)
def test_a_consent_is_corrected_with_a_reason(as_staff, office):
    consent = ConsentFactory(client=ClientFactory(office=office), given_on=date(2026, 11, 10))
    url = reverse("plans:consent_correct", args=[consent.pk])
    assert as_staff.get(url).status_code == 200
    response = as_staff.post(url, {"given_on": "2026-11-01", "document_note": "同意書"})
    assert response.status_code == 200  # the reason is required
    response = as_staff.post(url, {"given_on": "2026-12-01", "document_note": "同意書", "reason": "誤記"})
    assert response.status_code == 200 and "未来の日付" in response.content.decode()
    response = as_staff.post(
        url, {"given_on": "2026-11-01", "document_note": "同意書", "reason": "同意書の日付と照合"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.given_on == date(2026, 11, 1)
    assert consent.history.first().history_change_reason == "同意書の日付と照合"
    assert consent.history.last().given_on == date(2026, 11, 10)  # the old value is kept


@time_machine.travel(TODAY)
def test_the_handover_form_writes_the_consent_register(as_staff, office):
    person = ClientFactory(office=office)
    as_staff.post(reverse("plans:handover_edit", args=[person.pk]), HANDOVER)
    [consent] = person.consents.all()
    assert (consent.purpose, consent.given_on) == (ConsentPurpose.HANDOVER, date(2026, 8, 1))
    assert consent_stands(person, ConsentPurpose.HANDOVER, TODAY)
    # A correction of the date on the handover form corrects the register (one record, history kept).
    as_staff.post(reverse("plans:handover_edit", args=[person.pk]), {**HANDOVER, "consent_on": "2026-07-20"})
    [consent] = person.consents.all()
    assert consent.given_on == date(2026, 7, 20)
    assert Handover.objects.get(client=person).consent_on == date(2026, 7, 20)


@time_machine.travel(TODAY)
def test_the_handover_form_reads_the_consent_register(as_staff, office):
    person = ClientFactory(office=office)
    ConsentFactory(client=person, purpose=ConsentPurpose.HANDOVER, given_on=date(2026, 9, 1))
    form = as_staff.get(reverse("plans:handover_edit", args=[person.pk])).context["form"]
    assert form["consent_on"].value() == date(2026, 9, 1)
    # Corrected in the register, the handover record follows.
    as_staff.post(
        reverse("plans:handover_edit", args=[person.pk]),
        {**HANDOVER, "consent_on": "2026-09-01", "info_shared_on": "2026-09-10"},
    )
    consent = person.consents.get()
    as_staff.post(
        reverse("plans:consent_correct", args=[consent.pk]),
        {"given_on": "2026-08-01", "document_note": "", "reason": "同意書と照合"},
    )
    assert Handover.objects.get(client=person).consent_on == date(2026, 8, 1)


@time_machine.travel(TODAY)
def test_a_future_consent_on_the_handover_form_is_refused(as_staff, office):
    person = ClientFactory(office=office)
    response = as_staff.post(
        reverse("plans:handover_edit", args=[person.pk]),
        {**HANDOVER, "consent_on": "2026-11-24", "info_shared_on": ""},
    )
    assert response.status_code == 200 and "未来の日付" in response.content.decode()
    assert not person.consents.exists() and not Handover.objects.filter(client=person).exists()


@time_machine.travel(TODAY)
def test_a_late_sharing_is_shown_as_late_on_the_handover_page(as_staff, office, staff):
    from ..factories import client_in_service

    client = client_in_service(office=office, hired_on=date(2023, 8, 16))  # ends 2027-02-15, share by 11-15
    Handover.objects.create(
        client=client,
        receiver_name="なかぽつ",
        receiver_kind="nakapotsu",
        consent_on=date(2026, 11, 1),
        info_shared_on=date(2026, 11, 20),
        recorded_by=staff,
    )
    page = as_staff.get(reverse("plans:handover_edit", args=[client.pk])).content.decode()
    assert "期限後の共有として記録され" in page


@time_machine.travel(TODAY)
def test_the_admin_cannot_date_a_consent_in_the_future(client, office):
    from ..factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    consent = ConsentFactory(client=ClientFactory(office=office), given_on=date(2026, 11, 1))
    url = reverse("admin:plans_consent_change", args=[consent.pk])
    data = {
        "client": consent.client_id,
        "purpose": consent.purpose,
        "given_on": "2026-12-24",
        "withdrawn_on": "",
        "document_note": "",
        "recorded_by": consent.recorded_by_id,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "未来の日付" in response.content.decode()
    consent.refresh_from_db()
    assert consent.given_on == date(2026, 11, 1)
