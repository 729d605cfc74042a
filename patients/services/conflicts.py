from django.db import models

from rtw.errors import ServiceError
from rtw.models import User


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
