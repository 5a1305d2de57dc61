"""The one encoder: attributes, byte lengths on CP932, quoting, zero, half-width kana, forbidden characters."""

from datetime import date

import pytest

from claims.interface import ClaimFileError
from claims.interface.encoding import (
    ClaimFileWriter,
    encode_line,
    format_value,
    item_problem,
    quote,
    to_alnum,
)
from claims.interface.layout import layouts

J121_01 = layouts()["J121:01"]
KANA, AREA, CAP = J121_01.item(8), J121_01.item(10), J121_01.item(12)
REMARK = layouts()["J611:02"].item(35)
SHARED_ON = layouts()["J611:01"].item(153)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("ｶﾞｯｺｳ", "ｶﾞｯｺｳ"),
        ("ａｂｃ１", "ABC1"),
        ("サトー", "ｻﾄｰ"),
        ("smith", "SMITH"),
        ("ゔぁ", "ｳﾞｧ"),
    ],
)
def test_kana_names_become_half_width(given, expected):
    assert to_alnum(given) == expected


@pytest.mark.parametrize(
    "item, text, problem",
    [
        (CAP, "0", None),
        (CAP, "-100", None),
        (CAP, "1234567", "7バイトあり、最大6バイトを超えています。"),
        (CAP, "9,300", "数値項目に数字以外が含まれています。"),
        (AREA, "1a", "コード値項目に数字以外が含まれています。"),
        (KANA, "ﾔﾏﾀﾞ ﾀﾛｳ", None),
        (KANA, "山田", "英数項目には半角の英大文字・数字・カナしか使えません。"),
        (KANA, "ﾔﾏﾀﾞ" * 7, "28バイトあり、最大25バイトを超えています。"),  # 28 one-byte kana
        (KANA, "O'NEIL", "使えない文字（シングルクォートまたは制御文字）が含まれています。"),
        (KANA, "A\tB", "使えない文字（シングルクォートまたは制御文字）が含まれています。"),
        (REMARK, "会議" * 25, None),  # 100 bytes
        (REMARK, "会議" * 25 + "。", "102バイトあり、最大100バイトを超えています。"),
        (REMARK, "会議A", "漢字項目には全角（2バイト）文字しか使えません。"),
        (REMARK, "😀", "CP932（Shift_JIS）で表せない文字「😀」が含まれています。"),
        (REMARK, "\ue000", "外字（利用者定義文字）は使えません。"),
        (SHARED_ON, "20261031", None),
        (SHARED_ON, "20261131", "日付（YYYYMMDD）として正しくありません。"),
        (layouts()["J121:04"].item(12), "5", "「0」でなければなりません。"),
        (layouts()["J611:01"].item(172), "1", "設定しない項目に値があります。"),
    ],
)
def test_item_checks(item, text, problem):
    assert item_problem(item, text) == problem


def test_values_formatted_by_attribute():
    assert format_value(CAP, 0) == "0"
    assert format_value(CAP, None) == ""
    assert format_value(SHARED_ON, date(2026, 10, 5)) == "20261005"
    assert format_value(REMARK, "電話 1回") == "電話　１回"
    assert format_value(REMARK, "〜") == "～"  # the wave dash CP932 has


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("0000012345", "0000012345"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", '"ﾔﾏﾀﾞ ﾀﾛｳ"'),
        ("ﾔﾏﾀﾞ", "ﾔﾏﾀﾞ"),
        ("会議", '"会議"'),
        ('A"B', '"A""B"'),
        ("A,B", '"A,B"'),
        ("", ""),
    ],
)
def test_quoting_rule(text, quoted):
    assert quote(text) == quoted


def test_lines_end_with_crlf_in_cp932():
    assert encode_line(["2", "3", "会議"]) == '2,3,"会議"\r\n'.encode("cp932")


def test_writer_refuses_a_record_and_names_the_client_and_the_item():
    writer = ClaimFileWriter(
        office_number="1310100011", processing_month=date(2026, 11, 1), name="MEISAI.CSV"
    )
    writer.add(
        "J121:02",
        {3: date(2026, 10, 1), 4: "131016", 5: "1310100011", 6: "0000012345", 7: "47", 10: 2},
        recipient="0000012345",
    )
    with pytest.raises(ClaimFileError) as raised:
        writer.getvalue()
    (problem,) = raised.value.problems
    assert (problem.record_number, problem.record, problem.recipient, problem.item_no) == (
        2,
        "J121:02",
        "0000012345",
        8,
    )
    assert str(problem) == (
        "ファイル MEISAI.CSV レコード2 （J121:02） 受給者証番号 0000012345 項目8「開始年月日」: 必須項目が設定されていません。"
    )
