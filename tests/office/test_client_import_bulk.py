"""The import's bulk write against the row-by-row path through the cases services: the same records,
windows, history and flags for a mixed file; a bad row leaves nothing; a fixed number of queries."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import BenefitDecision, Client, Employer, Employment, Role
from core import bulk
from flags.models import Flag
from office import importer

from ..factories import (
    BenefitDecisionFactory,
    ClientFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    OfficeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2025, 9, 25), tick=False):
        yield

SKIPPED = {"id", "created_at", "updated_at", "history_id", "history_date"}


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(importer.HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _row(number, given, *, kana="タロウ", birth="1990-04-01", municipality="新宿区", status="利用中", staff="",
         note="", employer="", hired="", left="", job="", hours="", disclosed="", starts="", ends="",
         decided="", prior_end="", kind=""):
    return [number, "山田", given, "ヤマダ", kana, birth, "精神", municipality, "一般1", "就労移行支援", status,
            staff, note, employer, hired, left, job, hours, disclosed, starts, ends, decided, prior_end, kind]


@pytest.fixture
def mixed(office):
    """An office with three clients and a file that updates two, skips one and creates five."""
    actor = MembershipFactory(office=office, role=Role.ADMIN).user
    MembershipFactory(office=office, role=Role.STAFF, user__username="sato")
    midori = EmployerFactory(office=office, name="株式会社みどり")
    kept, moved, skipped = (
        ClientFactory(office=office, recipient_number=number, given_name=name, note="前からの備考",
                      status="active")
        for number, name in (("1000000001", "一"), ("1000000002", "二"), ("1000000003", "三"))
    )
    for client in (kept, moved, skipped):
        EmploymentFactory(client=client, employer=midori, hired_on=date(2025, 1, 6), job_title="事務補助")
        BenefitDecisionFactory(client=client, starts_on=date(2025, 7, 6), ends_on=date(2026, 7, 5))
    rows = [
        # updated: the employment's hours and the decision's end change; the note is kept (empty cell)
        _row("1000000001", "一", municipality="中野区", staff="sato", employer="株式会社みどり",
             hired="2025-01-06", job="事務補助", hours="25", starts="2025-07-06", ends="2026-06-30"),
        # updated: left the job before the window opened (the window goes)
        _row("1000000002", "二", employer="株式会社みどり", hired="2025-01-06", left="2025-05-31",
             job="事務補助"),
        # unchanged: skipped
        _row("1000000003", "三", employer="株式会社みどり", hired="2025-01-06", job="事務補助",
             starts="2025-07-06", ends="2026-07-05"),
        # created: with an existing employer, a new one (twice), none; a prior-service end; 継続A
        _row("1000000004", "四", staff="sato", note="新規", employer="株式会社みどり", hired="2025-02-03",
             job="清掃", hours="20", disclosed="クローズ", starts="2025-08-03", ends="2026-08-02",
             decided="2025-07-20"),
        _row("1000000005", "五", employer="株式会社あおば", hired="2025-03-01", starts="2025-09-02",
             ends="2026-09-01"),
        _row("1000000006", "六", kana="ロク", employer="株式会社あおば", hired="2024-12-01", left="2025-06-30"),
        _row("1000000007", "七", kana="ナナ", status="利用準備中"),
        _row("1000000008", "八", kana="ハチ", employer="株式会社そら", hired="2025-01-10",
             prior_end="2025-03-31", kind="就労継続支援A型事業所"),
    ]
    return office, actor, _csv(rows)


def _state(office) -> dict:
    """Everything the import writes for the office, keyed by natural keys (ids and timestamps aside)."""
    number = dict(Client.objects.filter(office=office).values_list("pk", "recipient_number"))
    employer = dict(Employer.objects.filter(office=office).values_list("pk", "name"))
    employments = Employment.objects.filter(client__office=office)
    decisions = BenefitDecision.objects.filter(client__office=office)
    employment_key = {e.pk: (number[e.client_id], employer[e.employer_id], e.hired_on) for e in employments}
    decision_key = {d.pk: (number[d.client_id], d.starts_on) for d in decisions}

    def values(record):
        out = {}
        for f in record._meta.concrete_fields:
            if f.attname in SKIPPED:
                continue
            value = getattr(record, f.attname)
            if f.attname == "client_id":
                value = number.get(value)
            elif f.attname == "employer_id":
                value = employer.get(value)
            out[f.attname] = value
        return out

    def history(model, key_of):
        kept = {}
        for record in model.history.filter(id__in=list(key_of)).order_by("history_date", "history_id"):
            kept.setdefault(repr(key_of[record.id]), []).append(values(record))
        return kept

    return {
        "clients": {c.recipient_number: values(c) for c in Client.objects.filter(office=office)},
        "employers": sorted(employer.values()),
        "employments": {repr(employment_key[e.pk]): values(e) for e in employments},
        "decisions": {repr(decision_key[d.pk]): values(d) for d in decisions},
        "client history": history(Client, number),
        "employment history": history(Employment, employment_key),
        "decision history": history(BenefitDecision, decision_key),
        "flags": sorted(
            (number[f.client_id], f.kind, f.period, f.severity, f.message, decision_key.get(f.object_id),
             f.resolved_at is None)
            for f in Flag.objects.filter(office=office)
        ),
    }


def _import(office, actor, content, *, bulk, commit=True, keep=False):
    """Parse, plan and run the file; the state it leaves, then (unless `keep`) rolled back."""
    with transaction.atomic():
        rows = importer.parse(content, "clients.csv")
        importer.plan(rows, office)
        decisions = {row.number: importer.DECIDE_TAKE for row in rows if row.needs_decision}
        result = importer.run(rows, office=office, actor=actor, decisions=decisions, commit=commit, bulk=bulk)
        state = _state(office)
        transaction.set_rollback(not keep)
    return result, state


def test_the_bulk_write_keeps_what_the_services_keep(mixed):
    office, actor, content = mixed
    before = _state(office)
    by_row, by_row_state = _import(office, actor, content, bulk=False)
    assert _state(office) == before  # rolled back
    bulk, bulk_state = _import(office, actor, content, bulk=True)
    assert bulk.in_bulk and not by_row.in_bulk
    assert by_row.committed and bulk.committed
    assert (bulk.created, bulk.updated, bulk.skipped) == (by_row.created, by_row.updated, by_row.skipped)
    assert (bulk.created, bulk.updated, bulk.skipped) == (5, 2, 1)
    for part in by_row_state:
        assert bulk_state[part] == by_row_state[part], part
    # what the file changed, so the comparison above compares something
    assert bulk_state["clients"]["1000000001"]["municipality"] == "中野区"
    assert bulk_state["clients"]["1000000001"]["note"] == "前からの備考"
    assert bulk_state["clients"]["1000000001"]["lock_version"] == 2
    assert before["clients"]["1000000002"]["window_starts_on"] is not None
    assert bulk_state["clients"]["1000000002"]["window_starts_on"] is None
    assert bulk_state["clients"]["1000000005"]["window_starts_on"] == date(2025, 9, 1)
    assert bulk_state["clients"]["1000000008"]["window_starts_on"] is None  # 継続A does not start it
    assert bulk_state["employers"] == ["株式会社あおば", "株式会社そら", "株式会社みどり"]
    assert [h["history_type"] for h in bulk_state["client history"]["'1000000001'"]] == ["+", "~"]
    assert {h["history_user_id"] for h in bulk_state["client history"]["'1000000004'"]} == {actor.pk}
    assert len(bulk_state["flags"]) > len(before["flags"])
    assert bulk_state["client history"]["'1000000004'"][0]["window_starts_on"] is None  # as client_create saved it


def test_a_bad_row_leaves_nothing_and_both_paths_say_the_same(mixed):
    office, actor, content = mixed
    bad = _csv(
        [
            _row("1000000011", "十一", employer="株式会社あおば", hired="2025-02-01", starts="2025-08-01",
                 ends="2026-08-31"),  # a decision longer than a year
            _row("1000000012", "十二", employer="株式会社あおば", hired="2025-02-01", left="2025-01-01"),
            _row("1000000013", "十三", starts="2025-09-01", ends="2025-08-01"),  # ends before it starts
            _row("1000000014", "十四", staff="nobody"),
            _row("1000000015", "十五", employer="株" * 201, hired="2025-02-01"),
            _row("1000000016", "十六", employer="株式会社あおば", hired="2025-02-01"),  # good
        ]
    )
    content = content + bad.split(b"\n", 1)[1]
    before = _state(office)
    counts = [model.objects.count() for model in (Client, Employer, Employment, BenefitDecision, Flag)]
    histories = [model.history.count() for model in (Client, Employment, BenefitDecision)]
    by_row, _state_by_row = _import(office, actor, content, bulk=False, keep=True)
    bulk, _state_bulk = _import(office, actor, content, bulk=True, keep=True)
    assert bulk.in_bulk
    assert not bulk.committed and not by_row.committed
    assert [str(e) for e in bulk.errors] == [str(e) for e in by_row.errors]
    assert [(e.row, e.column) for e in bulk.errors] == [
        (10, "支給決定終了日"),
        (11, "離職日"),
        (12, "支給決定終了日"),  # the date order is said beside 終了日, by the model's rule (issue 13)
        (13, "担当支援員（ユーザー名）"),
        (14, ""),
    ]
    assert "支給決定の終了日が開始日より前になっています" in str(bulk.errors[2])  # the model rule says it (issue 13)
    assert _state(office) == before
    assert [model.objects.count() for model in (Client, Employer, Employment, BenefitDecision, Flag)] == counts
    assert [model.history.count() for model in (Client, Employment, BenefitDecision)] == histories


def test_what_only_the_database_refuses_goes_row_by_row(mixed):
    office, actor, _content = mixed
    # Arabic-Indic digits pass the field's \d validator; the check constraint ([0-9]) refuses them
    content = _csv([_row("١٢٣٤٥٦٧٨٩٠", "零"), _row("1000000020", "二十"), _row("1000000001", "一", note="更新")])
    by_row, _ = _import(office, actor, content, bulk=False)
    bulk, _ = _import(office, actor, content, bulk=True)
    assert not bulk.in_bulk and not bulk.committed
    assert [str(e) for e in bulk.errors] == [str(e) for e in by_row.errors]
    assert "受給者証番号は10桁の数字です" in str(bulk.errors[0]) and len(bulk.errors) == 1
    assert Client.objects.get(recipient_number="1000000001").note == "前からの備考"


def _file(size: int) -> bytes:
    rows = []
    for i in range(size):
        rows.append(_row(f"{1100000000 + i}", f"新{i}", staff="sato", employer=f"株式会社{i % 3}",
                         hired="2025-01-06", starts="2025-07-06", ends="2026-07-05"))
        rows.append(_row(f"{1200000000 + i}", f"更{i}", municipality="中野区", employer="株式会社みどり",
                         hired="2025-01-06", starts="2025-07-06", ends="2026-07-05"))
    return _csv(rows)


def _office_with(size: int):
    office = OfficeFactory()
    actor = MembershipFactory(office=office, role=Role.ADMIN).user
    MembershipFactory(office=office, role=Role.STAFF, user__username=f"sato{size}")
    midori = EmployerFactory(office=office, name="株式会社みどり")
    for i in range(size):
        client = ClientFactory(office=office, recipient_number=f"{1200000000 + i}")
        EmploymentFactory(client=client, employer=midori, hired_on=date(2025, 1, 6))
        BenefitDecisionFactory(client=client, starts_on=date(2025, 7, 6), ends_on=date(2026, 7, 5))
    rows = []
    for i in range(size):
        rows.append(_row(f"{1100000000 + i}", f"新{i}", staff=f"sato{size}", employer=f"株式会社{i % 3}",
                         hired="2025-01-06", starts="2025-07-06", ends="2026-07-05"))
        rows.append(_row(f"{1200000000 + i}", f"更{i}", municipality="中野区", employer="株式会社みどり",
                         hired="2025-01-06", starts="2025-07-06", ends="2026-07-05"))
    return office, actor, _csv(rows)


def test_an_import_takes_the_same_queries_whatever_its_size():
    """Up to the backend's batch size (SQLite splits an INSERT of more rows than its parameter limit
    allows), whatever the number of rows; the sizes here stay under it."""
    counted = []
    for size in (1, 6):
        office, actor, content = _office_with(size)
        rows = importer.parse(content, "clients.csv")
        importer.plan(rows, office)
        decisions = {row.number: importer.DECIDE_TAKE for row in rows if row.needs_decision}
        with CaptureQueriesContext(connection) as queries:
            result = importer.run(rows, office=office, actor=actor, decisions=decisions, commit=True)
        assert result.committed and result.in_bulk and (result.created, result.updated) == (size, size)
        assert Flag.objects.filter(office=office).exists()
        counted.append(len(queries))
    assert counted[0] == counted[1]


@pytest.fixture
def copy_everything(monkeypatch):
    """core.bulk writes even a handful of rows through COPY (PostgreSQL), as it does a large file's."""
    monkeypatch.setattr(bulk, "COPY_FROM", 1)


@pytest.mark.postgres
def test_through_copy_the_bulk_write_keeps_what_the_services_keep(mixed, copy_everything):
    test_the_bulk_write_keeps_what_the_services_keep(mixed)


@pytest.mark.postgres
def test_through_copy_what_only_the_database_refuses_goes_row_by_row(mixed, copy_everything):
    test_what_only_the_database_refuses_goes_row_by_row(mixed)
