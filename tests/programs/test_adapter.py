"""From the database to the engine's input: what the engine is told must be what happened."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import FrequencyClass, JobTask, TaskType
from programs import adapter, engine
from programs.models import Program
from tests.factories import make_program
from tests.programs.helpers import MONDAY, end_of, log_week, physio_of, plan


def _assessment(patient, day, *, kind="progress", tier="", **measures) -> Assessment:
    return Assessment.objects.create(
        patient=patient,
        kind=kind,
        assessed_on=day,
        assessor=patient.physiotherapist,
        red_flag_tier=tier,
        **measures,
    )


def test_first_week_input_has_the_phase_prescriptions_at_their_starting_values(program):
    inp = adapter.plan_input(adapter.load(program, MONDAY))
    names = [p.name for p in inp.prescriptions]
    assert names == ["Dead bug", "Side plank", "Goblet squat", "Stationary bike"]
    squat = next(p for p in inp.prescriptions if p.name == "Goblet squat")
    assert (squat.sets, squat.reps, squat.quantity, squat.unit) == (3, 10, Decimal("8"), "kg")
    assert squat.start_quantity == Decimal("8")
    assert squat.increment == Decimal("1")
    assert inp.history == ()
    assert inp.settings.cap == program.cap
    assert inp.is_first_phase


def test_history_carries_what_was_completed_and_how_it_felt(program):
    week = plan(program, MONDAY).week
    log_week(program, week, quantities={"Goblet squat": "7"}, pain_during=3, rpe=6)
    inp = adapter.plan_input(adapter.load(program, end_of(week)))
    (record,) = inp.history
    assert record.start == MONDAY
    assert record.decision is engine.Decision.HOLD
    assert len(record.sessions) == 3
    first = record.sessions[0]
    assert (first.pain_during, first.rpe, first.pain_next_morning) == (3, 6, 0)
    squat_key = next(p.key for p in inp.prescriptions if p.name == "Goblet squat")
    done = first.item(squat_key)
    assert done is not None and done.quantity == Decimal("7")
    planned = record.planned_item(squat_key)
    assert planned is not None and planned.quantity == Decimal("8")


def test_prescription_values_are_last_weeks_planned_values_not_the_starting_ones(program):
    first = plan(program, MONDAY).week
    log_week(program, first)
    second = plan(program, end_of(first)).week
    inp = adapter.plan_input(adapter.load(program, end_of(second)))
    squat = next(p for p in inp.prescriptions if p.name == "Goblet squat")
    planned = second.items.get(prescription__exercise__name="Goblet squat")
    assert squat.quantity == planned.quantity
    assert squat.start_quantity == Decimal("8")


def test_task_simulation_targets_default_to_the_job_demand(world):
    program = make_program(world.patient)  # the factory's job: a 20 kg floor-to-waist lift
    lifts = program.phases.get(order=2).prescriptions.get(
        exercise__name="Floor-to-waist lift (crate)"
    )
    assert lifts.target == Decimal("20")
    squat = program.phases.get(order=1).prescriptions.get(exercise__name="Goblet squat")
    assert squat.target is None  # not a simulation of any job task


def test_demands_use_load_duration_or_distance_by_task(world):
    program = make_program(world.patient)
    JobTask.objects.create(
        profile=program.job_profile,
        task_type=TaskType.STANDING,
        duration_min=45,
        frequency=FrequencyClass.CONSTANT,
    )
    JobTask.objects.create(
        profile=program.job_profile,
        task_type=TaskType.LIFT_FLOOR_TO_WAIST,
        load_kg=Decimal("15"),
        frequency=FrequencyClass.OCCASIONAL,
    )
    demands = adapter.demands_of(program.job_profile.tasks.all())
    assert demands == {"lift_floor_to_waist": Decimal("20"), "standing": Decimal("45")}


def test_an_assessment_flag_is_cleared_only_by_a_later_reassessment(world):
    patient = world.patient
    _assessment(patient, date(2026, 10, 1), tier="amber")
    rows = list(Assessment.objects.filter(patient=patient).order_by("assessed_on"))
    state = adapter.red_flag_state(rows, since=date(2026, 9, 1), last_week_start=None)
    assert (state.tier, state.raised_on, state.reassessed_on) == (
        engine.RedFlagTier.AMBER,
        date(2026, 10, 1),
        None,
    )
    _assessment(patient, date(2026, 10, 3))
    rows = list(Assessment.objects.filter(patient=patient).order_by("assessed_on"))
    state = adapter.red_flag_state(rows, since=date(2026, 9, 1), last_week_start=None)
    assert state.reassessed_on == date(2026, 10, 3)
    assert state.tier is engine.RedFlagTier.AMBER  # kept: its restart is still due


def test_only_a_new_baseline_clears_an_emergency_flag(world):
    patient = world.patient
    _assessment(patient, date(2026, 10, 1), tier="emergency")
    _assessment(patient, date(2026, 10, 2))
    rows = list(Assessment.objects.filter(patient=patient).order_by("assessed_on"))
    state = adapter.red_flag_state(rows, since=None, last_week_start=None)
    assert state.new_baseline_on is None
    _assessment(patient, date(2026, 10, 5), kind="baseline")
    rows = list(Assessment.objects.filter(patient=patient).order_by("assessed_on"))
    state = adapter.red_flag_state(rows, since=None, last_week_start=None)
    assert state.new_baseline_on == date(2026, 10, 5)


def test_a_flag_cleared_before_the_program_began_does_not_make_week_one_a_restart(world):
    patient = world.patient
    _assessment(patient, date(2026, 9, 1), tier="amber")
    _assessment(patient, date(2026, 9, 8))
    program = make_program(patient, activate_on=MONDAY)
    outcome = plan(program, MONDAY)
    assert outcome.plan.decision is engine.Decision.HOLD
    assert outcome.plan.reasons[0].code is engine.ReasonCode.FIRST_WEEK


def test_default_cap_is_10_percent_with_any_risk_factor_else_20(world):
    patient = world.patient
    assert adapter.risk_of(patient).default_cap == Decimal("0.20")
    assessment = _assessment(patient, date(2026, 10, 1), kind="baseline")
    QuestionnaireResponse.objects.create(
        assessment=assessment, instrument="ompsq_sf", score=Decimal("62"), high=True
    )
    risk = adapter.risk_of(patient)
    assert risk.default_cap == Decimal("0.10")
    assert risk.labels == ["ÖMPSQ-SF above 50"]
    patient.smoker = True
    assert "smoker" in adapter.risk_of(patient).labels


def test_the_latest_tsk_decides_kinesiophobia(world):
    patient = world.patient
    early = _assessment(patient, date(2026, 9, 1), kind="baseline")
    QuestionnaireResponse.objects.create(
        assessment=early, instrument="tsk17", score=Decimal("45"), high=True
    )
    later = _assessment(patient, date(2026, 10, 1))
    QuestionnaireResponse.objects.create(
        assessment=later, instrument="tsk17", score=Decimal("30"), high=False
    )
    assert adapter.risk_of(patient).high_kinesiophobia is False


def test_exit_criteria_and_the_latest_measures_reach_the_engine(program):
    _assessment(program.patient, MONDAY - timedelta(days=1), nprs=3, lift_floor_to_waist_kg=15)
    inp = adapter.plan_input(adapter.load(program, MONDAY))
    assert [engine.criterion_text(c) for c in inp.exit_criteria] == ["nprs <= 4"]
    assert inp.latest_assessment is not None
    assert inp.latest_assessment.measures["lift_floor_to_waist"] == Decimal("15")
    assert inp.demands["lift_floor_to_waist"] == Decimal("20")


def test_assessments_after_today_are_not_read(program):
    _assessment(program.patient, MONDAY + timedelta(days=3), tier="amber")
    data = adapter.load(program, MONDAY)
    assert data.assessments == ()


def _queries_to_load(program: Program, today: date) -> int:
    with CaptureQueriesContext(connection) as queries:
        data = adapter.load(program, today)
        adapter.plan_input(data)
    return len(queries)


def test_loading_a_program_takes_the_same_queries_for_one_week_or_five(world):
    one = make_program(world.patient, activate_on=MONDAY)
    week = plan(one, MONDAY).week
    log_week(one, week)
    few = _queries_to_load(one, end_of(week))
    many = make_program(world.patient, activate_on=MONDAY)
    week = plan(many, MONDAY).week
    for _ in range(4):
        log_week(many, week)
        many.refresh_from_db()
        week = plan(many, end_of(week)).week
    log_week(many, week)
    assert _queries_to_load(many, end_of(week)) == few
    assert physio_of(many) == world.physio
