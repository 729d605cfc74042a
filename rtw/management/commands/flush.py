"""``flush``, which on SQLite may also empty the append-only audit tables.

PostgreSQL empties tables with TRUNCATE, which the append-only triggers (migration
``rtw.0003``) do not see. SQLite has no TRUNCATE: Django deletes every row, which the
triggers refuse unless ``rtw_audit_unlock`` holds a row. So on SQLite this command holds
one for as long as it runs. Test teardowns of transactional tests call ``flush`` too.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or "rtw_audit_unlock" not in (
            connection.introspection.table_names()
        ):
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO rtw_audit_unlock (flushing) VALUES (1)")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM rtw_audit_unlock")
