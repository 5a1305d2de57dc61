"""Create and edit forms reject bad input with a Japanese message and save nothing."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import BenefitDecision, Client, Employment

from ..factories import BenefitDecisionFactory, ClientFactory, EmployerFactory, EmploymentFactory

pytestmark = pytest.mark.django_db

VALID_CLIENT = {
    "family_name": "佐々木",
    "given_name": "花子",
    "family_name_kana": "ササキ",
    "given_name_kana": "ハナコ",
    "birth_date": "1995-05-05",
    "disability_categories": ["mental", "developmental"],
    "recipient_number": "1234567890",
    "municipality": "中野区",
    "burden_category": "general_1",
    "prior_service": "transition",
    "status": "preparing",
}


def test_manager_registers_a_client(as_manager, office):
    response = as_manager.post(reverse("cases:client_create"), VALID_CLIENT)
    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:client_detail", args=[client.pk])
    assert client.office == office
    assert client.disability_categories == ["mental", "developmental"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("recipient_number", "12345", "10桁の数字で入力してください。"),
        ("recipient_number", "12345abcde", "10桁の数字で入力してください。"),
        ("family_name_kana", "ささき", "カタカナで入力してください"),
        ("given_name_kana", "Hanako", "カタカナで入力してください"),
        ("birth_date", "1995-02-30", "日付を正しく入力してください。"),
        ("family_name", "", "このフィールドは必須です。"),
    ],
)
def test_client_form_rejects_bad_input(as_manager, field, value, message):
    response = as_manager.post(reverse("cases:client_create"), {**VALID_CLIENT, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Client.objects.exists()


def test_duplicate_recipient_number_in_office_is_refused(as_manager, office):
    ClientFactory(office=office, recipient_number="1234567890")
    response = as_manager.post(reverse("cases:client_create"), VALID_CLIENT)
    assert "この受給者証番号の利用者は既に登録されています。" in response.content.decode()
    assert Client.objects.count() == 1


def test_leave_date_before_hire_is_refused(as_manager, office):
    client = ClientFactory(office=office)
    employer = EmployerFactory(office=office)
    response = as_manager.post(
        reverse("cases:employment_create", args=[client.pk]),
        {"employer": employer.pk, "hired_on": "2025-04-01", "left_on": "2025-03-31", "disclosed": "on"},
    )
    assert "離職日が雇用開始日より前になっています。" in response.content.decode()
    assert not Employment.objects.exists()


def test_a_side_job_beside_the_main_job_is_recorded_and_keeps_the_window(as_manager, office):
    # Two jobs at once are real (a second part-time job); employment goes on while any regular job does,
    # so the side job neither restarts nor ends the window (domain: the eligibility window).
    client = ClientFactory(office=office)
    EmploymentFactory(client=client, hired_on=date(2025, 1, 6))
    response = as_manager.post(
        reverse("cases:employment_create", args=[client.pk]),
        {"employer": EmployerFactory(office=office).pk, "hired_on": "2025-06-01", "left_on": "2025-09-30"},
    )
    assert response.status_code == 302
    assert Employment.objects.count() == 2
    client.refresh_from_db()
    assert (client.window_starts_on, client.window_ends_on) == (date(2025, 7, 6), date(2028, 7, 5))


def test_employer_of_another_office_cannot_be_chosen(as_manager, office, other_office):
    client = ClientFactory(office=office)
    foreign = EmployerFactory(office=other_office)
    response = as_manager.post(
        reverse("cases:employment_create", args=[client.pk]),
        {"employer": foreign.pk, "hired_on": "2025-06-01"},
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    assert not Employment.objects.exists()


def test_saving_an_employment_recomputes_the_window(as_manager, office):
    client = ClientFactory(office=office)
    response = as_manager.post(
        reverse("cases:employment_create", args=[client.pk]),
        {"employer": EmployerFactory(office=office).pk, "hired_on": "2025-04-01", "disclosed": "on"},
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.window_starts_on, client.window_ends_on) == (date(2025, 10, 1), date(2028, 9, 30))


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        ("2025-04-01", "2026-04-01", "支給決定期間は1年以内です（民法の期間計算で最長 2026-03-31 まで）。"),
        ("2025-04-01", "2025-03-31", "終了日が開始日より前になっています。"),
        ("2025-09-01", "2026-03-31", "既存の支給決定（2025-07-06〜2026-07-05）と期間が重なっています。支給決定は重ねられません。"),
    ],
)
def test_decision_form_rejects_bad_periods(as_manager, office, starts_on, ends_on, message):
    client = ClientFactory(office=office)
    BenefitDecisionFactory(client=client, starts_on=date(2025, 7, 6))
    response = as_manager.post(
        reverse("cases:decision_create", args=[client.pk]),
        {"starts_on": starts_on, "ends_on": ends_on, "municipality": "新宿区"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BenefitDecision.objects.count() == 1


def test_decision_of_exactly_one_year_is_accepted(as_manager, office):
    client = ClientFactory(office=office)
    response = as_manager.post(
        reverse("cases:decision_create", args=[client.pk]),
        {"starts_on": "2024-03-01", "ends_on": "2025-02-28", "municipality": "新宿区"},
    )
    assert response.status_code == 302
    assert BenefitDecision.objects.get().ends_on == date(2025, 2, 28)


def test_staff_cannot_open_edit_forms(as_staff, office):
    client = ClientFactory(office=office)
    assert as_staff.get(reverse("cases:client_create")).status_code == 403
    assert as_staff.get(reverse("cases:client_update", args=[client.pk])).status_code == 403
    assert as_staff.get(reverse("cases:client_detail", args=[client.pk])).status_code == 200


def test_decision_date_order_is_said_once_on_the_page_and_in_the_admin(as_manager, office, client):
    from ..factories import UserFactory, verify_otp

    person = ClientFactory(office=office)
    data = {"starts_on": "2025-04-01", "ends_on": "2025-03-31", "municipality": "新宿区"}
    html = as_manager.post(reverse("cases:decision_create", args=[person.pk]), data).content.decode()
    assert html.count("終了日が開始日より前") + html.count("終了日は開始日以降") == 1
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    verify_otp(client, root)
    response = client.post(reverse("admin:cases_benefitdecision_add"), {**data, "client": person.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("終了日が開始日より前") + html.count("終了日は開始日以降") == 1
    assert not BenefitDecision.objects.exists()
