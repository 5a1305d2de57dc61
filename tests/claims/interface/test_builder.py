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
    assert problems[0].message == "給付単位数 3348 が明細の合計 3927 と一致しません。"


def test_benefit_must_be_total_cost_less_the_decided_burden():
    yamada = dataclasses.replace(YAMADA, totals=dataclasses.replace(YAMADA.totals, benefit=39371))
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month_with(yamada), SETTINGS)
    assert messages(raised) == [
        "（J121:04） 受給者証番号 0000012345 項目22「給付費」: 給付費 39371 が 総費用額−決定利用者負担額 39372 と一致しません。"
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
