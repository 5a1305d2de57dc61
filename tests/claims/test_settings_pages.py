"""The pages where what stops the claim is put right: office settings and a client's claim details."""

from datetime import date

import pytest
from django.urls import reverse

from claims.models import CapManagementResult, ClientClaimProfile, OfficeAddonRegistration, OfficeReduction

from ..factories import client_in_service

pytestmark = pytest.mark.django_db
SETTINGS = "claims:office_settings"


def post(client, name, data, *args):
    return client.post(reverse(name, args=args), data)


def test_region_is_saved_and_the_tier_is_confirmed_on_the_rates_page(as_admin, office):
    response = post(as_admin, SETTINGS, {"form": "region", "region-valid_from": "2024-04-01", "region-region": "12"})
    assert response.status_code == 302
    assert office.claim_settings.get().region == "12"
    html = as_admin.get(reverse(SETTINGS)).content.decode()
    assert "二級地" in html and reverse("meetings:rates") in html


def test_addon_registration_needs_the_job_coach_named(as_admin, office):
    data = {"form": "addon", "addon-code": "job_coach", "addon-starts_on": "2025-04-01"}
    html = post(as_admin, SETTINGS, data).content.decode()
    assert "配置する職場適応援助者の氏名を入力してください。" in html
    assert not OfficeAddonRegistration.objects.exists()
    post(as_admin, SETTINGS, {**data, "addon-job_coach_name": "山田 花子"})
    assert OfficeAddonRegistration.objects.get(office=office).job_coach_name == "山田 花子"


def test_reduction_months_in_order(as_admin, office):
    data = {"form": "reduction", "reduction-code": "manager_vacancy", "reduction-starts_month": "2025-06"}
    html = post(as_admin, SETTINGS, {**data, "reduction-ends_month": "2025-05"}).content.decode()
    assert "終了月は開始月以降にしてください。" in html
    post(as_admin, SETTINGS, data)
    reduction = OfficeReduction.objects.get(office=office)
    assert reduction.starts_month == date(2025, 6, 1) and reduction.ends_month is None
    post(as_admin, SETTINGS, {"form": "reduction_delete", "pk": str(reduction.pk)})
    assert not OfficeReduction.objects.exists()


def test_another_office_row_is_not_deleted(as_admin, other_office):
    row = OfficeReduction.objects.create(
        office=other_office, code="manager_vacancy", starts_month=date(2025, 6, 1)
    )
    post(as_admin, SETTINGS, {"form": "reduction_delete", "pk": str(row.pk)})
    assert OfficeReduction.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "value, ok",
    [("131041", True), ("131040", False), ("13104", False), ("abcdef", False), ("１３１０４１", False)],
)
def test_municipality_number_is_checked(as_manager, office, value, ok):
    person = client_in_service(office=office)
    response = post(
        as_manager,
        "claims:client_profile",
        {"form": "profile", "profile-municipality_number": value, "profile-cap_management": "none"},
        person.pk,
    )
    if ok:
        assert response.status_code == 302
        assert ClientClaimProfile.objects.get(client=person).municipality_number == value
    else:
        assert response.status_code == 200
        assert "最後の1桁は検査数字です" in response.content.decode()
        assert not ClientClaimProfile.objects.exists()


def test_other_office_cap_management_needs_its_number(as_manager, office):
    person = client_in_service(office=office)
    data = {
        "form": "profile",
        "profile-municipality_number": "131041",
        "profile-cap_management": "other_office",
    }
    html = post(as_manager, "claims:client_profile", data, person.pk).content.decode()
    assert "上限額管理事業所の事業所番号を入力してください。" in html
    post(
        as_manager,
        "claims:client_profile",
        {**data, "profile-cap_manager_provider_number": "1312345678"},
        person.pk,
    )
    assert ClientClaimProfile.objects.get(client=person).cap_manager_provider_number == "1312345678"


def test_cap_result_for_a_month(as_manager, office):
    person = client_in_service(office=office)
    data = {"form": "cap", "cap-month": "2025-09", "cap-result": "3"}
    html = post(as_manager, "claims:client_profile", data, person.pk).content.decode()
    assert "管理結果3のときは利用者負担額を入力してください。" in html
    post(as_manager, "claims:client_profile", {**data, "cap-amount": "1200"}, person.pk)
    post(as_manager, "claims:client_profile", {**data, "cap-amount": "900"}, person.pk)  # corrected
    result = CapManagementResult.objects.get(client=person)
    assert (result.month, result.result, result.amount) == (date(2025, 9, 1), 3, 900)


@pytest.mark.parametrize("month", ["2025-13", "abc", "0000-01", "2025-09-01"])
def test_a_bad_cap_month_is_a_message_not_an_error(as_manager, office, month):
    person = client_in_service(office=office)
    response = post(
        as_manager, "claims:client_profile", {"form": "cap", "cap-month": month, "cap-result": "1"}, person.pk
    )
    assert response.status_code == 200
    assert not CapManagementResult.objects.exists()


@pytest.mark.parametrize("month", ["2025-13", "x", "1999-01", ""])
def test_the_claim_page_takes_any_month(as_admin, month):
    assert as_admin.get(reverse("claims:office_month") + f"?month={month}").status_code == 200
