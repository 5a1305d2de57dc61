"""Importing clients with their employment, 支給決定 and staff in charge from CSV (UTF-8 or cp932) or XLSX.

Three steps: `parse` reads the file into rows of typed values (errors per cell); `plan` decides per row
whether it creates, updates or skips a client and which rows are possible duplicates needing a
decision; `run` checks every row with the cases services' validators and writes them in bulk in ONE
transaction, collecting every row's errors, and rolls everything back when one row fails or when it
only previews.
"""

import copy
import csv
import functools
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import jaconv
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from audit.csv_export import safe_cell
from cases import locks
from cases import services as case_services
from cases.models import (
    BenefitDecision,
    BurdenCategory,
    Client,
    ClientStatus,
    DisabilityCategory,
    Employer,
    Employment,
    Membership,
    Office,
    PriorService,
    User,
    WorkplaceKind,
)
from cases.signals import announce_many
from core.bulk import create_objects, cyclic_gc_paused, insert_history
from core.dates import month_start
from core.kana import normalise_kana
from core.locking import move_versions_on
from core.services import assign_fields
from flags.services import flags_refreshed_per_office

logger = logging.getLogger(__name__)

MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024

# (header, key, required): the template's columns, in order.
COLUMNS = [
    ("受給者証番号", "recipient_number", True),
    ("姓", "family_name", True),
    ("名", "given_name", True),
    ("セイ", "family_name_kana", True),
    ("メイ", "given_name_kana", True),
    ("生年月日", "birth_date", True),
    ("障害種別", "disability_categories", False),
    ("支給決定市町村", "municipality", True),
    ("負担上限区分", "burden_category", False),
    ("利用前サービス", "prior_service", False),
    ("状態", "status", False),
    ("担当支援員（ユーザー名）", "primary_staff", False),
    ("備考", "note", False),
    ("企業名", "employer", False),
    ("雇用開始日", "hired_on", False),
    ("離職日", "left_on", False),
    ("職種", "job_title", False),
    ("週所定労働時間", "weekly_hours", False),
    ("障害開示", "disclosed", False),
    ("支給決定開始日", "decision_starts_on", False),
    ("支給決定終了日", "decision_ends_on", False),
    ("決定日", "decided_on", False),
    ("就労移行支援等の利用終了日", "prior_service_ended_on", False),
    ("就労先の種類", "workplace_kind", False),
]
HEADERS = [header for header, _key, _required in COLUMNS]
HEADER_OF = {key: header for header, key, _required in COLUMNS}
ERROR_HEADER = "エラー内容"
CLIENT_KEYS = [key for key in case_services.CLIENT_FIELDS]
EMPLOYMENT_KEYS = ("employer", "workplace_kind", "hired_on", "left_on", "job_title", "weekly_hours", "disclosed")
# A service's field name → the key of the column it came from.
EMPLOYMENT_FIELD_KEYS = {name: name for name in EMPLOYMENT_KEYS}
DECISION_FIELD_KEYS = {
    "starts_on": "decision_starts_on",
    "ends_on": "decision_ends_on",
    "decided_on": "decided_on",
    "municipality": "municipality",
}
DISCLOSED_LABELS = {"オープン": True, "開示": True, "クローズ": False, "非開示": False}

CREATE, UPDATE, SKIP = "create", "update", "skip"
ACTION_LABELS = {
    CREATE: gettext_lazy("新規登録"),
    UPDATE: gettext_lazy("更新"),
    SKIP: gettext_lazy("スキップ"),
}
# Decisions a possible duplicate needs: take the row (as its action says) or leave it out.
DECIDE_TAKE, DECIDE_SKIP = "take", "skip"


