"""State changes to patients, consent and job-demand profiles.

Each is one transaction that takes the acting user and writes its audit event.
"""

from patients.services.conflicts import StaleEdit
from patients.services.consent import record_consent, withdraw_consent
from patients.services.jobs import (
    add_task,
    copy_template,
    create_job_profile,
    delete_task,
    ensure_clinic_templates,
    update_job_profile,
    update_task,
)
from patients.services.patients import create_patient, discharge_patient, update_patient

__all__ = [
    "StaleEdit",
    "add_task",
    "copy_template",
    "create_job_profile",
    "create_patient",
    "delete_task",
    "discharge_patient",
    "ensure_clinic_templates",
    "record_consent",
    "update_job_profile",
    "update_patient",
    "update_task",
    "withdraw_consent",
]
