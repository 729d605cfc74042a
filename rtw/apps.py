from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

# Shown on cached pages beside a patient's own records, but not a patient's (rtw.revisions).
REFERENCE_MODELS = (
    "programs.Exercise",
    "patients.JobDemandProfile",
    "patients.JobTask",
    "rtw.Employer",
    "rtw.Clinic",
)


class RtwConfig(AppConfig):
    name = "rtw"
    verbose_name = "Organisations, accounts and audit"

    def ready(self) -> None:
        from rtw import revisions

        for model in REFERENCE_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    revisions.reference_changed,
                    sender=model,
                    dispatch_uid=f"reference:{model}:{id(signal)}",
                )
