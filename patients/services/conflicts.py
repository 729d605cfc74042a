from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import models

from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

M = TypeVar("M", bound=models.Model)


class StaleEdit(ServiceError):
    """Someone saved the record after this form was opened; ``current`` is their version."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(
            "Someone else saved this record after you opened the form, so nothing was saved. "
            "Their values are shown below: check them, then save again to keep yours."
        )
        self.current = current


def require_clinician(user: User) -> int:
    """The clinic of a physiotherapist acting on clinical records, or a refusal."""
    if not user.is_clinician or user.clinic_id is None:
        raise ServiceError("Only a physiotherapist of the clinic can change clinical records.")
    return user.clinic_id


def save_versioned_edit(
    current: M,
    *,
    acting_user: User,
    fields: Sequence[str],
    data: Mapping[str, Any],
    action: str,
    also_update: Sequence[str] = (),
) -> M:
    """Apply ``data`` to the locked row, save only what changed with a new version, and
    audit the changed fields before and after. Nothing changed: nothing saved."""
    before = audit.snapshot(current, fields)
    for field in fields:
        setattr(current, field, data[field])
    after = audit.snapshot(current, fields)
    changed = [f for f in fields if before[f] != after[f]]
    if not changed:
        return current
    current.version += 1  # type: ignore[attr-defined]
    current.save(update_fields=[*changed, "version", *also_update])
    audit.record(
        actor=acting_user,
        action=action,
        target=current,
        before={f: before[f] for f in changed},
        after={f: after[f] for f in changed},
    )
    return current
