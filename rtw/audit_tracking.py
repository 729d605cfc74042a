"""Row-level change tracking that no ORM path goes around.

A model that inherits :class:`Tracked` writes an ``AuditEvent`` of kind "change" for every
row it creates, updates or deletes, with the changed fields' values before and after:

- ``save()`` (and so ``create``, ``get_or_create``, ``update_or_create``): one INSERT;
- ``delete()`` of an instance or a queryset, and every cascade it sets off: the rows the
  deletion collects anyway, then ONE bulk INSERT for all of them;
- ``QuerySet.update()`` (also the ``SET_NULL`` updates a deletion makes): one SELECT of the
  affected rows' values before, the UPDATE, ONE bulk INSERT (plus one SELECT of the values
  after when an expression such as ``F("version") + 1`` was assigned);
- ``bulk_create`` and ``bulk_update``: ONE bulk INSERT per call (``bulk_update`` reads the
  values before in one SELECT).

Finding each row's clinic and patient costs nothing when the related rows are already in
memory or were met earlier in the same request or task, and otherwise one grouped SELECT
per kind of parent, so a bulk call adds a fixed number of queries whatever its size.

Who and why come from the audit context (:func:`acting`): the request's user (set by
``rtw.audit.AuditContextMiddleware``), "system" and the task's name in Celery tasks, and
the reason a service gives. Secrets (password hashes, token hashes, one-time-password keys)
never reach an event: a changed secret shows as "[redacted]".

Nothing here imports a model at import time: the models import this module.
"""

import contextvars
import copy
import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from celery.signals import task_postrun, task_prerun
from django.core.exceptions import ImproperlyConfigured
from django.db import models, router, transaction
from django.db.models import F, IntegerField, UUIDField, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import class_prepared, post_save, pre_delete, pre_save

if TYPE_CHECKING:
    from rtw.models import AuditEvent

_M = TypeVar("_M", bound=models.Model)

# --- what is recorded -------------------------------------------------------------------

# Never stored, whatever the model: a change shows only as REDACTED.
SECRET_FIELDS = frozenset(
    {"password", "token_hash", "key", "bin_key", "otp_secret", "totp_key", "recovery_codes"}
)
SECRET_MARKERS = ("password", "token", "secret", "otp_")
REDACTED = "[redacted]"
BINARY = "[binary]"
# Bookkeeping that changes on every save or login (``version`` is the optimistic-locking
# counter); never an event by itself.
NOT_AUDITED = frozenset({"updated_at", "last_login", "version"})

# Each tracked model's row belongs to the clinic and patient of its parent row: the field
# named here. Roots carry their own (clinic fields, first that is set; patient uuid field).
PARENT: dict[str, str] = {
    "patients.consent": "patient",
    "assessments.assessment": "patient",
    "assessments.questionnaireresponse": "assessment",
    "programs.program": "patient",
    "programs.phase": "program",
    "programs.prescription": "phase",
    "programs.week": "program",
    "programs.weekitem": "week",
    "programs.sessionlog": "week",
    "programs.sessionitem": "session",
    "programs.rtwplan": "program",
    "programs.rtwstep": "plan",
    "programs.rtwrestriction": "plan",
    "rtw.report": "patient",
    "rtw.invitation": "user",
}
ROOTS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "patients.patient": (("clinic_id",), "uuid"),
    "rtw.user": (("clinic_id", "managing_clinic_id"), None),
}

LOADED = "_audit_loaded"  # instance attribute: field values as last read from or written to the db


def is_secret(name: str) -> bool:
    return (
        name in SECRET_FIELDS
        or name.endswith("_hash")
        or any(marker in name for marker in SECRET_MARKERS)
    )


def audited_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f for f in model._meta.concrete_fields if f.name not in NOT_AUDITED and not f.primary_key
    ]


# --- the context: who, why, from where ----------------------------------------------------


class Scope(NamedTuple):
    """The clinic a row belongs to (whose admins see its events) and its patient, if any."""

    clinic_id: int | None
    patient_uuid: uuid.UUID | None


NOWHERE = Scope(None, None)


