"""The layout file carries the item tables' facts (インタフェース仕様書 事業所編 令和7年10月)."""

from pathlib import Path

import pytest

from claims.interface.derive_layouts import derive
from claims.interface.layout import ALNUM, CODE, KANJI, LAYOUT_FILE, NUMERIC, layouts

SHARED_SOURCE = Path("/work/shared/claims/interface-items-r7-10.tsv")


@pytest.mark.parametrize(
    "key, count",
    [
        ("J111:01", 23),
        ("J111:02", 14),
        ("J121:01", 35),
        ("J121:02", 12),
        ("J121:03", 11),
        ("J121:04", 33),
        ("J121:05", 11),
        ("J611:01", 172),
        ("J611:02", 113),
    ],
)
def test_item_counts(key, count):
    assert len(layouts()[key].items) == count


@pytest.mark.parametrize(
    "key, no, name, attribute, max_bytes",
    [
        ("J111:01", 6, "請求金額", NUMERIC, 10),
        ("J121:01", 8, "支給決定者氏名カナ", ALNUM, 25),
        ("J121:01", 10, "地域区分コード", CODE, 2),
        ("J121:03", 11, "摘要", KANJI, 100),
        ("J121:04", 11, "単位数単価", NUMERIC, 5),
        ("J611:01", 37, "合計算定日数（日）", NUMERIC, 2),
        ("J611:01", 146, "定着支援連携促進加算（回）", NUMERIC, 2),
        ("J611:01", 153, "支援レポート共有日（年月日）", CODE, 8),
        ("J611:02", 45, "算定日数", CODE, 1),
        ("J611:02", 90, "定着支援連携促進加算", CODE, 1),
    ],
)
def test_items_from_the_tables(key, no, name, attribute, max_bytes):
    item = layouts()[key].item(no)
    assert (item.name, item.attribute, item.max_bytes) == (name, attribute, max_bytes)


def test_fixed_values_where_the_tables_fix_one():
    table = layouts()
    assert table["J121:01"].item(1).fixed == "J121"
    assert [table[key].item(2).fixed for key in ("J121:01", "J121:02", "J121:03", "J121:04", "J121:05")] == [
        "01",
        "02",
        "03",
        "04",
        "05",
    ]
    assert table["J121:04"].item(12).fixed == "0"  # 給付率
    assert table["J611:02"].item(7).fixed is None  # 様式種別番号: an office setting
    assert table["J611:01"].item(172).blank  # 設定しない
    assert table["J611:01"].item(153).date_format == "YYYYMMDD"
    assert table["J111:01"].item(3).date_format == "YYYYMM"


def test_required_items_of_contract_records_are_left_to_the_office():
    assert [item.no for item in layouts()["J121:05"].items if item.required] == [1, 2, 3, 4, 5, 6]


@pytest.mark.skipif(
    not SHARED_SOURCE.exists(), reason="the shared transcription of the item tables is absent"
)
def test_layout_file_is_what_the_transcribed_tables_derive():
    with open(SHARED_SOURCE, encoding="utf-8") as source:
        derived = derive(source)
    assert LAYOUT_FILE.read_text(encoding="utf-8").splitlines() == derived


@pytest.mark.skipif(
    not SHARED_SOURCE.exists(), reason="the shared transcription of the item tables is absent"
)
def test_every_item_matches_the_transcribed_tables():
    table = layouts()
    record = None
    seen = 0
    for line in SHARED_SOURCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## provider:"):
            record = line.split()[1].removeprefix("provider:")
            continue
        if not line.strip():
            continue
        no, name, attribute, max_bytes, _note, _marks = line.split("\t")
        item = table[record].item(int(no))
        assert (item.name, item.attribute, item.max_bytes) == (name, attribute, int(max_bytes))
        seen += 1
    assert seen == sum(len(layout.items) for layout in table.values())