def _normalise_cell(value) -> str | date | datetime | int | float | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class FileError(Exception):
    """The file as a whole can't be read: the message says why, in Japanese."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"「{self.column}」" if self.column else ""
        return _("%(row)s行目%(where)s: %(message)s") % {
            "row": self.row,
            "where": where,
            "message": self.message,
        }


@dataclass
class Row:
    number: int  # the line in the file (the header is line 1)
    raw: dict  # header → cell as read
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    action: str = CREATE
    existing: Client | None = None
    duplicates: list = field(default_factory=list)  # (client, why) pairs needing a decision

    def error(self, key_or_column: str, message):
        column = HEADER_OF.get(key_or_column, key_or_column)
        self.errors.append(RowError(self.number, column, str(message)))

    @property
    def needs_decision(self) -> bool:
        return bool(self.duplicates)

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


# --- reading -------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> list[list]:
    """The file's cells as rows of values: XLSX by its name or signature, otherwise CSV in UTF-8
    (with or without BOM) or cp932."""
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(
            _("文字コードを判別できません。UTF-8 または Shift_JIS（cp932）の CSV にしてください。")
        )
    return list(csv.reader(io.StringIO(text)))


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileError(_("Excel ファイル（.xlsx）として読み込めません。")) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def parse(content: bytes, filename: str) -> list[Row]:
    if len(content) > MAX_BYTES:
        raise FileError(_("ファイルが大きすぎます（10MB まで）。"))
    table = read_table(content, filename)
    if not table:
        raise FileError(_("ファイルが空です。"))
    header = [str(_normalise_cell(cell) or "") for cell in table[0]]
    missing = [name for name, _key, required in COLUMNS if required and name not in header]
    if missing:
        raise FileError(
            _("見出しの行に次の列がありません: %(columns)s。テンプレートの1行目をそのまま使ってください。")
            % {"columns": "、".join(missing)}
        )
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        cells = [_normalise_cell(cell) for cell in cells]
        if not any(cell is not None for cell in cells):
            continue
        raw = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}
        row = Row(number=index, raw=raw)
        _convert(row)
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FileError(_("一度に取り込めるのは %(max)s 行までです。") % {"max": MAX_ROWS})
    if not rows:
        raise FileError(_("取り込む行がありません。"))
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(row: Row, key: str):
    value = row.raw.get(HEADER_OF[key])
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = jaconv.z2h(_text(value), kana=False, ascii=True, digit=True)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    row.error(key, _("日付として読めません（例: 2025-04-01）: %(value)s") % {"value": text})
    return None


@functools.cache
def _labels(choices: type, language: str) -> dict:
    """Label → value of a set of choices in a language: read once per file, not once per cell."""
    return {str(label): value for value, label in choices.choices}


def _choice(row: Row, key: str, choices: type, default=""):
    text = _text(row.raw.get(HEADER_OF[key]))
    if not text:
        return default
    by_label = _labels(choices, get_language())
    if text in by_label:
        return by_label[text]
    normalised = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    if normalised in by_label:
        return by_label[normalised]
    row.error(
        key,
        _("「%(value)s」は選べません。次のどれかにしてください: %(labels)s")
        % {"value": text, "labels": "、".join(by_label)},
    )
    return default


def _convert(row: Row):
    v = row.values
    cell = row.raw.get(HEADER_OF["recipient_number"])
    number = _text(cell)
    if isinstance(cell, int | float) and number.isdigit():  # a number cell in Excel lost its leading zeros
        number = number.zfill(10)
    v["recipient_number"] = jaconv.z2h(number, kana=False, ascii=True, digit=True).replace("-", "")
    for key in ("family_name", "given_name", "municipality", "note", "job_title"):
        v[key] = _text(row.raw.get(HEADER_OF[key]))
    for key in ("family_name_kana", "given_name_kana"):
        v[key] = jaconv.hira2kata(
            jaconv.h2z(_text(row.raw.get(HEADER_OF[key])), kana=True, ascii=False, digit=False)
        )
    v["birth_date"] = _date(row, "birth_date")
    categories = re.split(r"[・、,，/／\s]+", _text(row.raw.get(HEADER_OF["disability_categories"])))
    by_label = _labels(DisabilityCategory, get_language())
    v["disability_categories"] = []
    for label in filter(None, categories):
        if label in by_label:
            v["disability_categories"].append(by_label[label])
        else:
            row.error(
                "disability_categories",
                _("「%(value)s」は障害種別にありません（%(labels)s）")
                % {"value": label, "labels": "・".join(by_label)},
            )
    v["burden_category"] = _choice(row, "burden_category", BurdenCategory, BurdenCategory.GENERAL_1)
    v["prior_service"] = _choice(row, "prior_service", PriorService, PriorService.TRANSITION)
    v["status"] = _choice(row, "status", ClientStatus, ClientStatus.PREPARING)
    v["primary_staff"] = _text(row.raw.get(HEADER_OF["primary_staff"]))
    v["employer"] = _text(row.raw.get(HEADER_OF["employer"]))
    v["hired_on"] = _date(row, "hired_on")
    v["left_on"] = _date(row, "left_on")
    hours = _text(row.raw.get(HEADER_OF["weekly_hours"]))
    v["weekly_hours"] = None
    if hours:
        try:
            v["weekly_hours"] = Decimal(jaconv.z2h(hours, kana=False, ascii=True, digit=True))
        except InvalidOperation:
            row.error("weekly_hours", _("数値で入力してください（例: 30 または 20.5）"))
    disclosed = _text(row.raw.get(HEADER_OF["disclosed"]))
    v["disclosed"] = True
    if disclosed:
        if disclosed in DISCLOSED_LABELS:
            v["disclosed"] = DISCLOSED_LABELS[disclosed]
        else:
            row.error("disclosed", _("「オープン」か「クローズ」にしてください"))
    v["decision_starts_on"] = _date(row, "decision_starts_on")
    v["decision_ends_on"] = _date(row, "decision_ends_on")
    v["decided_on"] = _date(row, "decided_on")
    v["prior_service_ended_on"] = _date(row, "prior_service_ended_on")
    v["workplace_kind"] = _choice(row, "workplace_kind", WorkplaceKind, WorkplaceKind.REGULAR)
    for header, key, required in COLUMNS:
        if required and v.get(key) in (None, "") and not any(e.column == header for e in row.errors):
            row.error(key, _("必須です。"))
    if v["employer"] and not v["hired_on"] and not any(e.column == HEADER_OF["hired_on"] for e in row.errors):
        row.error("hired_on", _("企業名があるときは雇用開始日も入力してください。"))
    if v["hired_on"] and not v["employer"]:
        row.error("employer", _("雇用開始日があるときは企業名も入力してください。"))
    if bool(v["decision_starts_on"]) != bool(v["decision_ends_on"]):
        missing = "decision_ends_on" if v["decision_starts_on"] else "decision_starts_on"
        if not any(e.column == HEADER_OF[missing] for e in row.errors):
            row.error(missing, _("支給決定は開始日と終了日の両方を入力してください。"))


# --- planning ------------------------------------------------------------------------------------


def plan(rows: list[Row], office: Office) -> None:
    """Set each row's action (create / update / skip) and its possible duplicates."""
    numbers = {}
    for row in rows:
        number = row.values.get("recipient_number")
        if number in numbers:
            row.error("recipient_number", _("%(row)s行目と同じ受給者証番号です。") % {"row": numbers[number]})
        elif number:
            numbers[number] = row.number
    clients = list(
        Client.objects.filter(office=office).prefetch_related("employments__employer", "decisions")
    )
    by_number = {client.recipient_number: client for client in clients}
    by_person = {}
    for client in clients:
        key = (client.birth_date, normalise_kana(client.family_name_kana + client.given_name_kana))
        by_person.setdefault(key, []).append(client)
    for row in rows:
        v = row.values
        existing = by_number.get(v.get("recipient_number"))
        person = (
            v.get("birth_date"),
            normalise_kana((v.get("family_name_kana") or "") + (v.get("given_name_kana") or "")),
        )
        if existing is not None:
            row.existing = existing
            row.action = SKIP if _unchanged(row, existing) else UPDATE
            if row.action == UPDATE:
                row.duplicates.append((existing, _("同じ受給者証番号の利用者がいます")))
        else:
            row.action = CREATE
            for client in by_person.get(person, []):
                row.duplicates.append((client, _("生年月日とフリガナが同じ利用者がいます")))


