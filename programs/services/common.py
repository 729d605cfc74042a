"""What every program service shares: who may act, saving through model validation,
optimistic concurrency, and JSON-ready snapshots for the audit log."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from programs.models import Program
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

PROGRAM_FIELDS = (
    "name",
    "status",
    "cap",
    "deload_every",
    "mode",
    "target_date",
    "baseline_morning_pain",
    "sessions_per_week",
    "current_phase",
    "phase_started_on",
)
SETTINGS_FIELDS = (
    "name",
    "cap",
    "deload_every",
    "mode",
    "target_date",
    "baseline_morning_pain",
    "sessions_per_week",
)
PHASE_FIELDS = ("name", "goals", "planned_weeks", "exit_criteria")
PRESCRIPTION_FIELDS = (
    "sets",
    "reps",
    "quantity",
    "tempo",
    "rest_seconds",
    "increment",
    "target",
    "is_key",
)
ITEM_FIELDS = ("sets", "reps", "quantity", "override_reason")


class StaleEdit(ServiceError):
    """Someone saved the record after this form was opened; ``current`` is their version."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(
            "Someone else saved this after you opened the form, so nothing was saved. "
            "Their values are shown below: check them, then save again to keep yours."
        )
        self.current = current
        self.version: int = current.version  # type: ignore[attr-defined]


def require_clinician(user: User) -> int:
    if not user.is_clinician or user.clinic_id is None:
        raise ServiceError("Only a physiotherapist of the clinic can change programs.")
    return user.clinic_id


def require_clinician_of(user: User, program: Program) -> None:
    """Defence in depth: views already scope, but a service never trusts its caller."""
    clinic_id = require_clinician(user)
    if program.is_template or program.clinic_id != clinic_id:
        raise ServiceError("This program belongs to another clinic.")


def check_version(current: models.Model, version: int | None) -> None:
    if version is not None and current.version != version:  # type: ignore[attr-defined]
        raise StaleEdit(current)


def validation_to_service_error(error: ValidationError) -> ServiceError:
    """The first message, attached to its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = None if field == NON_FIELD_ERRORS else field
            return ServiceError(" ".join(errors), field=name)
    return ServiceError(" ".join(error.messages))


def validate(obj: models.Model) -> None:
    """The model's own validation (fields, ``clean()`` - the cap lives there - constraints)."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise validation_to_service_error(error) from error


def validated_save(obj: models.Model, *, update_fields: Iterable[str] | None = None) -> None:
    """Every write goes through the model's own validation first."""
    validate(obj)
    obj.save(update_fields=list(update_fields) if update_fields is not None else None)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return audit.snapshot(obj, fields)
