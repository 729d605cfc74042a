"""Which patients a user may reach. Programs and assessments are reached through these."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patients.models import JobDemandProfile, Patient
from rtw.models import User


def visible_patients(user: User) -> QuerySet[Patient]:
    """Clinical records: only clinicians, only their own clinic's patients."""
    if user.is_clinician and user.clinic_id is not None:
        return Patient.objects.filter(clinic_id=user.clinic_id)
    return Patient.objects.none()


def get_patient_for(user: User, patient_uuid: UUID) -> Patient:
    return get_object_or_404(visible_patients(user), uuid=patient_uuid)


def shared_workers(user: User) -> QuerySet[Patient]:
    """Workers an employer viewer may see: their own employer's, with consent open now."""
    if not user.is_employer_viewer or user.employer_id is None:
        return Patient.objects.none()
    return Patient.objects.filter(
        employer_id=user.employer_id,
        consents__employer_id=user.employer_id,
        consents__withdrawn_on__isnull=True,
    )


def visible_job_profiles(user: User) -> QuerySet[JobDemandProfile]:
    if user.is_clinician and user.clinic_id is not None:
        return JobDemandProfile.objects.filter(clinic_id=user.clinic_id)
    return JobDemandProfile.objects.none()
