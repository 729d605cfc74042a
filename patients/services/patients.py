from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from patients.models import Patient, PatientStatus
from patients.rules import patient_date_problems
from patients.services.conflicts import StaleEdit, require_clinician, save_versioned_edit
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User
from rtw.scoping import employers_visible_to

PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "employer",
    "job_title",
    "job_profile",
    "body_region",
    "injury_onset",
    "injury_mechanism",
    "work_related",
    "diagnosis",
    "previous_same_site_injury",
    "smoker",
    "diabetes",
    "other_comorbidities",
    "physiotherapist",
    "status",
)


def _check(acting_user: User, data: Mapping[str, Any]) -> None:
    """Refuse anything out of the clinic's scope or implausible, whatever posted it."""
    clinic_id = require_clinician(acting_user)
    employer = data.get("employer")
    if (
        employer is not None
        and not employers_visible_to(acting_user).filter(pk=employer.pk).exists()
    ):
        raise ServiceError("Choose an employer your clinic works with.", field="employer")
    profile = data.get("job_profile")
    if profile is not None:
        if profile.clinic_id != clinic_id or profile.is_template:
            raise ServiceError(
                "Choose one of your clinic's job-demand profiles.", field="job_profile"
            )
        if employer is None or profile.employer_id != employer.pk:
            raise ServiceError(
                "This job-demand profile belongs to another employer: choose one of the "
                "patient's employer's profiles.",
                field="job_profile",
            )
    physio = data.get("physiotherapist")
    if physio is None or physio.clinic_id != clinic_id or not physio.is_clinician:
        raise ServiceError("Choose a physiotherapist of your clinic.", field="physiotherapist")
    if data.get("status") not in PatientStatus.values:
        raise ServiceError("Choose active or discharged.", field="status")
    problems = patient_date_problems(
        data.get("date_of_birth"), data.get("injury_onset"), timezone.localdate()
    )
    for field, message in problems:
        raise ServiceError(message, field=field)


@transaction.atomic
def create_patient(*, acting_user: User, data: Mapping[str, Any]) -> Patient:
    clinic_id = require_clinician(acting_user)
    _check(acting_user, data)
    patient = Patient.objects.create(clinic_id=clinic_id, **{f: data[f] for f in PATIENT_FIELDS})
    audit.record(
        actor=acting_user,
        action="patient.created",
        target=patient,
        after=audit.snapshot(patient, PATIENT_FIELDS),
    )
    return patient


@transaction.atomic
def update_patient(
    *, acting_user: User, patient: Patient, data: Mapping[str, Any], version: int
) -> Patient:
    """Save an edit made on ``version``; refuse it if someone saved in between."""
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    if current.version != version:
        raise StaleEdit(current)
    _check(acting_user, data)
    new_employer = data["employer"].pk if data["employer"] is not None else None
    if (
        current.employer_id is not None
        and new_employer != current.employer_id
        and current.consents.filter(withdrawn_on__isnull=True).exists()
    ):
        raise ServiceError(
            "The patient's consent to share with their current employer is still open: "
            "withdraw it before changing employer.",
            field="employer",
        )
    return save_versioned_edit(
        current,
        acting_user=acting_user,
        fields=PATIENT_FIELDS,
        data=data,
        action="patient.updated",
        also_update=["updated_at"],
    )


@transaction.atomic
def discharge_patient(*, acting_user: User, patient: Patient) -> Patient:
    require_clinician(acting_user)
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    if current.status == PatientStatus.DISCHARGED:
        raise ServiceError(f"{current.full_name} is already discharged.")
    current.status = PatientStatus.DISCHARGED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="patient.discharged",
        target=current,
        before={"status": PatientStatus.ACTIVE},
        after={"status": PatientStatus.DISCHARGED},
    )
    return current
