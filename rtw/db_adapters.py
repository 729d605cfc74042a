"""psycopg adaptation tuned for this app's bulk writes.

Django 5.2 inserts many rows at once as ``UNNEST(%s::type[], ...)``: one list per column.
psycopg sends a list given to ``%s`` in text form, escaping every element with a regular
expression in Python, which for the JSON columns of audit events cost the weekly batch
40 % of its writing time. Sent in binary form, nothing is escaped (5x faster for a JSON
column, measured on 3,000 rows). Element types are unchanged: Django casts each array.
"""

from typing import Any

from psycopg.types.array import ListBinaryDumper


def binary_lists(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: lists go in binary form on PostgreSQL."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_dumper(list, ListBinaryDumper)
