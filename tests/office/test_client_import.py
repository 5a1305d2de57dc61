"""Importing clients from CSV (UTF-8 / cp932) or XLSX: preview, all or nothing, errors in Japanese,
failed rows to download, duplicates needing a decision, and the import history."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.models import BenefitDecision, Client, Employment, Role
from flags.models import Flag
from office import importer
from office.models import ClientImport, ImportStatus

from ..factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db

GOOD = [
    ["1000000001", "山田", "花子", "やまだ", "ﾊﾅｺ", "1990-04-01", "精神", "新宿区", "一般1", "就労移行支援",
     "利用中", "{staff}", "", "株式会社みどり", "2025-01-06", "", "事務補助", "30", "オープン",
     "2025-07-06", "2026-07-05", ""],
    ["1000000002", "佐藤", "一郎", "サトウ", "イチロウ", "1985/12/3", "知的・発達", "新宿区", "低所得", "",
     "", "", "", "", "", "", "", "", "", "", "", ""],
]
BAD = [
    # birth date is not a date
    ["1000000003", "鈴木", "次郎", "スズキ", "ジロウ", "1990-13-40", "", "新宿区", "", "", "", "", "", "",
     "", "", "", "", "", "", "", ""],
    # burden category that does not exist
    ["1000000004", "高橋", "三郎", "タカハシ", "サブロウ", "1991-01-01", "", "新宿区", "一般3", "", "", "",
     "", "", "", "", "", "", "", "", "", ""],
    # a 支給決定 longer than one year: refused by the cases service
    ["1000000005", "田中", "四郎", "タナカ", "シロウ", "1992-02-02", "", "新宿区", "", "", "", "", "", "",
     "", "", "", "", "", "2025-07-06", "2026-08-31", ""],
]
FIXED = {
    "1000000003": {5: "1990-12-04"},
    "1000000004": {8: "一般2"},
    "1000000005": {20: "2026-07-05"},
}


def _csv(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(importer.HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _upload(client, content, name="clients.csv"):
    return client.post(reverse("office:import_start"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def staff_member(office):
    return MembershipFactory(office=office, role=Role.STAFF, user__username="sato")


def _rows(staff_member, rows):
    return [[cell.replace("{staff}", staff_member.user.username) for cell in row] for row in rows]


def test_three_bad_rows_import_nothing_and_come_back_then_the_corrected_file_imports(
    as_admin, office, staff_member
):
    response = _upload(as_admin, _csv(_rows(staff_member, GOOD + BAD)))
    first = ClientImport.objects.get()
    assert response["Location"] == reverse("office:import_preview", args=[first.pk])
    page = as_admin.get(response["Location"]).content.decode()
    assert page.count('class="import-error"') == 3
    assert "4行目「生年月日」: 日付として読めません" in page
    assert "5行目「負担上限区分」: 「一般3」は選べません" in page
    assert "6行目「支給決定終了日」: 支給決定期間は1年以内です" in page
    assert not Client.objects.exists()  # the preview wrote nothing
    assert not Flag.objects.exists()
    assert as_admin.post(reverse("office:import_preview", args=[first.pk])).status_code == 200
    assert not Client.objects.exists()  # nor does a file with errors import

    failed = as_admin.get(reverse("office:import_failed_rows", args=[first.pk]))
    failed_rows = list(csv.reader(io.StringIO(failed.content.decode("utf-8-sig"))))
    assert failed_rows[0] == [*importer.HEADERS, importer.ERROR_HEADER]
    assert [row[0] for row in failed_rows[1:]] == ["1000000003", "1000000004", "1000000005"]

    # the office corrects the returned file and uploads it again
    corrected = []
    for row in failed_rows[1:]:
        row = row[: len(importer.HEADERS)]
        for index, value in FIXED[row[0]].items():
            row[index] = value
        corrected.append(row)
    response = _upload(as_admin, _csv(_rows(staff_member, GOOD) + corrected, encoding="cp932"), "fixed.csv")
    second = ClientImport.objects.exclude(pk=first.pk).get()
    assert second.status == ImportStatus.PREVIEWED and second.created_count == 5
    response = as_admin.post(reverse("office:import_preview", args=[second.pk]))
    assert response.status_code == 302
    assert Client.objects.filter(office=office).count() == 5
    hanako = Client.objects.get(recipient_number="1000000001")
    assert (hanako.family_name_kana, hanako.given_name_kana) == ("ヤマダ", "ハナコ")
    assert hanako.primary_staff == staff_member.user and hanako.window_starts_on is not None
    assert Employment.objects.get(client=hanako).employer.name == "株式会社みどり"
    assert BenefitDecision.objects.filter(client__office=office).count() == 2
    # the office's flags were computed once, after the rows, as each service would have
    assert Flag.objects.filter(client=hanako).exists()

    history = as_admin.get(reverse("office:import_start")).content.decode()
    assert history.count('class="import-history-row"') == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.error_count, first.created_count) == (ImportStatus.INVALID, 3, 2)
    assert (second.status, second.created_count, second.error_count) == (ImportStatus.IMPORTED, 5, 0)
    assert len(second.sha256) == 64 and second.sha256 != first.sha256
    assert "エラーあり（取り込みなし）" in history and "取り込み済み" in history


def test_xlsx_template_round_trip(as_admin, office, staff_member):
    template = as_admin.get(reverse("office:import_template_xlsx"))
    workbook = load_workbook(io.BytesIO(template.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == importer.HEADERS
    book = Workbook()
    sheet = book.active
    sheet.append(importer.HEADERS)
    for row in _rows(staff_member, GOOD):
        sheet.append(row)
    sheet.append([12345678, "伊藤", "三郎", "イトウ", "サブロウ", date(1988, 8, 8), "", "新宿区"])  # numbers and dates as cells
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(as_admin, buffer.getvalue(), "clients.xlsx")
    record = ClientImport.objects.get()
    assert record.status == ImportStatus.PREVIEWED
    as_admin.post(reverse("office:import_preview", args=[record.pk]))
    assert Client.objects.filter(office=office).count() == 3
    assert Client.objects.get(recipient_number="0012345678").birth_date == date(1988, 8, 8)


def test_csv_template_has_japanese_headers(as_admin):
    content = as_admin.get(reverse("office:import_template_csv")).content.decode("utf-8-sig")
    assert content.splitlines()[0].split(",")[:3] == ["受給者証番号", "姓", "名"]


def test_possible_duplicates_need_a_decision(as_admin, office, staff_member):
    same_number = ClientFactory(office=office, recipient_number="1000000001", municipality="中野区")
    same_person = ClientFactory(
        office=office, recipient_number="1999999999", family_name_kana="サトウ", given_name_kana="イチロウ",
        birth_date=date(1985, 12, 3),
    )
    _upload(as_admin, _csv(_rows(staff_member, GOOD)))
    record = ClientImport.objects.get()
    page = as_admin.get(reverse("office:import_preview", args=[record.pk])).content.decode()
    assert "同じ受給者証番号の利用者がいます" in page and "生年月日とフリガナが同じ利用者がいます" in page
    # without a decision nothing is imported
    as_admin.post(reverse("office:import_preview", args=[record.pk]))
    assert Client.objects.filter(office=office).count() == 2
    # update the first, leave the second out
    response = as_admin.post(reverse("office:import_preview", args=[record.pk]), {"decide-2": "take", "decide-3": "skip"})
    assert response.status_code == 302
    same_number.refresh_from_db()
    assert same_number.municipality == "新宿区" and same_number.family_name == "山田"
    assert Client.objects.filter(office=office).count() == 2
    same_person.refresh_from_db()
    assert same_person.given_name != "一郎"


def test_an_unreadable_file_is_refused_in_japanese(as_admin):
    response = _upload(as_admin, b"\x89PNG not a table", "photo.csv")
    assert "文字コードを判別できません" in response.content.decode() or "見出しの行" in response.content.decode()
    response = _upload(as_admin, b"a,b\n1,2\n", "wrong.csv")
    assert "見出しの行に次の列がありません" in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize("text", ["さいとう", "サイトウ", "ｻｲﾄｳ", "サイ トウ"])
def test_kana_normalisation(text):
    assert importer.normalise_kana(text) == "サイトウ"


def test_another_offices_import_is_not_found(as_admin):
    from ..factories import ClientImportFactory

    other = ClientImportFactory()
    assert as_admin.get(reverse("office:import_preview", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.csv", b""),
        ("header-only.csv", _csv([])),
        ("broken.xlsx", b"PK\x03\x04 not really a workbook"),
        ("sjis.csv", "受給者証番号,姓\n１２３,山田\n".encode("cp932")),
        ("long.csv", _csv([["1" * 10, "山" * 80, "名", "セイ", "メイ", "2000-01-01", "", "新宿区"]])),
        ("bad-number.csv", _csv([["abc", "山田", "花子", "ヤマダ", "ハナコ", "2000-01-01", "", "新宿区"]])),
    ],
)
def test_no_input_gives_a_server_error(as_admin, name, content):
    response = _upload(as_admin, content, name)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        page = as_admin.get(response["Location"])
        assert page.status_code == 200 and 'class="import-error"' in page.content.decode()
        assert as_admin.post(response["Location"], {"decide-2": "nonsense"}).status_code == 200
    assert not Client.objects.exists()


def test_workplace_kind_and_prior_service_end_are_imported(as_admin, office, staff_member):
    row = _rows(staff_member, GOOD)[0] + ["2025-03-31", "就労継続支援A型事業所"]
    _upload(as_admin, _csv([row]))
    record = ClientImport.objects.get()
    as_admin.post(reverse("office:import_preview", args=[record.pk]))
    client = Client.objects.get(recipient_number="1000000001")
    assert client.prior_service_ended_on == date(2025, 3, 31)
    assert Employment.objects.get(client=client).workplace_kind == "continuous_a"
    bad = _rows(staff_member, GOOD)[1] + ["", "工場"]
    _upload(as_admin, _csv([bad]), "bad.csv")
    page = as_admin.get(reverse("office:import_preview", args=[ClientImport.objects.latest("pk").pk]))
    assert "2行目「就労先の種類」: 「工場」は選べません" in page.content.decode()
