"""Golden files: the month of tests/claims/interface/month.py written, read back, compared item by item.

Every expected record below was written by hand from the item tables (インタフェース仕様書 事業所編
令和7年10月): the item numbers that carry a value, and each record's item count from the table
(J111:01 23, J111:02 14, J121:01 35, J121:02 12, J121:03 11, J121:04 33, J121:05 11, J611:01 172,
J611:02 113). Items not listed are empty.
"""

import csv
import hashlib
import io

import pytest

from claims.interface import validate_claim_file, validate_claim_files, write_claim_files

from .month import MONTH, SETTINGS

ITEM_COUNTS = {
    "J111:01": 23,
    "J111:02": 14,
    "J121:01": 35,
    "J121:02": 12,
    "J121:03": 11,
    "J121:04": 33,
    "J121:05": 11,
    "J611:01": 172,
    "J611:02": 113,
}
OFFICE = "1310100011"


def head(record, municipality="131016", recipient=None):
    exchange, kind = record.split(":")
    items = {1: exchange, 2: kind, 3: "202610", 4: municipality, 5: OFFICE}
    if recipient:
        items[6] = recipient
    return items


A, B, C = "0000012345", "0000067890", "0000011111"

SEIKYU = [
    (
        "J111:01",
        {
            **head("J111:01"),
            6: "79342",
            7: "2",
            8: "7515",
            9: "83716",
            10: "79342",
            12: "4374",
            17: "2",
            18: "7515",
            19: "83716",
            20: "79342",
            22: "4374",
        },
    ),
    (
        "J111:02",
        {**head("J111:02"), 6: "1", 7: "47", 8: "2", 9: "7515", 10: "83716", 11: "79342", 13: "4374"},
    ),
    (
        "J111:01",
        {
            **head("J111:01", "141003"),
            6: "33567",
            7: "1",
            8: "3348",
            9: "37296",
            10: "33567",
            12: "3729",
            17: "1",
            18: "3348",
            19: "37296",
            20: "33567",
            22: "3729",
        },
    ),
    (
        "J111:02",
        {
            **head("J111:02", "141003"),
            6: "1",
            7: "47",
            8: "1",
            9: "3348",
            10: "37296",
            11: "33567",
            13: "3729",
        },
    ),
]

MEISAI = [
    # 山田: 3,348 + 579 units × ¥11.14 = 43,746.78 → 43,746; 1割 4,374 under the cap 9,300
    (
        "J121:01",
        {
            **head("J121:01", recipient=A),
            8: "ﾔﾏﾀﾞ ﾀﾛｳ",
            10: "13",
            12: "9300",
            20: "3927",
            21: "43746",
            22: "4374",
            27: "4374",
            28: "39372",
        },
    ),
    ("J121:02", {**head("J121:02", recipient=A), 7: "47", 8: "20250401", 10: "2"}),
    ("J121:03", {**head("J121:03", recipient=A), 7: "471111", 8: "3348", 9: "1", 10: "3348"}),
    ("J121:03", {**head("J121:03", recipient=A), 7: "475001", 8: "579", 9: "1", 10: "579"}),
    (
        "J121:04",
        {
            **head("J121:04", recipient=A),
            7: "47",
            9: "2",
            10: "3927",
            11: "11140",
            12: "0",
            13: "43746",
            14: "4374",
            15: "4374",
            16: "4374",
            21: "4374",
            22: "39372",
        },
    ),
    # 鈴木: cap 0, so every zero amount is written 0; a contract (J121:05)
    (
        "J121:01",
        {
            **head("J121:01", recipient=B),
            8: "ｽｽﾞｷ ﾊﾅｺ",
            10: "13",
            12: "0",
            20: "3588",
            21: "39970",
            22: "0",
            27: "0",
            28: "39970",
        },
    ),
    ("J121:02", {**head("J121:02", recipient=B), 7: "47", 8: "20241101", 10: "1"}),
    ("J121:03", {**head("J121:03", recipient=B), 7: "471111", 8: "3348", 9: "1", 10: "3348"}),
    ("J121:03", {**head("J121:03", recipient=B), 7: "478001", 8: "240", 9: "1", 10: "240"}),
    (
        "J121:04",
        {
            **head("J121:04", recipient=B),
            7: "47",
            9: "1",
            10: "3588",
            11: "11140",
            12: "0",
            13: "39970",
            14: "3997",
            15: "3997",
            16: "0",
            21: "0",
            22: "39970",
        },
    ),
    ("J121:05", {**head("J121:05", recipient=B), 7: "471111", 8: "100", 9: "20251001", 11: "1"}),
    # 田中: another municipality, 上限額管理 by another office (管理結果 2)
    (
        "J121:01",
        {
            **head("J121:01", "141003", C),
            8: "ﾀﾅｶ ｼﾞﾛｳ",
            10: "13",
            12: "37200",
            15: "1410300012",
            16: "2",
            17: "3000",
            20: "3348",
            21: "37296",
            22: "3729",
            26: "3729",
            27: "3729",
            28: "33567",
        },
    ),
    ("J121:02", {**head("J121:02", "141003", C), 7: "47", 8: "20261001", 10: "1"}),
    ("J121:03", {**head("J121:03", "141003", C), 7: "471111", 8: "3348", 9: "1", 10: "3348"}),
    (
        "J121:04",
        {
            **head("J121:04", "141003", C),
            7: "47",
            9: "1",
            10: "3348",
            11: "11140",
            12: "0",
            13: "37296",
            14: "3729",
            15: "3729",
            16: "3729",
            20: "3729",
            21: "3729",
            22: "33567",
        },
    ),
]