def _unchanged(row: Row, client: Client) -> bool:
    v = row.values
    for key in (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "municipality",
        "burden_category",
        "prior_service",
        "prior_service_ended_on",
        "status",
    ):
        if v.get(key) != getattr(client, key):
            return False
    if sorted(v["disability_categories"]) != sorted(client.disability_categories):
        return False
    if v["employer"]:
        if not any(
            e.employer.name == v["employer"] and e.hired_on == v["hired_on"] and e.left_on == v["left_on"]
            for e in client.employments.all()
        ):
            return False
    if v["decision_starts_on"]:
        if not any(
            d.starts_on == v["decision_starts_on"] and d.ends_on == v["decision_ends_on"]
            for d in client.decisions.all()
            if not d.withdrawn
        ):
            return False
    return True


# --- writing -------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


@dataclass
class Result:
    rows: list[Row]
    created: int = 0
    updated: int = 0
    skipped: int = 0
    committed: bool = False
    in_bulk: bool = False  # written by `_write_in_bulk` (not row by row)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def failed_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def undecided(self) -> list[Row]:
        return [row for row in self.rows if row.needs_decision]


def _service_errors(row: Row, error: ValidationError, field_keys: dict | None = None):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            key = (field_keys or {}).get(name, name)
            column = HEADER_OF.get(key, "")
            for message in ValidationError(errors).messages:
                row.errors.append(RowError(row.number, column, message))
    else:
        for message in error.messages:
            row.errors.append(RowError(row.number, "", message))


