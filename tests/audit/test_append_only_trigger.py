"""PostgreSQL itself refuses UPDATE and DELETE of access-log rows (a trigger from a migration)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AccessKind, AccessLog

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_accesslog SET page = 'rewritten' WHERE id = %s", "DELETE FROM audit_accesslog WHERE id = %s"],
)
def test_raw_sql_cannot_change_or_delete_an_access_log_row(sql):
    row = AccessLog.objects.create(kind=AccessKind.VIEW, page="cases:client_detail")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AccessLog.objects.get(pk=row.pk).page == "cases:client_detail"


def test_inserting_still_works():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_accesslog (at, kind, username, page, export, path) "
                       "VALUES (now(), 'view', '', 'p', '', '')")
    assert AccessLog.objects.filter(page="p").exists()
