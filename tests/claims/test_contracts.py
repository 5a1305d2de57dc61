"""The 受給者証's contract entry (事業者記入欄): kept dated per client, written as J121:05 in each month
its period touches, with the items the office requires; entered on the client's claim page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.claim_files import claim_files
from claims.interface import InterfaceSettings, validate_claim_files
from claims.models import ClientContract, OfficeInterfaceSetting
from claims.selectors import office_claim

from .factories import SEPT, billable_client, ready_office

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
OCT = date(2025, 10, 1)


def ready(office, admin_user, staff, manager, required="7,8,9,11"):
    ready_office(office, admin_user)
    OfficeInterfaceSetting.objects.create(
        office=office, form_type_number="0101", contract_required_items=required
    )
    return billable_client(office, staff, manager, service_started_on=date(2025, 7, 7))


def meisai_lines(office):
    written = claim_files(office_claim(office, SEPT), processing_month=OCT)
    assert [s.message for s in written.stops] == []
    data = next(f.data for f in written.files if f.name == "MEISAI.CSV")
    return data.decode("cp932").split("\r\n"), written


def test_a_contract_entry_is_written_as_j121_05_item_by_item(office, staff, manager, admin_user):
    c = ready(office, admin_user, staff, manager)
    ClientContract.objects.create(
        client=c,
        entry_number=2,
        service_code="471111",
        amount=Decimal("1"),
        starts_on=date(2025, 7, 7),
        ends_on=date(2026, 3, 31),
    )
    lines, written = meisai_lines(office)
    records = [line for line in lines if ",J121,05," in line]
    assert len(records) == 1
    number = lines.index(records[0]) + 1  # records are numbered through the file
    # Written by hand from the item table (J121:05, 11 items): 交換情報識別番号 J121, レコード種別 05,
    # サービス提供年月 YYYYMM, 市町村番号, 事業所番号, 受給者証番号, 決定サービスコード, 契約支給量 (3 integer
    # + 2 decimal digits, no point: 1回 → 100), 契約開始年月日 and 契約終了年月日 YYYYMMDD, 事業者記入欄番号.
    assert records[0] == (
        f"2,{number},J121,05,202509,131041,{office.provider_number},{c.recipient_number},"
        "471111,100,20250707,20260331,2"
    )
    # J121:05 follows the client's J121:04, and the validator reads it with the office's required items
    assert ",J121,04," in lines[number - 2]
    settings = InterfaceSettings(form_type_number="0101", contract_required_items=frozenset({7, 8, 9, 11}))
    assert validate_claim_files([(f.name, f.data) for f in written.files], settings=settings) == []


def test_no_contract_no_j121_05_and_no_setting_needed(office, staff, manager, admin_user):
    c = ready(office, admin_user, staff, manager, required="")
    ClientContract.objects.create(
        client=c, entry_number=1, starts_on=date(2024, 4, 1), ends_on=date(2025, 8, 31)
    )
    lines, _written = meisai_lines(office)
    assert not [line for line in lines if ",J121,05," in line]  # the entry ended before September


def test_a_contract_ended_and_another_begun_in_the_month_are_both_written(office, staff, manager, admin_user):
    c = ready(office, admin_user, staff, manager)
    ClientContract.objects.create(
        client=c,
        entry_number=1,
        service_code="471111",
        amount=Decimal("1"),
        starts_on=date(2025, 7, 7),
        ends_on=date(2025, 9, 15),
    )
    ClientContract.objects.create(
        client=c, entry_number=2, service_code="471111", amount=Decimal("2.5"), starts_on=date(2025, 9, 16)
    )
    lines, _written = meisai_lines(office)
    records = [line.split(",")[8:] for line in lines if ",J121,05," in line]
    assert records == [["471111", "100", "20250707", "20250915", "1"], ["471111", "250", "20250916", "", "2"]]


def test_unset_required_items_stop_the_files_with_a_clear_message(office, staff, manager, admin_user):
    c = ready(office, admin_user, staff, manager, required="")
    ClientContract.objects.create(client=c, entry_number=1, starts_on=date(2025, 7, 7))
    written = claim_files(office_claim(office, SEPT), processing_month=OCT)
    assert written.files == []
    assert [(s.message, s.url) for s in written.stops] == [
        (
            "事業所の設定に契約情報レコード（J121:05）の必須項目がありません。"
            "インタフェース仕様書で確認した項目番号（7〜11）を設定してください。",
            reverse("claims:interface_settings"),
        )
    ]


def test_a_required_item_left_empty_names_the_client_and_the_item(office, staff, manager, admin_user):
    c = ready(office, admin_user, staff, manager, required="7,8,9")
    ClientContract.objects.create(client=c, entry_number=1, service_code="471111", starts_on=date(2025, 7, 7))
    written = claim_files(office_claim(office, SEPT), processing_month=OCT)
    assert written.files == []
    [stop] = written.stops
    assert stop.message.startswith(f"{c.full_name}: ")
    assert (
        "（J121:05）" in stop.message
        and "項目8「契約支給量」: 必須項目が設定されていません。" in stop.message
    )
    assert stop.url == reverse("claims:client_profile", args=[c.pk])


def test_the_contract_is_entered_and_edited_on_the_client_claim_page(
    client, office, staff, manager, admin_user
):
    c = ready(office, admin_user, staff, manager)
    client.force_login(admin_user)
    url = reverse("claims:client_profile", args=[c.pk])
    assert "受給者証の契約内容（事業者記入欄）" in client.get(url).content.decode()
    data = {
        "form": "contract",
        "contract-entry_number": "3",
        "contract-service_code": "471111",
        "contract-amount": "1",
        "contract-starts_on": "2025-07-07",
        "contract-ends_on": "",
    }
    assert client.post(url, data).status_code == 302
    contract = ClientContract.objects.get(client=c)
    assert (contract.entry_number, contract.amount, contract.ends_on) == (3, Decimal("1.00"), None)
    page = client.get(f"{url}?contract={contract.pk}").content.decode()
    assert "契約内容を編集" in page and 'value="2025-07-07"' in page
    assert (
        client.post(url, {**data, "contract": contract.pk, "contract-ends_on": "2026-03-31"}).status_code
        == 302
    )
    contract.refresh_from_db()
    assert contract.ends_on == date(2026, 3, 31) and ClientContract.objects.count() == 1
    assert contract.history.count() == 2


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"contract-ends_on": "2025-07-01"}, "契約終了日は契約日以降にしてください。"),
        ({"contract-amount": "1000"}, "小数点より前が合計 3 桁以内"),
        ({"contract-amount": "-1"}, "契約支給量は0以上で入力してください。"),
        ({"contract-service_code": "47111"}, "決定サービスコードは6桁の数字です。"),
        ({"contract-entry_number": "100"}, "事業者記入欄番号は1〜99です。"),
        ({"contract-starts_on": ""}, "このフィールドは必須です。"),
        (
            {"contract-starts_on": "2026-01-01", "contract-ends_on": ""},
            "既存の契約（2025-10-01〜）と期間が重なっています。",
        ),
    ],
)
def test_bad_contract_input_is_refused_with_a_message(
    client, office, staff, manager, admin_user, changes, message
):
    c = ready(office, admin_user, staff, manager)
    ClientContract.objects.create(client=c, entry_number=1, starts_on=date(2025, 10, 1))
    client.force_login(admin_user)
    url = reverse("claims:client_profile", args=[c.pk])
    data = {
        "form": "contract",
        "contract-entry_number": "3",
        "contract-service_code": "471111",
        "contract-amount": "1",
        "contract-starts_on": "2025-07-07",
        "contract-ends_on": "2025-09-30",
        **changes,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ClientContract.objects.filter(client=c).count() == 1  # nothing half-saved


def test_a_contract_of_a_client_of_another_office_cannot_be_edited(
    client, office, staff, manager, admin_user
):
    c = ready(office, admin_user, staff, manager)
    from tests.factories import client_in_service

    other = client_in_service()
    theirs = ClientContract.objects.create(client=other, entry_number=1, starts_on=date(2025, 7, 7))
    client.force_login(admin_user)
    url = reverse("claims:client_profile", args=[c.pk])
    client.post(
        url,
        {
            "form": "contract",
            "contract": theirs.pk,
            "contract-entry_number": "9",
            "contract-starts_on": "2025-07-07",
        },
    )
    theirs.refresh_from_db()
    assert theirs.entry_number == 1  # a new entry of this client was made instead
    assert ClientContract.objects.get(client=c).entry_number == 9