def run(
    rows: list[Row],
    *,
    office: Office,
    actor: User,
    decisions: dict[int, str] | None = None,
    commit: bool,
    bulk: bool = True,
) -> Result:
    """Write every row in one transaction: committed only when `commit` and no row failed. `decisions`
    maps a duplicate row's number to DECIDE_TAKE or DECIDE_SKIP; without a decision such a row is an
    error when committing (previewing shows it as undecided).

    `bulk` (the default) checks every row with the services' validators and writes them set-based
    (`_write_in_bulk`); when the database refuses what those checks let through, the rows go through the
    cases services one by one (`_write_rows`), which say which row it was. `bulk=False` is that path."""
    decisions = decisions or {}
    result = Result(rows=rows)
    try:
        with cyclic_gc_paused(), transaction.atomic():
            writes = _rows_to_write(rows, decisions, commit, result)
            written = _try_in_bulk(writes, office=office, actor=actor) if bulk else None
            result.in_bulk = written is not None
            if written is not None:
                _count_or_roll_back(rows, writes, decisions, commit, result)
                announce_many(office, [client.pk for client in written])  # flags and pages, once
            else:
                with flags_refreshed_per_office():
                    _write_rows([row for row, _undecided in writes], office=office, actor=actor)
                    _count_or_roll_back(rows, writes, decisions, commit, result)
            result.committed = True
    except _Rollback:
        pass
    return result


def _try_in_bulk(writes, *, office, actor) -> list[Client] | None:
    """`_write_in_bulk` in a savepoint; None (and the rows' errors as before) when the database refused
    a write."""
    errors_before = {row.number: list(row.errors) for row, _undecided in writes}
    try:
        with transaction.atomic():
            return _write_in_bulk([row for row, _undecided in writes], office=office, actor=actor)
    except DatabaseError as error:
        logger.info("client import: the database refused the bulk write (%s); writing row by row", error)
        # the attempt set fields on the clients to update: the services start from them as stored
        stored = Client.objects.in_bulk([row.existing.pk for row, _undecided in writes if row.existing])
        for row, _undecided in writes:
            row.errors[:] = errors_before[row.number]
            if row.existing is not None:
                row.existing = stored[row.existing.pk]
        return None


def _count_or_roll_back(rows, writes, decisions, commit, result):
    for row, undecided in writes:
        if row.errors or undecided:
            continue
        if row.action == CREATE:
            result.created += 1
        else:
            result.updated += 1
    if not commit or result.errors or any(row.needs_decision and row.number not in decisions for row in rows):
        raise _Rollback


