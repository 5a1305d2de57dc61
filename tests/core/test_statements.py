"""A statement (core.statements) gives the rows its queryset gives, for any values, with the same queries;
its SQL is compiled once, and a builder whose SQL the values would change is refused."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from cases.models import Client, Membership, Role
from core.statements import StatementError, counted, statement
from visits.models import ContactLog

from ..factories import ContactLogFactory, client_in_service

pytestmark = pytest.mark.django_db


def clients_of(office_id, hired_after):
    return (
        Client.objects.filter(office_id=office_id, employments__hired_on__gte=hired_after)
        .select_related("primary_staff")
        .annotate(contacts_n=Count("contacts"), staff_name=F("primary_staff__last_name"))
        .order_by("family_name_kana", "pk")
    )


@statement
def clients_stmt(*, office_id: int, hired_after: date):
    return clients_of(office_id, hired_after)


@statement
def names_stmt(*, office_id: int, kana: str):
    return Client.objects.filter(office_id=office_id, family_name_kana=kana).values_list("pk", "given_name")


@statement
def contact_days(*, client_ids: list[int], since: date):
    return (
        ContactLog.objects.filter(client_id__any=client_ids, on__gte=since)
        .order_by("on", "pk")
        .values_list("client_id", "on", flat=False)
    )


@statement
def office_count(*, office_id: int):
    return counted(Client.objects.filter(office_id=office_id))


@pytest.fixture
def two_offices(office, other_office, staff):
    ours = [
        client_in_service(office=office, hired_on=date(2025, 1, 6), family_name_kana="アイ", primary_staff=staff),
        client_in_service(office=office, hired_on=date(2025, 3, 3), family_name_kana="カキ"),
    ]
    theirs = [client_in_service(office=other_office, hired_on=date(2025, 2, 3), family_name_kana="アイ")]
    for client, day in ((ours[0], date(2025, 8, 4)), (ours[0], date(2025, 9, 1)), (theirs[0], date(2025, 8, 5))):
        ContactLogFactory(client=client, staff=staff, on=day)
    return ours, theirs


def test_model_rows_equal_the_querysets_for_every_value(two_offices, office, other_office):
    for office_id, after in ((office.pk, date(2024, 1, 1)), (office.pk, date(2025, 2, 1)), (other_office.pk, date(2025, 1, 1))):
        expected = list(clients_of(office_id, after))
        rows = clients_stmt(office_id=office_id, hired_after=after)
        assert [c.pk for c in rows] == [c.pk for c in expected]
        assert [(c.contacts_n, c.staff_name) for c in rows] == [(c.contacts_n, c.staff_name) for c in expected]
        with CaptureQueriesContext(connection) as queries:
            assert [c.primary_staff and c.primary_staff.pk for c in rows] == [
                c.primary_staff and c.primary_staff.pk for c in expected
            ]
        assert not queries.captured_queries  # select_related filled in


def test_values_counts_and_strings(two_offices, office, other_office):
    ours, theirs = two_offices
    assert names_stmt(office_id=office.pk, kana="アイ") == [(ours[0].pk, ours[0].given_name)]
    assert names_stmt(office_id=other_office.pk, kana="アイ") == [(theirs[0].pk, theirs[0].given_name)]
    assert names_stmt(office_id=office.pk, kana="ン") == []
    assert office_count(office_id=office.pk) == [(2,)]
    assert office_count(office_id=other_office.pk) == [(1,)]


def test_id_lists_and_dates(two_offices):
    ours, theirs = two_offices
    ids = [ours[0].pk, theirs[0].pk]
    assert contact_days(client_ids=ids, since=date(2025, 8, 5)) == [
        (theirs[0].pk, date(2025, 8, 5)),
        (ours[0].pk, date(2025, 9, 1)),
    ]
    assert contact_days(client_ids=[ours[1].pk], since=date(2020, 1, 1)) == []
    assert contact_days(client_ids=[], since=date(2020, 1, 1)) == []


def test_the_same_queries_as_the_queryset(two_offices, office):
    with CaptureQueriesContext(connection) as plain:
        list(clients_of(office.pk, date(2024, 1, 1)))
    with CaptureQueriesContext(connection) as kept:
        clients_stmt(office_id=office.pk, hired_after=date(2024, 1, 1))
    assert [q["sql"] for q in kept.captured_queries] == [q["sql"] for q in plain.captured_queries]


@pytest.mark.postgres
def test_compiled_once_on_postgresql_id_lists_included(two_offices, office, monkeypatch):
    calls = []

    @statement
    def days(*, client_ids: list[int], since: date):
        calls.append(1)
        return ContactLog.objects.filter(client_id__any=client_ids, on__gte=since).values_list("on")

    ours, _theirs = two_offices
    for since in (date(2025, 1, 1), date(2025, 8, 5), date(2025, 9, 2)):
        days(client_ids=[ours[0].pk], since=since)
    assert len(calls) == 2  # compiled once, with each set of markers
    assert days(client_ids=[ours[0].pk], since=date(2025, 8, 5)) == [(date(2025, 9, 1),)]


def test_memberships_and_flag_badge_are_statements(office, staff, manager):
    from cases.access import memberships_of

    assert [m.office.pk for m in memberships_of(staff)] == [office.pk]
    assert Membership.objects.get(user=manager).role == Role.MANAGER


@pytest.mark.parametrize(
    "values, words",
    [
        ({"office_id": None, "hired_after": date(2025, 1, 1)}, "office_id must be"),
        ({"office_id": True, "hired_after": date(2025, 1, 1)}, "office_id must be"),
        ({"office_id": 1, "hired_after": "2025-01-01"}, "hired_after must be"),
        ({"office_id": 1}, "takes office_id, hired_after"),
    ],
)
def test_a_value_of_another_type_is_refused(values, words):
    with pytest.raises(StatementError, match=words):
        clients_stmt(**values)


def test_a_builder_must_take_typed_keywords_that_reach_the_sql():
    with pytest.raises(StatementError, match="keyword-only"):
        statement(lambda office_id: Client.objects.filter(office_id=office_id))
    with pytest.raises(StatementError, match="not <class 'bool'>"):

        @statement
        def flagged(*, archived: bool):
            return Client.objects.filter(archived=archived)

    @statement
    def unused(*, office_id: int, staff_id: int):
        return Client.objects.filter(office_id=office_id)

    with pytest.raises(StatementError, match="never reach the SQL: staff_id"):
        unused(office_id=1, staff_id=2)


def test_a_value_computed_from_a_parameter_is_refused():
    from core.dates import month_end

    @statement
    def in_month(*, first: date):
        return Client.objects.filter(window_starts_on__lte=month_end(first), window_ends_on__gte=first)

    with pytest.raises(StatementError, match="computed from a parameter"):
        in_month(first=date(2025, 9, 1))


def test_a_datetime_is_not_a_date_nor_a_choice_its_value():
    from datetime import UTC, datetime

    with pytest.raises(StatementError, match="hired_after must be"):
        clients_stmt(office_id=1, hired_after=datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(StatementError, match="kana must be"):
        names_stmt(office_id=1, kana=Role.STAFF)


@pytest.mark.postgres
def test_small_integer_columns_and_constants_equal_to_a_marker(office):
    """A fiscal year is a small integer (an out-of-range marker would fold the lookup away); a constant
    that happens to equal a marker stays a constant."""
    from meetings.models import OfficeTierConfirmation

    @statement
    def tiers(*, office_id: int, year: int):
        return OfficeTierConfirmation.objects.filter(office_id=office_id, fiscal_year=year, pk__gte=30_001).values_list("tier")

    assert tiers(office_id=office.pk, year=2026) == []


def test_rows_read_by_a_statement_stand_as_prefetched(two_offices):
    from cases.models import Employment
    from core.statements import prefetched

    ours, _theirs = two_offices
    client = Client.objects.get(pk=ours[0].pk)
    jobs = list(Employment.objects.filter(client_id=client.pk))
    prefetched(client, "employments", jobs, back="client")
    with CaptureQueriesContext(connection) as queries:
        assert list(client.employments.all()) == jobs
        assert all(job.client is client for job in client.employments.all())
    assert not queries.captured_queries


def test_a_prefetching_builder_is_refused(office):
    @statement
    def with_jobs(*, office_id: int):
        return Client.objects.filter(office_id=office_id).prefetch_related("employments")

    with pytest.raises(StatementError, match="prefetch_related_objects"):
        with_jobs(office_id=office.pk)


def test_a_month_start_or_a_day_before_computed_in_the_builder_is_refused():
    from datetime import timedelta

    from core.dates import month_start

    @statement
    def from_first(*, day: date):
        return Client.objects.filter(window_starts_on__lte=month_start(day))

    @statement
    def day_before(*, first: date, last: date):
        return Client.objects.filter(window_starts_on__gte=first, window_ends_on__lte=last - timedelta(days=1))

    for stmt, values in ((from_first, {"day": date(2025, 9, 9)}), (day_before, {"first": date(2025, 9, 1), "last": date(2025, 9, 30)})):
        with pytest.raises(StatementError, match="computed from a parameter"):
            stmt(**values)


@pytest.mark.parametrize("statement_of", [clients_stmt, names_stmt, contact_days])
def test_sql_with_params_is_the_querysets(two_offices, office, statement_of):
    """A statement's sql_with_params is what its queryset's query gives for the same values (on SQLite,
    an id list's statement compiles its queryset each time, as the query does)."""
    values = {
        clients_stmt: {"office_id": office.pk, "hired_after": date(2024, 1, 1)},
        names_stmt: {"office_id": office.pk, "kana": "アイ"},
        contact_days: {"client_ids": [c.pk for c in two_offices[0]], "since": date(2025, 8, 1)},
    }[statement_of]
    statement_of(**values)  # compiled
    sql, params = statement_of.sql_with_params(**values)
    expected_sql, expected_params = statement_of.build(**values).query.sql_with_params()
    assert sql == expected_sql
    assert list(params) == [list(p) if isinstance(p, list) else p for p in expected_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert len(cursor.fetchall()) == len(statement_of(**values))


@pytest.mark.postgres
def test_plain_values_rows_are_fetched_as_the_database_gives_them(two_offices, office):
    """On PostgreSQL a values_list of plain columns needs no converter: its rows are the cursor's, equal
    to the queryset's; model rows and converted values still go through Django's iterables."""
    ours, _theirs = two_offices
    assert names_stmt(office_id=office.pk, kana="アイ") == list(
        Client.objects.filter(office_id=office.pk, family_name_kana="アイ").values_list("pk", "given_name")
    )
    assert names_stmt._compiled["default"].plain_rows
    assert contact_days(client_ids=[ours[0].pk], since=date(2025, 8, 1)) == [
        (ours[0].pk, date(2025, 8, 4)),
        (ours[0].pk, date(2025, 9, 1)),
    ]
    clients_stmt(office_id=office.pk, hired_after=date(2024, 1, 1))
    assert not clients_stmt._compiled["default"].plain_rows
