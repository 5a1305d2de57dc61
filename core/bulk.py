"""Writing many rows at once, given as field names and rows of values the database takes as they are
(ids for foreign keys, no model instances built). On PostgreSQL, from COPY_FROM rows on, they go through
COPY, one stream instead of an INSERT with a parameter per value; below that, and on other databases,
through `bulk_create`, so small writes keep their query counts. Neither returns primary keys. And
`cyclic_gc_paused` for the batch that builds those rows."""

import gc
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.utils import timezone

COPY_FROM = 1000


def _copy_alias(model, rows) -> str | None:
    alias = router.db_for_write(model)
    if len(rows) >= COPY_FROM and connections[alias].vendor == "postgresql":
        return alias
    return None


def _instances(model, fields, rows):
    return [model(**dict(zip(fields, row, strict=True))) for row in rows]


def _columns(model, fields) -> str:
    return ", ".join(f'"{model._meta.get_field(name).column}"' for name in fields)


# Field types whose Python values COPY takes as they are; any other (JSON) goes through get_db_prep_save.
PLAIN_TYPES = frozenset({
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "DecimalField", "ForeignKey", "IntegerField", "OneToOneField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
})  # fmt: skip


def _copy(cursor, model, table: str, fields: list[str], rows) -> None:
    connection = cursor.db
    prepared = [
        (i, field)
        for i, field in enumerate(model._meta.get_field(name) for name in fields)
        if field.get_internal_type() not in PLAIN_TYPES
    ]
    with connection.wrap_database_errors, cursor.copy(f'COPY "{table}" ({_columns(model, fields)}) FROM STDIN') as copy:
        for row in rows:
            if prepared:
                row = list(row)
                for i, field in prepared:
                    row[i] = field.get_db_prep_save(row[i], connection)
            copy.write_row(row)


def insert_values(model, fields: list[str], rows: list[tuple]) -> None:
    """INSERT the rows (new ones only)."""
    if not rows:
        return
    alias = _copy_alias(model, rows)
    if alias is None:
        model._default_manager.bulk_create(_instances(model, fields, rows))
        return
    with transaction.atomic(using=alias, savepoint=False), connections[alias].cursor() as cursor:
        _copy(cursor, model, model._meta.db_table, fields, rows)


def upsert_values(
    model, fields: list[str], rows: list[tuple], *, unique_fields: list[str], update_fields: list[str]
) -> None:
    """INSERT … ON CONFLICT (unique_fields) DO UPDATE SET update_fields, as `bulk_create` with
    `update_conflicts` writes it; many rows go through a temporary table filled by COPY."""
    if not rows:
        return
    alias = _copy_alias(model, rows)
    if alias is None:
        model._default_manager.bulk_create(
            _instances(model, fields, rows),
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
        return
    table = model._meta.db_table
    columns = _columns(model, fields)
    updates = ", ".join(
        f'"{column}" = EXCLUDED."{column}"'
        for column in (model._meta.get_field(name).column for name in update_fields)
    )
    staging = f"bulk_{table}"
    with transaction.atomic(using=alias, savepoint=False), connections[alias].cursor() as cursor:
        cursor.execute(f'CREATE TEMPORARY TABLE "{staging}" AS SELECT {columns} FROM "{table}" WITH NO DATA')
        _copy(cursor, model, staging, fields, rows)
        cursor.execute(
            f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "{staging}" '
            f"ON CONFLICT ({_columns(model, unique_fields)}) DO UPDATE SET {updates}"
        )
        cursor.execute(f'DROP TABLE "{staging}"')


def insert_history(model, objs: list, *, user, update: bool = False) -> None:
    """The history rows (django-simple-history) of `objs` just created or updated, as its
    `bulk_history_create` makes them (each object's `_history_user` or `user`, its `_change_reason`,
    one timestamp for all), written by `insert_values`."""
    history = model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    now = timezone.now()
    kind = "~" if update else "+"
    fallback = user.pk if user is not None else None
    rows = []
    for obj in objs:
        person = getattr(obj, "_history_user", None)
        rows.append((
            now,
            person.pk if person is not None else fallback,
            getattr(obj, "_change_reason", None),
            kind,
            *(getattr(obj, name) for name in tracked),
        ))
    fields = ["history_date", "history_user_id", "history_change_reason", "history_type", *tracked]
    insert_values(history, fields, rows)


def create_objects(model, objs: list) -> list:
    """`bulk_create(objs)`: on PostgreSQL from COPY_FROM objects on, their ids are drawn from the table's
    sequence in one query and the rows written by COPY. The objects come back saved, with their ids."""
    alias = _copy_alias(model, objs)
    if alias is None:
        return model._default_manager.bulk_create(objs)
    connection = connections[alias]
    opts = model._meta
    fields = opts.concrete_fields
    for obj in objs:  # a foreign key to an object saved since it was assigned takes its id, as in bulk_create
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        rows = ([field.pre_save(obj, True) for field in fields] for obj in objs)
        _copy(cursor, model, opts.db_table, [field.attname for field in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


@contextmanager
def cyclic_gc_paused():
    """For a bounded batch that builds many objects and keeps them until it ends (an import of up to
    10,000 rows): Python's cyclic garbage collector would walk every live object of the process a few
    times over (a fifth of an import's time); reference counting still frees what the batch drops. The
    collector is back on afterwards, whatever happens."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
