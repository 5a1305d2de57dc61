"""The monthly billing export: one row builder for the browser download and the export_billing command."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import BurdenCategory
from visits import billing
from visits.models import MonthLock

from ..factories import ContactLogFactory, SupportReportFactory, client_in_service

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
AUG = date(2025, 8, 1)
EXPORT = reverse("visits:billing_export")


def billable(client, staff):
    ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 4))
    ContactLogFactory(client=client, staff=staff, on=date(2025, 8, 18), kind="workplace_visit", employer_met=True)
    SupportReportFactory(client=client, month=AUG, created_by=staff, shared_with_client_on=date(2025, 9, 2))


@pytest.fixture
def two_clients(office, staff):
    good = client_in_service(
        office=office,
        family_name="青木",
        given_name="一郎",
        family_name_kana="アオキ",
        given_name_kana="イチロウ",
        recipient_number="0012345678",
        burden_category=BurdenCategory.GENERAL_1,
    )
    billable(good, staff)
    bad = client_in_service(office=office, family_name_kana="イシイ", given_name_kana="ハナコ")
    ContactLogFactory(client=bad, staff=staff, on=date(2025, 8, 5), kind="phone")
    return good, bad


def test_rows_in_the_documented_order(office, two_clients):
    rows = billing.billing_rows(office, AUG)
    assert billing.HEADER == (
        "事業所番号",
        "サービス提供年月",
        "受給者証番号",
        "氏名",
        "フリガナ",
        "市町村",
        "負担上限区分",
        "負担上限月額",
        "対面支援日",
        "企業訪問日",
        "支援レポート共有日",
        "算定可否",
        "算定不可理由",
        "警告",
    )
    assert rows[0] == [
        office.provider_number,
        "202508",
        "0012345678",
        "青木 一郎",
        "アオキ イチロウ",
        "新宿区",
        "一般1",
        9300,
        "2025-08-04;2025-08-18",
        "2025-08-18",
        "2025-09-02",
        "可",
        "",
        # client_in_service works オープン with no consent to share with the employer: billable, said so
        "有効な支援計画がありません（減算）;オープン就労ですが企業への共有に本人の同意がありません",
    ]
    assert rows[1][11:] == [
        "不可",
        "対面支援（本人面談・職場訪問）がありません;支援レポートを本人と共有していません",
        "企業訪問がありません（努力義務）;有効な支援計画がありません（減算）;オープン就労ですが企業への共有に本人の同意がありません",
    ]


def test_browser_csv_and_command_csv_are_byte_identical(as_admin, office, two_clients, tmp_path):
    for fmt in ("csv", "csv-cp932"):
        response = as_admin.get(EXPORT, {"month": "2025-08", "format": fmt})
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        out = tmp_path / f"out-{fmt}.csv"
        call_command(
            "export_billing", office=office.provider_number, month="2025-08", format=fmt, output=str(out)
        )
        assert out.read_bytes() == response.content


def test_utf8_csv_has_a_bom_and_opens_with_the_header(as_admin, two_clients):
    content = as_admin.get(EXPORT, {"month": "2025-08", "format": "csv"}).content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "事業所番号" and len(rows) == 3


def test_cp932_replaces_characters_outside_it(office, staff):
    client_in_service(office=office, family_name="𠮷田", given_name="髙子")
    content = billing.render(billing.billing_rows(office, AUG), "csv-cp932")
    text = content.decode("cp932")
    assert "?田 髙子" in text and "事業所番号" in text


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_formula_cells_are_escaped(office, name):
    client_in_service(office=office, family_name=name, given_name="")
    content = billing.render(billing.billing_rows(office, AUG), "csv").decode("utf-8-sig")
    assert f"'{name}" in content
    sheet = load_workbook(io.BytesIO(billing.render(billing.billing_rows(office, AUG), "xlsx"))).active
    assert sheet.cell(row=2, column=4).value.startswith("'")


def test_xlsx_has_the_same_rows(as_admin, office, two_clients):
    content = as_admin.get(EXPORT, {"month": "2025-08", "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(values[0]) == billing.HEADER
    expected = [[v if v != "" else None for v in row] for row in billing.billing_rows(office, AUG)]
    assert values[1:] == expected
    assert values[1][2] == "0012345678"  # leading zeros kept as text


@pytest.mark.parametrize("who", ["as_staff", "as_manager"])
def test_only_admins_export(request, who, two_clients):
    client = request.getfixturevalue(who)
    assert client.get(EXPORT, {"month": "2025-08"}).status_code == 403
    assert client.get(reverse("visits:billing")).status_code == 403


def test_export_only_holds_the_admins_office(as_admin, other_office, two_clients, staff):
    client_in_service(office=other_office, recipient_number="0099999999")
    content = as_admin.get(EXPORT, {"month": "2025-08", "format": "csv"}).content
    assert b"0099999999" not in content


@pytest.mark.parametrize(
    "options, message",
    [
        ({"office": "9999999999", "month": "2025-08"}, "No office"),
        ({"month": "2025-13"}, "YYYY-MM"),
        ({"month": "202508"}, "YYYY-MM"),
    ],
)
def test_command_rejects_bad_input_without_writing(office, tmp_path, options, message):
    out = tmp_path / "x.csv"
    with pytest.raises(CommandError, match=message):
        call_command("export_billing", **{"office": office.provider_number, **options}, output=str(out))
    assert not out.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_export_query_count_is_constant(as_admin, office, staff, size, django_assert_max_num_queries):
    for _ in range(size):
        billable(client_in_service(office=office), staff)
    with django_assert_max_num_queries(9):  # the month rows read the plans' reviews too
        response = as_admin.get(EXPORT, {"month": "2025-08", "format": "csv"})
    assert response.content.decode("utf-8-sig").count("\r\n") == size + 1


def test_admin_locks_the_month_after_export(as_admin, office, admin_user):
    response = as_admin.post(reverse("visits:billing_lock"), {"month": "2025-08"})
    assert response.status_code == 302
    lock = MonthLock.objects.get()
    assert (lock.office, lock.month, lock.locked_by) == (office, AUG, admin_user)
    as_admin.post(reverse("visits:billing_lock"), {"month": "2025-08"})
    assert MonthLock.objects.count() == 1


@pytest.mark.parametrize("month", ["2025-09", "2025-10"])
def test_a_month_not_yet_over_cannot_be_locked(as_admin, month):
    as_admin.post(reverse("visits:billing_lock"), {"month": month})
    assert not MonthLock.objects.exists()
