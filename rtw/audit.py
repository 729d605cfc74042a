"""Writing audit events. Service functions call :func:`record` inside their transaction."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from rtw.models import AuditEvent, User


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-ready values (foreign keys as ids)."""
    data = model_to_dict(obj, fields=list(fields))
    return {k: (str(v) if isinstance(v, models.Model) else v) for k, v in data.items()}


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
    if clinic_id is None and actor is not None:
        clinic_id = actor.clinic_id
    return AuditEvent.objects.create(
        actor=actor,
        actor_role=actor.role if actor else "",
        clinic_id=clinic_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before or {},
        after=after or {},
        reason=reason,
    )
