"""Authentication backend that reads a signed-in user and their memberships in one query."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from .models import Membership, Office, User

_JOINED = (("m", Membership), ("u", User), ("o", Office))
_JOINED_MODELS = dict(_JOINED)


@cache
def _member_query():
    """The SQL, built once per process, and the backend's value converters (none on PostgreSQL)."""
    q = connection.ops.quote_name
    columns, converters, spans = [], [], {}
    for alias, model in _JOINED:
        start = len(columns)
        for field in model._meta.concrete_fields:
            col = field.get_col(alias)
            found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if found:
                converters.append((len(columns), found, col))
            columns.append(f"{alias}.{q(field.column)}")
        spans[alias] = (start, len(columns), [f.attname for f in model._meta.concrete_fields])
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(User._meta.db_table)} u"
        f" LEFT JOIN {q(Membership._meta.db_table)} m ON m.{q('user_id')} = u.{q('id')}"
        f" LEFT JOIN {q(Office._meta.db_table)} o ON o.{q('id')} = m.{q('office_id')}"
        f" WHERE u.{q('id')} = %s ORDER BY o.{q('name')}, m.{q('id')}"
    )
    return sql, converters, spans


def user_with_memberships(user_id) -> tuple[User | None, list[Membership]]:
    """The user and their memberships with offices, as `memberships_of` orders them, from one query.

    Hand-written because it runs on every signed-in request: the ORM's compiling and row handling took
    about twice the query's own time (bench/README.md).
    """
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None, []
    sql, converters, spans = _member_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    if converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, found, col in converters:
                for convert in found:
                    row[index] = convert(row[index], col, connection)
    if not rows:
        return None, []

    def build(alias, row):
        start, end, names = spans[alias]
        return _JOINED_MODELS[alias].from_db(connection.alias, names, row[start:end])

    user = build("u", rows[0])
    memberships = []
    for row in rows:
        if row[spans["m"][0]] is None:  # no membership: the LEFT JOIN's empty row
            continue
        membership = build("m", row)
        membership.user = user
        membership.office = build("o", row)
        memberships.append(membership)
    return user, memberships


class MemberBackend(ModelBackend):
    """ModelBackend whose per-request `get_user` also reads the user's memberships with their offices in
    the same query; `CurrentOfficeMiddleware` takes them from `user.office_memberships`."""

    def get_user(self, user_id):
        user, memberships = user_with_memberships(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.office_memberships = memberships
        return user
