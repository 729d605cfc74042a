"""Building programs: the exercise library, programs from templates, their settings,
phases and prescriptions, activation, and saving a program as a clinic template."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from patients.models import JobDemandProfile, Patient, PatientStatus
from patients.scoping import visible_job_profiles
from programs import adapter
from programs.models import Exercise, Phase, Prescription, Program, ProgramStatus
from programs.services.common import (
    PHASE_FIELDS,
    PRESCRIPTION_FIELDS,
    PROGRAM_FIELDS,
    SETTINGS_FIELDS,
    check_version,
    require_clinician,
    require_clinician_of,
    snapshot,
    validated_save,
)
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

EXERCISE_FIELDS = ("name", "category", "task_type", "quantity_kind", "increment", "description")


def exercises_for(user: User) -> Any:
    """The shared library and the user's clinic's own exercises."""
    return Exercise.objects.filter(Q(clinic__isnull=True) | Q(clinic_id=user.clinic_id))


def templates_for(user: User) -> Any:
    return Program.objects.filter(is_template=True).filter(
        Q(clinic__isnull=True) | Q(clinic_id=user.clinic_id)
    )


@transaction.atomic
def create_exercise(*, acting_user: User, data: Mapping[str, Any]) -> Exercise:
    clinic_id = require_clinician(acting_user)
    name = str(data.get("name", "")).strip()
    if Exercise.objects.filter(clinic__isnull=True, name__iexact=name).exists():
        raise ServiceError(
            f"The shared library already has “{name}”: use it, or choose another name.",
            field="name",
        )
    exercise = Exercise(clinic_id=clinic_id, **{f: data.get(f, "") for f in EXERCISE_FIELDS})
    exercise.name = name
    if exercise.category != "task_simulation":
        exercise.task_type = exercise.task_type or ""
    validated_save(exercise)
    audit.record(
        actor=acting_user,
        action="exercise.created",
        target=exercise,
        after=snapshot(exercise, EXERCISE_FIELDS),
    )
    return exercise


def _copy_phases(source: Program, target: Program, *, job_profile: JobDemandProfile | None) -> None:
    tasks = list(job_profile.tasks.all()) if job_profile is not None else []
    rows = list(
        Prescription.objects.filter(phase__program=source)
        .select_related("exercise", "phase")
        .order_by("phase__order", "order", "id")
    )
    phases: dict[int, Phase] = {}
    for phase in Phase.objects.filter(program=source).order_by("order"):
        phases[phase.pk] = Phase.objects.create(
            program=target, **{f: getattr(phase, f) for f in ("order", *PHASE_FIELDS)}
        )
    for row in rows:
        target_value = adapter.demand_for(row.exercise, tasks) if job_profile else None
        quantity = row.quantity if target_value is None else min(row.quantity, target_value)
        Prescription.objects.create(
            phase=phases[row.phase_id],
            exercise=row.exercise,
            order=row.order,
            sets=row.sets,
            reps=row.reps,
            quantity=quantity,
            tempo=row.tempo,
            rest_seconds=row.rest_seconds,
            increment=row.increment,
            target=target_value,
            is_key=row.is_key,
        )
    first = min(phases.values(), key=lambda p: p.order, default=None)
    target.current_phase = first
    target.save(update_fields=["current_phase"])


@transaction.atomic
def create_program(
    *,
    acting_user: User,
    patient: Patient,
    template: Program,
    job_profile: JobDemandProfile,
    name: str = "",
) -> Program:
    """A draft program for the patient: the template's phases and prescriptions, each target
    the job demand for its task, the cap defaulting from the patient's risk factors."""
    clinic_id = require_clinician(acting_user)
    if patient.clinic_id != clinic_id:
        raise ServiceError("This patient belongs to another clinic.")
    if not templates_for(acting_user).filter(pk=template.pk).exists():
        raise ServiceError("Choose one of your clinic's program templates.", field="template")
    profiles = visible_job_profiles(acting_user).filter(is_template=False)
    if not profiles.filter(pk=job_profile.pk).exists():
        raise ServiceError("Choose a job-demand profile of your clinic.", field="job_profile")
    risk = adapter.risk_of(patient)
    program = Program(
        clinic_id=clinic_id,
        patient=patient,
        job_profile=job_profile,
        name=name.strip() or template.name,
        description=template.description,
        cap=risk.default_cap,
        deload_every=template.deload_every,
        sessions_per_week=template.sessions_per_week,
        created_by=acting_user,
    )
    validated_save(program)
    _copy_phases(template, program, job_profile=job_profile)
    why = ", ".join(risk.labels) or "no risk factor"
    audit.record(
        actor=acting_user,
        action="program.created",
        target=program,
        after={"template": template.name, **snapshot(program, PROGRAM_FIELDS)},
        reason=f"Cap {program.cap_percent} % from the risk factors: {why}.",
    )
    return program


def _require_editable(program: Program) -> None:
    if program.is_ended:
        raise ServiceError(f"This program is {program.get_status_display().lower()}.")


