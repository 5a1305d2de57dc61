"""check_claim_file: the validator from the command line, exit status 1 on any error."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.interface import validate_claim_file, validate_claim_files, write_claim_files

from .month import MONTH, SETTINGS

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def files():
    return {claim_file.name: claim_file.data for claim_file in write_claim_files(MONTH, SETTINGS)}


def replace_item(data: bytes, record: int, field: int, value: str) -> bytes:
    """The file with field ``field`` (1-based, the record's "2" and number included) of record ``record``."""
    lines = data.split(b"\r\n")
    fields = lines[record - 1].decode("cp932").split(",")
    fields[field - 1] = value
    lines[record - 1] = ",".join(fields).encode("cp932")
    return b"\r\n".join(lines)


def check(tmp_path, capsys, *named, options=()):
    paths = []
    for name, data in named:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    try:
        call_command("check_claim_file", *paths, *options)
    except CommandError as error:
        return str(error), capsys.readouterr().err.splitlines()
    return None, capsys.readouterr().out.splitlines()


def test_good_files_pass(tmp_path, capsys, files):
    error, out = check(
        tmp_path, capsys, *files.items(), options=("--form-type", "9901", "--contract-required", "7,9")
    )
    assert error is None
    assert out == ["エラーはありません（3ファイル）。"]


def test_wrong_byte_length_is_rejected(tmp_path, capsys, files):
    # record 2 of MEISAI is 山田's J121:01; field 12 = item 10 地域区分コード (2 bytes at most)
    data = replace_item(files["MEISAI.CSV"], 2, 12, "123")
    error, lines = check(tmp_path, capsys, ("MEISAI.CSV", data))
    assert error == "1件のエラーがあります。"
    assert lines == [
        "ファイル MEISAI.CSV レコード2 （J121:01） 受給者証番号 0000012345 項目10「地域区分コード」: "
        "3バイトあり、最大2バイトを超えています。"
    ]


def test_missing_required_item_is_rejected(tmp_path, capsys, files):
    # field 12 = item 10 地域区分コード
    data = replace_item(files["MEISAI.CSV"], 2, 12, "")
    error, lines = check(tmp_path, capsys, ("MEISAI.CSV", data))
    assert error == "1件のエラーがあります。"
    assert lines == [
        "ファイル MEISAI.CSV レコード2 （J121:01） 受給者証番号 0000012345 項目10「地域区分コード」: "
        "必須項目が設定されていません。"
    ]


def test_broken_count_is_rejected(tmp_path, capsys, files):
    data = replace_item(files["MEISAI.CSV"], 1, 4, "14")
    error, lines = check(tmp_path, capsys, ("MEISAI.CSV", data))
    assert error == "1件のエラーがあります。"
    assert lines == [
        "ファイル MEISAI.CSV レコード1 （コントロール） 項目4「レコード件数」: "
        "コントロールレコードのレコード件数が 14 ですが、データレコードは 15 件です。"
    ]


def test_line_not_ending_with_crlf_is_rejected(tmp_path, capsys, files):
    lines = files["JISSEKI.CSV"].split(b"\r\n")
    data = b"\r\n".join(lines[:3]) + b"\n" + b"\r\n".join(lines[3:])
    error, out = check(tmp_path, capsys, ("JISSEKI.CSV", data))
    assert error == "1件のエラーがあります。"
    assert out == ["ファイル JISSEKI.CSV レコード3: レコードの終わりがCRLFではありません。"]


def test_missing_final_crlf_is_rejected(files):
    problems = validate_claim_file(files["SEIKYU.CSV"][:-2], name="SEIKYU.CSV")
    assert [str(p) for p in problems] == [
        "ファイル SEIKYU.CSV レコード6: 最後のレコードがCRLFで終わっていません。"
    ]


def test_non_cp932_byte_is_rejected(tmp_path, capsys, files):
    data = files["MEISAI.CSV"].replace("ﾔﾏﾀﾞ".encode("cp932"), b"\xd4\xcf\x85\x40", 1)
    error, lines = check(tmp_path, capsys, ("MEISAI.CSV", data))
    assert error == "1件のエラーがあります。"
    assert lines == [
        "ファイル MEISAI.CSV レコード2: CP932として読めないバイト 0x85 があります（53バイト目）。"
    ]


def test_item_count_record_numbering_and_quoting(files):
    seikyu = files["SEIKYU.CSV"]
    fewer = seikyu.replace(b",\r\n2,3,", b"\r\n2,3,", 1)  # J111:01 loses its last item
    assert [p.message for p in validate_claim_file(fewer)] == [
        "項目数が 24 ですが、25 でなければなりません。"
    ]
    renumbered = replace_item(seikyu, 3, 2, "4")
    assert [p.message for p in validate_claim_file(renumbered)] == [
        "レコード番号が 4 ですが、3 番目のレコードです。"
    ]
    unquoted = files["MEISAI.CSV"].replace('"ﾔﾏﾀﾞ ﾀﾛｳ"'.encode("cp932"), "ﾔﾏﾀﾞ ﾀﾛｳ".encode("cp932"), 1)
    assert [p.message for p in validate_claim_file(unquoted)] == [
        'カンマ・空白・全角文字を含む項目は引用符（"）で囲みます。'
    ]


def test_totals_are_cross_checked(files):
    # J111:02 of 131016 claims 給付費 79,343 instead of Σ J121 79,342 (its 小計 in J111:01 stay 79,342)
    seikyu = replace_item(files["SEIKYU.CSV"], 3, 13, "79343")
    problems = validate_claim_files([("SEIKYU.CSV", seikyu), ("MEISAI.CSV", files["MEISAI.CSV"])])
    assert [str(p) for p in problems] == [
        "ファイル SEIKYU.CSV レコード3 （J111:02） 項目11「給付費請求額」: 79343 ですが、明細書（J121:01）の合計 は 79342 です。",
        "ファイル SEIKYU.CSV レコード2 （J111:01） 項目10「給付費請求額」: 79342 ですが、請求書明細（J111:02）の合計 は 79343 です。",
        "ファイル SEIKYU.CSV レコード2 （J111:01） 項目20「給付費請求額」: 79342 ですが、請求書明細（J111:02）の合計 は 79343 です。",
    ]
    # J611:01 of 山田 says 3 算定日数 where its J611:02 have 2
    jisseki = replace_item(files["JISSEKI.CSV"], 2, 39, "3")
    assert [str(p) for p in validate_claim_file(jisseki, name="JISSEKI.CSV")] == [
        "ファイル JISSEKI.CSV レコード2 （J611:01） 受給者証番号 0000012345 項目37「合計算定日数（日）」: "
        "3 ですが、明細（J611:02）の算定日数1の日数 は 2 です。"
    ]


def test_office_settings_add_checks(tmp_path, capsys, files):
    error, lines = check(
        tmp_path, capsys, ("JISSEKI.CSV", files["JISSEKI.CSV"]), options=("--form-type", "0301")
    )
    assert error == "7件のエラーがあります。"
    assert lines[0].endswith("項目7「様式種別番号」: 様式種別番号が事業所の設定（0301）と異なります。")
    meisai = replace_item(files["MEISAI.CSV"], 12, 11, "")  # 鈴木's J121:05 契約開始年月日
    assert check(tmp_path, capsys, ("MEISAI.CSV", meisai))[0] is None
    error, lines = check(tmp_path, capsys, ("MEISAI.CSV", meisai), options=("--contract-required", "9"))
    assert lines == [
        "ファイル MEISAI.CSV レコード12 （J121:05） 受給者証番号 0000067890 項目9「契約開始年月日」: "
        "必須項目が設定されていません。"
    ]
    with pytest.raises(CommandError, match="項目番号は7〜11"):
        call_command("check_claim_file", str(tmp_path / "MEISAI.CSV"), "--contract-required", "3")


def test_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="を読めません"):
        call_command("check_claim_file", str(tmp_path / "NONE.CSV"))


