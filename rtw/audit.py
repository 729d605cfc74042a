"""The audit trail's public side.

- :func:`record`: the named event a service writes inside its transaction (with the
  clinician's reason for an override). Row-level changes are written by
  ``rtw.audit_tracking`` on their own; both share the context's ``operation``.
- :func:`acting`: who acts and why for a block of code (requests get it from
  :class:`AuditContextMiddleware`, Celery tasks are "system" with the task's name).
- :func:`accessed`: an access event when a page or download shows a patient's data; called
  by the lookups every such page goes through (``patients.scoping.get_patient_for``,
  ``programs.scoping.get_program_for``, the employer worker lookup, the report download),
  at most once per patient per request, and only for GET/HEAD (and the export, a POST):
  a write is in the change trail already.
- :func:`get_or_404`: a scoped lookup that, when it finds nothing, tells the security log
  (``rtw.security``) if the object exists in another clinic or employer.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse

from rtw import audit_tracking
from rtw.audit_tracking import AuditContext, acting, current
from rtw.models import AccessEvent, AuditEvent, EventKind, User

__all__ = [
    "AuditContext",
    "AuditContextMiddleware",
    "accessed",
    "accessed_many",
    "acting",
    "current",
    "either",
    "get_or_404",
    "record",
    "refused",
    "snapshot",
    "tenant_of",
]

M = TypeVar("M", bound=models.Model)
security_log = logging.getLogger("rtw.security")


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-ready values (foreign keys as ids)."""
    data = model_to_dict(obj, fields=list(fields))
    return {
        k: (audit_tracking.REDACTED if audit_tracking.is_secret(k) else v)
        for k, v in ((k, str(v) if isinstance(v, models.Model) else v) for k, v in data.items())
    }


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    clinic_id: int | None = None,
) -> AuditEvent:
    """A named event about ``target``: by default in the clinic the target belongs to."""
    ctx = current()
    scope = audit_tracking.scope_of(target)
    if clinic_id is None:
        clinic_id = (
            scope.clinic_id if scope.clinic_id is not None else getattr(actor, "clinic_id", None)
        )
    return AuditEvent.objects.create(
        kind=EventKind.ACTION,
        actor=actor,
        actor_role=actor.role if actor else "",
        clinic_id=clinic_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        patient_uuid=scope.patient_uuid,
        before=_without_secrets(before or {}),
        after=_without_secrets(after or {}),
        reason=reason or (ctx.reason if ctx else ""),
        operation=ctx.operation if ctx else None,
        source=ctx.source_text() if ctx else "",
    )


def _without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (audit_tracking.REDACTED if audit_tracking.is_secret(k) else v)
        for k, v in values.items()
    }


# --- the request's context --------------------------------------------------------------


class AuditContextMiddleware:
    """Every write during a request is by the request's user, in one operation."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_tracking.using_context(AuditContext(request=request)):
            return self.get_response(request)


# --- access events -----------------------------------------------------------------------

READS = ("GET", "HEAD")
# Copies of a record taken by a deliberate, CSRF-checked POST: reads all the same.
POSTED_READS = frozenset({"patients:export"})


def _viewing(user: User) -> tuple[AuditContext, HttpRequest] | None:
    """The request context, when ``user`` is reading a page in it."""
    ctx = current()
    request = ctx.request if ctx else None
    if ctx is None or request is None:
        return None
    match = request.resolver_match
    if request.method not in READS and (match is None or match.view_name not in POSTED_READS):
        return None
    if getattr(request.user, "pk", None) != user.pk:
        return None
    return ctx, request


def _object_ref(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    parts = [f"{k}={v}" for k, v in match.kwargs.items() if k != "patient_uuid"]
    return " ".join(parts)[:200]


def accessed(
    user: User,
    *,
    patient_uuid: UUID,
    patient_clinic_id: int | None,
    what: str = "",
) -> None:
    """Log that ``user`` is looking at this patient's data on the current page.

    ``what`` defaults to the page's URL name. Nothing outside a GET/HEAD request of
    ``user``'s; nothing twice for one patient in one request."""
    viewing = _viewing(user)
    if viewing is None:
        return
    ctx, request = viewing
    if str(patient_uuid) in ctx.accessed:
        return
    ctx.accessed.add(str(patient_uuid))
    match = request.resolver_match
    AccessEvent.objects.create(
        **_access_fields(user, ctx, request, what or (match.view_name if match else "")),
        patient_uuid=patient_uuid,
        patient_clinic_id=patient_clinic_id,
    )


