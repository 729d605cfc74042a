"""Programs are reached through the patient: a program is visible exactly when its patient
is (``patients.scoping.visible_patients``). Anything else is a 404."""

from uuid import UUID

from django.db.models import QuerySet

from patients.scoping import visible_patients
from programs.models import Program
from rtw import audit
from rtw.models import User


def visible_programs(user: User) -> QuerySet[Program]:
    return Program.objects.filter(is_template=False, patient__in=visible_patients(user))


def get_program_for(user: User, program_uuid: UUID) -> Program:
    programs = visible_programs(user).select_related(
        "patient", "job_profile__employer", "current_phase"
    )
    program = audit.get_or_404(programs, user=user, tenant="clinic_id", uuid=program_uuid)
    if program.patient is not None:
        patient = program.patient
        audit.accessed(user, patient_uuid=patient.uuid, patient_clinic_id=patient.clinic_id)
    return program
