"""Which patients a user may reach. Programs and assessments are reached through these."""

from collections.abc import Callable
from uuid import UUID

from django.db.models import QuerySet

from patients.models import Consent, JobDemandProfile, Patient
from rtw import audit
from rtw.models import User

Refine = Callable[[QuerySet[Patient]], QuerySet[Patient]]


def visible_patients(user: User) -> QuerySet[Patient]:
    """Clinical records: only clinicians, only their own clinic's patients."""
    if user.is_clinician and user.clinic_id is not None:
        return Patient.objects.filter(clinic_id=user.clinic_id)
    return Patient.objects.none()


def get_patient_for(user: User, patient_uuid: UUID, *, refine: Refine | None = None) -> Patient:
    """The one way to a patient's clinical record: 404 outside the user's scope (and a
    security-log warning when the patient is another clinic's); reading a page of it
    writes an access event. ``refine`` adds select/prefetch to the scoped queryset."""
    patients = visible_patients(user)
    if refine is not None:
        patients = refine(patients)
    patient = audit.get_or_404(patients, user=user, tenant="clinic_id", uuid=patient_uuid)
    audit.accessed(user, patient_uuid=patient.uuid, patient_clinic_id=patient.clinic_id)
    return patient


def clinic_patients(user: User) -> QuerySet[Patient]:
    """The patients of a clinic staff member's clinic, admins included: only for who they
    are (the audit log, who saw a patient's data), never for clinical pages."""
    if user.is_clinic_staff and user.clinic_id is not None:
        return Patient.objects.filter(clinic_id=user.clinic_id)
    return Patient.objects.none()


def get_clinic_patient_for(user: User, patient_uuid: UUID) -> Patient:
    patients = clinic_patients(user).only("uuid", "first_name", "last_name", "clinic_id")
    patient = audit.get_or_404(patients, user=user, tenant="clinic_id", uuid=patient_uuid)
    audit.accessed(user, patient_uuid=patient.uuid, patient_clinic_id=patient.clinic_id)
    return patient


def shared_workers(user: User) -> QuerySet[Patient]:
    """Workers an employer viewer may see: their own employer's, with consent open now,
    and no restriction of processing (GDPR art. 18) in force."""
    if not user.is_employer_viewer or user.employer_id is None:
        return Patient.objects.none()
    return Patient.objects.filter(
        employer_id=user.employer_id,
        consents__employer_id=user.employer_id,
        consents__withdrawn_on__isnull=True,
        sharing_restricted_at__isnull=True,
    )


def shared_consents(user: User) -> QuerySet[Consent]:
    """The open consents through which ``shared_workers`` are shared, one per worker: the
    same rule read from the consent's side, so that the employer pages' lists need no
    subquery (its planning cost more than the query; tests/patients/test_consent.py
    checks that the two agree)."""
    if not user.is_employer_viewer or user.employer_id is None:
        return Consent.objects.none()
    return Consent.objects.filter(
        employer_id=user.employer_id,
        withdrawn_on__isnull=True,
        patient__employer_id=user.employer_id,
        patient__sharing_restricted_at__isnull=True,
    )


def visible_job_profiles(user: User) -> QuerySet[JobDemandProfile]:
    if user.is_clinician and user.clinic_id is not None:
        return JobDemandProfile.objects.filter(clinic_id=user.clinic_id)
    return JobDemandProfile.objects.none()


def get_job_profile_for(
    user: User, profile_id: int, profiles: QuerySet[JobDemandProfile] | None = None
) -> JobDemandProfile:
    """A job profile of ``profiles`` (narrowed from ``visible_job_profiles``), or 404."""
    scoped = visible_job_profiles(user) if profiles is None else profiles
    return audit.get_or_404(scoped, user=user, tenant="clinic_id", pk=profile_id)