JISSEKI = [
    ("J611:01", {**head("J611:01", recipient=A), 7: "9901", 37: "2", 123: "0", 146: "1", 153: "20261030"}),
    ("J611:02", {**head("J611:02", recipient=A), 7: "9901", 9: "07", 45: "1"}),
    ("J611:02", {**head("J611:02", recipient=A), 7: "9901", 9: "21", 45: "1", 90: "1"}),
    ("J611:01", {**head("J611:01", recipient=B), 7: "9901", 37: "1", 123: "1", 146: "0", 153: "20261029"}),
    ("J611:02", {**head("J611:02", recipient=B), 7: "9901", 9: "14", 45: "1", 81: "1"}),
    (
        "J611:01",
        {
            **head("J611:01", "141003", C),
            7: "9901",
            37: "1",
            64: "20261001",
            65: "20261030",
            66: "1",
            123: "0",
            146: "0",
            153: "20261031",
        },
    ),
    ("J611:02", {**head("J611:02", "141003", C), 7: "9901", 9: "02", 35: "職場訪問　２回目", 45: "1"}),
]

EXPECTED = {"SEIKYU.CSV": ("J11", SEIKYU), "MEISAI.CSV": ("J12", MEISAI), "JISSEKI.CSV": ("J61", JISSEKI)}


@pytest.fixture(scope="module")
def files():
    return {claim_file.name: claim_file for claim_file in write_claim_files(MONTH, SETTINGS)}


def expected_rows(data_type, records):
    rows = [["1", "1", "0", str(len(records)), data_type, "0", OFFICE, "0", "1", "202611", ""]]
    for number, (key, items) in enumerate(records, start=2):
        rows.append(["2", str(number)] + [items.get(no, "") for no in range(1, ITEM_COUNTS[key] + 1)])
    rows.append(["3", str(len(records) + 2)])
    return rows


def test_three_files_named_as_the_importer_accepts(files):
    assert list(files) == ["SEIKYU.CSV", "MEISAI.CSV", "JISSEKI.CSV"]
    for claim_file in files.values():
        assert claim_file.sha256 == hashlib.sha256(claim_file.data).hexdigest()
        assert claim_file.size == len(claim_file.data)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_file_read_back_by_the_validator_has_no_error(files, name):
    assert validate_claim_file(files[name].data, name=name, settings=SETTINGS) == []


def test_the_three_files_check_against_each_other(files):
    assert validate_claim_files([(name, f.data) for name, f in files.items()], settings=SETTINGS) == []


@pytest.mark.parametrize("name", list(EXPECTED))
def test_records_match_the_hand_written_ones_item_by_item(files, name):
    data = files[name].data
    assert data.endswith(b"\r\n") and data.count(b"\r\n") == data.count(b"\n")
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    data_type, records = EXPECTED[name]
    expected = expected_rows(data_type, records)
    assert len(rows) == len(expected)
    for number, (row, want) in enumerate(zip(rows, expected, strict=True), start=1):
        assert len(row) == len(want), f"record {number}: {len(row)} items"
        for position, (got, wanted) in enumerate(zip(row, want, strict=True), start=1):
            assert got == wanted, f"record {number}, field {position}: {got!r} != {wanted!r}"


def test_raw_bytes_of_a_quoted_kana_name_and_a_kanji_remark(files):
    meisai = files["MEISAI.CSV"].data.split(b"\r\n")
    assert meisai[0] == b"1,1,0,15,J12,0,1310100011,0,1,202611,"
    assert meisai[1] == (
        '2,2,J121,01,202610,131016,1310100011,0000012345,,"ﾔﾏﾀﾞ ﾀﾛｳ",,13,,9300,,,,,,,,3927,43746,4374,,,,,4374,39372'
        ",,,,,,,"
    ).encode("cp932")
    assert "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932") == b"\xd4\xcf\xc0\xde \xc0\xdb\xb3"  # half-width kana: 1 byte each
    assert meisai[-2] == b"3,17" and meisai[-1] == b""
    jisseki = files["JISSEKI.CSV"].data.split(b"\r\n")
    assert '"職場訪問　２回目"'.encode("cp932") in jisseki[7]
