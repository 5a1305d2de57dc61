"""The inputs the attack run found giving a server error or accepted though odd: each now gets a clear
Japanese message (or a 404 for an impossible URL), and nothing is saved."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Client, Employment
from visits.models import ContactLog

from ..factories import (
    ClientFactory,
    ContactLogFactory,
    EmployerFactory,
    MonthLockFactory,
    SupportReportFactory,
)

pytestmark = pytest.mark.django_db

VALID_CLIENT = {
    "family_name": "佐々木",
    "given_name": "花子",
    "family_name_kana": "ササキ",
    "given_name_kana": "ハナコ",
    "birth_date": "1995-05-05",
    "disability_categories": ["mental"],
    "recipient_number": "1234567890",
    "municipality": "中野区",
    "burden_category": "general_1",
    "prior_service": "transition",
    "status": "preparing",
}


@pytest.fixture
def raising_off(client):
    client.raise_request_exception = False
    return client


def test_a_deletion_reason_over_100_characters_is_a_form_error(as_manager, manager, office, raising_off):
    contact = ContactLogFactory(client=ClientFactory(office=office), staff=manager)
    response = as_manager.post(reverse("visits:contact_delete", args=[contact.pk]), {"reason": "理" * 101})
    assert response.status_code == 200
    assert "100 文字以下" in response.content.decode() or "100文字" in response.content.decode()
    assert ContactLog.objects.filter(pk=contact.pk).exists()


def test_a_change_reason_over_100_characters_in_a_locked_month_is_a_form_error(as_manager, manager, office, raising_off):
    contact = ContactLogFactory(client=ClientFactory(office=office), staff=manager, on=date(2025, 9, 3))
    MonthLockFactory(office=office, month=date(2025, 9, 1))
    data = {"on": "2025-09-03", "kind": "interview", "narrative": "変更", "reason": "理" * 101}
    response = as_manager.post(reverse("visits:contact_update", args=[contact.pk]), data)
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.narrative == "面談を実施。"


def test_the_service_refuses_a_long_reason_too(manager, office):
    from django.core.exceptions import ValidationError

    from visits import services

    contact = ContactLogFactory(client=ClientFactory(office=office), staff=manager)
    with pytest.raises(ValidationError):
        services.contact_log_withdraw(actor=manager, contact=contact, reason="理" * 101)


@pytest.mark.parametrize("path", ["/visits/clients/{pk}/reports/0/1/", "/visits/clients/{pk}/reports/10000/1/",
                                  "/visits/clients/{pk}/reports/2025/13/", "/clients/99999999999999999999999/"])
def test_impossible_urls_are_404(as_staff, office, raising_off, path):
    client = ClientFactory(office=office)
    SupportReportFactory(client=client)
    assert as_staff.get(path.format(pk=client.pk)).status_code == 404


@pytest.mark.parametrize("value", ["²", "abc", "-1", "99999999999999999999999"])
def test_odd_client_parameter_on_the_record_page(as_staff, raising_off, value):
    assert as_staff.get(reverse("visits:contact_create"), {"client": value}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "²", "", "99999999999999999999999"])
def test_odd_office_on_the_office_switch(as_staff, raising_off, value):
    assert as_staff.post(reverse("cases:office_switch"), {"office": value}).status_code == 302


@pytest.mark.parametrize(
    ("hired_on", "weekly_hours"),
    [("9999-12-31", "20"), ("0001-01-01", "20"), ("2025-04-01", "-1"), ("2025-04-01", "999")],
)
def test_employment_dates_and_hours_out_of_range_are_refused(as_manager, office, raising_off, hired_on, weekly_hours):
    client = ClientFactory(office=office)
    employer = EmployerFactory(office=office)
    data = {"employer": employer.pk, "hired_on": hired_on, "weekly_hours": weekly_hours, "job_title": "事務"}
    response = as_manager.post(reverse("cases:employment_create", args=[client.pk]), data)
    assert response.status_code == 200
    assert not Employment.objects.exists()


def test_a_megabyte_in_a_text_field_is_refused(as_manager, office, raising_off, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
    response = as_manager.post(reverse("cases:client_create"), {**VALID_CLIENT, "note": "あ" * 400_000})
    assert response.status_code == 200
    assert not Client.objects.exists()


def test_full_width_digits_in_the_recipient_number_are_read_as_half_width(as_manager, office):
    response = as_manager.post(reverse("cases:client_create"), {**VALID_CLIENT, "recipient_number": "１２３４５６７８９０"})
    assert response.status_code == 302
    assert Client.objects.get().recipient_number == "1234567890"


@pytest.mark.parametrize("number", ["１２３", "١٢٣٤٥٦٧٨٩٠", "12345abcde"])
def test_a_wrong_recipient_number_shows_one_message(as_manager, office, number):
    response = as_manager.post(reverse("cases:client_create"), {**VALID_CLIENT, "recipient_number": number})
    assert response.status_code == 200
    assert response.content.decode().count("10桁の数字で入力してください。") == 1


def test_full_width_dates_and_numbers_are_read_as_half_width(as_manager, office):
    client = ClientFactory(office=office)
    employer = EmployerFactory(office=office)
    data = {"employer": employer.pk, "hired_on": "２０２５－０４－０１", "weekly_hours": "２０", "job_title": "事務"}
    response = as_manager.post(reverse("cases:employment_create", args=[client.pk]), data)
    assert response.status_code == 302
    job = Employment.objects.get()
    assert (job.hired_on, job.weekly_hours) == (date(2025, 4, 1), 20)