def test_exit_status_is_1_on_an_error_and_0_without(tmp_path, files):
    good = tmp_path / "SEIKYU.CSV"
    good.write_bytes(files["SEIKYU.CSV"])
    bad = tmp_path / "BAD.CSV"
    bad.write_bytes(files["SEIKYU.CSV"].replace(b"\r\n", b"\n"))
    env = {**os.environ, "SECRET_KEY": "test-only"}
    run = [sys.executable, str(REPO / "manage.py"), "check_claim_file"]
    assert subprocess.run([*run, str(good)], env=env, capture_output=True, cwd=REPO).returncode == 0
    result = subprocess.run([*run, str(bad)], env=env, capture_output=True, cwd=REPO)
    assert result.returncode == 1
    assert "レコードの終わりがCRLFではありません。" in result.stderr.decode()


def test_statements_and_service_records_name_the_same_clients(files):
    jisseki = files["JISSEKI.CSV"].split(b"\r\n")
    # drop 鈴木's J611:01 and J611:02 (records 5 and 6) and renumber
    kept = [line for number, line in enumerate(jisseki, start=1) if number not in (5, 6)]
    rows = [line.decode("cp932").split(",") for line in kept if line]
    rows[0][3] = str(len(rows) - 2)
    for number, row in enumerate(rows, start=1):
        row[1] = str(number)
    data = b"".join(",".join(row).encode("cp932") + b"\r\n" for row in rows)
    problems = validate_claim_files([("MEISAI.CSV", files["MEISAI.CSV"]), ("JISSEKI.CSV", data)])
    assert [str(p) for p in problems] == [
        "ファイル MEISAI.CSV レコード7 （J121:01） 受給者証番号 0000067890: この利用者の実績記録票（J611:01）がありません。"
    ]