@dataclass(eq=False)
class AuditContext:
    """Who is acting and why, for one request, task or service call.

    ``operation`` groups every event written under it (a service's named event and the
    row changes it made). The scope cache and the patients already logged as accessed are
    shared with nested contexts.
    """

    operation: uuid.UUID = field(default_factory=uuid.uuid4)
    actor: Any = None  # a User; None with no request means "system"
    request: Any = None  # the HttpRequest whose user acts when ``actor`` is None
    reason: str = ""
    source: str = ""
    scopes: dict[tuple[str, Any], Scope] = field(default_factory=dict)
    accessed: set[str] = field(default_factory=set)

    def actor_user(self) -> Any:
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def source_text(self) -> str:
        if self.source or self.request is None:
            return self.source
        match = getattr(self.request, "resolver_match", None)
        return f"web {self.request.method} {match.view_name if match else '-'}"[:120]


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "rtw_audit_context", default=None
)


def current() -> AuditContext | None:
    return _context.get()


@contextmanager
def using_context(ctx: AuditContext) -> Iterator[AuditContext]:
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


@contextmanager
def acting(user: Any, *, reason: str = "", source: str = "") -> Iterator[AuditContext]:
    """Everything written inside is by ``user`` (None: the system), for ``reason``.

    Inside a request it stays the request's operation, so that the page groups it."""
    parent = _context.get()
    ctx = AuditContext(
        operation=parent.operation if parent else uuid.uuid4(),
        actor=user,
        request=parent.request if parent and user is not None else None,
        reason=reason or (parent.reason if parent and user is not None else ""),
        source=source or (parent.source_text() if parent else ""),
        scopes=parent.scopes if parent else {},
        accessed=parent.accessed if parent else set(),
    )
    with using_context(ctx) as entered:
        yield entered


_task_tokens: dict[str, contextvars.Token[AuditContext | None]] = {}


@task_prerun.connect(weak=False, dispatch_uid="rtw.audit.task_prerun")
def _task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    name = getattr(task, "name", "?")
    _task_tokens[str(task_id)] = _context.set(AuditContext(source=f"task {name}"[:120]))


