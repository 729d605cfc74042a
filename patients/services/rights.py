"""The worker's data rights: a copy of everything held about them (GDPR art. 15 and 20),
and restricting what their employer sees (art. 18).

Each is one transaction that checks the acting clinician and writes its audit event.
"""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from patients import export
from patients.models import Patient
from patients.services.conflicts import require_clinician
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

REASON_MAX = 1000


def _require_clinician_of(acting_user: User, patient: Patient) -> None:
    if require_clinician(acting_user) != patient.clinic_id:
        raise ServiceError("Only a physiotherapist of the patient's clinic can do this.")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes


@transaction.atomic
def export_patient(*, acting_user: User, patient: Patient) -> ExportFile:
    """The patient's records as a ZIP (``patient.json`` and ``reports/*.pdf``).

    Nothing changes, but a disclosure is recorded: the audit event names who took the
    copy, how many records of each kind it held and the archive's SHA-256. No event, no
    file: both happen in this transaction.
    """
    _require_clinician_of(acting_user, patient)
    now = timezone.now()
    built = export.build(patient.pk, generated_at=now)
    content = built.zip_bytes()
    data = built.data
    audit.record(
        actor=acting_user,
        action="patient.exported",
        target=patient,
        after={
            "schema_version": export.SCHEMA_VERSION,
            "consents": len(data["consents"]),
            "assessments": len(data["assessments"]),
            "programs": len(data["programs"]),
            "reports": len(data["reports"]),
            "report_files": len(built.files),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    )
    return ExportFile(f"patient-export-{patient.uuid}-{now:%Y-%m-%d}.zip", content)


@transaction.atomic
def restrict_sharing(*, acting_user: User, patient: Patient, reason: str) -> Patient:
    """From now on the employer sees nothing of this worker (dashboard, worker page,
    reports already shared) and no report can be made or shared for them. The consent
    and its history stay as they are."""
    _require_clinician_of(acting_user, patient)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Give the reason for the restriction.", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"Keep the reason to {REASON_MAX} characters or fewer.", field="reason")
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    if current.sharing_restricted_at is not None:
        raise ServiceError(
            "Sharing with the employer is already restricted since "
            f"{timezone.localtime(current.sharing_restricted_at):%d %b %Y}."
        )
    current.sharing_restricted_at = timezone.now()
    current.sharing_restriction_reason = reason
    current.save(
        update_fields=["sharing_restricted_at", "sharing_restriction_reason", "updated_at"]
    )
    audit.record(
        actor=acting_user,
        action="patient.sharing_restricted",
        target=current,
        before={"sharing_restricted_at": None},
        after={"sharing_restricted_at": current.sharing_restricted_at},
        reason=reason,
    )
    return current


@transaction.atomic
def lift_restriction(*, acting_user: User, patient: Patient) -> Patient:
    """Sharing follows the consent again (what the open consent allows, if any)."""
    _require_clinician_of(acting_user, patient)
    current = Patient.objects.select_for_update().get(pk=patient.pk)
    if current.sharing_restricted_at is None:
        raise ServiceError("Sharing with the employer is not restricted.")
    before = {
        "sharing_restricted_at": current.sharing_restricted_at,
        "sharing_restriction_reason": current.sharing_restriction_reason,
    }
    current.sharing_restricted_at = None
    current.sharing_restriction_reason = ""
    current.save(
        update_fields=["sharing_restricted_at", "sharing_restriction_reason", "updated_at"]
    )
    audit.record(
        actor=acting_user,
        action="patient.sharing_restriction_lifted",
        target=current,
        before=before,
        after={"sharing_restricted_at": None},
    )
    return current