def test_days_of_the_statement_match_the_service_record(files):
    meisai = replace_item(files["MEISAI.CSV"], 6, 11, "3")  # 山田's J121:04 サービス利用日数 3, J611:02 has 2
    problems = validate_claim_files([("MEISAI.CSV", meisai), ("JISSEKI.CSV", files["JISSEKI.CSV"])])
    assert [str(p) for p in problems] == [
        "ファイル MEISAI.CSV レコード6 （J121:04） 受給者証番号 0000012345 項目9「サービス利用日数」: "
        "3 ですが、実績記録票（J611:02）の日数 は 2 です。"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\r\n",
        b"2\r\n",
        b'"',
        b'1,"a\r\n',
        b"1,1\r\n3,2\r\n",
        b"2,2,J121\r\n",
        b"2,2,J999,01\r\n",
        b"1,1,0,x,J12,0,1,0,1,2026,\r\n2,2,J121,01\r\n3,3",
        b"\x00\xff\x81",
        b"2,2,J121,04," + b"9" * 50 + b"\r\n",
    ],
)
def test_any_input_gives_problems_never_an_exception(data):
    assert validate_claim_file(data)


def test_random_damage_to_good_files_gives_problems_never_an_exception(files):
    rng = random.Random(15)
    whole = files["SEIKYU.CSV"] + files["MEISAI.CSV"][:200]
    for _ in range(300):
        data = bytearray(whole)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        validate_claim_files([("A.CSV", bytes(data)), ("B.CSV", files["JISSEKI.CSV"])])


def test_the_fast_record_check_never_accepts_what_the_item_check_rejects(files):
    from claims.interface.encoding import well_formed
    from claims.interface.layout import layouts
    from claims.interface.validator import _item_problems, parse_fields

    rng = random.Random(1015)
    alphabet = list("0123456789-AZaz ,\"'\t") + ["ｱ", "ﾞ", "会", "\ue000", "\uf8f3", "〜", "Ⅰ", "é", ""]
    lines = [
        line.decode("cp932")
        for data in files.values()
        for line in data.split(b"\r\n")
        if line.startswith(b"2,")
    ]
    checked = 0
    for _ in range(3000):
        text = rng.choice(lines)
        characters = list(text)
        for _ in range(rng.randint(1, 3)):
            characters[rng.randrange(len(characters))] = rng.choice(alphabet)
        text = "".join(characters)
        parsed = parse_fields(text)
        if parsed is None or len(parsed) < 4:
            continue
        layout = layouts().get(f"{parsed[2][0]}:{parsed[3][0]}")
        if layout is None or len(parsed) - 2 != len(layout.items):
            continue
        if well_formed(layout, text):
            checked += 1
            assert list(_item_problems(layout, parsed[2:], frozenset())) == [], text
    assert checked > 100


def test_one_file_may_hold_all_three_kinds(files):
    data_rows = [
        line.decode("cp932").split(",", 2)[2]
        for name in ("SEIKYU.CSV", "MEISAI.CSV", "JISSEKI.CSV")
        for line in files[name].split(b"\r\n")
        if line.startswith(b"2,")
    ]
    lines = [f"1,1,0,{len(data_rows)},J11,0,1310100011,0,1,202611,"]
    lines += [f"2,{number},{row}" for number, row in enumerate(data_rows, start=2)]
    lines.append(f"3,{len(data_rows) + 2}")
    combined = "".join(line + "\r\n" for line in lines).encode("cp932")
    assert validate_claim_file(combined, name="ALL.CSV", settings=SETTINGS) == []
