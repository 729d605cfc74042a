"""Capacity against demand: for each task of a job, what the worker last measured.

Plain Python over plain values (no Django), so the patient page, the employer view
and the PDF report all say the same thing. A task whose capacity was never measured
says "not measured"; nothing is estimated from another measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from patients.demand_levels import DemandLevel, Frequency, format_kg_lb, job_level, task_level
from patients.demand_levels import worker_level as dot_worker_level

# Job task type → (the assessment measure compared with it, the unit of both).
MEASURE_FOR_TASK: Mapping[str, tuple[str, str]] = {
    "lift_floor_to_waist": ("lift_floor_to_waist_kg", "kg"),
    "lift_waist_to_shoulder": ("lift_waist_to_shoulder_kg", "kg"),
    "lift_overhead": ("lift_overhead_kg", "kg"),
    "carry": ("carry_kg", "kg"),
    "push": ("push_kg", "kg"),
    "pull": ("pull_kg", "kg"),
    "standing": ("standing_tolerance_min", "min"),
    "sitting": ("sitting_tolerance_min", "min"),
    "walking": ("walking_distance_m", "m"),
}
# The measure a worker's overall DOT strength level is read from: the floor-to-waist
# lift is the lift the DOT strength table describes and FCEs report it from.
LEVEL_MEASURE = "lift_floor_to_waist_kg"

MET = "met"
NOT_MET = "not met"
NOT_MEASURED = "not measured"
NO_MEASURE = "not measured (no assessment measure for this task)"
NO_DEMAND = "demand not specified"


@dataclass(frozen=True)
class DemandTask:
    task_type: str
    label: str
    description: str = ""
    load_kg: Decimal | None = None
    frequency: str = Frequency.OCCASIONAL
    distance_m: Decimal | None = None
    duration_min: int | None = None


@dataclass(frozen=True)
class Measured:
    value: Decimal
    on: date


def _fmt(value: Decimal, unit: str) -> str:
    if unit == "kg":
        return format_kg_lb(value)
    return f"{value.quantize(Decimal(1), ROUND_HALF_UP)} {unit}"


@dataclass(frozen=True)
class CapacityRow:
    task: DemandTask
    unit: str | None
    demand: Decimal | None
    capacity: Measured | None
    status: str
    note: str = ""

    @property
    def percent_met(self) -> Decimal | None:
        if self.capacity is None or not self.demand:
            return None
        return (self.capacity.value * 100 / self.demand).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def gap(self) -> Decimal | None:
        """How much more the job asks than the worker did; 0 when the demand is met."""
        if self.capacity is None or self.demand is None:
            return None
        return max(self.demand - self.capacity.value, Decimal(0))

    @property
    def is_load(self) -> bool:
        return self.unit == "kg"

    @property
    def task_level(self) -> DemandLevel | None:
        if not self.is_load or self.task.load_kg is None:
            return None
        return task_level(self.task.load_kg, self.task.frequency)

    @property
    def worker_level(self) -> DemandLevel | None:
        """The level this measured load reaches, read as the worker's occasional maximum."""
        if not self.is_load or self.capacity is None:
            return None
        return dot_worker_level({Frequency.OCCASIONAL: self.capacity.value})

    @property
    def demand_text(self) -> str:
        return _fmt(self.demand, self.unit) if self.demand is not None and self.unit else "—"

    @property
    def capacity_text(self) -> str:
        if self.capacity is None or self.unit is None:
            return NOT_MEASURED
        return _fmt(self.capacity.value, self.unit)

    @property
    def percent_text(self) -> str:
        return "—" if self.percent_met is None else f"{self.percent_met} %"

    @property
    def gap_text(self) -> str:
        gap = self.gap
        if gap is None or self.unit is None:
            return "—"
        return "none" if gap == 0 else _fmt(gap, self.unit)


@dataclass(frozen=True)
class CapacityTable:
    rows: tuple[CapacityRow, ...]
    has_profile: bool
    job_level: DemandLevel | None
    worker_level: DemandLevel | None
    worker_level_from: Measured | None

    @property
    def message(self) -> str:
        if not self.has_profile:
            return "No job profile: link the worker's job-demand profile to compare."
        if not self.rows:
            return "The job profile lists no tasks yet."
        return ""


def _demand(task: DemandTask, unit: str) -> Decimal | None:
    if unit == "kg":
        return task.load_kg
    if unit == "min":
        return Decimal(task.duration_min) if task.duration_min is not None else None
    return task.distance_m


def _row(task: DemandTask, latest: Mapping[str, Measured]) -> CapacityRow:
    measure = MEASURE_FOR_TASK.get(task.task_type)
    if measure is None:
        return CapacityRow(task, None, None, None, NO_MEASURE)
    key, unit = measure
    demand = _demand(task, unit)
    capacity = latest.get(key)
    note = ""
    if task.task_type == "carry" and task.distance_m and "carry_distance_m" in latest:
        measured_over = latest["carry_distance_m"].value
        if measured_over < task.distance_m:
            note = (
                f"Carry measured over {measured_over} m; the job carries over {task.distance_m} m."
            )
    if capacity is None:
        status = NOT_MEASURED
    elif not demand:
        status = NO_DEMAND
    else:
        status = MET if capacity.value >= demand else NOT_MET
    return CapacityRow(task, unit, demand, capacity, status, note)


def capacity_against_demand(
    tasks: Sequence[DemandTask] | None, latest: Mapping[str, Measured]
) -> CapacityTable:
    """``tasks`` is None when the worker has no job profile; ``latest`` maps each measure
    (an Assessment field name) to its latest measured value."""
    if tasks is None:
        return CapacityTable((), False, None, None, None)
    level_from = latest.get(LEVEL_MEASURE)
    return CapacityTable(
        rows=tuple(_row(task, latest) for task in tasks),
        has_profile=True,
        job_level=job_level((t.load_kg, t.frequency) for t in tasks),
        worker_level=(
            dot_worker_level({Frequency.OCCASIONAL: level_from.value}) if level_from else None
        ),
        worker_level_from=level_from,
    )
