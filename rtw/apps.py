from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save

from rtw import db_adapters, revisions

# Shown on cached pages beside a patient's own records, but not a patient's (rtw.revisions).
REFERENCE_MODELS = (
    "programs.Exercise",
    "patients.JobDemandProfile",
    "patients.JobTask",
    "rtw.Employer",
    "rtw.Clinic",
)


# Saves of a user that change nothing a page shows (a login stamps last_login).
UNSHOWN_USER_FIELDS = frozenset({"last_login", "password"})


def _user_saved(sender: Any, update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    """A user's name is shown beside patients' records (their physiotherapist, who
    recorded a consent): renaming one retires the shared records' token."""
    if update_fields is not None and update_fields <= UNSHOWN_USER_FIELDS:
        return
    revisions.reference_changed(sender, **kwargs)


class RtwConfig(AppConfig):
    name = "rtw"
    verbose_name = "Organisations, accounts and audit"

    def ready(self) -> None:
        from rtw.models import Employer

        connection_created.connect(db_adapters.binary_lists, dispatch_uid="rtw.binary_lists")
        for model in REFERENCE_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    revisions.reference_changed,
                    sender=model,
                    dispatch_uid=f"reference:{model}:{id(signal)}",
                )
        post_save.connect(_user_saved, sender="rtw.User", dispatch_uid="reference:rtw.User")
        # An employer joining a clinic's list (the caseload's employer filter).
        m2m_changed.connect(
            revisions.reference_changed,
            sender=Employer.clinics.through,
            dispatch_uid="reference:rtw.Employer.clinics",
        )