def _rows_to_write(rows, decisions, commit, result) -> list[tuple[Row, bool]]:
    """The rows to write, each with whether it is an undecided duplicate (previewed only); counts the
    skipped rows and, when committing, makes an undecided duplicate an error."""
    writes = []
    for row in rows:
        if row.errors:
            continue
        undecided = False
        if row.needs_decision:
            choice = decisions.get(row.number)
            if choice == DECIDE_SKIP:
                result.skipped += 1
                continue
            if choice != DECIDE_TAKE:
                if commit:
                    row.error("", _("重複の可能性があります。取り込むかどうかを選んでください。"))
                    continue
                undecided = True  # previewed: its errors show now, its count once decided
        if row.action == SKIP:
            result.skipped += 1
            continue
        writes.append((row, undecided))
    return writes


def _staff_and_employers(office):
    staff = {user.username: user for user in User.objects.filter(memberships__office=office, is_active=True)}
    employers = {employer.name: employer for employer in Employer.objects.filter(office=office)}
    return staff, employers


def _write_rows(rows: list[Row], *, office, actor):
    """Row by row through the cases services, each in a savepoint: a failed row leaves nothing."""
    staff, employers = _staff_and_employers(office)
    for row in rows:
        try:
            with transaction.atomic():
                _write_row(row, office=office, actor=actor, staff=staff, employers=employers)
        except ValidationError:
            continue


def _client_fields(row: Row, staff: dict) -> dict:
    """The row's fields for client_create / client_update; an unknown staff member is an error on the
    row (ValidationError)."""
    v = row.values
    fields = {key: v[key] for key in CLIENT_KEYS if key != "primary_staff"}
    username = v["primary_staff"]
    if username:
        if username not in staff:
            row.error(
                "primary_staff",
                _("この事業所に「%(username)s」というユーザーはいません。") % {"username": username},
            )
            raise ValidationError("primary_staff")
        fields["primary_staff"] = staff[username]
    elif row.existing is None:
        fields["primary_staff"] = None
    if row.existing is not None and not v["note"]:
        fields.pop("note")
    return fields


def _write_row(row: Row, *, office, actor, staff, employers):
    """One row through the services; a ValidationError is recorded on the row and re-raised, so its
    savepoint rolls back."""
    v = row.values
    fields = _client_fields(row, staff)
    try:
        if row.existing is None:
            client = case_services.client_create(actor=actor, office=office, **fields)
        else:
            client = case_services.client_update(actor=actor, client=row.existing, **fields)
    except ValidationError as error:
        _service_errors(row, error)
        raise
    if v["employer"]:
        employer = employers.get(v["employer"])
        try:
            if employer is None:
                employer = case_services.employer_create(actor=actor, office=office, name=v["employer"])
                employers[employer.name] = employer
            existing = client.employments.filter(employer=employer, hired_on=v["hired_on"]).first()
            case_services.employment_save(
                actor=actor,
                client=client,
                employment=existing,
                **_employment_fields(row, employer),
            )
        except ValidationError as error:
            _service_errors(row, error, EMPLOYMENT_FIELD_KEYS)
            raise
    if v["decision_starts_on"]:
        try:
            existing = client.decisions.filter(
                starts_on=v["decision_starts_on"], withdrawn_at__isnull=True
            ).first()
            case_services.benefit_decision_save(
                actor=actor, client=client, decision=existing, **_decision_fields(row)
            )
        except ValidationError as error:
            _service_errors(row, error, DECISION_FIELD_KEYS)
            raise


def _employment_fields(row: Row, employer: Employer) -> dict:
    return {key: (employer if key == "employer" else row.values[key]) for key in EMPLOYMENT_KEYS}


def _decision_fields(row: Row) -> dict:
    v = row.values
    return {
        "starts_on": v["decision_starts_on"],
        "ends_on": v["decision_ends_on"],
        "municipality": v["municipality"],
        "decided_on": v["decided_on"],
    }


