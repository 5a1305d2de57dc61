"""The record layouts as data, read from layouts/items-r7-10.tsv (see derive_layouts.py for its source)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ALNUM = "英数"
NUMERIC = "数値"
CODE = "コード値"
KANJI = "漢字"
ATTRIBUTES = (ALNUM, NUMERIC, CODE, KANJI)

LAYOUT_FILE = Path(__file__).with_name("layouts") / "items-r7-10.tsv"

# Service type code of 就労定着支援 (claims README, "service type code 47").
SERVICE_TYPE = "47"


@dataclass(frozen=True, slots=True)
class Item:
    """One item of an inner record: its position (1-based), name, attribute and maximum CP932 bytes."""

    no: int
    name: str
    attribute: str
    max_bytes: int
    required: bool
    fixed: str | None  # the value the spec fixes, e.g. "01" for レコード種別コード
    blank: bool  # 設定しない: must stay empty
    date_format: str  # "YYYYMMDD", "YYYYMM" or ""


@dataclass(frozen=True, slots=True)
class RecordLayout:
    key: str  # "J121:01"
    exchange_id: str  # "J121"
    kind: str  # "01"
    items: tuple[Item, ...]

    def item(self, no: int) -> Item:
        return self.items[no - 1]


@cache
def layouts(path: Path = LAYOUT_FILE) -> dict[str, RecordLayout]:
    """Every record layout of the file, keyed "J111:01" … "J611:02"."""
    grouped: dict[str, list[Item]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            grouped.setdefault(row["record"], []).append(
                Item(
                    no=int(row["no"]),
                    name=row["name"],
                    attribute=row["attribute"],
                    max_bytes=int(row["max_bytes"]),
                    required=row["required"] == "1",
                    fixed=row["fixed"] or None,
                    blank=row["blank"] == "1",
                    date_format=row["date_format"],
                )
            )
    result = {}
    for key, items in grouped.items():
        if [item.no for item in items] != list(range(1, len(items) + 1)):
            raise ValueError(f"{key}: items are not numbered 1..{len(items)}")
        if any(item.attribute not in ATTRIBUTES for item in items):
            raise ValueError(f"{key}: unknown attribute")
        exchange_id, kind = key.split(":")
        result[key] = RecordLayout(key=key, exchange_id=exchange_id, kind=kind, items=tuple(items))
    return result


def layout(key: str) -> RecordLayout:
    return layouts()[key]


def _frame_item(no, name, attribute, max_bytes, fixed=None, date_format=""):
    return Item(no, name, attribute, max_bytes, True, fixed, False, date_format)


# The control record (インタフェース仕様書 共通編 as summarised in the claims README): 11 items, then the
# CRLF that the README counts as its 12th. The README gives no byte lengths for the counters; 9 digits
# is teichaku's bound, ample for any office.
CONTROL = RecordLayout(
    key="コントロール",
    exchange_id="",
    kind="1",
    items=(
        _frame_item(1, "レコード種別", CODE, 1, "1"),
        _frame_item(2, "レコード番号", NUMERIC, 9, "1"),
        _frame_item(3, "ボリューム通番", NUMERIC, 1, "0"),
        _frame_item(4, "レコード件数", NUMERIC, 9),
        _frame_item(5, "データ種別", ALNUM, 3),
        _frame_item(6, "市町村番号", CODE, 1, "0"),
        _frame_item(7, "事業所番号", ALNUM, 10),
        _frame_item(8, "都道府県番号", CODE, 1, "0"),
        _frame_item(9, "媒体区分", CODE, 1, "1"),
        _frame_item(10, "処理対象年月", CODE, 6, None, "YYYYMM"),
        Item(11, "予備", ALNUM, 0, False, None, True, ""),
    ),
)

# A data record is "2", its record number, then the items of the inner record; the end record is "3" and
# its record number.
DATA_PREFIX = 2
END = RecordLayout(
    key="エンド",
    exchange_id="",
    kind="3",
    items=(_frame_item(1, "レコード種別", CODE, 1, "3"), _frame_item(2, "レコード番号", NUMERIC, 9)),
)
