"""Bulk inserts with PostgreSQL COPY that keep the audit trail: the weekly batch's writes.

A tracked model's ``bulk_create`` (``rtw.audit_tracking``) inserts its rows through Django's
``INSERT … UNNEST``, then one change event per row. :class:`CopyWriter` writes the same
rows and the same events with COPY, which skips Django building and adapting each value
and PostgreSQL planning a statement: several times faster for thousands of rows. Ids come
from each table's sequence first, so that rows can point at rows of the same call and each
event names its row.

PostgreSQL only (:func:`supported`); elsewhere the caller uses the ORM, which writes the
same rows and events (``tests/programs/test_batch_copy.py`` compares the two).
"""

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.backends.utils import CursorDebugWrapper
from django.utils import timezone

from rtw import revisions
from rtw.audit_tracking import (
    NOT_AUDITED,
    Scope,
    _all_values,
    _label,
    changed_values,
    current,
)

EVENT_COLUMNS = (
    "created_at",
    "kind",
    "method",
    "actor_id",
    "actor_role",
    "clinic_id",
    "patient_uuid",
    "action",
    "target_type",
    "target_id",
    "before",
    "after",
    "reason",
    "operation",
    "source",
)
_event_json = DjangoJSONEncoder().encode


def supported(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value goes into COPY's text form, where psycopg's own adapters do not fit."""
    if isinstance(f, models.JSONField):
        encode = json.JSONEncoder().encode if f.encoder is None else f.encoder().encode
        return lambda v: None if v is None else encode(v)
    return None


class CopyWriter:
    """Rows inserted with COPY and the audit events of what a service did, written at
    :meth:`flush` in one more COPY; by the context's actor (None in a task: "system")."""

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self.connection = connections[using]
        self.now = timezone.now()
        self.events: list[tuple[Any, ...]] = []
        self.touched: set[UUID] = set()
        self.clinics: set[int] = set()
        ctx = current()
        actor = ctx.actor_user() if ctx else None
        self.actor_id = getattr(actor, "pk", None)
        self.actor_role = getattr(actor, "role", "") or ""
        self.actor_clinic_id = getattr(actor, "clinic_id", None)
        self.reason = ctx.reason if ctx else ""
        self.operation = ctx.operation if ctx else None
        self.source = ctx.source_text() if ctx else ""

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        """``count`` new ids from the table's sequence (one statement)."""
        if count == 0:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert(self, objs: Sequence[models.Model], scopes: Sequence[Scope]) -> None:
        """Insert unsaved instances of one model whose ids are set (:meth:`reserve_ids`),
        with the change event ``bulk_create`` would write for each: ``scopes`` are their
        clinics and patients. The instances are then saved rows, but unlike ``bulk_create``
        this does not note their values for a later ``save()`` to compare against: the
        batch drops them."""
        if not objs:
            return
        model = type(objs[0])
        fields = model._meta.concrete_fields
        convert = [(f.attname, _converter(f)) for f in fields]
        rows = (
            tuple(
                obj.__dict__[name] if conv is None else conv(obj.__dict__[name])
                for name, conv in convert
            )
            for obj in objs
        )
        self.copy(model._meta.db_table, [f.column for f in fields], rows)
        target_type = _label(model)
        for obj, scope in zip(objs, scopes, strict=True):
            obj._state.adding = False
            obj._state.db = self.using
            self.change(scope, "create", "bulk_create", target_type, obj.pk, {}, _all_values(obj))

    def updated(
        self,
        model: type[models.Model],
        rows: Iterable[tuple[Any, Scope, dict[str, Any], dict[str, Any]]],
    ) -> None:
        """The change event of each row an UPDATE changed: (pk, scope, values before,
        values after) by field name, as ``QuerySet.update`` writes them."""
        target_type = _label(model)
        fields = {f.name: f for f in model._meta.concrete_fields}
        for pk, scope, old, new in rows:
            before, after = changed_values(
                (fields[name], old.get(name), value)
                for name, value in new.items()
                if name not in NOT_AUDITED
            )
            if after:
                self.change(scope, "update", "update", target_type, pk, before, after)

    def change(
        self,
        scope: Scope,
        action: str,
        method: str,
        target_type: str,
        pk: Any,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        clinic_id = scope.clinic_id if scope.clinic_id is not None else self.actor_clinic_id
        self._event(
            ("change", method, action, target_type, pk, before, after, self.reason),
            clinic_id,
            scope.patient_uuid,
            by_actor=True,
        )

    def action(
        self,
        *,
        action: str,
        target: tuple[type[models.Model], Any],
        clinic_id: int | None,
        before: dict[str, Any],
        after: dict[str, Any],
        reason: str,
    ) -> None:
        """A named event by the system (no actor, no patient), as the batch always wrote."""
        model, pk = target
        what = ("action", "", action, _label(model), pk, before, after, reason)
        self._event(what, clinic_id, None, by_actor=False)

    def _event(
        self,
        what: tuple[Any, ...],
        clinic_id: int | None,
        patient_uuid: UUID | None,
        *,
        by_actor: bool,
    ) -> None:
        """``what``: kind, method, action, target type, target id, before, after, reason."""
        kind, method, action, target_type, pk, before, after, reason = what
        if patient_uuid is not None:
            self.touched.add(patient_uuid)
            if clinic_id is not None and clinic_id not in self.clinics:
                self.clinics.add(clinic_id)
                self.touched.add(revisions.clinic_records(clinic_id, self.using))
        self.events.append(
            (
                self.now,
                kind,
                method,
                self.actor_id if by_actor else None,
                self.actor_role if by_actor else "",
                clinic_id,
                patient_uuid,
                action,
                target_type,
                "" if pk is None else str(pk),
                _event_json(before),
                _event_json(after),
                reason,
                self.operation,
                self.source,
            )
        )

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        sql = f"COPY {quote(table)} ({names}) FROM STDIN"
        with self.connection.cursor() as cursor:

            def run(sql: str, params: Any, many: bool, context: Any) -> None:
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)

            # Through the connection's execute wrappers and query log, as any statement: a
            # COPY counts in the queries a test or the bench counts.
            logged = (
                cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
            )
            with logged:
                cursor._execute_with_wrappers(sql, None, False, run)

    def flush(self) -> None:
        """Write the events (one COPY) and retire the page caches of the patients touched."""
        from rtw.models import AuditEvent

        if self.events:
            self.copy(AuditEvent._meta.db_table, EVENT_COLUMNS, self.events)
        self.events = []
        revisions.changed(self.touched, using=self.using)
        self.touched, self.clinics = set(), set()
