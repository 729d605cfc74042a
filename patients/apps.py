from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients, consent and job demands"

    def ready(self) -> None:
        from patients import signals  # noqa: F401 - connects the receivers
