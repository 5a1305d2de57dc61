"""Querysets compiled to SQL once per process and run again with other values: `@statement`.

Building a queryset and compiling it costs Django 0.2–0.4 ms of Python per query, often more than the
database takes to answer. A page that reads the same shapes on every request can keep the SQL text:

    @statement
    def open_flags(*, office_id: int, staff_id: int):
        return Flag.objects.filter(office_id=office_id, client__primary_staff_id=staff_id).values_list("pk")

    rows = open_flags(office_id=3, staff_id=7)  # a list, read from the database on every call

The builder is called when the statement is first used, twice, with two sets of marker values, and
compiled: where the two SQLs' parameters differ by the markers are the parameters' places. Every call then
binds its values there, runs the SQL and builds the rows (model instances, values_list tuples,
select_related, annotations) through Django's own iterables. Only the SQL is kept, never a result.

A builder reads nothing but its parameters (not the clock, not a setting) and gives the same SQL whatever
their values: keyword-only, typed `int`, `str`, `date` or `list[int]` (an array on PostgreSQL, with
`core.lookups`' `__any`), handed to the ORM as they come. A value that would change the SQL's shape (None,
a boolean) makes two statements; a value computed from a parameter (`month_end(day)`) is refused, since it
would be kept as a constant, so it is a parameter of its own; prefetch_related is refused (its Prefetch
objects would be shared by every call): prefetch after the call (`prefetch_related_objects`, or
`prefetched` for rows read by statements). Where the database spells a parameter into the SQL's shape
(`__any` on SQLite: one placeholder per id), the statement builds and compiles its queryset on every call,
as Django does.
"""

from __future__ import annotations

import copy
import inspect
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial, update_wrapper

from django.db import connections
from django.db.models import Func, IntegerField
from django.db.models.query import ValuesListIterable

# Two sets of markers: the builder is compiled with each, and a parameter of the SQL is a marker's place
# where the two compilations differ by exactly the two markers; equal parameters are constants. The ints
# fit a small-integer column, whose lookups fold an out-of-range value away.
INT_MARKS = (30_011, 31_013)
DATE_MARKS = (date(1001, 3, 17), date(1002, 5, 11))
MARK_STEP = 37  # between the markers of one set: a value computed from one (a day before, a month's first)
# is no other's
STR_MARK = "\ue000statement-{}-{}"  # a private-use character no stored value begins with


@dataclass(frozen=True)
class Slot:
    name: str
    spell: str  # "value", "list", "iso" (a date sent as text) or "constant"
    constant: object = None
    cast: type | None = None  # the database adapter's wrapper of the value (psycopg's Int2 for a small int)


@dataclass(frozen=True)
class Compiled:
    queryset: object  # the builder's queryset with the markers (its query keeps the shape)
    compiler: object  # compiled once: select, klass_info and annotations filled in
    sql: str
    slots: tuple[Slot, ...]
    plain_rows: bool = False  # values_list rows the database gives as they are: fetched without Django


class StatementError(TypeError):
    pass


def _markers(kinds: dict[str, type], which: int) -> dict[str, object]:
    markers = {}
    for i, (name, kind) in enumerate(kinds.items()):
        if kind is int:
            markers[name] = INT_MARKS[which] + MARK_STEP * i
        elif kind is date:
            markers[name] = DATE_MARKS[which] + timedelta(days=MARK_STEP * i)
        elif kind is str:
            markers[name] = STR_MARK.format(which, i)
        elif kind == list[int]:
            markers[name] = [INT_MARKS[which] + MARK_STEP * i]
        else:
            raise StatementError(f"{name}: a statement's parameter is int, str, date or list[int], not {kind}")
    return markers


def _spellings(marker) -> list[tuple[object, str]]:
    """How a marker may appear among the SQL's parameters: itself, a date as ISO text, a list's element
    spelt alone (expanded: one placeholder per element)."""
    if isinstance(marker, list):
        return [(marker, "list"), (marker[0], "expanded")]
    if isinstance(marker, date):
        return [(marker, "value"), (marker.isoformat(), "iso")]
    return [(marker, "value")]


def _same_value(param, marker) -> bool:
    """The parameter is the marker, or the database adapter's wrapper of it (a subclass: Int2 of int)."""
    return isinstance(param, type(marker)) and not isinstance(param, bool) and param == marker


def _slots(params_a, params_b, markers_a: dict, markers_b: dict) -> tuple[Slot, ...] | None:
    """Each parameter of the compiled SQL as a marker's place or a constant; None when a list marker was
    spelt into the SQL one element per placeholder (the statement cannot be reused on that database)."""
    if len(params_a) != len(params_b):
        raise StatementError("the SQL's shape depends on the values")
    slots, seen = [], set()
    for a, b in zip(params_a, params_b, strict=True):
        if type(a) is type(b) and a == b:
            slots.append(Slot("", "constant", a))
            continue
        found = [
            (name, spell, marker_a)
            for name in markers_a
            for (marker_a, spell), (marker_b, _same) in zip(
                _spellings(markers_a[name]), _spellings(markers_b[name]), strict=True
            )
            if _same_value(a, marker_a) and _same_value(b, marker_b)
        ]
        if not found:
            raise StatementError(f"a value computed from a parameter would be kept as a constant: {a!r}")
        name, spell, marker = found[0]
        if spell == "expanded":
            return None
        slots.append(Slot(name, spell, cast=type(a) if type(a) is not type(marker) else None))
        seen.add(name)
    missing = set(markers_a) - seen
    if missing:
        raise StatementError(f"parameters that never reach the SQL: {', '.join(sorted(missing))}")
    return tuple(slots)


