"""A worker some weeks into a program, as an employer would follow them: a job profile with
three demands, two assessments, a program with logged weeks. ``plant_canary`` then writes
one unique string into every clinical field, which no employer page or PDF may show."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import Consent, FrequencyClass, JobDemandProfile, JobTask, Patient, TaskType
from programs.models import Phase, Program, SessionLog, Week, WeekItem
from rtw.models import Employer, User
from tests.factories import make_patient, make_program
from tests.programs.helpers import end_of, log_week, plan

MONDAY = date(2026, 10, 5)
# Three full weeks (5, 12 and 19 Oct) done; week 4 (26 Oct) open. "Today" is 30 Oct.
TODAY = date(2026, 10, 30)
CANARY = "QX7CANARYZ"  # short enough for every clinical text field


def make_job_profile(physio: User, employer: Employer) -> JobDemandProfile:
    assert physio.clinic is not None
    profile = JobDemandProfile.objects.create(
        clinic=physio.clinic, employer=employer, job_title="Warehouse operative"
    )
    JobTask.objects.create(
        profile=profile,
        order=1,
        task_type=TaskType.LIFT_FLOOR_TO_WAIST,
        description="Cartons onto pallets",
        load_kg=Decimal("20"),
        frequency=FrequencyClass.FREQUENT,
    )
    JobTask.objects.create(
        profile=profile,
        order=2,
        task_type=TaskType.CARRY,
        load_kg=Decimal("15"),
        distance_m=Decimal("10"),
        frequency=FrequencyClass.OCCASIONAL,
    )
    JobTask.objects.create(profile=profile, order=3, task_type=TaskType.STANDING, duration_min=120)
    return profile


def assess(patient: Patient, day: date, *, kind: str = "progress", **measures: Any) -> Assessment:
    return Assessment.objects.create(
        patient=patient, kind=kind, assessed_on=day, assessor=patient.physiotherapist, **measures
    )


def make_worker(
    physio: User,
    employer: Employer,
    *,
    weeks: int = 3,
    consent: bool = True,
    profile: JobDemandProfile | None = None,
    **patient: Any,
) -> Patient:
    """``weeks`` program weeks closed with three sessions each, and the next one open."""
    profile = profile or make_job_profile(physio, employer)
    patient.setdefault("job_title", "Warehouse operative")
    worker = make_patient(
        physio, employer=employer, consent=consent, job_profile=profile, **patient
    )
    assess(
        worker,
        MONDAY - timedelta(days=3),
        kind="baseline",
        nprs=6,
        lift_floor_to_waist_kg=Decimal("10"),
        carry_kg=Decimal("8"),
        standing_tolerance_min=30,
    )
    assess(
        worker,
        MONDAY + timedelta(days=14),
        nprs=3,
        lift_floor_to_waist_kg=Decimal("16"),
        carry_kg=Decimal("15"),
        standing_tolerance_min=60,
    )
    program = make_program(worker, job_profile=profile, activate_on=MONDAY)
    day = MONDAY
    for _ in range(weeks):
        week = plan(program, day).week
        log_week(program, week)
        day = end_of(week)
    plan(program, day)
    return worker


def set_scope(worker: Patient, **flags: bool) -> None:
    Consent.objects.filter(patient=worker, withdrawn_on__isnull=True).update(**flags)


def plant_canary(worker: Patient) -> None:
    """The canary in every clinical field: the record, assessments and questionnaires,
    sessions, week reasons and overrides, phases' goals and the program's description."""
    Patient.objects.filter(pk=worker.pk).update(
        diagnosis=f"Diagnosis {CANARY}",
        injury_mechanism=f"Mechanism {CANARY}",
        other_comorbidities=f"Comorbidity {CANARY}",
        red_flag_tier="emergency",
        red_flag_since=TODAY,
    )
    Assessment.objects.filter(patient=worker).update(
        notes=f"Assessment note {CANARY}", red_flags=[CANARY], red_flag_tier="emergency"
    )
    for assessment in Assessment.objects.filter(patient=worker):
        QuestionnaireResponse.objects.create(
            assessment=assessment,
            instrument="ompsq_sf",
            responses={"q1": 9},
            activity_names={"activity_1": CANARY},
            score=Decimal("77"),
            band=f"High risk {CANARY}",
            high=True,
            subscales={CANARY: 3},
            not_scorable_reason=f"Reason {CANARY}",
        )
    programs = Program.objects.filter(patient=worker)
    programs.update(description=f"Program note {CANARY}")
    Phase.objects.filter(program__in=programs).update(goals=f"Goals {CANARY}")
    weeks = Week.objects.filter(program__in=programs)
    weeks.update(reasons=[{"code": "held", "text": f"Held: {CANARY}", "item": None}])
    WeekItem.objects.filter(week__in=weeks).update(override_reason=f"Lowered: {CANARY}")
    SessionLog.objects.filter(week__in=weeks).update(
        notes=f"Session note {CANARY}",
        adverse_events=f"Adverse event {CANARY}",
        red_flags=[CANARY],
    )
