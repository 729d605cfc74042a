"""PostgreSQL COPY for the large tables, with ids chosen here so that rows can point at
each other before they are written (foreign keys are checked at commit)."""

import json
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from psycopg.types.json import Jsonb

_dumps = partial(json.dumps, cls=DjangoJSONEncoder)


class Table:
    """One model's table: the columns given, then every other column at its default."""

    def __init__(self, model: type[models.Model], columns: str) -> None:
        """``columns``: attribute names (``clinic_id``), separated by spaces."""
        self.model = model
        self.table = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        names = columns.split()
        unknown = set(names) - set(fields)
        if unknown:
            raise ValueError(f"{self.table}: no such columns {sorted(unknown)}")
        self.columns = [fields[name].column for name in names]
        # Columns another change added later still get their model default.
        self.rest = [f for name, f in fields.items() if name not in names]
        self.defaults = tuple(_db_value(f.get_default()) for f in self.rest)
        self.next_id = _max_id(self.table) + 1

    def ids(self, count: int) -> range:
        first = self.next_id
        self.next_id += count
        return range(first, first + count)

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        names = ", ".join(connection.ops.quote_name(c) for c in [*self.columns, *self.rest_names])
        written = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*(_db_value(v) for v in row), *self.defaults))
                written += 1
        return written

    @property
    def rest_names(self) -> list[str]:
        return [f.column for f in self.rest]

    def finish(self) -> None:
        """Move the id sequence past the ids used here."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "  # noqa: S608
                f"GREATEST((SELECT MAX(id) FROM {self.table}), 1))"
            )


def _db_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        return Jsonb(value, dumps=_dumps)
    return value


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0
