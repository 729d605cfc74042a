"""Driving a program through the weekly loop in tests, the way the pages do."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from programs import engine, services
from programs.models import Exercise, Program, Week, WeekItem, WeekStatus
from programs.services import Done, SessionValues
from rtw.models import User
from tests.factories import make_program

MONDAY = date(2026, 10, 5)  # a Monday; weeks in these tests start on Mondays


def physio_of(program: Program) -> User:
    assert program.patient is not None
    return program.patient.physiotherapist


def current_week(program: Program) -> Week:
    return Week.objects.get(program=program, status__in=[WeekStatus.PLANNED, WeekStatus.OPEN])


@dataclass(frozen=True)
class Planned:
    plan: engine.WeekPlan
    week: Week


def plan(program: Program, today: date, *, accept: bool = True) -> Planned:
    """Plan the next week (and accept it); a pause here is a test failure."""
    outcome = services.plan_next_week(acting_user=physio_of(program), program=program, today=today)
    assert outcome.week is not None, outcome.plan.reasons
    week = outcome.week
    if accept:
        week = services.accept_week(acting_user=physio_of(program), week=week, version=week.version)
    return Planned(outcome.plan, week)


def session_values(week: Week, day: date, **overrides: Any) -> SessionValues:
    """A session in which every item was done as planned (unless ``done`` says otherwise)."""
    done: dict[int, Done] = {}
    quantities = overrides.pop("quantities", {})
    for item in WeekItem.objects.filter(week=week).select_related("prescription__exercise"):
        quantity = quantities.get(item.prescription.exercise.name, item.quantity)
        done[item.pk] = Done(item.sets, item.reps, Decimal(quantity))
    values: dict[str, Any] = {
        "date": day,
        "pain_during": 2,
        "pain_next_morning": 0,
        "soreness": 3,
        "fatigue": 3,
        "rpe": 5,
        "items": done,
    }
    values.update(overrides)
    return SessionValues(**values)


def log_week(
    program: Program, week: Week, *, days: Iterable[int] = (0, 2, 4), **overrides: Any
) -> None:
    """Log a session on each of ``days`` (offsets from the week's start)."""
    for offset in days:
        day = week.start_date + timedelta(days=offset)
        services.log_session(
            acting_user=physio_of(program),
            program=program,
            week_index=week.index,
            values=session_values(week, day, **overrides),
            today=week.start_date + timedelta(days=6),
        )


def item(week: Week, exercise: str) -> WeekItem:
    return WeekItem.objects.select_related("prescription__exercise", "week").get(
        week=week, prescription__exercise__name=exercise
    )


def end_of(week: Week) -> date:
    return week.start_date + timedelta(days=6)


def busy_program(world: Any, weeks: int, extra_prescriptions: int) -> Program:
    """A program of ``weeks`` planned weeks, all logged (the last with one session), with
    ``extra_prescriptions`` machine exercises besides the template's."""
    program = make_program(world.patient)
    phase = program.current_phase
    for exercise in Exercise.objects.filter(category="machine")[:extra_prescriptions]:
        services.add_prescription(
            acting_user=world.physio,
            phase=phase,
            exercise=exercise,
            data={
                "sets": 3,
                "reps": 10,
                "quantity": Decimal("20"),
                "tempo": "",
                "rest_seconds": 90,
            },
        )
    program = services.activate(acting_user=world.physio, program=program, today=MONDAY)
    week = plan(program, MONDAY).week
    for _ in range(weeks - 1):
        log_week(program, week)
        program.refresh_from_db()
        week = plan(program, end_of(week)).week
    log_week(program, week, days=(0,))
    return program
