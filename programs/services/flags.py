"""Red flags stop the program at once; it resumes only as DESIGN.md rule 6 allows."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from programs import adapter, engine
from programs.engine.past import Past
from programs.engine.redflags import active_flag
from programs.models import Program, ProgramStatus, Week, WeekStatus
from programs.models.programs import HALTED
from programs.services.common import PROGRAM_FIELDS, require_clinician_of, snapshot
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

SEVERITY = {"": 0, "amber": 1, "urgent": 2, "emergency": 3}
STOPPABLE = (ProgramStatus.ACTIVE, ProgramStatus.PAUSED, ProgramStatus.SUSPENDED)


def halt_text(tier: str, raised_on: date, source: str) -> str:
    if tier == "emergency":
        return (
            f"Suspended: emergency red flag on {raised_on} ({source}) - urgent medical "
            "assessment now; the program restarts only after a new baseline assessment."
        )
    return (
        f"Paused: {tier} red flag on {raised_on} ({source}) - clinician review; no week is "
        "planned until a reassessment is recorded."
    )


def halt(
    *, acting_user: User | None, program: Program, tier: str, raised_on: date, source: str
) -> bool:
    """Pause (urgent, amber) or suspend (emergency) the program, inside the caller's
    transaction; a week planned but not yet accepted is cancelled. True if it changed."""
    status = ProgramStatus.SUSPENDED if tier == "emergency" else ProgramStatus.PAUSED
    if program.status not in STOPPABLE or program.status == ProgramStatus.SUSPENDED:
        return False
    if program.status == status:
        return False
    before = snapshot(program, PROGRAM_FIELDS)
    program.status = status
    program.version += 1
    program.save(update_fields=["status", "version", "updated_at"])
    reason = halt_text(tier, raised_on, source)
    for week in Week.objects.filter(program=program, status=WeekStatus.PLANNED):
        week.status = WeekStatus.CANCELLED
        week.save(update_fields=["status"])
        audit.record(
            actor=acting_user,
            action="week.cancelled",
            target=week,
            before={"status": WeekStatus.PLANNED},
            after={"status": WeekStatus.CANCELLED},
            reason=reason,
            clinic_id=program.clinic_id,
        )
    audit.record(
        actor=acting_user,
        action=f"program.{status}",
        target=program,
        before=before,
        after=snapshot(program, PROGRAM_FIELDS),
        reason=reason,
        clinic_id=program.clinic_id,
    )
    return True


def flag_patient(
    *, acting_user: User | None, patient: Patient, tier: str, raised_on: date, reason: str
) -> None:
    """Show a flag raised outside an assessment on the caseload and the patient page. The
    next assessment without a flag clears it (the assessments app owns these fields)."""
    if SEVERITY[tier] <= SEVERITY[patient.red_flag_tier or ""]:
        return
    if patient.assessments.filter(assessed_on__gt=raised_on).exists():
        return  # a later assessment already speaks for the patient now
    before = snapshot(patient, ("red_flag_tier", "red_flag_since"))
    patient.red_flag_tier = tier
    patient.red_flag_since = raised_on
    patient.save(update_fields=["red_flag_tier", "red_flag_since"])
    audit.record(
        actor=acting_user,
        action="patient.red_flag_changed",
        target=patient,
        before=before,
        after=snapshot(patient, ("red_flag_tier", "red_flag_since")),
        reason=reason,
        clinic_id=patient.clinic_id,
    )


def still_flagged(program: Program, today: date) -> engine.RedFlagTier | None:
    """The red flag that still stops the program, by the engine's own rule 6."""
    data = adapter.load(program, today)
    history = adapter.history_of(data)
    state = adapter.red_flag_state(
        data.assessments,
        since=adapter.flags_since(data),
        last_week_start=history[-1].start if history else None,
    )
    flag = active_flag(state, Past.of(history, program.baseline_morning_pain).flags(state))
    return None if flag is None else flag.tier


def resume_refusal(tier: engine.RedFlagTier) -> str:
    if tier is engine.RedFlagTier.EMERGENCY:
        return (
            "Still suspended: an emergency red flag needs a new baseline assessment, recorded "
            "on or after the flag, before the program can restart."
        )
    return (
        f"Still paused: the {tier} red flag needs a reassessment, recorded on or after the "
        "flag, before the program can resume."
    )


@transaction.atomic
def resume(*, acting_user: User, program: Program, today: date | None = None) -> Program:
    """Back to active once the flag is cleared; the next plan resumes per rule 6 (amber and
    urgent at the last tolerated values, emergency from the phase's starting values)."""
    today = today or timezone.localdate()
    current = Program.objects.select_for_update().get(pk=program.pk)
    require_clinician_of(acting_user, current)
    if current.status not in HALTED:
        raise ServiceError("The program is not paused.")
    tier = still_flagged(current, today)
    if tier is not None:
        raise ServiceError(resume_refusal(tier))
    before = snapshot(current, PROGRAM_FIELDS)
    current.status = ProgramStatus.ACTIVE
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="program.resumed",
        target=current,
        before=before,
        after=snapshot(current, PROGRAM_FIELDS),
        reason="Red flag cleared by a recorded reassessment.",
    )
    return current
