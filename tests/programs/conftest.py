from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from programs import services
from programs.models import Prescription, Program, Week
from tests.conftest import World
from tests.factories import make_program
from tests.programs.helpers import MONDAY, end_of, log_week, physio_of, plan


@pytest.fixture
def at() -> Any:
    """Move the clock (views read ``timezone.localdate()``): ``with at(date): ...``."""

    def travel(day: date) -> Any:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London"))
        return time_machine.travel(noon, tick=False)

    return travel


@pytest.fixture
def draft(world: World) -> Program:
    """A draft warehouse-lifting program for our patient (job demand: 20 kg floor-to-waist)."""
    program: Program = make_program(world.patient)
    return program


@pytest.fixture
def program(draft: Program) -> Program:
    return services.activate(acting_user=physio_of(draft), program=draft, today=MONDAY)


def set_start(program: Program, exercise: str, quantity: str, **extra: Any) -> Prescription:
    prescription = Prescription.objects.get(phase=program.current_phase, exercise__name=exercise)
    data = {"quantity": Decimal(quantity), **extra}
    return services.update_prescription(
        acting_user=physio_of(program),
        prescription=prescription,
        data=data,
        version=prescription.version,
    )


@pytest.fixture
def squat_20(world: World) -> tuple[Program, Week]:
    """Week 2 planned (not yet accepted) after a tolerated first week of goblet squats at
    20 kg, with a 15 % cap: base 20 kg, so at most 23 kg."""
    program = make_program(world.patient, cap=Decimal("0.15"))
    set_start(program, "Goblet squat", "20")
    program = services.activate(acting_user=physio_of(program), program=program, today=MONDAY)
    first = plan(program, MONDAY).week
    assert first is not None
    log_week(program, first)
    week = plan(program, end_of(first), accept=False).week
    assert week is not None
    return program, week