def _write_in_bulk(rows: list[Row], *, office, actor) -> list[Client]:
    """The rows written set-based, with what `_write_row` would check and keep. Each row's client, then
    its employment, then its 支給決定 are checked by the services' validators (a row stops at its first
    failing record, as in `_write_row`), with the facts those read (members, staff, employers, the
    clients' employments and decisions) read once for the file; each client's window is worked out from
    its employments in memory; then clients, employers, employments and decisions are written with
    core.bulk (COPY on PostgreSQL) or bulk_update, and their history rows. A fixed number of queries
    whatever the number of rows (up to the backend's batch size). Returns the clients written; announcing them is the caller's."""
    staff, employers = _staff_and_employers(office)
    members = set(Membership.objects.filter(office=office).values_list("user_id", flat=True))
    client_of = {}
    for row in rows:
        try:
            fields = _client_fields(row, staff)
        except ValidationError:
            continue
        client = row.existing or Client(office=office)
        assign_fields(client, fields, case_services.CLIENT_FIELDS)
        client._history_user = actor
        try:
            case_services.validate_client(client, office, members=members, in_bulk=True)
        except ValidationError as error:
            _service_errors(row, error)
            continue
        client_of[row.number] = client

    # employers new to the office, checked once per name as employer_create checks them
    new_employers, employer_errors = {}, {}
    for row in rows:
        name = row.values["employer"]
        if row.number not in client_of or not name or name in employers or name in new_employers:
            continue
        employer = Employer(office=office, name=name)
        try:
            case_services.validate_without_queries(employer, exclude=("office",))
        except ValidationError as error:
            employer_errors[name] = error
            continue
        new_employers[name] = employer

    employment_of = {}
    for row in rows:
        client = client_of.get(row.number)
        name = row.values["employer"]
        if client is None or not name:
            continue
        try:
            if name in employer_errors:
                raise employer_errors[name]
            employer = employers.get(name) or new_employers[name]
            existing = None
            if row.existing is not None and employer.pk is not None:
                existing = min(
                    (
                        e
                        for e in row.existing.employments.all()
                        if e.employer_id == employer.pk and e.hired_on == row.values["hired_on"]
                    ),
                    key=lambda e: e.pk,
                    default=None,
                )
            employment = existing or Employment(client=client)
            assign_fields(
                employment, _employment_fields(row, employer), case_services.EMPLOYMENT_FIELDS
            )
            employment._history_user = actor
            case_services.validate_without_queries(employment, exclude=("client", "employer"))
        except ValidationError as error:
            _service_errors(row, error, EMPLOYMENT_FIELD_KEYS)
            del client_of[row.number]
            continue
        employment_of[row.number] = employment

    # a period that touches a month locked for billing needs a reason, which an import does not carry
    locked = locks.locked_months(office.pk, date(2000, 1, 1), date(2100, 12, 31))

    def touches_locked(period) -> bool:
        starts_on, ends_on = period
        return bool(starts_on and ends_on) and any(month_start(starts_on) <= m <= ends_on for m in locked)

    decisions = []
    for row in rows:
        client = client_of.get(row.number)
        if client is None or not row.values["decision_starts_on"]:
            continue
        known = [d for d in row.existing.decisions.all() if not d.withdrawn] if row.existing is not None else []
        existing = min(
            (d for d in known if d.starts_on == row.values["decision_starts_on"]),
            key=lambda d: d.pk,
            default=None,
        )
        decision = existing or BenefitDecision(client=client)
        assign_fields(decision, _decision_fields(row), case_services.DECISION_FIELDS)
        decision._history_user = actor
        others = [(d.starts_on, d.ends_on) for d in known if d.pk != decision.pk]
        before = (existing.starts_on, existing.ends_on) if existing else None
        try:
            period = (decision.starts_on, decision.ends_on)
            if period != before and (touches_locked(period) or (before and touches_locked(before))):
                raise ValidationError({"reason": locks.locked_change_message()})
            case_services.validate_without_queries(
                decision, exclude=("client",), clean=lambda d=decision, o=others: d.clean_periods(o)
            )
        except ValidationError as error:
            _service_errors(row, error, DECISION_FIELD_KEYS)
            del client_of[row.number]
            continue
        decisions.append(decision)

    # Each client's window from its employments; history keeps the client as the services' save does,
    # before the window follows the employment (an UPDATE that history does not keep).
    window_before = {}
    for row in rows:
        client = client_of.get(row.number)
        if client is None:
            continue
        window_before[row.number] = tuple(getattr(client, name) for name in case_services.WINDOW_FIELDS)
        jobs = list(row.existing.employments.all()) if row.existing is not None else []
        employment = employment_of.get(row.number)
        if employment is not None and employment.pk is None:
            jobs.append(employment)
        fresh = case_services.stored_window_of(jobs, client.prior_service_ended_on)
        client.window_starts_on, client.window_ends_on, client.window_end_reason = fresh

    created = [(row, client) for row, client in client_of.items() if client.pk is None]
    updated = [(row, client) for row, client in client_of.items() if client.pk is not None]
    create_objects(Client, [client for _row, client in created])
    move_versions_on(Client, [client for _row, client in updated])
    now = timezone.now()
    for _row, client in updated:
        client.updated_at = now
    if updated:
        Client.objects.bulk_update(
            [client for _row, client in updated],
            [*case_services.CLIENT_FIELDS, *case_services.WINDOW_FIELDS, "lock_version", "updated_at"],
        )

    def as_saved(row, client):
        snapshot = copy.copy(client)
        for name, value in zip(case_services.WINDOW_FIELDS, window_before[row], strict=True):
            setattr(snapshot, name, value)
        return snapshot

    for records, update in ((created, False), (updated, True)):
        insert_history(Client, [as_saved(row, client) for row, client in records], user=actor, update=update)

    Employer.objects.bulk_create(new_employers.values())
    employments = [employment_of[row] for row in client_of if row in employment_of]
    for model, records, fields in (
        (Employment, employments, case_services.EMPLOYMENT_FIELDS),
        (BenefitDecision, decisions, case_services.DECISION_FIELDS),
    ):
        new = [record for record in records if record.pk is None]
        changed = [record for record in records if record.pk is not None]
        create_objects(model, new)
        insert_history(model, new, user=actor)
        move_versions_on(model, changed)
        if changed:
            bulk_update_with_history(changed, model, [*fields, "lock_version"], default_user=actor)
    return [client for client in client_of.values()]