def accessed_many(user: User, patients: Iterable[tuple[UUID, int | None]]) -> None:
    """Log a page that shows several patients' data (the employer dashboard): one INSERT."""
    viewing = _viewing(user)
    if viewing is None:
        return
    ctx, request = viewing
    match = request.resolver_match
    what = match.view_name if match else ""
    rows = []
    for patient_uuid, clinic_id in patients:
        if str(patient_uuid) in ctx.accessed:
            continue
        ctx.accessed.add(str(patient_uuid))
        rows.append(
            AccessEvent(
                **_access_fields(user, ctx, request, what),
                patient_uuid=patient_uuid,
                patient_clinic_id=clinic_id,
            )
        )
    if rows:
        # One INSERT of every row, committed on its own: bulk_create would wrap it in a
        # transaction of its own, two more round trips on every dashboard visit.
        fields = [f for f in AccessEvent._meta.concrete_fields if not f.primary_key]
        AccessEvent._base_manager._insert(rows, fields=fields)  # type: ignore[attr-defined]


def _access_fields(
    user: User, ctx: AuditContext, request: HttpRequest, what: str
) -> dict[str, Any]:
    return {
        "actor_id": user.pk,
        "actor_role": user.role,
        "actor_clinic_id": user.clinic_id,
        "actor_employer_id": user.employer_id,
        "what": what[:64],
        "object_ref": _object_ref(request),
        "operation": ctx.operation,
    }


# --- the security log ----------------------------------------------------------------------


def tenant_of(user: User) -> int | None:
    """The organisation whose records the user may reach: a clinic, or an employer."""
    return user.employer_id if user.is_employer_viewer else user.clinic_id


def refused(
    model: type[models.Model],
    *,
    user: User,
    tenant: str | Combinable,
    lookup: Mapping[str, Any],
) -> None:
    """A scoped lookup found nothing: warn the security log when the object exists in
    another tenant (``tenant``: its path to the clinic or employer id to compare with the
    user's). A missing object, or one of the user's own organisation that is merely out of
    their scope, is only noted at DEBUG. Ids only, never names or clinical values."""
    found = list(
        model._base_manager.filter(**lookup)
        .annotate(_owner=tenant if isinstance(tenant, Combinable) else models.F(tenant))
        .values_list("_owner", flat=True)[:1]
    )
    owner = found[0] if found else None
    ctx = current()
    request = ctx.request if ctx else None
    path = request.path if request is not None else "-"
    wanted = " ".join(f"{k}={v}" for k, v in lookup.items())
    who = (
        f"user={user.pk} role={user.role or '-'} clinic={user.clinic_id or '-'} "
        f"employer={user.employer_id or '-'}"
    )
    label = model._meta.label_lower
    if owner is not None and owner != tenant_of(user):  # None: shared, or no such object
        security_log.warning(
            "cross-tenant lookup refused: %s object=%s %s owner=%s path=%s",
            who,
            label,
            wanted,
            owner,
            path,
        )
    else:
        state = "out of scope" if found else "missing"
        security_log.debug(
            "lookup refused (%s): %s object=%s %s path=%s", state, who, label, wanted, path
        )


def get_or_404(
    queryset: "models.QuerySet[M]",
    *,
    tenant: str | Combinable,
    user: User | None = None,
    **lookup: Any,
) -> M:
    """``get_object_or_404`` that tells the security log about cross-tenant attempts.

    ``tenant`` is the object's path to its clinic id (or employer id, for a lookup by an
    employer viewer); ``user`` defaults to the request's."""
    try:
        return queryset.get(**lookup)
    except ObjectDoesNotExist:
        if user is None:
            ctx = current()
            user = ctx.actor_user() if ctx else None
        if user is not None:
            refused(queryset.model, user=user, tenant=tenant, lookup=lookup)
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the query.") from None


def either(*paths: str) -> Combinable:
    """A tenant path that is the first of these that is set (a staff account belongs to
    its clinic, an employer viewer's to the clinic that manages it)."""
    return Coalesce(*(models.F(p) for p in paths))
