"""Capacity against demand, over plain values: what is met, by how much, and what is not known."""

from datetime import date
from decimal import Decimal

import pytest

from assessments.capacity import (
    MET,
    NO_DEMAND,
    NO_MEASURE,
    NOT_MEASURED,
    NOT_MET,
    DemandTask,
    Measured,
    capacity_against_demand,
)
from assessments.summary import latest_measures
from patients.demand_levels import DemandLevel

ON = date(2026, 10, 1)
FLOOR_LIFT = DemandTask(
    "lift_floor_to_waist", "Floor-to-waist lift", load_kg=Decimal(20), frequency="frequent"
)


def _measured(**values: str | int) -> dict[str, Measured]:
    return {name: Measured(Decimal(value), ON) for name, value in values.items()}


def test_no_job_profile_says_so_rather_than_comparing() -> None:
    table = capacity_against_demand(None, _measured(lift_floor_to_waist_kg=15))
    assert table.rows == ()
    assert table.message.startswith("No job profile")


def test_a_profile_without_tasks_says_so() -> None:
    assert capacity_against_demand([], {}).message == "The job profile lists no tasks yet."


def test_a_task_never_measured_says_not_measured_and_guesses_nothing() -> None:
    (row,) = capacity_against_demand([FLOOR_LIFT], _measured(lift_overhead_kg=30)).rows
    assert row.status == NOT_MEASURED
    assert row.capacity is None
    assert row.percent_met is None and row.gap is None
    assert row.capacity_text == "not measured"
    assert (row.percent_text, row.gap_text) == ("—", "—")


def test_percent_met_and_gap_for_a_lift_short_of_its_demand() -> None:
    (row,) = capacity_against_demand([FLOOR_LIFT], _measured(lift_floor_to_waist_kg=15)).rows
    assert row.status == NOT_MET
    assert row.percent_met == Decimal(75)
    assert row.gap == Decimal(5)
    assert row.gap_text == "5.0 kg (11.0 lb)"
    assert row.demand_text == "20.0 kg (44.1 lb)"
    assert row.capacity_text == "15.0 kg (33.1 lb)"


def test_a_demand_met_or_exceeded_has_no_gap() -> None:
    (row,) = capacity_against_demand([FLOOR_LIFT], _measured(lift_floor_to_waist_kg="24.5")).rows
    assert row.status == MET
    assert row.percent_met == Decimal(123)
    assert row.gap == 0
    assert row.gap_text == "none"


def test_percent_met_rounds_half_up_to_a_whole_percent() -> None:
    task = DemandTask("push", "Push", load_kg=Decimal(8))
    (row,) = capacity_against_demand([task], _measured(push_kg="6.5")).rows
    assert row.percent_met == Decimal(81)  # 81.25


@pytest.mark.parametrize(
    ("task", "measure", "value", "percent", "gap"),
    [
        (
            DemandTask("carry", "Carry", load_kg=Decimal(15)),
            "carry_kg",
            "12",
            80,
            "3.0 kg (6.6 lb)",
        ),
        (DemandTask("pull", "Pull", load_kg=Decimal(30)), "pull_kg", "30", 100, "none"),
        (
            DemandTask("lift_overhead", "Overhead", load_kg=Decimal(10)),
            "lift_overhead_kg",
            "4",
            40,
            "6.0 kg (13.2 lb)",
        ),
        (
            DemandTask("standing", "Standing", duration_min=120),
            "standing_tolerance_min",
            "45",
            38,
            "75 min",
        ),
        (
            DemandTask("sitting", "Sitting", duration_min=60),
            "sitting_tolerance_min",
            "90",
            150,
            "none",
        ),
        (
            DemandTask("walking", "Walking", distance_m=Decimal(2000)),
            "walking_distance_m",
            "500",
            25,
            "1500 m",
        ),
    ],
)
def test_each_task_type_is_compared_with_its_own_measure(
    task: DemandTask, measure: str, value: str, percent: int, gap: str
) -> None:
    (row,) = capacity_against_demand([task], _measured(**{measure: value})).rows
    assert row.percent_met == Decimal(percent)
    assert row.gap_text == gap


def test_tasks_with_no_assessment_measure_say_so() -> None:
    tasks = [DemandTask(t, t) for t in ("stooping", "kneeling", "reaching", "stairs_ladders")]
    rows = capacity_against_demand(tasks, _measured(lift_floor_to_waist_kg=15)).rows
    assert {row.status for row in rows} == {NO_MEASURE}


def test_a_standing_task_without_a_duration_has_no_percentage() -> None:
    task = DemandTask("standing", "Sustained standing", frequency="constant")
    (row,) = capacity_against_demand([task], _measured(standing_tolerance_min=45)).rows
    assert row.status == NO_DEMAND
    assert row.capacity_text == "45 min"
    assert row.percent_met is None


def test_a_short_carry_distance_is_pointed_out() -> None:
    task = DemandTask("carry", "Carry", load_kg=Decimal(15), distance_m=Decimal(30))
    (row,) = capacity_against_demand([task], _measured(carry_kg=15, carry_distance_m=10)).rows
    assert row.status == MET
    assert row.note == "Carry measured over 10 m; the job carries over 30 m."


def test_demand_levels_for_the_task_the_worker_and_the_job() -> None:
    push = DemandTask("push", "Push", load_kg=Decimal(20), frequency="occasional")
    table = capacity_against_demand(
        [FLOOR_LIFT, push], _measured(lift_floor_to_waist_kg=15, push_kg=30)
    )
    lift_row, push_row = table.rows
    # 20 kg frequently is 44.1 lb > 25 lb: heavy; occasionally, medium (≤ 50 lb).
    # A 15 kg maximum lift (33.1 lb) reaches light (20 lb) but not medium (50 lb).
    assert lift_row.task_level == DemandLevel.HEAVY
    assert lift_row.worker_level == DemandLevel.LIGHT
    assert push_row.task_level == DemandLevel.MEDIUM
    assert table.job_level == DemandLevel.HEAVY
    assert table.worker_level == DemandLevel.LIGHT
    assert table.worker_level_from == Measured(Decimal(15), ON)


def test_the_workers_level_is_not_measured_without_a_floor_to_waist_lift() -> None:
    table = capacity_against_demand([FLOOR_LIFT], _measured(push_kg=30))
    assert table.worker_level is None


def test_the_latest_measured_value_of_each_measure_is_used(world) -> None:
    from datetime import timedelta

    from tests.assessments.helpers import make_assessment

    make_assessment(world.patient, measures={"pull_kg": Decimal(18)})
    make_assessment(
        world.patient,
        assessed_on=ON + timedelta(days=21),
        measures={"lift_floor_to_waist_kg": Decimal(19), "carry_kg": None},
    )
    latest = latest_measures(world.patient.assessments.order_by("assessed_on"))
    assert latest["lift_floor_to_waist_kg"] == Measured(Decimal(19), ON + timedelta(days=21))
    # Not measured the second time: the earlier measure stands, with its own date.
    assert latest["carry_kg"] == Measured(Decimal(12), ON)
    assert latest["pull_kg"] == Measured(Decimal(18), ON)
    assert "lift_overhead_kg" not in latest
