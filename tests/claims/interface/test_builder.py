"""The builder refuses what it cannot write: unset office settings, sums that do not add up."""

import dataclasses
from datetime import date

import pytest

from claims.interface import (
    ClaimFileError,
    ClaimSettingsError,
    InterfaceSettings,
    SupportDay,
    write_claim_files,
)

from .month import MONTH, SETTINGS, SUZUKI, TANAKA, YAMADA


def month_with(*clients):
    return dataclasses.replace(MONTH, clients=clients)


def messages(error):
    return [str(problem) for problem in error.value.problems]


def test_form_type_number_must_come_from_the_office_settings():
    with pytest.raises(ClaimSettingsError) as raised:
        write_claim_files(month_with(YAMADA), InterfaceSettings())
    assert messages(raised) == [
        "事業所の設定に様式種別番号（実績記録票 J611 項目7）がありません。インタフェース仕様書で確認した値を設定してください。"
    ]
    with pytest.raises(ClaimSettingsError):
        write_claim_files(month_with(YAMADA), None)


def test_form_type_number_is_four_digits():
    with pytest.raises(ClaimSettingsError) as raised:
        write_claim_files(month_with(YAMADA), InterfaceSettings(form_type_number="31"))
    assert messages(raised) == ["事業所の設定の様式種別番号は数字4桁で設定してください。"]


def test_contract_required_items_must_come_from_the_office_settings_when_a_client_has_a_contract():
    without = InterfaceSettings(form_type_number="9901")
    assert len(write_claim_files(month_with(YAMADA), without)) == 3  # no contract, no need
    with pytest.raises(ClaimSettingsError) as raised:
        write_claim_files(month_with(SUZUKI), without)
    assert "契約情報レコード（J121:05）の必須項目がありません" in messages(raised)[0]


def test_contract_items_the_office_requires_are_checked():
    suzuki = dataclasses.replace(SUZUKI, contract=dataclasses.replace(SUZUKI.contract, start=None))
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(suzuki), SETTINGS)
    assert messages(raised) == [
        "ファイル MEISAI.CSV レコード7 （J121:05） 受給者証番号 0000067890 項目9「契約開始年月日」: 必須項目が設定されていません。"
    ]
    lenient = InterfaceSettings(form_type_number="9901", contract_required_items=frozenset({7}))
    assert len(write_claim_files(month_with(suzuki), lenient)) == 3


def test_every_problem_of_the_month_at_once_naming_each_client():
    yamada = dataclasses.replace(YAMADA, totals=dataclasses.replace(YAMADA.totals, units=3348))
    tanaka = dataclasses.replace(
        TANAKA, support_days=(SupportDay(date(2026, 9, 30)), SupportDay(date(2026, 10, 2), meeting=3))
    )
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada, tanaka), SETTINGS)
    problems = raised.value.problems
    assert [(p.recipient, p.record, p.item_no) for p in problems] == [
        ("0000012345", "J121:01", 20),
        ("0000012345", "J121:04", 13),
        ("0000011111", "J611:02", 9),
        ("0000011111", "J611:02", 90),
    ]
    assert problems[0].message == "3348 ですが、明細（J121:03）のサービス単位数の合計 は 3927 です。"


def test_benefit_must_be_total_cost_less_the_decided_burden():
    yamada = dataclasses.replace(YAMADA, totals=dataclasses.replace(YAMADA.totals, benefit=39371))
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada), SETTINGS)
    assert messages(raised) == [
        "（J121:04） 受給者証番号 0000012345 項目22「給付費」: 39371 ですが、総費用額−決定利用者負担額 は 39372 です。"
    ]


def test_a_name_that_cannot_be_written_half_width_is_refused():
    yamada = dataclasses.replace(YAMADA, name_kana="山田太郎")
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada), SETTINGS)
    assert messages(raised) == [
        "ファイル MEISAI.CSV レコード2 （J121:01） 受給者証番号 0000012345 項目8「支給決定者氏名カナ」: "
        "英数項目には半角の英大文字・数字・カナしか使えません。"
    ]


def test_an_empty_month_is_refused():
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(), SETTINGS)
    assert messages(raised) == ["請求する利用者がいません。"]


def test_share_and_cap_adjustment_follow_the_readme_rules():
    # 1割相当額 = floor(総費用額 / 10); 上限月額調整 = min(上限月額①, 1割相当額)
    yamada = dataclasses.replace(
        YAMADA, totals=dataclasses.replace(YAMADA.totals, tenth=4375, cap_adjusted=4375)
    )
    suzuki = dataclasses.replace(SUZUKI, totals=dataclasses.replace(SUZUKI.totals, cap_adjusted=3997))
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada, suzuki), SETTINGS)
    assert [(p.recipient, p.item_no, p.message) for p in raised.value.problems] == [
        ("0000012345", 14, "4375 ですが、総費用額の1割（切り捨て） は 4374 です。"),
        ("0000067890", 16, "3997 ですが、利用者負担上限月額と利用者負担額②の少ないほう は 0 です。"),
    ]


def test_a_client_without_a_day_of_support_is_refused():
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(dataclasses.replace(YAMADA, support_days=())), SETTINGS)
    assert "支援した日がありません。" in [p.message for p in raised.value.problems]


def test_a_late_claim_keeps_its_service_month_and_sends_in_the_processing_month():
    late = dataclasses.replace(MONTH, processing_month=date(2027, 1, 1), clients=(TANAKA,))
    seikyu = write_claim_files(late, SETTINGS)[0].data
    assert seikyu.startswith(b"1,1,0,2,J11,0,1310100011,0,1,202701,\r\n2,2,J111,01,202610,")


def test_a_client_twice_in_the_month_is_refused():
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(YAMADA, SUZUKI, YAMADA), SETTINGS)
    assert messages(raised) == ["受給者証番号 0000012345: 同じ受給者証番号の利用者が2回あります。"]


def test_a_wrong_recipient_number_is_named_once_per_file():
    yamada = dataclasses.replace(YAMADA, recipient_number="12345-6789")
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada), SETTINGS)
    assert messages(raised) == [
        "ファイル MEISAI.CSV レコード2 （J121:01） 受給者証番号 12345-6789 項目6「受給者証番号」: "
        "英数項目には半角の英大文字・数字・カナしか使えません。",
        "ファイル JISSEKI.CSV レコード2 （J611:01） 受給者証番号 12345-6789 項目6「受給者証番号」: "
        "英数項目には半角の英大文字・数字・カナしか使えません。",
    ]
