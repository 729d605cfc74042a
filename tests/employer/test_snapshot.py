"""The snapshot itself: its JSON round trip keeps exactly the allowlist, its words for each
program status, and how attendance and the current week of the graded return are read."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from uuid import uuid4

import pytest

from patients.employer import snapshot
from patients.employer.values import (
    STATUS_WORDS,
    Attendance,
    DemandLine,
    LiftSeries,
    Scope,
    WorkerSnapshot,
)
from programs.models import ProgramStatus, WeekStatus
from programs.rtw_share import Restriction, RtwShare, ScheduleStep
from tests.conftest import World
from tests.employer.builders import TODAY, make_worker

PLAN = RtwShare(
    schedule=(
        ScheduleStep(1, 2, Decimal("4"), 5, "Packing"),
        ScheduleStep(3, 4, Decimal("6.5"), 5, "Packing and picking"),
    ),
    restrictions=(Restriction("Overhead lift", "avoid for now"),),
    accommodations=("Micro-breaks",),
    capability="May be fit for work with: phased return to work",
    functional_comments="",
    valid_from=date(2026, 10, 1),
    valid_to=None,
    next_review=date(2026, 11, 9),
    clinician_name="Priya Shah",
    registration_number="PH1",
    starts_on=date(2026, 10, 12),
)
FULL = WorkerSnapshot(
    uuid=uuid4(),
    name="Sam Lee",
    job_role="Picker",
    employer="Acme",
    clinician="Priya Shah",
    registration_number="PH1",
    scope=Scope(status=True, capacity=True, restrictions=True, reports=True),
    as_of=TODAY,
    status="on track",
    phase="Phase 2: Capacity",
    attendance=Attendance(8, 9, 3, date(2026, 10, 2), TODAY),
    next_review=date(2026, 11, 9),
    job_level="Heavy",
    demands=(
        DemandLine("Carry", "Crates", "Occasional", "15.0 kg", "12.0 kg", 80, "not met", TODAY),
    ),
    lifts=(LiftSeries("Floor-to-waist lift", ((TODAY, Decimal("12.5")),), Decimal("20")),),
    plan=PLAN,
    full_duty_date=date(2026, 12, 7),
    full_duty_text="Projected full duties from 7 Dec 2026.",
)


def test_the_json_round_trip_gives_back_the_same_snapshot() -> None:
    assert WorkerSnapshot.from_json(FULL.to_json()) == FULL


def test_decoding_keeps_only_the_declared_fields() -> None:
    data = FULL.to_json()
    data["diagnosis"] = "Lumbar disc prolapse"
    data["plan"]["notes"] = "Private note"
    data["demands"][0]["pain"] = 7
    decoded = WorkerSnapshot.from_json(data)
    assert decoded == FULL
    text = str(decoded.to_json())
    assert "prolapse" not in text and "Private" not in text and "pain" not in text


def test_each_program_status_has_plain_words_and_halts_read_the_same() -> None:
    assert set(STATUS_WORDS) == set(ProgramStatus)
    assert STATUS_WORDS[ProgramStatus.PAUSED] == STATUS_WORDS[ProgramStatus.SUSPENDED]
    assert STATUS_WORDS[ProgramStatus.ACTIVE] == "on track"


@pytest.mark.parametrize(
    ("as_of", "week", "hours"),
    [
        (date(2026, 10, 11), None, None),  # before week 1
        (date(2026, 10, 12), 1, Decimal("4")),
        (date(2026, 10, 25), 2, Decimal("4")),
        (date(2026, 10, 26), 3, Decimal("6.5")),
        (date(2026, 11, 9), 5, None),  # past the last step
    ],
)
def test_the_current_week_of_the_graded_return(as_of: date, week, hours) -> None:
    snap = replace(FULL, as_of=as_of)
    assert snap.plan_week == week
    assert (snap.current_step.hours_per_day if snap.current_step else None) == hours


def test_without_a_start_date_there_is_no_current_week() -> None:
    snap = replace(FULL, plan=replace(PLAN, starts_on=None))
    assert snap.plan_week is None and snap.current_step is None


def _week(start: date, planned: int, sessions: int, status: str = WeekStatus.CLOSED):
    return SimpleNamespace(
        start_date=start,
        end_date=start + timedelta(days=6),
        status=status,
        planned_sessions=planned,
        sessions=SimpleNamespace(all=lambda: [object()] * sessions),
    )


def test_attendance_counts_the_weeks_that_started_and_ended_in_the_period() -> None:
    since, until = date(2026, 10, 2), date(2026, 10, 30)
    weeks = [
        _week(date(2026, 9, 28), 3, 3),  # began before the period
        _week(date(2026, 10, 5), 3, 3),
        _week(date(2026, 10, 12), 3, 2),
        _week(date(2026, 10, 19), 3, 3),
        _week(date(2026, 10, 26), 3, 1, WeekStatus.OPEN),  # still running on the 30th
    ]
    result = snapshot.attendance(weeks, since, until)
    assert (result.attended, result.planned, result.weeks) == (8, 9, 3)
    assert result.text == "8 of 9 planned sessions (89 %) over 3 weeks"
    assert snapshot.attendance([], since, until).text.startswith("no completed program weeks")


def test_a_reports_snapshot_is_built_as_of_the_end_of_its_period(world: World) -> None:
    worker = make_worker(world.physio, world.employer)
    consent = worker.consents.get()
    early = snapshot.for_report(
        consent, period_from=date(2026, 10, 1), period_to=date(2026, 10, 11), today=TODAY
    )
    assert early.as_of == date(2026, 10, 11)
    assert early.demands is not None
    assert early.demands[0].capacity == "10.0 kg (22.0 lb)"  # the later assessment is after
    assert early.attendance is not None and early.attendance.planned == 3
    assert early.reports == ()
