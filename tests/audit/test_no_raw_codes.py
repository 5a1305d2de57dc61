"""Words, not codes: change history, the access log (page and CSV), the office's admin history and the
billing export are scanned for the raw code values of every code set they could show."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from audit.labels import PAGE_LABELS
from cases import services
from cases.models import (
    BurdenCategory,
    ClientStatus,
    DisabilityCategory,
    EmploymentProof,
    PriorService,
    Role,
)
from tests.test_access_matrix import URLS
from visits import billing, rules

from ..factories import ClientFactory, EmployerFactory, MembershipFactory, client_in_service

pytestmark = pytest.mark.django_db

CODE_SETS = [ClientStatus, BurdenCategory, PriorService, DisabilityCategory, EmploymentProof, Role]
CODES = {value for choices in CODE_SETS for value in choices.values} | {
    rules.NO_FACE_TO_FACE, rules.OUTSIDE_WINDOW, rules.NO_DECISION, rules.NO_SUPPORT_REPORT,
    rules.NO_EMPLOYER_VISIT, rules.NO_AGREED_PLAN,
}
URL_NAME = re.compile(r"\b[a-z_]+:[a-z_]+\b")


def visible_text(html: str, start_marker: str = "<main") -> str:
    """The page's text after `start_marker`, without tags (class names and URLs don't count)."""
    body = html.split(start_marker, 1)[1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def raw_codes_in(text: str) -> set[str]:
    return {code for code in CODES if re.search(rf"(?<![\w/]){re.escape(code)}(?![\w/])", text)}


def test_every_url_name_has_a_page_label():
    missing = sorted(name for name in URLS if name not in PAGE_LABELS)
    assert not missing, f"add these URL names to audit/labels.py PAGE_LABELS: {missing}"


def test_change_history_shows_labels_names_and_dates(as_manager, manager, office):
    staff = MembershipFactory(office=office, role=Role.STAFF, user__last_name="佐藤", user__first_name="花子").user
    client = ClientFactory(office=office, status=ClientStatus.PREPARING, disability_categories=["mental"])
    services.client_update(
        actor=manager, client=client, status=ClientStatus.ACTIVE, burden_category=BurdenCategory.LOW_INCOME,
        prior_service=PriorService.CONTINUOUS_B, disability_categories=["mental", "developmental"],
        primary_staff=staff,
    )
    employer = EmployerFactory(office=office, name="株式会社みどり")
    employment = services.employment_save(
        actor=manager, client=client, employer=employer, hired_on=date(2025, 4, 1), disclosed=True,
    )
    services.employment_save(actor=manager, client=client, employment=employment, disclosed=False)
    decision = services.benefit_decision_save(
        actor=manager, client=client, starts_on=date(2025, 10, 1), ends_on=date(2026, 9, 30), municipality="新宿区",
    )
    services.benefit_decision_save(
        actor=manager, client=client, decision=decision, employment_proof=EmploymentProof.PAYSLIP,
    )
    text = visible_text(as_manager.get(reverse("audit:client_history", args=[client.pk])).content.decode())
    assert not raw_codes_in(text)
    assert "#" not in text
    for words in ("利用準備中", "利用中", "低所得", "就労継続支援B型", "精神・発達", "佐藤 花子",
                  "雇用（株式会社みどり・2025/04/01〜）", "はい", "いいえ", "支給決定（2025/10/01〜2026/09/30）",
                  "給与明細"):
        assert words in text, words


def test_access_log_page_and_csv_name_pages_in_words(as_admin, office):
    client = ClientFactory(office=office)
    for name in ("cases:client_detail", "audit:client_history", "visits:support_record"):
        as_admin.get(reverse(name, args=[client.pk]))
    as_admin.get(reverse("office:staff_list"))
    as_admin.get(reverse("visits:billing_export"), {"month": "2025-09", "format": "csv"})
    page = visible_text(as_admin.get(reverse("audit:access_log")).content.decode())
    assert not URL_NAME.findall(page)
    assert "利用者ページ" in page and "支援記録（全件）" in page
    rows = list(csv.reader(io.StringIO(b"".join(as_admin.get(reverse("audit:access_log_csv")).streaming_content).decode("utf-8-sig"))))
    page_column = rows[0].index("画面")
    assert not any(URL_NAME.findall(row[page_column]) for row in rows[1:])


def test_office_admin_history_shows_roles_in_words(as_admin, office):
    member = MembershipFactory(office=office, role=Role.STAFF).user
    as_admin.post(reverse("office:staff_role", args=[member.pk]), {"role": Role.MANAGER})
    as_admin.post(reverse("office:settings"), {"online_counts_as_face_to_face": "on", "record_retention_years": "5"})
    text = visible_text(as_admin.get(reverse("office:event_list")).content.decode())
    assert not raw_codes_in(text)
    assert "online_counts_as_face_to_face" not in text and "True" not in text
    assert "オンライン面談を対面として扱う: しない → する" in text


def test_billing_export_says_kanou_fukanou_and_reasons_in_japanese(office):
    client_in_service(office=office, hired_on=date(2024, 9, 2))
    rows = billing.billing_rows(office, date(2025, 9, 1))
    assert rows
    for row in rows:
        assert row[billing.HEADER.index("算定可否")] in ("可", "不可")
        assert not raw_codes_in(";".join(str(cell) for cell in row))
