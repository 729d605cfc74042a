"""Where the assessments app tells programs what happened. Called inside its transaction.

The lead wires these (see the report); each is safe to call twice for the same event.
"""

from datetime import date

from assessments.models import Assessment
from patients.models import Patient
from programs import engine
from programs.adapter import demands_of, measures_of
from programs.models import PhaseProposalStatus, Program, Week, WeekStatus
from programs.services.flags import halt
from rtw import audit
from rtw.models import User

LIVE = ("active", "paused", "suspended")


def _live_programs(patient: Patient) -> list[Program]:
    return list(
        Program.objects.select_for_update()
        .filter(patient=patient, is_template=False, status__in=LIVE)
        .order_by("pk")
    )


def on_red_flag(
    patient: Patient,
    tier: str,
    raised_on: date,
    source: str,
    *,
    acting_user: User | None = None,
) -> list[Program]:
    """Pause (amber, urgent) or suspend (emergency) the patient's live programs at once.
    Returns the programs that changed. ``tier`` "" (a flag cleared) changes nothing: a
    paused program resumes only when a clinician resumes it after the reassessment."""
    if not tier:
        return []
    return [
        program
        for program in _live_programs(patient)
        if halt(
            acting_user=acting_user, program=program, tier=tier, raised_on=raised_on, source=source
        )
    ]


def on_assessment_recorded(
    assessment: Assessment, *, acting_user: User | None = None
) -> list[Program]:
    """After an assessment is recorded (or edited): a flag stops the programs; without one
    it is the reassessment a paused program needs (noted in the audit log), and its
    measures are checked against each active program's current phase exit criteria - when
    all are met the current week carries a proposal to advance, for the clinician to
    confirm."""
    patient = assessment.patient
    if assessment.red_flag_tier:
        source = f"{assessment.get_kind_display().lower()} assessment"
        return on_red_flag(
            patient,
            assessment.red_flag_tier,
            assessment.assessed_on,
            source,
            acting_user=acting_user,
        )
    changed = []
    for program in _live_programs(patient):
        if program.is_halted:
            audit.record(
                actor=acting_user,
                action="program.reassessment_recorded",
                target=program,
                after={"assessment": str(assessment.uuid), "kind": assessment.kind},
                reason=f"Reassessment of {assessment.assessed_on}: the program can be resumed.",
                clinic_id=program.clinic_id,
            )
            changed.append(program)
        elif _propose_advance(program, assessment, acting_user):
            changed.append(program)
    return changed


def _propose_advance(program: Program, assessment: Assessment, acting_user: User | None) -> bool:
    phase = program.current_phase
    week = (
        Week.objects.select_for_update()
        .filter(program=program, status__in=[WeekStatus.PLANNED, WeekStatus.OPEN])
        .first()
    )
    if phase is None or week is None or week.phase_proposal_status == PhaseProposalStatus.PENDING:
        return False
    if program.phase_started_on and assessment.assessed_on < program.phase_started_on:
        return False
    next_phase = program.phases.filter(order=phase.order + 1).first()
    criteria = phase.criteria()
    if next_phase is None or not criteria:
        return False
    tasks = program.job_profile.tasks.all() if program.job_profile else []
    results = engine.evaluate_exit_criteria(criteria, measures_of(assessment), demands_of(tasks))
    if not all(r.met for r in results):
        return False
    week.phase_proposal = {
        "direction": engine.PhaseDirection.ADVANCE.value,
        "to_order": next_phase.order,
        "reasons": [
            f"propose advancing: the assessment of {assessment.assessed_on} meets every exit "
            "criterion"
        ],
        "criteria": [r.text for r in results],
    }
    week.phase_proposal_status = PhaseProposalStatus.PENDING
    week.version += 1
    week.save(update_fields=["phase_proposal", "phase_proposal_status", "version"])
    audit.record(
        actor=acting_user,
        action="phase_change.proposed",
        target=program,
        after=week.phase_proposal,
        clinic_id=program.clinic_id,
    )
    return True