@transaction.atomic
def update_settings(
    *, acting_user: User, program: Program, data: Mapping[str, Any], version: int | None
) -> Program:
    current = Program.objects.select_for_update().get(pk=program.pk)
    require_clinician_of(acting_user, current)
    _require_editable(current)
    check_version(current, version)
    before = snapshot(current, SETTINGS_FIELDS)
    for field in SETTINGS_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    validated_save(current, update_fields=[*SETTINGS_FIELDS, "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="program.settings_changed",
        target=current,
        before=before,
        after=snapshot(current, SETTINGS_FIELDS),
    )
    return current


@transaction.atomic
def update_phase(
    *, acting_user: User, phase: Phase, data: Mapping[str, Any], version: int | None
) -> Phase:
    current = (
        Phase.objects.select_for_update(of=("self",)).select_related("program").get(pk=phase.pk)
    )
    require_clinician_of(acting_user, current.program)
    _require_editable(current.program)
    check_version(current, version)
    before = snapshot(current, PHASE_FIELDS)
    for field in PHASE_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.exit_criteria = "\n".join(current.criteria_lines())
    current.version += 1
    validated_save(current, update_fields=[*PHASE_FIELDS, "version"])
    audit.record(
        actor=acting_user,
        action="phase.updated",
        target=current,
        before=before,
        after=snapshot(current, PHASE_FIELDS),
    )
    return current


def _phase_started(phase: Phase) -> bool:
    return phase.weeks.exclude(status="cancelled").exists()


@transaction.atomic
def add_prescription(
    *, acting_user: User, phase: Phase, exercise: Exercise, data: Mapping[str, Any]
) -> Prescription:
    program = phase.program
    require_clinician_of(acting_user, program)
    _require_editable(program)
    if not exercises_for(acting_user).filter(pk=exercise.pk).exists():
        raise ServiceError("Choose an exercise from the library.", field="exercise")
    if phase.prescriptions.filter(exercise=exercise).exists():
        raise ServiceError(f"{exercise} is already in this phase.", field="exercise")
    tasks = list(program.job_profile.tasks.all()) if program.job_profile else []
    order = phase.prescriptions.aggregate(n=Max("order"))["n"]
    prescription = Prescription(
        phase=phase,
        exercise=exercise,
        order=0 if order is None else order + 1,
        **{f: data[f] for f in PRESCRIPTION_FIELDS if f in data},
    )
    if data.get("increment") is None:
        prescription.increment = exercise.increment
    if data.get("target") is None:
        prescription.target = adapter.demand_for(exercise, tasks)
    validated_save(prescription)
    audit.record(
        actor=acting_user,
        action="prescription.added",
        target=prescription,
        after={"exercise": exercise.name, **snapshot(prescription, PRESCRIPTION_FIELDS)},
    )
    return prescription


@transaction.atomic
def update_prescription(
    *,
    acting_user: User,
    prescription: Prescription,
    data: Mapping[str, Any],
    version: int | None,
) -> Prescription:
    """Starting values can change until the phase's first week is planned; after that
    only tempo, rest, increment, target and the chart flag (the weeks carry the values)."""
    current = (
        Prescription.objects.select_for_update(of=("self",))
        .select_related("phase__program", "exercise")
        .get(pk=prescription.pk)
    )
    require_clinician_of(acting_user, current.phase.program)
    _require_editable(current.phase.program)
    check_version(current, version)
    before = snapshot(current, PRESCRIPTION_FIELDS)
    started = _phase_started(current.phase)
    for field in PRESCRIPTION_FIELDS:
        if field not in data:
            continue
        if (
            started
            and field in ("sets", "reps", "quantity")
            and data[field] != getattr(current, field)
        ):
            raise ServiceError(
                "This phase has started: the weekly plan sets the values now; "
                "starting values can no longer change.",
                field=field,
            )
        setattr(current, field, data[field])
    if data.get("increment") is None:
        current.increment = current.exercise.increment
    current.version += 1
    validated_save(current, update_fields=[*PRESCRIPTION_FIELDS, "version"])
    audit.record(
        actor=acting_user,
        action="prescription.updated",
        target=current,
        before=before,
        after=snapshot(current, PRESCRIPTION_FIELDS),
    )
    return current


@transaction.atomic
def activate(*, acting_user: User, program: Program, today: date) -> Program:
    current = (
        Program.objects.select_for_update(of=("self",)).select_related("patient").get(pk=program.pk)
    )
    require_clinician_of(acting_user, current)
    if current.status != ProgramStatus.DRAFT:
        raise ServiceError(f"Only a draft can be activated; this one is {current.status}.")
    patient = current.patient
    if patient is None or patient.status != PatientStatus.ACTIVE:
        raise ServiceError("The patient has been discharged.")
    if (
        current.current_phase_id is None
        or not Prescription.objects.filter(phase_id=current.current_phase_id).exists()
    ):
        raise ServiceError("Add at least one prescription to the first phase before activating.")
    before = snapshot(current, PROGRAM_FIELDS)
    current.status = ProgramStatus.ACTIVE
    current.activated_on = today
    current.phase_started_on = today
    current.version += 1
    validated_save(
        current,
        update_fields=["status", "activated_on", "phase_started_on", "version", "updated_at"],
    )
    audit.record(
        actor=acting_user,
        action="program.activated",
        target=current,
        before=before,
        after=snapshot(current, PROGRAM_FIELDS),
    )
    return current


@transaction.atomic
def save_as_template(*, acting_user: User, program: Program, name: str) -> Program:
    require_clinician_of(acting_user, program)
    name = name.strip()
    if not name:
        raise ServiceError("Name the template.", field="name")
    if templates_for(acting_user).filter(name__iexact=name).exists():
        raise ServiceError("A template of this name exists already.", field="name")
    template = Program.objects.create(
        is_template=True,
        clinic_id=program.clinic_id,
        name=name,
        description=program.description,
        cap=program.cap,
        deload_every=program.deload_every,
        sessions_per_week=program.sessions_per_week,
        created_by=acting_user,
    )
    _copy_phases(program, template, job_profile=None)
    audit.record(
        actor=acting_user,
        action="program.saved_as_template",
        target=template,
        after={"name": name, "from_program": str(program.uuid)},
    )
    return template