class Statement:
    def __init__(self, build):
        update_wrapper(self, build)
        self.build = build
        hints = typing.get_type_hints(build)
        names = list(inspect.signature(build).parameters.values())
        if any(p.kind is not inspect.Parameter.KEYWORD_ONLY for p in names):
            raise StatementError(f"{build.__qualname__}: a statement's parameters are keyword-only")
        self.kinds = {p.name: hints.get(p.name) for p in names}
        self.lists = {name for name, kind in self.kinds.items() if kind == list[int]}
        self.markers = (_markers(self.kinds, 0), _markers(self.kinds, 1))
        self._compiled: dict[str, Compiled | None] = {}

    def __call__(self, **values) -> list:
        self._check(values)
        compiled = self._compiled.get("default", False)
        if compiled is False:
            compiled = self._compiled["default"] = self._compile()
        if compiled is None:
            return list(self.build(**values))
        params = [_bind(slot, values) for slot in compiled.slots]
        if compiled.plain_rows:
            with connections[compiled.queryset.db].cursor() as cursor:
                cursor.execute(compiled.sql, params)
                return cursor.fetchall()
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = partial(_bound_compiler, compiled, tuple(params), queryset.db)
        return list(queryset)

    def sql_with_params(self, **values) -> tuple[str, tuple]:
        """The statement's SQL and its parameters for `values`, for a hand-written query that reads the
        rows as a derived table (the queryset's own sql_with_params, without compiling it again)."""
        self._check(values)
        compiled = self._compiled.get("default", False)
        if compiled is False:
            compiled = self._compiled["default"] = self._compile()
        if compiled is None:
            return self.build(**values).query.sql_with_params()
        return compiled.sql, tuple(_bind(slot, values) for slot in compiled.slots)

    def _check(self, values: dict):
        if values.keys() != self.kinds.keys():
            raise StatementError(f"{self.__qualname__} takes {', '.join(self.kinds)}")
        for name, value in values.items():
            if name in self.lists:
                ok = isinstance(value, (list, tuple)) and all(type(v) is int for v in value)
            else:  # exactly: a datetime is not a date, nor an enum member its value
                ok = type(value) is self.kinds[name]
            if not ok:
                raise StatementError(f"{self.__qualname__}: {name} must be {self.kinds[name]}, not {value!r}")

    def _compile(self) -> Compiled | None:
        compiled = []
        for markers in self.markers:
            queryset = self.build(**markers)
            if queryset._prefetch_related_lookups:  # its Prefetch objects would be shared by every call
                raise StatementError(
                    f"{self.__qualname__}: prefetch the rows with prefetch_related_objects after the call"
                )
            compiler = queryset.query.get_compiler(using=queryset.db)
            compiled.append((queryset, compiler, *compiler.as_sql()))
        (queryset, compiler, sql, params_a), (_q, _c, sql_b, params_b) = compiled
        if sql != sql_b:
            raise StatementError(f"{self.__qualname__}: the SQL's shape depends on the values")
        slots = _slots(params_a, params_b, *self.markers)
        if slots is None:
            return None
        return Compiled(queryset, compiler, sql, slots, _plain_rows(queryset, compiler))


def _plain_rows(queryset, compiler) -> bool:
    """values_list tuples that Django would only pass through: no converter, no extra column, no
    composite field."""
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return (
        queryset._iterable_class is ValuesListIterable
        and not compiler.has_extra_select
        and not compiler.get_converters(fields)
        and not compiler.has_composite_fields(fields)
    )


def _bind(slot: Slot, values: dict):
    if slot.spell == "constant":
        return slot.constant
    value = values[slot.name]
    if slot.spell == "iso":
        return value.isoformat()
    if slot.spell == "list":
        return list(value)
    return slot.cast(value) if slot.cast else value


def _bound_compiler(compiled: Compiled, params: tuple, db: str, *args, **kwargs):
    """A copy of the compiled compiler for this thread's connection, answering as_sql with the bound
    parameters."""
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connections[db]
    compiler.as_sql = lambda *a, **k: (compiled.sql, params)
    return compiler


def statement(build) -> Statement:
    return Statement(build)


def prefetched(instance, name: str, rows: list, *, back: str) -> None:
    """`rows` (read by a statement) as `instance.<name>.all()`, as prefetch_related leaves a reverse
    foreign key: the related manager answers from them, and each row's `back` is the instance."""
    for row in rows:
        setattr(row, back, instance)
    queryset = getattr(instance, name).all()
    queryset._result_cache, queryset._prefetch_done = rows, True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


class RowCount(Func):
    template = "COUNT(*)"
    output_field = IntegerField()


def counted(queryset):
    """The one-row query QuerySet.count() runs, as a queryset a statement can keep (count() runs at
    once): COUNT(*) selected without grouping, the model's ordering dropped."""
    return queryset.order_by().values_list(RowCount())