# --- files to hand out -----------------------------------------------------------------------------


def _cell(value) -> str:
    return safe_cell(value)


def failed_rows_csv(rows: list[Row]) -> bytes:
    """The rows that failed, as read, with their errors in a last column: UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADERS, ERROR_HEADER])
    for row in rows:
        cells = []
        for header in HEADERS:
            value = row.raw.get(header)
            if isinstance(value, datetime):
                value = value.date()
            cells.append(_cell(value.isoformat() if isinstance(value, date) else value))
        cells.append(
            _cell(
                " / ".join(
                    error.message if not error.column else f"{error.column}: {error.message}"
                    for error in row.errors
                )
            )
        )
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


EXAMPLE = [
    "0123456789",
    "山田",
    "太郎",
    "ヤマダ",
    "タロウ",
    "1990-04-01",
    "精神・発達",
    "新宿区",
    "一般1",
    "就労移行支援",
    "利用中",
    "staff",
    "",
    "株式会社サンプル",
    "2025-01-06",
    "",
    "事務補助",
    "30",
    "オープン",
    "2025-07-06",
    "2026-07-05",
    "2025-06-20",
    "",
    "通常の事業所（一般就労）",
]


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(HEADERS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "利用者"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in range(1, len(HEADERS) + 1):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 16
        for row in range(2, 1002):  # text cells: a recipient number keeps its leading zeros
            sheet.cell(row, column).number_format = "@"
    notes = workbook.create_sheet("記入例")
    notes.append(HEADERS)
    notes.append(EXAMPLE)
    notes.append([])
    notes.append(["必須の列", "、".join(h for h, _k, required in COLUMNS if required)])
    notes.append(
        [
            "障害種別",
            "・".join(str(label) for _v, label in DisabilityCategory.choices) + "（複数は・で区切る）",
        ]
    )
    notes.append(["負担上限区分", "、".join(str(label) for _v, label in BurdenCategory.choices)])
    notes.append(["利用前サービス", "、".join(str(label) for _v, label in PriorService.choices)])
    notes.append(["状態", "、".join(str(label) for _v, label in ClientStatus.choices)])
    notes.append(["障害開示", "オープン、クローズ"])
    notes.append(["就労先の種類", "、".join(str(label) for _v, label in WorkplaceKind.choices)])
    notes.append(["日付", "2025-04-01 または 2025/4/1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
