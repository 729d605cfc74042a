"""The weekly batch proposes the same week the clinician's "plan next week" would, for every
active program whose week has ended, in a fixed number of queries per chunk; it leaves
paused programs, running weeks and weeks awaiting review alone, and running it twice
plans nothing more."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programs import adapter, engine, services
from programs.models import Program, ProgramCarry, ProgramStatus, Week, WeekStatus
from programs.services.batch import _Loaded, plan_input, propose_next_weeks
from programs.tasks import propose_next_weeks_task
from rtw.models import AuditEvent
from tests.conftest import World
from tests.factories import make_patient, make_program
from tests.programs.helpers import MONDAY, end_of, log_week, physio_of, plan


def _week_values(week: Week) -> dict[str, Any]:
    """What a clinician reviews: everything but who planned it."""
    items = [
        (
            i.prescription_id,
            i.order,
            i.sets,
            i.reps,
            i.quantity,
            i.proposed_sets,
            i.proposed_reps,
            i.proposed_quantity,
            i.base_sets,
            i.base_reps,
            i.base_quantity,
            i.max_quantity,
        )
        for i in week.items.order_by("order")
    ]
    fields = (
        "phase_id",
        "index",
        "start_date",
        "decision",
        "reasons",
        "status",
        "planned_sessions",
        "cap",
        "acwr",
        "phase_proposal",
        "phase_proposal_status",
        "planned_on",
    )
    return {**{f: getattr(week, f) for f in fields}, "items": items}


def _per_program_proposal(program: Program, today: date) -> dict[str, Any]:
    """The week "plan next week" would store now, rolled back afterwards."""
    with transaction.atomic():
        point = transaction.savepoint()
        outcome = services.plan_next_week(
            acting_user=physio_of(program), program=program, today=today
        )
        assert outcome.week is not None
        proposal = _week_values(outcome.week)
        transaction.savepoint_rollback(point)
    return proposal


def _batch_proposal(program: Program) -> dict[str, Any]:
    return _week_values(Week.objects.get(program=program, status=WeekStatus.PLANNED))


def _weeks_logged(program: Program, count: int, **feel: Any) -> date:
    """``count`` weeks planned, accepted and logged; returns the day after the last ends."""
    week = plan(program, MONDAY).week
    for n in range(count):
        log_week(program, week, **(feel if n == count - 1 else {}))
        if n < count - 1:
            week = plan(program, end_of(week)).week
    return end_of(week) + timedelta(days=1)


def _another_program(world: World) -> Program:
    patient = make_patient(world.physio, employer=world.employer)
    program: Program = make_program(patient, activate_on=MONDAY)
    return program


def test_the_batch_proposes_the_same_progress_week_as_plan_next_week(program):
    today = _weeks_logged(program, 2)
    expected = _per_program_proposal(program, today)
    assert expected["decision"] == "progress"
    result = propose_next_weeks(today)
    assert result.planned == 1
    assert _batch_proposal(program) == expected


def test_the_batch_proposes_the_same_deload_as_plan_next_week(program):
    today = _weeks_logged(program, 2, soreness=7)
    expected = _per_program_proposal(program, today)
    assert expected["decision"] == "deload"
    propose_next_weeks(today)
    assert _batch_proposal(program) == expected


def test_the_batch_proposes_the_same_deload_rhythm_week_and_closes_the_open_week(program):
    today = _weeks_logged(program, 3)
    expected = _per_program_proposal(program, today)
    propose_next_weeks(today)
    assert _batch_proposal(program) == expected
    assert expected["decision"] == "deload"
    assert Week.objects.get(program=program, index=3).status == WeekStatus.CLOSED
    closed = AuditEvent.objects.filter(action="week.closed", target_type="programs.week").last()
    assert closed is not None and closed.after == {"status": "closed", "sessions": 3}
    assert AuditEvent.objects.filter(action="week.planned").count() == 4


def test_the_engine_reads_the_same_input_in_the_batch_as_on_the_page(program):
    today = _weeks_logged(program, 3, pain_during=5)
    program.refresh_from_db()
    expected = adapter.plan_input(adapter.load(program, today))
    loaded = _Loaded([program], today)
    assert program.patient_id is not None and program.job_profile_id is not None
    batch = plan_input(
        program,
        carry=loaded.carries.get(program.pk),
        phases=loaded.phases[program.pk],
        prescriptions=loaded.prescriptions[program.current_phase_id or 0],
        weeks=loaded.weeks[program.pk],
        assessments=loaded.assessments[program.patient_id],
        tasks=loaded.tasks[program.job_profile_id],
        today=today,
    )
    # The batch hands the engine the earlier weeks folded and the last week whole.
    assert batch.carry == engine.carry_of(expected.history[:-1], program.baseline_morning_pain)
    assert batch.history == expected.history[-1:]
    assert replace(batch, history=expected.history, carry=None) == expected
    assert engine.plan_next_week(batch) == engine.plan_next_week(expected)


def test_a_paused_program_is_left_alone(program):
    today = _weeks_logged(program, 1)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.PAUSED)
    result = propose_next_weeks(today)
    assert result.programs == 0
    assert not Week.objects.filter(program=program, status=WeekStatus.PLANNED).exists()
    assert Week.objects.get(program=program, index=1).status == WeekStatus.OPEN


def test_a_week_still_running_is_not_closed_early(program):
    today = _weeks_logged(program, 1)
    propose_next_weeks(today - timedelta(days=1))
    assert Week.objects.get(program=program, index=1).status == WeekStatus.OPEN
    assert Week.objects.filter(program=program).count() == 1


def test_a_week_awaiting_review_is_not_planned_again(program):
    plan(program, MONDAY, accept=False)
    assert propose_next_weeks(MONDAY + timedelta(days=14)).programs == 0
    assert Week.objects.filter(program=program).count() == 1


def test_running_the_batch_twice_plans_nothing_more(program):
    today = _weeks_logged(program, 2)
    first = propose_next_weeks(today)
    weeks, events = Week.objects.count(), AuditEvent.objects.count()
    second = propose_next_weeks(today)
    assert (first.planned, second.planned) == (1, 0)
    assert (Week.objects.count(), AuditEvent.objects.count()) == (weeks, events)


def test_a_chunk_of_many_programs_runs_as_many_queries_as_a_chunk_of_one(
    world, program, django_assert_num_queries
):
    today = _weeks_logged(program, 2)
    with CaptureQueriesContext(connection) as one:
        assert propose_next_weeks(today).planned == 1
    others = [_another_program(world) for _ in range(3)]
    for other in others:
        _weeks_logged(other, 3 if other.pk % 2 else 2)
    with django_assert_num_queries(len(one)):
        result = propose_next_weeks(today + timedelta(days=7))
    assert result.planned == 3  # ours awaits review of the week the first run planned
    assert result.chunks == 1


@pytest.mark.parametrize("chunk_size", [1, 2])
def test_small_chunks_plan_every_program_once(world, program, chunk_size):
    today = _weeks_logged(program, 2)
    other = _another_program(world)
    _weeks_logged(other, 2)
    result = propose_next_weeks(today, chunk_size=chunk_size)
    assert result.planned == 2
    assert result.chunks == 2 // chunk_size
    assert Week.objects.filter(status=WeekStatus.PLANNED).count() == 2


def test_the_daily_task_plans_the_programs_whose_week_ended(program, at):
    today = _weeks_logged(program, 2)
    with at(today):
        outcome = propose_next_weeks_task()
    assert outcome == {"planned": 1, "halted": 0, "failed": 0}
    assert Week.objects.filter(program=program, status=WeekStatus.PLANNED).exists()


def _accept_and_log(program: Program, **feel: Any) -> date:
    """Accept the week the batch proposed, log it; returns the day after it ends."""
    week = Week.objects.get(program=program, status=WeekStatus.PLANNED)
    week = services.accept_week(acting_user=physio_of(program), week=week, version=week.version)
    log_week(program, week, **feel)
    return end_of(week) + timedelta(days=1)


def test_the_batch_keeps_a_carry_and_next_week_plans_from_it_and_the_last_week_alone(program):
    today = _weeks_logged(program, 2)
    propose_next_weeks(today)
    carry = ProgramCarry.objects.get(program=program)
    assert carry.week == Week.objects.get(program=program, index=2)
    assert carry.data["weeks"] == 2  # weeks 1 and 2, both closed now
    today = _accept_and_log(program, pain_during=4)
    loaded = _Loaded([program], today)
    assert [w.index for w in loaded.weeks[program.pk]] == [3]  # only the week after the carry
    assert loaded.carries[program.pk] == engine.carry_from_data(carry.data)
    expected = _per_program_proposal(program, today)
    # The rhythm's deload: two of the three loading weeks it counts are inside the carry.
    assert expected["decision"] == "deload"
    propose_next_weeks(today)
    assert _batch_proposal(program) == expected
    assert ProgramCarry.objects.get(program=program).week.index == 3


def test_a_carry_that_does_not_fit_is_left_and_the_whole_history_read(program):
    """Under another baseline morning pain, or not running through the week before the
    last (the clinician planned a week since), the stored carry is not used."""
    today = _weeks_logged(program, 2)
    propose_next_weeks(today)
    today = _accept_and_log(program, pain_next_morning=2)
    Program.objects.filter(pk=program.pk).update(baseline_morning_pain=1)
    program.refresh_from_db()
    loaded = _Loaded([program], today)
    assert program.pk not in loaded.carries
    assert [w.index for w in loaded.weeks[program.pk]] == [1, 2, 3]
    expected = _per_program_proposal(program, today)
    propose_next_weeks(today)
    assert _batch_proposal(program) == expected
    assert ProgramCarry.objects.get(program=program).week.index == 3
    # The clinician accepts and logs week 4, then plans week 5 by hand: the carry still
    # runs through week 3, not week 4, so the next batch reads the whole history again.
    today = _accept_and_log(program)
    plan(program, today)
    assert _Loaded([program], today).carries.get(program.pk) is None


def test_a_carry_is_never_kept_through_a_week_still_open(program):
    today = _weeks_logged(program, 1)
    propose_next_weeks(today - timedelta(days=1))  # the week is still running
    assert not ProgramCarry.objects.filter(program=program).exists()
