"""The clinical part of the patient page: flags, timeline, scores, capacity, charts.

Three queries whatever the number of assessments: the assessments (with their
assessors), their questionnaires, and the job profile's tasks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from assessments.capacity import CapacityTable, capacity_against_demand
from assessments.models import Assessment
from assessments.scoring.red_flags import Tier
from assessments.summary import (
    FlagView,
    ScoreLine,
    day_text,
    demand_tasks,
    flag_view,
    latest_measures,
    latest_score_lines,
)
from assessments.values import plain
from patients.models import JobTask, Patient, TaskType
from rtw import chart_cache, charts

LIFTS = (
    (TaskType.LIFT_FLOOR_TO_WAIST, "lift_floor_to_waist_kg"),
    (TaskType.LIFT_WAIST_TO_SHOULDER, "lift_waist_to_shoulder_kg"),
    (TaskType.LIFT_OVERHEAD, "lift_overhead_kg"),
)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Panel:
    patient: Patient
    history: tuple[Assessment, ...]  # oldest first
    flag: FlagView | None
    scores: tuple[ScoreLine, ...]
    capacity: CapacityTable
    charts: tuple[Chart, ...]

    @property
    def timeline(self) -> tuple[Assessment, ...]:
        return tuple(reversed(self.history))

    @property
    def latest(self) -> Assessment | None:
        return self.history[-1] if self.history else None


def history_of(patient: Patient) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(patient=patient)
        .select_related("assessor")
        .prefetch_related("questionnaires")
        .order_by("assessed_on", "id")
    )


def job_tasks_of(patient: Patient) -> list[JobTask] | None:
    """The tasks of the patient's job profile; None when they have no profile."""
    if patient.job_profile_id is None:
        return None
    return list(JobTask.objects.filter(profile_id=patient.job_profile_id).order_by("order", "id"))


def capacity_table(history: Sequence[Assessment], tasks: list[JobTask] | None) -> CapacityTable:
    return capacity_against_demand(
        demand_tasks(tasks) if tasks is not None else None, latest_measures(history)
    )


def _trend(name: str, unit: str, points: Sequence[tuple[Any, Decimal]]) -> str:
    (first_day, first), (last_day, last) = points[0], points[-1]
    if len(points) == 1:
        return f"{name}: {plain(first)}{unit} on {day_text(first_day)} (one assessment so far)."
    return (
        f"{name}: from {plain(first)}{unit} on {day_text(first_day)} to {plain(last)}{unit} on "
        f"{day_text(last_day)}, over {len(points)} assessments."
    )


def _pain_chart(history: Sequence[Assessment]) -> Chart | None:
    points = [(a.assessed_on, Decimal(a.nprs)) for a in history if a.nprs is not None]
    if not points:
        return None
    summary = _trend("Pain (NPRS)", "/10", points)
    return Chart(
        "pain",
        "Pain (NPRS 0–10)",
        chart_cache.svg(charts.pain_chart, points, description=summary),
        summary,
        ("Date", "Pain now (NPRS)"),
        tuple((day_text(d), plain(v)) for d, v in points),
    )


def _odi_chart(history: Sequence[Assessment]) -> Chart | None:
    points = [
        (a.assessed_on, row.score)
        for a in history
        for row in a.questionnaires.all()
        if row.instrument == "odi" and row.score is not None
    ]
    if not points:
        return None
    summary = _trend("Oswestry Disability Index", " %", points)
    return Chart(
        "odi",
        "Oswestry Disability Index (%)",
        chart_cache.svg(charts.odi_chart, points, description=summary),
        summary,
        ("Date", "ODI %"),
        tuple((day_text(d), plain(v)) for d, v in points),
    )


def _lift_chart(history: Sequence[Assessment], tasks: list[JobTask] | None) -> Chart | None:
    lifts = []
    for task_type, field in LIFTS:
        points = [(a.assessed_on, getattr(a, field)) for a in history if getattr(a, field)]
        loads = [t.load_kg for t in tasks or () if t.task_type == task_type and t.load_kg]
        demand = max(loads) if loads else None
        if points or demand is not None:
            lifts.append((str(task_type.label), points, demand))
    if not any(points for _, points, _ in lifts):
        return None
    sentences = [
        _trend(label, " kg", points) + (f" Job demand {plain(demand)} kg." if demand else "")
        for label, points, demand in lifts
        if points
    ]
    sentences += [
        f"{label}: not measured; job demand {plain(demand)} kg."
        for label, points, demand in lifts
        if not points and demand is not None
    ]
    summary = " ".join(sentences)
    measured = [(label, dict(points)) for label, points, _ in lifts if points]
    days = sorted({d for _, by_day in measured for d in by_day})
    return Chart(
        "lift",
        "Lift capacity against the job demand (kg)",
        chart_cache.svg(charts.lift_chart, lifts, description=summary),
        summary,
        ("Date", *(f"{label} (kg)" for label, _ in measured)),
        tuple(
            (day_text(d), *(plain(by_day[d]) if d in by_day else "—" for _, by_day in measured))
            for d in days
        ),
    )


def _banner(patient: Patient, latest: Assessment | None) -> FlagView | None:
    """The patient's current flag (the denormalised field is the truth) with its detail."""
    if not patient.red_flag_tier:
        return None
    if latest is not None and latest.red_flag_tier == patient.red_flag_tier:
        return flag_view(latest)
    tier = Tier[patient.red_flag_tier.upper()]
    return FlagView(tier, (), patient.red_flag_since or (latest.assessed_on if latest else None))


def build_panel(patient: Patient) -> Panel:
    history = tuple(history_of(patient))
    tasks = job_tasks_of(patient)
    found = (_pain_chart(history), _odi_chart(history), _lift_chart(history, tasks))
    return Panel(
        patient=patient,
        history=history,
        flag=_banner(patient, history[-1] if history else None),
        scores=tuple(latest_score_lines(history)),
        capacity=capacity_table(history, tasks),
        charts=tuple(chart for chart in found if chart is not None),
    )


def patient_panel_context(patient: Patient) -> dict[str, Any]:
    """Merged into the patient page's context; the template reads ``assessment_panel``."""
    return {"assessment_panel": build_panel(patient)}
