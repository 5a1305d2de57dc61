"""The writer's fast path (precomputed plans, the shared items checked once, texts kept for repeated
values) writes what the full path (record_fields, every item) writes, and refuses what it refuses."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from claims.interface import ClaimFileError, encoding, write_claim_files
from claims.interface.encoding import ClaimFileWriter

from .month import MONTH, SETTINGS, SUZUKI, YAMADA


def written(month):
    return [(f.name, f.data) for f in write_claim_files(month, SETTINGS)]


def problems(month):
    with pytest.raises(ClaimFileError) as raised:
        write_claim_files(month, SETTINGS)
    return [str(problem) for problem in raised.value.problems]


def test_the_same_files_by_both_paths(monkeypatch):
    fast = written(MONTH)
    twice = written(MONTH)  # the second time from the kept texts
    monkeypatch.setattr(encoding, "_plan", lambda *args, **kwargs: None)
    monkeypatch.setattr(encoding, "_PLANS", {})
    assert fast == twice == written(MONTH)


BAD_MONTHS = {
    "a kana name too long": dataclasses.replace(
        MONTH, clients=(dataclasses.replace(YAMADA, name_kana="ヤマダ" * 9),)
    ),
    "a kanji name in kana": dataclasses.replace(
        MONTH, clients=(dataclasses.replace(YAMADA, name_kana="山田"),)
    ),
    "a municipality of letters (shared item)": dataclasses.replace(
        MONTH, clients=(dataclasses.replace(YAMADA, municipality_number="13101A"),)
    ),
    "a municipality missing (shared, required)": dataclasses.replace(
        MONTH, clients=(dataclasses.replace(YAMADA, municipality_number=""),)
    ),
    "a contract date missing (office-required)": dataclasses.replace(
        MONTH,
        clients=(dataclasses.replace(SUZUKI, contract=dataclasses.replace(SUZUKI.contract, start=None)),),
    ),
    "a remark CP932 cannot write": dataclasses.replace(
        MONTH,
        clients=(
            dataclasses.replace(
                YAMADA,
                support_days=(
                    dataclasses.replace(YAMADA.support_days[0], remarks="会議😀"),
                    YAMADA.support_days[1],
                ),
            ),
        ),
    ),
}


@pytest.mark.parametrize("name", BAD_MONTHS)
def test_the_same_problems_by_both_paths(name, monkeypatch):
    month = BAD_MONTHS[name]
    written(MONTH)  # plans and kept texts in place
    fast = problems(month)
    assert fast
    monkeypatch.setattr(encoding, "_plan", lambda *args, **kwargs: None)
    monkeypatch.setattr(encoding, "_PLANS", {})
    assert problems(month) == fast


def test_a_kept_text_is_not_taken_for_an_equal_value_of_another_type():
    """1, True, 1.0 and Decimal 1 are equal keys to a dict; only the int is an item value."""

    def add(value):
        writer = ClaimFileWriter(office_number="1310000001", processing_month=date(2026, 11, 1), name="T.CSV")
        head = {3: date(2026, 10, 1), 4: "131016", 5: "1310000001", 6: "0000012345"}
        writer.add("J121:03", {7: "471111", 8: 3348, 9: value, 10: 3348}, shared=head)
        return writer

    assert b",3348,1,3348,\r\n" in add(1).getvalue()
    with pytest.raises(ClaimFileError):
        add(1.0).getvalue()
    for other in (True, Decimal("1")):
        with pytest.raises(ValueError):
            add(other)


def test_a_shared_mapping_is_checked_against_each_kind_whose_items_differ():
    writer = ClaimFileWriter(office_number="1310000001", processing_month=date(2026, 11, 1), name="T.CSV")
    head = {3: date(2026, 10, 1), 4: "131016", 5: "1310000001", 6: "0000012345"}
    writer.add("J121:03", {7: "471111", 8: 3348, 9: 1, 10: 3348}, shared=head)
    writer.add("J121:05", {7: "471111", 9: date(2025, 10, 1)}, shared=head, required=frozenset({7, 9}))
    lines = writer.getvalue().decode("cp932").split("\r\n")
    assert lines[1] == "2,2,J121,03,202610,131016,1310000001,0000012345,471111,3348,1,3348,"
    assert lines[2] == "2,3,J121,05,202610,131016,1310000001,0000012345,471111,,20251001,,"


def test_an_extra_required_item_among_the_shared_ones_is_still_checked():
    writer = ClaimFileWriter(office_number="1310000001", processing_month=date(2026, 11, 1), name="T.CSV")
    head = {3: date(2026, 10, 1), 4: None, 5: "1310000001", 6: "0000012345"}
    writer.add("J121:05", {7: "471111"}, shared=head, required=frozenset({4}))
    with pytest.raises(ClaimFileError) as raised:
        writer.getvalue()
    assert "項目4「市町村番号」: 必須項目が設定されていません。" in str(raised.value)
