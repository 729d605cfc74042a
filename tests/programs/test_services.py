"""The weekly loop through the services: every decision is stored with its reasons, lowering
is allowed with a reason, raising is refused on every path, a red flag stops the program
and it resumes only as rule 6 allows; stale edits are refused."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment
from programs import adapter, engine, hooks, services
from programs.models import (
    PhaseProposalStatus,
    Program,
    ProgramStatus,
    SessionLog,
    Week,
    WeekItem,
    WeekStatus,
)
from programs.queries import program_status_for
from rtw.errors import ServiceError
from rtw.models import AuditEvent
from tests.factories import make_program
from tests.programs.conftest import set_start
from tests.programs.helpers import (
    MONDAY,
    current_week,
    end_of,
    item,
    log_week,
    physio_of,
    plan,
    session_values,
)

CAP_MESSAGE = "Refused: 24 kg is above this week's cap of 23 kg (base 20 kg + 15 %)."


def _codes(week: Week) -> set[str]:
    return {reason["code"] for reason in week.reasons}


def _assess(program: Program, day: date, *, kind: str = "progress", tier: str = "", **m) -> None:
    assert program.patient is not None
    Assessment.objects.create(
        patient=program.patient,
        kind=kind,
        assessed_on=day,
        assessor=physio_of(program),
        red_flag_tier=tier,
        **m,
    )


# --- building ------------------------------------------------------------------------------


def test_a_program_from_a_template_copies_its_phases_and_defaults_the_cap(world):
    program = make_program(world.patient)
    assert program.status == ProgramStatus.DRAFT
    assert [p.name for p in program.phases.order_by("order")] == [
        "Foundation",
        "Capacity",
        "Work simulation",
        "Graded return and maintenance",
    ]
    assert program.current_phase.order == 1
    assert program.cap == Decimal("0.20")  # no risk factor
    event = AuditEvent.objects.get(action="program.created", target_id=str(program.pk))
    assert "no risk factor" in event.reason


def test_a_smoker_gets_a_10_percent_cap_by_default(world):
    world.patient.smoker = True
    world.patient.save(update_fields=["smoker"])
    assert make_program(world.patient).cap == Decimal("0.10")


def test_a_template_of_another_clinic_cannot_be_used(world):
    other = make_program(world.other_patient)
    template = services.save_as_template(
        acting_user=world.other_physio, program=other, name="Northgate special"
    )
    with pytest.raises(ServiceError, match="templates"):
        services.create_program(
            acting_user=world.physio,
            patient=world.patient,
            template=template,
            job_profile=make_program(world.patient).job_profile,
        )


def test_save_as_template_keeps_the_phases_but_nothing_of_the_patient(program, world):
    template = services.save_as_template(
        acting_user=world.physio, program=program, name="Our lifting"
    )
    assert template.is_template and template.patient is None and template.job_profile is None
    assert template.clinic_id == world.clinic.pk
    assert template.phases.count() == 4
    assert not template.phases.filter(prescriptions__target__isnull=False).exists()
    assert services.templates_for(world.colleague).filter(pk=template.pk).exists()
    assert not services.templates_for(world.other_physio).filter(pk=template.pk).exists()


def test_the_cap_must_be_10_to_20_percent_and_nothing_is_saved_otherwise(program):
    with pytest.raises(ServiceError) as refused:
        services.update_settings(
            acting_user=physio_of(program),
            program=program,
            data={"cap": Decimal("0.25")},
            version=program.version,
        )
    assert refused.value.field == "cap"
    program.refresh_from_db()
    assert (program.cap, program.version) == (Decimal("0.20"), 2)


@pytest.mark.parametrize(
    ("field", "value"),
    [("increment", Decimal("0")), ("increment", Decimal("-0.5")), ("sets", 0), ("reps", 101)],
)
def test_impossible_prescription_values_are_refused(draft, field, value):
    prescription = draft.current_phase.prescriptions.get(exercise__name="Goblet squat")
    with pytest.raises(ServiceError) as refused:
        services.update_prescription(
            acting_user=physio_of(draft),
            prescription=prescription,
            data={field: value},
            version=prescription.version,
        )
    assert refused.value.field == field
    prescription.refresh_from_db()
    assert prescription.version == 1


def test_unreadable_exit_criteria_are_refused_on_their_field(draft):
    phase = draft.current_phase
    with pytest.raises(ServiceError) as refused:
        services.update_phase(
            acting_user=physio_of(draft),
            phase=phase,
            data={"exit_criteria": "nprs <= 3\nlift >= lots"},
            version=phase.version,
        )
    assert refused.value.field == "exit_criteria"
    assert "cannot read 'lift >= lots'" in refused.value.message


def test_a_physio_of_another_clinic_cannot_plan_our_program(program, world):
    with pytest.raises(ServiceError, match="another clinic"):
        services.plan_next_week(acting_user=world.other_physio, program=program, today=MONDAY)
    assert not Week.objects.filter(program=program).exists()


# --- the weekly loop ---------------------------------------------------------------------


def test_each_week_stores_the_engines_decision_and_its_reasons(program):
    first = plan(program, MONDAY).week
    assert first.decision == "hold" and "first_week" in _codes(first)
    decisions = [first.decision]
    week = first
    for _ in range(4):
        log_week(program, week)
        week = plan(program, end_of(week)).week
        decisions.append(week.decision)
    assert decisions == ["hold", "progress", "progress", "deload", "resume"]
    assert "deload_rhythm" in _codes(Week.objects.get(program=program, index=4))
    assert "resume_after_deload" in _codes(week)
    log_week(program, week, pain_during=6)  # a flare-up
    regress = plan(program, end_of(week)).week
    assert regress.decision == "regress"
    assert "pain_during_high" in _codes(regress)
    assert any("6/10 is above 5/10" in text for text in regress.reason_texts)
    planned = AuditEvent.objects.filter(action="week.planned", target_type="programs.week")
    assert planned.count() == 6


def test_planning_closes_the_open_week(program):
    week = plan(program, MONDAY).week
    log_week(program, week)
    plan(program, end_of(week))
    week.refresh_from_db()
    assert week.status == WeekStatus.CLOSED


def test_a_second_plan_while_one_awaits_review_is_refused(program):
    plan(program, MONDAY, accept=False)
    with pytest.raises(ServiceError, match="already planned"):
        services.plan_next_week(acting_user=physio_of(program), program=program, today=MONDAY)
    assert Week.objects.filter(program=program).count() == 1


def test_the_cap_is_measured_from_what_was_completed_not_prescribed(world):
    program = make_program(world.patient, cap=Decimal("0.15"))
    set_start(program, "Goblet squat", "20")
    program = services.activate(acting_user=world.physio, program=program, today=MONDAY)
    week = plan(program, MONDAY).week
    log_week(program, week, quantities={"Goblet squat": "17.5"})
    squat = item(plan(program, end_of(week), accept=False).week, "Goblet squat")
    assert squat.base_quantity == Decimal("17.5")
    assert squat.max_quantity == Decimal("20.12")  # 17.5 × 1.15 = 20.125, to the cent
    assert squat.quantity == Decimal("20")  # rounded down to the 1 kg increment


# --- lower, never raise ----------------------------------------------------------------------


def test_a_value_can_be_lowered_with_a_reason_and_the_reason_is_kept(squat_20, world):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    assert (squat.proposed_quantity, squat.max_quantity) == (Decimal("23"), Decimal("23"))
    lowered = services.change_item(
        acting_user=world.physio,
        item=squat,
        sets=3,
        reps=10,
        quantity=Decimal("21"),
        reason="New job boots; stay lighter this week",
        version=squat.version,
    )
    assert lowered.is_lowered and lowered.override_reason == "New job boots; stay lighter this week"
    event = AuditEvent.objects.get(action="week_item.lowered")
    assert Decimal(str(event.before["quantity"])) == Decimal("23")
    assert event.reason == "New job boots; stay lighter this week"


def test_lowering_without_a_reason_is_refused(squat_20, world):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    with pytest.raises(ServiceError) as refused:
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=3,
            reps=10,
            quantity=Decimal("21"),
            reason="  ",
            version=squat.version,
        )
    assert refused.value.field == "reason"
    assert item(week, "Goblet squat").quantity == Decimal("23")


def test_a_value_above_the_cap_is_refused_with_the_cap_and_its_base(squat_20, world):
    """The import/API path: a direct service call gets the same refusal as the form."""
    _, week = squat_20
    squat = item(week, "Goblet squat")
    with pytest.raises(ServiceError) as refused:
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=3,
            reps=10,
            quantity=Decimal("24"),
            reason="import",
            version=squat.version,
        )
    assert refused.value.message == CAP_MESSAGE
    assert refused.value.field == "quantity"
    squat.refresh_from_db()
    assert (squat.quantity, squat.version) == (Decimal("23"), 1)


def test_the_model_itself_refuses_a_stored_load_above_the_cap(squat_20):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    squat.quantity = Decimal("24")
    with pytest.raises(ValidationError) as refused:
        squat.full_clean()
    assert refused.value.message_dict["quantity"] == [CAP_MESSAGE]


def test_more_sets_that_break_the_weekly_volume_cap_are_refused(squat_20, world):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    with pytest.raises(ServiceError, match="weekly volume"):
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=5,
            reps=10,
            quantity=Decimal("23"),
            reason="more",
            version=squat.version,
        )


def test_raising_above_the_proposal_is_refused_even_within_the_cap(world):
    program = make_program(world.patient, cap=Decimal("0.15"))
    set_start(program, "Goblet squat", "20")
    program = services.activate(acting_user=world.physio, program=program, today=MONDAY)
    week = plan(program, MONDAY).week
    log_week(program, week, pain_during=4)  # the hold zone
    held = plan(program, end_of(week), accept=False).week
    assert held.decision == "hold"
    squat = item(held, "Goblet squat")
    assert (squat.proposed_quantity, squat.max_quantity) == (Decimal("20"), Decimal("23"))
    with pytest.raises(ServiceError) as refused:
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=3,
            reps=10,
            quantity=Decimal("22"),
            reason="feels easy",
            version=squat.version,
        )
    assert refused.value.message.startswith("Refused: 22 kg is above the proposal of 20 kg")


def test_a_session_cannot_record_a_load_above_the_cap(squat_20, world):
    program, week = squat_20
    week = services.accept_week(acting_user=world.physio, week=week, version=week.version)
    values = session_values(week, week.start_date, quantities={"Goblet squat": "24"})
    with pytest.raises(ServiceError) as refused:
        services.log_session(
            acting_user=world.physio,
            program=program,
            week_index=week.index,
            values=values,
            today=end_of(week),
        )
    assert CAP_MESSAGE in refused.value.message
    assert not SessionLog.objects.filter(week=week).exists()


def test_a_closed_week_cannot_be_changed(program, world):
    week = plan(program, MONDAY).week
    log_week(program, week)
    plan(program, end_of(week))
    squat = item(week, "Goblet squat")
    with pytest.raises(ServiceError, match="closed"):
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=1,
            reps=1,
            quantity=Decimal("1"),
            reason="late",
            version=squat.version,
        )


# --- concurrency -----------------------------------------------------------------------------


def test_a_stale_item_edit_is_refused_and_shows_the_newer_values(squat_20, world):
    _, week = squat_20
    squat = item(week, "Goblet squat")
    services.change_item(
        acting_user=world.colleague,
        item=squat,
        sets=3,
        reps=10,
        quantity=Decimal("22"),
        reason="colleague lowered it",
        version=1,
    )
    with pytest.raises(services.StaleEdit) as stale:
        services.change_item(
            acting_user=world.physio,
            item=squat,
            sets=3,
            reps=10,
            quantity=Decimal("21"),
            reason="mine",
            version=1,
        )
    assert cast(WeekItem, stale.value.current).quantity == Decimal("22")
    assert item(week, "Goblet squat").override_reason == "colleague lowered it"


def test_accepting_a_week_someone_changed_since_is_refused(squat_20, world):
    _, week = squat_20
    opened_version = week.version
    squat = item(week, "Goblet squat")
    services.change_item(
        acting_user=world.colleague,
        item=squat,
        sets=3,
        reps=10,
        quantity=Decimal("22"),
        reason="lowered",
        version=squat.version,
    )
    with pytest.raises(services.StaleEdit):
        services.accept_week(acting_user=world.physio, week=week, version=opened_version)
    week.refresh_from_db()
    assert week.status == WeekStatus.PLANNED


def test_stale_settings_are_refused(program, world):
    services.update_settings(
        acting_user=world.colleague,
        program=program,
        data={"cap": Decimal("0.15")},
        version=program.version,
    )
    with pytest.raises(services.StaleEdit) as stale:
        services.update_settings(
            acting_user=world.physio,
            program=program,
            data={"cap": Decimal("0.12")},
            version=program.version,
        )
    assert cast(Program, stale.value.current).cap == Decimal("0.15")


# --- logging sessions ------------------------------------------------------------------------


def test_a_session_for_a_week_that_does_not_exist_is_refused(program, world):
    week = plan(program, MONDAY).week
    values = session_values(week, MONDAY)
    with pytest.raises(ServiceError) as refused:
        services.log_session(
            acting_user=world.physio, program=program, week_index=7, values=values, today=MONDAY
        )
    assert refused.value.message == (
        "Week 7 does not exist in this program. Sessions go in the open week (week 1)."
    )


def test_a_session_for_a_closed_week_is_refused(program, world):
    week = plan(program, MONDAY).week
    log_week(program, week)
    plan(program, end_of(week))
    with pytest.raises(ServiceError, match="Week 1 is closed"):
        services.log_session(
            acting_user=world.physio,
            program=program,
            week_index=1,
            values=session_values(week, MONDAY),
            today=end_of(week),
        )
    assert SessionLog.objects.filter(week=week).count() == 3


@pytest.mark.parametrize(
    ("day", "today", "message"),
    [
        (MONDAY + timedelta(days=8), MONDAY + timedelta(days=9), "outside"),
        (MONDAY + timedelta(days=3), MONDAY + timedelta(days=2), "future"),
    ],
)
def test_a_session_outside_its_week_or_in_the_future_is_refused(
    program, world, day, today, message
):
    week = plan(program, MONDAY).week
    with pytest.raises(ServiceError) as refused:
        services.log_session(
            acting_user=world.physio,
            program=program,
            week_index=1,
            values=session_values(week, day),
            today=today,
        )
    assert refused.value.field == "date"
    assert message in refused.value.message


def test_a_week_awaiting_review_takes_no_sessions(program, world):
    week = plan(program, MONDAY, accept=False).week
    with pytest.raises(ServiceError, match="accept its plan first"):
        services.log_session(
            acting_user=world.physio,
            program=program,
            week_index=1,
            values=session_values(week, MONDAY),
            today=MONDAY,
        )


# --- red flags -------------------------------------------------------------------------------


def _flagged_session(program: Program, week: Week, flags: set[str], offset: int = 2) -> None:
    services.log_session(
        acting_user=physio_of(program),
        program=program,
        week_index=week.index,
        values=session_values(
            week, week.start_date + timedelta(days=offset), red_flags=frozenset(flags)
        ),
        today=end_of(week),
    )


def test_an_amber_flag_in_a_session_pauses_the_program_and_shows_on_the_patient(program):
    week = plan(program, MONDAY).week
    log_week(program, week, days=(0,))
    _flagged_session(program, week, {"new_swelling"})
    program.refresh_from_db()
    assert program.status == ProgramStatus.PAUSED
    patient = program.patient
    patient.refresh_from_db()
    assert (patient.red_flag_tier, patient.red_flag_since) == ("amber", MONDAY + timedelta(days=2))
    assert AuditEvent.objects.filter(action="program.paused").exists()


def test_pain_at_rest_of_8_counts_as_amber(program):
    week = plan(program, MONDAY).week
    services.log_session(
        acting_user=physio_of(program),
        program=program,
        week_index=1,
        values=session_values(week, MONDAY, pain_at_rest=8),
        today=MONDAY,
    )
    program.refresh_from_db()
    assert program.status == ProgramStatus.PAUSED


def test_an_emergency_flag_suspends_the_program(program):
    week = plan(program, MONDAY).week
    _flagged_session(program, week, {"saddle_numbness"}, offset=0)
    program.refresh_from_db()
    assert program.status == ProgramStatus.SUSPENDED


def test_no_week_is_planned_while_paused_and_nothing_is_saved(program):
    week = plan(program, MONDAY).week
    _flagged_session(program, week, {"new_swelling"}, offset=0)
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.plan_next_week(acting_user=physio_of(program), program=program, today=end_of(week))
    assert "paused" in refused.value.message and "Nothing was planned" in refused.value.message
    assert Week.objects.filter(program=program).count() == 1
    week.refresh_from_db()
    assert week.status == WeekStatus.OPEN
    assert AuditEvent.objects.count() == events


def test_no_more_sessions_are_logged_while_paused(program):
    week = plan(program, MONDAY).week
    _flagged_session(program, week, {"new_swelling"}, offset=0)
    with pytest.raises(ServiceError, match="paused"):
        log_week(program, week, days=(1,))


def test_resume_after_amber_waits_for_a_reassessment_then_restarts_at_tolerated_values(program):
    first = plan(program, MONDAY).week
    log_week(program, first, quantities={"Goblet squat": "7"})
    second = plan(program, end_of(first)).week
    _flagged_session(program, second, {"new_swelling"}, offset=1)
    flag_day = second.start_date + timedelta(days=1)
    with pytest.raises(ServiceError, match="needs a reassessment"):
        services.resume(acting_user=physio_of(program), program=program, today=end_of(second))
    _assess(program, flag_day + timedelta(days=1))
    services.resume(acting_user=physio_of(program), program=program, today=end_of(second))
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE
    restart = plan(program, end_of(second)).week
    assert restart.decision == "resume"
    assert "resume_after_reassessment" in _codes(restart)
    assert item(restart, "Goblet squat").quantity == Decimal("7")  # the last tolerated value


def test_an_emergency_needs_a_new_baseline_and_restarts_from_the_starting_values(program):
    first = plan(program, MONDAY).week
    log_week(program, first)
    second = plan(program, end_of(first)).week
    assert item(second, "Goblet squat").quantity > Decimal("8")
    _flagged_session(program, second, {"bladder_bowel_dysfunction"}, offset=0)
    _assess(program, second.start_date + timedelta(days=1))
    with pytest.raises(ServiceError, match="new baseline assessment"):
        services.resume(acting_user=physio_of(program), program=program, today=end_of(second))
    _assess(program, second.start_date + timedelta(days=2), kind="baseline")
    services.resume(acting_user=physio_of(program), program=program, today=end_of(second))
    restart = plan(program, end_of(second)).week
    assert "restart_after_emergency" in _codes(restart)
    assert item(restart, "Goblet squat").quantity == Decimal("8")  # the phase's start


def test_a_pause_cancels_a_week_still_awaiting_review(program, world):
    plan(program, MONDAY, accept=False)
    hooks.on_red_flag(program.patient, "urgent", MONDAY, "assessment", acting_user=world.physio)
    program.refresh_from_db()
    assert program.status == ProgramStatus.PAUSED
    assert Week.objects.get(program=program).status == WeekStatus.CANCELLED


# --- hooks for the assessments app -------------------------------------------------------------


def test_a_flagged_assessment_pauses_and_an_emergency_one_suspends(program, world):
    _assess(program, MONDAY, tier="amber")
    changed = hooks.on_assessment_recorded(Assessment.objects.get(), acting_user=world.physio)
    assert changed == [program]
    program.refresh_from_db()
    assert program.status == ProgramStatus.PAUSED
    _assess(program, MONDAY + timedelta(days=1), tier="emergency")
    hooks.on_assessment_recorded(Assessment.objects.latest("assessed_on"))
    program.refresh_from_db()
    assert program.status == ProgramStatus.SUSPENDED
    assert hooks.on_red_flag(program.patient, "amber", MONDAY, "again") == []  # idempotent


def test_a_reassessment_is_noted_on_a_paused_program(program, world):
    hooks.on_red_flag(program.patient, "amber", MONDAY, "assessment")
    _assess(program, MONDAY + timedelta(days=1))
    hooks.on_assessment_recorded(Assessment.objects.get(), acting_user=world.physio)
    assert AuditEvent.objects.filter(action="program.reassessment_recorded").exists()
    assert services.still_flagged(program, MONDAY + timedelta(days=1)) is None


def test_an_assessment_meeting_the_exit_criteria_proposes_advancing(program, world):
    week = plan(program, MONDAY).week
    _assess(program, MONDAY + timedelta(days=2), nprs=3)
    hooks.on_assessment_recorded(Assessment.objects.get(), acting_user=world.physio)
    week.refresh_from_db()
    assert week.phase_proposal_status == PhaseProposalStatus.PENDING
    assert week.phase_proposal["to_order"] == 2
    assert week.phase_proposal["criteria"] == ["nprs <= 4: 3 against ≤ 4, met"]


# --- phases ------------------------------------------------------------------------------------


def test_the_engine_proposes_advancing_and_confirming_replans_in_the_next_phase(program, world):
    first = plan(program, MONDAY).week
    log_week(program, first)
    _assess(program, MONDAY + timedelta(days=5), nprs=2)
    proposed = plan(program, end_of(first), accept=False).week
    assert proposed.phase_proposal_status == PhaseProposalStatus.PENDING
    assert "exit_criteria_met" not in _codes(proposed)  # the proposal is separate from the week
    week = services.decide_phase_change(
        acting_user=world.physio,
        week=proposed,
        confirm=True,
        version=proposed.version,
        today=end_of(first),
    )
    program.refresh_from_db()
    assert program.current_phase.order == 2
    assert program.phase_started_on == proposed.start_date
    proposed.refresh_from_db()
    assert proposed.status == WeekStatus.CANCELLED
    assert week.phase.order == 2 and week.index == 2
    names = set(week.items.values_list("prescription__exercise__name", flat=True))
    assert "Romanian deadlift (dumbbells)" in names


def test_declining_a_phase_change_keeps_the_phase(program, world):
    first = plan(program, MONDAY).week
    log_week(program, first)
    _assess(program, MONDAY + timedelta(days=5), nprs=2)
    proposed = plan(program, end_of(first), accept=False).week
    services.decide_phase_change(
        acting_user=world.physio,
        week=proposed,
        confirm=False,
        version=proposed.version,
        today=end_of(first),
    )
    program.refresh_from_db()
    assert program.current_phase.order == 1
    proposed.refresh_from_db()
    assert proposed.phase_proposal_status == PhaseProposalStatus.DECLINED
    assert proposed.status == WeekStatus.PLANNED


# --- ACWR --------------------------------------------------------------------------------------


def test_a_high_acwr_holds_the_increase_until_acknowledged(program, world, monkeypatch):
    first = plan(program, MONDAY).week
    log_week(program, first)
    spike = {MONDAY - timedelta(days=40 - n): Decimal(10) for n in range(30)}
    spike.update({end_of(first) - timedelta(days=n): Decimal(100) for n in range(3)})
    real = adapter.plan_input
    monkeypatch.setattr(
        adapter,
        "plan_input",
        lambda data: dataclasses.replace(real(data), daily_loads=spike),
    )
    held = plan(program, end_of(first), accept=False).week
    assert "acwr_hold" in _codes(held)
    assert held.decision == "hold"
    outcome = services.acknowledge_acwr(
        acting_user=world.physio, program=program, today=end_of(first)
    )
    assert outcome is not None and outcome.week is not None
    assert outcome.week.decision == "progress"
    assert "acwr_acknowledged" in _codes(outcome.week)
    held.refresh_from_db()
    assert held.status == WeekStatus.CANCELLED


# --- status for the caseload ---------------------------------------------------------------------


def test_program_status_for_the_caseload_takes_one_query(program, world, django_assert_num_queries):
    make_program(world.other_patient)
    with django_assert_num_queries(1):
        found = program_status_for([world.patient, world.other_patient.pk])
    assert found[world.patient.pk].status == "active"
    assert found[world.patient.pk].phase == "Phase 1: Foundation"
    assert found[world.other_patient.pk].status_label == "Draft"


def test_engine_planning_works_in_time_contingent_mode(world):
    program = make_program(world.patient, mode="time_contingent", target_date=date(2026, 12, 21))
    program = services.activate(acting_user=world.physio, program=program, today=MONDAY)
    week = plan(program, MONDAY).week
    assert week.decision == "hold"
    current = current_week(program)
    assert current == week
    assert isinstance(engine.Mode(program.mode), engine.Mode)