@task_postrun.connect(weak=False, dispatch_uid="rtw.audit.task_postrun")
def _task_finished(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(str(task_id), None)
    if token is not None:
        _context.reset(token)


# --- values -------------------------------------------------------------------------------


def _json_ready(f: models.Field[Any, Any], value: Any) -> Any:
    if is_secret(f.name):
        return REDACTED
    if isinstance(f, models.BinaryField) or isinstance(value, bytes | memoryview):
        return BINARY
    return value


def _same(f: models.Field[Any, Any], old: Any, new: Any) -> bool:
    try:
        return bool(f.to_python(old) == f.to_python(new))
    except Exception:
        return bool(old == new)


def _loaded_values(obj: models.Model) -> dict[str, Any]:
    """The concrete fields' values the instance holds (deferred fields are not read)."""
    values = {}
    for f in obj._meta.concrete_fields:
        if f.attname in obj.__dict__:
            value = obj.__dict__[f.attname]
            values[f.attname] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    return values


def remember(obj: models.Model, fields: Iterable[str] | None = None) -> None:
    """Note the values the database now holds for ``obj`` (all, or these fields)."""
    current_values = _loaded_values(obj)
    if fields is None:
        obj.__dict__[LOADED] = current_values
        return
    names = set(fields)
    loaded = obj.__dict__.setdefault(LOADED, {})
    for f in obj._meta.concrete_fields:
        if (f.name in names or f.attname in names) and f.attname in current_values:
            loaded[f.attname] = current_values[f.attname]


@functools.cache
def _value_fields(model: type[models.Model]) -> tuple[tuple[str, str, str | None], ...]:
    """Each audited field's name, attribute name, and the text that always stands for its
    value (secrets, binary fields) or None: worked out once per model, not per row."""
    found = []
    for f in audited_fields(model):
        fixed = REDACTED if is_secret(f.name) else None
        if fixed is None and isinstance(f, models.BinaryField):
            fixed = BINARY
        found.append((f.name, f.attname, fixed))
    return tuple(found)


def _all_values(obj: models.Model) -> dict[str, Any]:
    """What ``_json_ready`` makes of every audited field the instance holds."""
    values = obj.__dict__
    return {
        name: fixed
        if fixed is not None
        else (BINARY if isinstance(value := values[attname], bytes | memoryview) else value)
        for name, attname, fixed in _value_fields(type(obj))
        if attname in values
    }


def changed_values(
    values: Iterable[tuple[models.Field[Any, Any], Any, Any]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (field, old, new) triples that differ, as an update's event records them: the
    values before and after, by field name."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for f, old, new in values:
        if not _same(f, old, new):
            before[f.name] = _json_ready(f, old)
            after[f.name] = _json_ready(f, new)
    return before, after


def _changes(
    obj: models.Model, fields: Sequence[models.Field[Any, Any]], loaded: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for f in fields:
        if f.attname not in obj.__dict__:
            continue
        new = obj.__dict__[f.attname]
        if f.attname in loaded:
            old = loaded[f.attname]
            if _same(f, old, new):
                continue
            before[f.name] = _json_ready(f, old)
        after[f.name] = _json_ready(f, new)
    return before, after


# --- whose row is it: clinic and patient ---------------------------------------------------


@dataclass(frozen=True)
class _Pending:
    model: type[models.Model]
    pk: Any


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.attname == name for f in model._meta.concrete_fields)


def _lookups(model: type[models.Model], prefix: str = "") -> tuple[list[str], str | None]:
    """ORM paths from ``model`` to its clinic (first that is set) and patient uuid."""
    label = _label(model)
    if label in ROOTS:
        root_clinics, root_patient = ROOTS[label]
        return [prefix + c for c in root_clinics], (prefix + root_patient if root_patient else None)
    parent = PARENT[label]
    parent_model = model._meta.get_field(parent).related_model
    assert isinstance(parent_model, type)  # noqa: S101 - a concrete FK
    clinics, patient = _lookups(parent_model, f"{prefix}{parent}__")
    if _has_field(model, "clinic_id"):
        clinics = [*clinics, prefix + "clinic_id"]
    return clinics, patient


def scope_annotations(model: type[models.Model]) -> dict[str, Any]:
    clinics, patient = _lookups(model)
    clinic: Any = F(clinics[0]) if len(clinics) == 1 else Coalesce(*(F(c) for c in clinics))
    return {
        "_audit_clinic": Coalesce(clinic, Value(None), output_field=IntegerField()),
        "_audit_patient": F(patient) if patient else Value(None, output_field=UUIDField()),
    }


class Resolver:
    """Finds rows' scopes from memory where it can, else with one query per parent model."""

    def __init__(
        self,
        cache: dict[tuple[str, Any], Scope] | None = None,
        index: Mapping[tuple[str, Any], models.Model] | None = None,
        using: str | None = None,
    ) -> None:
        ctx = _context.get()
        self.cache = cache if cache is not None else (ctx.scopes if ctx else {})
        self.index = index or {}
        self.using = using

    def _try(self, obj: models.Model) -> Scope | _Pending:
        model = type(obj)
        label = _label(model)
        key = (label, obj.pk)
        if obj.pk is not None and key in self.cache:
            return self.cache[key]
        if label in ROOTS:
            clinics, patient = ROOTS[label]
            clinic = next((getattr(obj, c) for c in clinics if getattr(obj, c) is not None), None)
            found = Scope(clinic, getattr(obj, patient) if patient else None)
        elif label in PARENT:
            resolved = self._through_parent(obj, PARENT[label])
            if isinstance(resolved, _Pending):
                return resolved
            found = resolved
        else:  # not tracked (a job profile, an exercise): its own clinic, if it has one
            clinic_id = obj.__dict__.get("clinic_id")
            found = Scope(clinic_id, None)
        if obj.pk is not None:
            self.cache[key] = found
        return found

    def _through_parent(self, obj: models.Model, parent: str) -> Scope | _Pending:
        fk = obj._meta.get_field(parent)
        assert isinstance(fk, models.ForeignKey | models.OneToOneField)  # noqa: S101
        parent_model = fk.related_model
        assert isinstance(parent_model, type)  # noqa: S101
        own_clinic = obj.__dict__.get("clinic_id")
        parent_id = obj.__dict__.get(fk.attname)
        if parent_id is None:
            return Scope(own_clinic, None)
        pkey = (_label(parent_model), parent_id)
        found: Scope | _Pending
        if pkey in self.cache:
            found = self.cache[pkey]
        elif fk.is_cached(obj) and (cached := fk.get_cached_value(obj)) is not None:
            found = self._try(cached)
        elif pkey in self.index:
            found = self._try(self.index[pkey])
        else:
            return _Pending(parent_model, parent_id)
        if isinstance(found, _Pending):
            return found
        if found.clinic_id is None and own_clinic is not None:
            return Scope(own_clinic, found.patient_uuid)
        return found

    def resolve(self, objs: Sequence[models.Model]) -> list[Scope]:
        pending: dict[type[models.Model], set[Any]] = defaultdict(set)
        for obj in objs:
            tried = self._try(obj)
            if isinstance(tried, _Pending):
                pending[tried.model].add(tried.pk)
        for model, pks in pending.items():
            self._load(model, pks)
        scopes = []
        for obj in objs:
            tried = self._try(obj)
            scopes.append(NOWHERE if isinstance(tried, _Pending) else tried)
        return scopes

    def _load(self, model: type[models.Model], pks: set[Any]) -> None:
        label = _label(model)
        rows = (
            model._base_manager.using(self.using)
            .filter(pk__in=pks)
            .annotate(**scope_annotations(model))
            .values_list("pk", "_audit_clinic", "_audit_patient")
        )
        for pk, clinic_id, patient_uuid in rows:
            self.cache[(label, pk)] = Scope(clinic_id, patient_uuid)
        for pk in pks:
            self.cache.setdefault((label, pk), NOWHERE)


def scope_of(obj: models.Model) -> Scope:
    return Resolver().resolve([obj])[0]


# --- writing events ------------------------------------------------------------------------


def change_event(
    *,
    model: type[models.Model],
    pk: Any,
    action: str,
    method: str,
    scope: Scope,
    before: dict[str, Any],
    after: dict[str, Any],
) -> "AuditEvent":
    from rtw.models.audit import AuditEvent, EventKind

    ctx = _context.get()
    actor = ctx.actor_user() if ctx else None
    return AuditEvent(
        kind=EventKind.CHANGE,
        method=method,
        actor_id=getattr(actor, "pk", None),
        actor_role=getattr(actor, "role", "") or "",
        clinic_id=scope.clinic_id
        if scope.clinic_id is not None
        else getattr(actor, "clinic_id", None),
        patient_uuid=scope.patient_uuid,
        action=action,
        target_type=_label(model),
        target_id="" if pk is None else str(pk),
        before=before,
        after=after,
        reason=ctx.reason if ctx else "",
        operation=ctx.operation if ctx else None,
        source=ctx.source_text() if ctx else "",
    )


def write(events: list["AuditEvent"], using: str | None = None) -> None:
    if events:
        from rtw.models.audit import AuditEvent

        AuditEvent.objects.using(using or "default").bulk_create(events)


# --- instance saves -------------------------------------------------------------------------


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # A row saved from an instance that was never read (``Model(pk=…).save()``) may be an
    # update: read what it overwrites.
    if instance._state.adding and instance.pk is not None and LOADED not in instance.__dict__:
        attnames = [f.attname for f in sender._meta.concrete_fields]
        row = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk)
        instance.__dict__[LOADED] = row.values(*attnames).first() or {}


def _after_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool,
    using: str,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    fields = audited_fields(sender)
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    expressions = [
        f.attname for f in fields if hasattr(instance.__dict__.get(f.attname), "resolve_expression")
    ]
    if expressions:  # e.g. ``obj.version = F("version") + 1``: read what was stored
        stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*expressions)
        instance.__dict__.update(stored.first() or {})
    before: dict[str, Any]
    if created:
        before, after, action = {}, _all_values(instance), "create"
    else:
        before, after = _changes(instance, fields, instance.__dict__.get(LOADED, {}))
        action = "update"
    remember(instance, None if update_fields is None else update_fields)
    if not before and not after:
        return
    scope = Resolver(using=using).resolve([instance])[0]
    method = "raw" if raw else "save"
    write(
        [
            change_event(
                model=sender,
                pk=instance.pk,
                action=action,
                method=method,
                scope=scope,
                before=before,
                after=after,
            )
        ],
        using,
    )


# --- deletions --------------------------------------------------------------------------------


@dataclass(eq=False)
class _DeleteBatch:
    rows: list[models.Model] = field(default_factory=list)
    pks: list[Any] = field(default_factory=list)
    before: list[dict[str, Any]] = field(default_factory=list)

    def add(self, obj: models.Model) -> None:
        self.rows.append(obj)
        self.pks.append(obj.pk)
        self.before.append(_all_values(obj))

    def flush(self, using: str) -> None:
        if not self.rows:
            return
        # The rows are gone now, and the deletion has cleared their instances' pks. A parent
        # deleted with them is found in memory, any other parent is still in the database.
        deleted = [(obj, obj.pk) for obj in self.rows]
        for obj, pk in zip(self.rows, self.pks, strict=True):
            obj.pk = pk
        try:
            index = {(_label(type(o)), o.pk): o for o in self.rows}
            scopes = Resolver(index=index, using=using).resolve(self.rows)
        finally:
            for obj, pk in deleted:
                obj.pk = pk
        write(
            [
                change_event(
                    model=type(obj),
                    pk=pk,
                    action="delete",
                    method="delete",
                    scope=scope,
                    before=before,
                    after={},
                )
                for obj, pk, before, scope in zip(
                    self.rows, self.pks, self.before, scopes, strict=True
                )
            ],
            using,
        )


_deletions: contextvars.ContextVar[_DeleteBatch | None] = contextvars.ContextVar(
    "rtw_audit_deletions", default=None
)


@contextmanager
def deleting(using: str) -> Iterator[None]:
    """Deletions inside (with every cascade) are written as one bulk INSERT at the end."""
    batch = _DeleteBatch()
    token: contextvars.Token[_DeleteBatch | None] | None = _deletions.set(batch)
    try:
        with transaction.atomic(using=using, savepoint=False):
            yield
            _deletions.reset(token)  # type: ignore[arg-type]
            token = None
            batch.flush(using)
    finally:
        if token is not None:
            _deletions.reset(token)


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    batch = _deletions.get()
    if batch is not None:
        batch.add(instance)
        return
    # A cascade from an untracked model's deletion: the rows still exist, write now.
    using = kwargs.get("using") or "default"
    scope = Resolver(using=using).resolve([instance])[0]
    write(
        [
            change_event(
                model=sender,
                pk=instance.pk,
                action="delete",
                method="cascade",
                scope=scope,
                before=_all_values(instance),
                after={},
            )
        ],
        using,
    )


# --- querysets and managers -------------------------------------------------------------------


def _fields_of(model: type[models.Model], names: Iterable[str]) -> list[models.Field[Any, Any]]:
    found = []
    for name in names:
        f = model._meta.get_field(name)
        assert isinstance(f, models.Field)  # noqa: S101 - update() takes concrete fields
        found.append(f)
    return found


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


class TrackedQuerySet(models.QuerySet[_M]):
    """Bulk writes of a tracked model, each written to the audit trail in one INSERT."""

    def _reading(self) -> "TrackedQuerySet[_M]":
        """This queryset for reading the rows before a write: without FOR UPDATE, which
        the outer joins to the rows' clinic and patient would not allow."""
        rows = self._chain()  # type: ignore[attr-defined]
        rows.query.select_for_update = False
        return rows  # type: ignore[no-any-return]

    def _write_db(self) -> str:
        return getattr(self, "_db", None) or router.db_for_write(self.model)

    def update(self, **kwargs: Any) -> int:
        if not kwargs:
            return super().update(**kwargs)
        using = self._write_db()
        fields = [f for f in _fields_of(self.model, kwargs) if f.name not in NOT_AUDITED]
        if not fields:
            return super().update(**kwargs)
        attnames = [f.attname for f in fields]
        with transaction.atomic(using=using, savepoint=False):
            rows = list(
                self._reading()
                .annotate(**scope_annotations(self.model))
                .values_list("pk", *attnames, "_audit_clinic", "_audit_patient")
            )
            count = super().update(**kwargs)
            if rows:
                after = self._values_after(using, rows, fields, kwargs)
                write(self._update_events(rows, fields, after, "update"), using)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def _values_after(
        self,
        using: str,
        rows: list[tuple[Any, ...]],
        fields: list[models.Field[Any, Any]],
        kwargs: Mapping[str, Any],
    ) -> dict[Any, dict[str, Any]]:
        literal = {}
        computed = []
        for value, f in zip(kwargs.values(), _fields_of(self.model, kwargs), strict=True):
            if f.name in NOT_AUDITED:
                continue
            if hasattr(value, "resolve_expression"):
                computed.append(f.attname)
            else:
                literal[f.attname] = _plain(value)
        after = {row[0]: dict(literal) for row in rows}
        if computed:
            stored = self.model._base_manager.using(using).filter(pk__in=list(after))
            for values in stored.values("pk", *computed):
                after[values.pop("pk")].update(values)
        return after

    def _update_events(
        self,
        rows: list[tuple[Any, ...]],
        fields: list[models.Field[Any, Any]],
        after: Mapping[Any, Mapping[str, Any]],
        method: str,
    ) -> list["AuditEvent"]:
        events = []
        for row in rows:
            pk, values, clinic_id, patient_uuid = row[0], row[1:-2], row[-2], row[-1]
            new = after.get(pk, {})
            before_changed, after_changed = changed_values(
                (f, old, new[f.attname])
                for f, old in zip(fields, values, strict=True)
                if f.attname in new
            )
            if after_changed:
                events.append(
                    change_event(
                        model=self.model,
                        pk=pk,
                        action="update",
                        method=method,
                        scope=Scope(clinic_id, patient_uuid),
                        before=before_changed,
                        after=after_changed,
                    )
                )
        return events

    def delete(self) -> tuple[int, dict[str, int]]:
        with deleting(self._write_db()):
            return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        using = self._write_db()
        with transaction.atomic(using=using, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            scopes = Resolver(using=using).resolve(created)
            events = []
            for obj, scope in zip(created, scopes, strict=True):
                events.append(
                    change_event(
                        model=self.model,
                        pk=obj.pk,
                        action="create",
                        method="bulk_create",
                        scope=scope,
                        before={},
                        after=_all_values(obj),
                    )
                )
                remember(obj)
            write(events, using)
        return created

    def bulk_update(
        self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs = [o for o in objs if o.pk is not None]
        tracked = [f for f in _fields_of(self.model, fields) if f.name not in NOT_AUDITED]
        if not objs or not tracked:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        using = self._write_db()
        attnames = [f.attname for f in tracked]
        with transaction.atomic(using=using, savepoint=False):
            rows = list(
                self.model._base_manager.using(using)
                .filter(pk__in=[o.pk for o in objs])
                .annotate(**scope_annotations(self.model))
                .values_list("pk", *attnames, "_audit_clinic", "_audit_patient")
            )
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            after: dict[Any, dict[str, Any]] = {}
            computed = False
            for obj in objs:
                values = {a: obj.__dict__.get(a) for a in attnames}
                computed = computed or any(
                    hasattr(v, "resolve_expression") for v in values.values()
                )
                after[obj.pk] = values
            if computed:
                stored = self.model._base_manager.using(using).filter(pk__in=list(after))
                after = {v.pop("pk"): v for v in stored.values("pk", *attnames)}
            write(self._update_events(rows, tracked, after, "bulk_update"), using)
            for obj in objs:
                remember(obj, attnames)
        return count


class TrackedManager(models.Manager[_M]):
    def get_queryset(self) -> TrackedQuerySet[_M]:
        return TrackedQuerySet(self.model, using=self._db)


class TrackedManagerMixin:
    """For a model that needs its own manager class (``User``'s): its querysets track."""

    def get_queryset(self) -> TrackedQuerySet[Any]:
        return TrackedQuerySet(self.model, using=self._db)  # type: ignore[attr-defined]


class Tracked(models.Model):
    """Base of every model whose rows the audit trail follows (see the module's docstring)."""

    objects = TrackedManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The row and its audit event commit together or not at all.
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    def delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        using = using or router.db_for_write(type(self), instance=self)
        with deleting(using):
            return super().delete(using=using, keep_parents=keep_parents)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        remember(instance)
        return instance

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet[Any] | None = None,
    ) -> None:
        fields = list(fields) if fields is not None else None
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        remember(self, fields)


def _prepare(sender: type[models.Model], **kwargs: Any) -> None:
    if not issubclass(sender, Tracked) or sender._meta.abstract:
        return
    label = _label(sender._meta.concrete_model or sender)
    if label not in PARENT and label not in ROOTS:
        raise ImproperlyConfigured(f"{label} is tracked: say whose row it is in PARENT or ROOTS.")
    # Deletions collect related rows, and SET_NULL updates them, through the base manager:
    # make it the tracked one so that those paths are recorded too.
    sender._meta.base_manager_name = "objects"
    uid = f"rtw.audit.{sender._meta.label_lower}"
    pre_save.connect(_before_save, sender=sender, weak=False, dispatch_uid=uid)
    post_save.connect(_after_save, sender=sender, weak=False, dispatch_uid=uid)
    pre_delete.connect(_before_delete, sender=sender, weak=False, dispatch_uid=uid)


class_prepared.connect(_prepare, weak=False, dispatch_uid="rtw.audit.class_prepared")
