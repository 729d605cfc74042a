"""A new clinic starts with the standard job-demand templates.

Clinics are created by the platform operator (Django admin) or the demo seed; hooking
creation itself means no path can leave a clinic without its templates.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from patients.services import ensure_clinic_templates
from rtw.models import Clinic


@receiver(post_save, sender=Clinic, dispatch_uid="patients.clinic_templates")
def give_new_clinic_templates(
    sender: type[Clinic], instance: Clinic, created: bool, raw: bool, **kwargs: Any
) -> None:
    if created and not raw:
        ensure_clinic_templates(instance)
