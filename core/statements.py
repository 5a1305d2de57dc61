"""Querysets compiled to SQL once per process and run again with other values: `@statement`.

Building a queryset and compiling it costs Django 0.2–0.4 ms of Python per query, often more than the
database takes to answer. A page that reads the same shapes on every request can keep the SQL text:

    @statement
    def open_flags(*, office_id: int, staff_id: int):
        return Flag.objects.filter(office_id=office_id, client__primary_staff_id=staff_id).values_list("pk")

    rows = open_flags(office_id=3, staff_id=7)  # a list, read from the database on every call

The builder is called once per database with a marker value for each parameter, and compiled (so it reads
nothing but its parameters: not the clock, not a setting); every call
then binds its values in the markers' places, runs the SQL and builds the rows (model instances,
values_list tuples, select_related, annotations, prefetch_related) through Django's own iterables. Only
the SQL is kept, never a result. Parameters are keyword-only and typed `int`, `str`, `date` or
`list[int]` (an array on PostgreSQL, `core.lookups` `__any`); a builder must give the same SQL whatever
the values, so a value that changes the SQL's shape (None, a boolean) makes two statements instead, and
it hands its parameters to the ORM as they come: a value computed from one (`month_end(day)`) is refused,
since it would be kept as a constant; such a value is a parameter of its own. Where
the database spells a parameter into the SQL's shape (`__any` on SQLite: one placeholder per id), the
statement builds and compiles its queryset on every call, as Django does.
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

INT_MARK = 2_000_000_000  # within a 32-bit integer column's range, so no lookup folds it away
DATE_MARK = date(1001, 1, 1)
STR_MARK = "\ue000statement-"  # a private-use character no stored value begins with


@dataclass(frozen=True)
class Slot:
    name: str
    spell: str  # "value", "iso" (a date sent as text) or "constant"
    constant: object = None


@dataclass(frozen=True)
class Compiled:
    queryset: object  # the builder's queryset with the markers (its query keeps the shape)
    compiler: object  # compiled once: select, klass_info and annotations filled in
    sql: str
    slots: tuple[Slot, ...]


class StatementError(TypeError):
    pass


def _markers(kinds: dict[str, type]) -> dict[str, object]:
    markers = {}
    for i, (name, kind) in enumerate(kinds.items()):
        if kind is int:
            markers[name] = INT_MARK + i
        elif kind is date:
            markers[name] = DATE_MARK + timedelta(days=i)
        elif kind is str:
            markers[name] = f"{STR_MARK}{i}"
        elif kind == list[int]:
            markers[name] = [INT_MARK + i]
        else:
            raise StatementError(f"{name}: a statement's parameter is int, str, date or list[int], not {kind}")
    return markers


def _slots(params, markers: dict[str, object]) -> tuple[Slot, ...] | None:
    """Each parameter of the compiled SQL as a marker's place or a constant; None when a list marker was
    spelt into the SQL one element per placeholder (the statement cannot be reused on that database)."""
    scalars = {}
    for name, marker in markers.items():
        if isinstance(marker, list):
            scalars[marker[0]] = (name, "expanded")
        elif isinstance(marker, date):
            scalars[marker] = (name, "value")
            scalars[marker.isoformat()] = (name, "iso")
        else:
            scalars[marker] = (name, "value")
    lists = {marker[0]: name for name, marker in markers.items() if isinstance(marker, list)}
    derived = [p for p in params if _near_a_marker(p) and not (isinstance(p, list) or p in scalars)]
    if derived:
        raise StatementError(f"values computed from a parameter would be kept as constants: {derived}")
    slots, seen = [], set()
    for param in params:
        if isinstance(param, list) and len(param) == 1 and param[0] in lists and type(param[0]) is int:
            slots.append(Slot(lists[param[0]], "value"))
            seen.add(lists[param[0]])
            continue
        found = scalars.get(param) if isinstance(param, (int, str, date)) and not isinstance(param, bool) else None
        if found is None:
            slots.append(Slot("", "constant", param))
            continue
        name, spell = found
        if spell == "expanded":
            return None
        slots.append(Slot(name, spell))
        seen.add(name)
    missing = set(markers) - seen
    if missing:
        raise StatementError(f"parameters that never reach the SQL: {', '.join(sorted(missing))}")
    return tuple(slots)


def _near_a_marker(param) -> bool:
    if isinstance(param, bool):
        return False
    if isinstance(param, int):
        return abs(param - INT_MARK) < 100_000
    if isinstance(param, date):
        return param.year in (DATE_MARK.year - 1, DATE_MARK.year, DATE_MARK.year + 1)
    if isinstance(param, str):
        return param.startswith(STR_MARK) or param[:4] in {str(DATE_MARK.year + d) for d in (-1, 0, 1)}
    return False


class Statement:
    def __init__(self, build):
        update_wrapper(self, build)
        self.build = build
        hints = typing.get_type_hints(build)
        names = list(inspect.signature(build).parameters.values())
        if any(p.kind is not inspect.Parameter.KEYWORD_ONLY for p in names):
            raise StatementError(f"{build.__qualname__}: a statement's parameters are keyword-only")
        self.kinds = {p.name: hints.get(p.name) for p in names}
        self.markers = _markers(self.kinds)
        self._compiled: dict[str, Compiled | None] = {}

    def __call__(self, **values) -> list:
        self._check(values)
        compiled = self._compiled.get("default", False)
        if compiled is False:
            compiled = self._compiled["default"] = self._compile()
        if compiled is None:
            return list(self.build(**values))
        params = [
            slot.constant
            if slot.spell == "constant"
            else values[slot.name].isoformat()
            if slot.spell == "iso"
            else list(values[slot.name])
            if self.kinds[slot.name] == list[int]
            else values[slot.name]
            for slot in compiled.slots
        ]
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = partial(_bound_compiler, compiled, tuple(params), queryset.db)
        return list(queryset)

    def _check(self, values: dict):
        if values.keys() != self.kinds.keys():
            raise StatementError(f"{self.__qualname__} takes {', '.join(self.kinds)}")
        for name, value in values.items():
            kind = self.kinds[name]
            if kind == list[int]:
                ok = isinstance(value, (list, tuple)) and all(type(v) is int for v in value)
            else:  # exactly: a datetime is not a date, nor an enum member its value
                ok = type(value) is kind
            if not ok:
                raise StatementError(f"{self.__qualname__}: {name} must be {kind}, not {value!r}")

    def _compile(self) -> Compiled | None:
        queryset = self.build(**self.markers)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = _slots(params, self.markers)
        if slots is None:
            return None
        return Compiled(queryset, compiler, sql, slots)


def _bound_compiler(compiled: Compiled, params: tuple, db: str, *args, **kwargs):
    """A copy of the compiled compiler for this thread's connection, answering as_sql with the bound
    parameters."""
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connections[db]
    compiler.as_sql = lambda *a, **k: (compiled.sql, params)
    return compiler


def statement(build) -> Statement:
    return Statement(build)


class RowCount(Func):
    template = "COUNT(*)"
    output_field = IntegerField()


def counted(queryset):
    """The one-row query QuerySet.count() runs, as a queryset a statement can keep (count() runs at
    once): COUNT(*) selected without grouping, the model's ordering dropped."""
    return queryset.order_by().values_list(RowCount())
