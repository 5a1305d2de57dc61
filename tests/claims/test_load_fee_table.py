"""load_fee_table: the official tables from CSV, all or nothing, each file kept by its SHA-256."""

import hashlib
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import FeeTableFile, ServiceCode, UnitPrice

pytestmark = pytest.mark.django_db

PRICES = "サービス種類,級地,単位数単価,適用開始日,適用終了日\n47,一級地,11.20,2024-04-01,\n47,23,10.00,2024-04-01,\n"
CODES = (
    "サービスコード,サービス名称,単位数,算定項目,適用開始日,適用終了日\n"
    "471111,就定Ⅰ１,3512,basic:95,2024-04-01,\n"
    "475010,就定地域連携会議実施加算Ⅰ,579,addon:meeting_1,2024-04-01,2027-03-31\n"
)


def load(tmp_path, text, encoding="utf-8", name="table.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    out = StringIO()
    call_command("load_fee_table", str(path), source="告示第539号 別表（テスト）", stdout=out)
    return path, out.getvalue()


def test_unit_prices_are_loaded_with_the_file_hash(tmp_path):
    path, out = load(tmp_path, PRICES)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest in out
    record = FeeTableFile.objects.get()
    assert record.sha256 == digest and record.rows == 2 and record.kind == "unit_price"
    price = UnitPrice.objects.get(region="11")
    assert (
        price.price == Decimal("11.200") and price.valid_from == date(2024, 4, 1) and price.valid_to is None
    )
    assert price.file == record and digest[:16] in price.source and price.confirmed


def test_service_codes_in_shift_jis(tmp_path):
    load(tmp_path, CODES, encoding="cp932")
    code = ServiceCode.objects.get(key="addon:meeting_1")
    assert (code.code, code.name, code.units, code.valid_to) == (
        "475010",
        "就定地域連携会議実施加算Ⅰ",
        579,
        date(2027, 3, 31),
    )


def test_the_same_file_twice_is_refused(tmp_path):
    load(tmp_path, PRICES)
    with pytest.raises(CommandError, match="読み込み済み"):
        load(tmp_path, PRICES)
    assert FeeTableFile.objects.count() == 1


def test_a_corrected_table_replaces_the_rows_of_the_same_start(tmp_path):
    load(tmp_path, PRICES)
    load(tmp_path, PRICES.replace("11.20", "11.10"), name="fixed.csv")
    assert UnitPrice.objects.get(region="11").price == Decimal("11.100")
    assert UnitPrice.objects.count() == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,c\n1,2,3\n", "見出し行が違います"),
        (PRICES + "47,八級地,11.00,2024-04-01,\n", "4行目: 級地"),
        (PRICES + "47,一級地,abc,2024-04-01,\n", "4行目: 単位数単価は数値です"),
        (PRICES + "47,一級地,11.00,2024/13/01,\n", "4行目: 日付"),
        (PRICES + "47,一級地,11.00,2024-04-01,2023-04-01\n", "4行目: 適用終了日が適用開始日より前"),
        (CODES + "481111,x,1,basic:90,2024-04-01,\n", "4行目: サービスコード “481111”"),
        (CODES + "471112,x,1.5,basic:90,2024-04-01,\n", "4行目: 単位数は整数"),
        (CODES + "471112,x\n", "4行目: 列が足りません"),
        ("", "ファイルが空です"),
    ],
)
def test_bad_rows_load_nothing_and_say_where(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        load(tmp_path, text)
    assert (
        not UnitPrice.objects.exists()
        and not ServiceCode.objects.exists()
        and not FeeTableFile.objects.exists()
    )


def test_the_known_values_ship_with_their_source():
    from claims.models import Addon, BasicFee, ReductionStep

    fees = dict(BasicFee.objects.values_list("tier", "units"))
    assert fees == {"95": 3512, "90": 3348, "80": 2768, "70": 2234, "50": 1690, "30": 1433, "0": 1074}
    assert all(f.source and f.valid_from == date(2024, 4, 1) for f in BasicFee.objects.all())
    units = dict(Addon.objects.values_list("code", "units"))
    assert units["meeting_1"] == 579 and units["meeting_2"] == 405 and units["retention_results"] == 300
    assert units["job_coach"] == 120 and units["special_area"] == 240
    assert units["initial"] is None and not Addon.objects.get(code="initial").confirmed
    assert not ReductionStep.objects.get(code="manager_vacancy", from_month=5).confirmed
    assert ReductionStep.objects.get(code="no_plan", from_month=3).rate == Decimal("0.5")
