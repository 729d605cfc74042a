"""The employer's view of a worker as frozen dataclasses of plain values: the allowlist.

Nothing here holds a model instance, so a template given these can reach no field that is
not listed. ``WorkerSnapshot.to_json``/``from_json`` store and restore one for a report;
decoding keeps only the declared fields.
"""

import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from assessments.capacity import MET, NOT_MEASURED, NOT_MET
from assessments.summary import day_text
from programs.models import ProgramStatus
from programs.rtw_share import RtwShare, ScheduleStep
from programs.rules import fmt

# A program's status in the words an employer reads. Paused and suspended read the same:
# the employer learns that a clinician is reviewing, never why or how serious it is.
STATUS_WORDS = {
    ProgramStatus.DRAFT: "starting soon",
    ProgramStatus.ACTIVE: "on track",
    ProgramStatus.PAUSED: "paused for clinical review",
    ProgramStatus.SUSPENDED: "paused for clinical review",
    ProgramStatus.COMPLETED: "program completed",
    ProgramStatus.WITHDRAWN: "program ended",
}
NO_PROGRAM = "not started yet"
STATUS_BADGES = {"on track": "badge-ok", "paused for clinical review": "badge-wait"}
SCOPE_LABELS = {
    "status": "progress and phase",
    "capacity": "capacity against the job's demands",
    "restrictions": "restrictions, return schedule and projected full-duty date",
    "reports": "progress reports",
}


@dataclass(frozen=True)
class Scope:
    status: bool
    capacity: bool
    restrictions: bool
    reports: bool


@dataclass(frozen=True)
class DemandLine:
    """One job demand against what the worker last did."""

    task: str
    description: str
    frequency: str
    demand: str
    capacity: str
    percent: int | None
    met: str  # met / not met / not measured / demand not specified
    measured_on: date | None
    note: str = ""

    @property
    def percent_text(self) -> str:
        return "—" if self.percent is None else f"{self.percent} %"

    @property
    def is_met(self) -> bool:
        return self.met == MET


@dataclass(frozen=True)
class LiftSeries:
    label: str
    points: tuple[tuple[date, Decimal], ...]
    demand: Decimal | None


@dataclass(frozen=True)
class Attendance:
    attended: int
    planned: int
    weeks: int
    since: date
    until: date

    @property
    def text(self) -> str:
        if not self.planned:
            return "no completed program weeks in this period"
        share = round(100 * self.attended / self.planned)
        weeks = f"{self.weeks} week{'s' if self.weeks != 1 else ''}"
        return f"{self.attended} of {self.planned} planned sessions ({share} %) over {weeks}"


@dataclass(frozen=True)
class SharedReport:
    uuid: UUID
    number: int
    period_from: date
    period_to: date
    rendered_at: datetime | None


@dataclass(frozen=True)
class WorkerSnapshot:
    uuid: UUID
    name: str
    job_role: str
    employer: str
    clinician: str
    registration_number: str
    scope: Scope
    as_of: date
    status: str | None = None
    phase: str | None = None
    attendance: Attendance | None = None
    next_review: date | None = None
    job_level: str | None = None
    demands: tuple[DemandLine, ...] | None = None
    demands_message: str = ""
    lifts: tuple[LiftSeries, ...] | None = None
    plan: RtwShare | None = None
    full_duty_date: date | None = None
    full_duty_text: str = ""
    reports: tuple[SharedReport, ...] = ()

    @property
    def status_badge(self) -> str:
        """A CSS class of static/css/app.css for the status words."""
        return STATUS_BADGES.get(self.status or "", "badge-off")

    @property
    def shared_parts(self) -> list[str]:
        return [label for name, label in SCOPE_LABELS.items() if getattr(self.scope, name)]

    @property
    def demands_summary(self) -> str:
        # Demands the job states and a measure exists for; the rest cannot be "met" or not.
        judged = [line for line in self.demands or () if line.met in (MET, NOT_MET, NOT_MEASURED)]
        if not judged:
            return "—"
        met = sum(1 for line in judged if line.is_met)
        return f"{met} of {len(judged)} job demand{'s' if len(judged) != 1 else ''} met"

    @property
    def has_data(self) -> bool:
        """Anything to report beyond the worker's name: a program, a measure, or a plan."""
        measured = any(line.measured_on for line in self.demands or ())
        return bool(self.phase or measured or self.plan or self.status not in (None, NO_PROGRAM))

    @property
    def plan_week(self) -> int | None:
        """Which week of the graded return the snapshot's day falls in, once agreed."""
        starts = self.plan.starts_on if self.plan else None
        if starts is None or self.as_of < starts:
            return None
        return (self.as_of - starts).days // 7 + 1

    @property
    def current_step(self) -> ScheduleStep | None:
        week = self.plan_week
        if week is None or self.plan is None:
            return None
        return next((s for s in self.plan.schedule if s.week_from <= week <= s.week_to), None)

    @property
    def lift_summary(self) -> str:
        return lift_summary(self.lifts or ())

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _encode(self)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "WorkerSnapshot":
        snapshot: WorkerSnapshot = _decode(cls, data)
        return snapshot


def lift_summary(lifts: Sequence[LiftSeries]) -> str:
    sentences = []
    for lift in lifts:
        demand = f" Job demand {fmt(lift.demand)} kg." if lift.demand is not None else ""
        if not lift.points:
            sentences.append(f"{lift.label}: not measured yet.{demand}")
            continue
        (first_day, first), (last_day, last) = lift.points[0], lift.points[-1]
        if len(lift.points) == 1:
            sentences.append(f"{lift.label}: {fmt(last)} kg on {day_text(last_day)}.{demand}")
        else:
            sentences.append(
                f"{lift.label}: from {fmt(first)} kg on {day_text(first_day)} to {fmt(last)} kg "
                f"on {day_text(last_day)}.{demand}"
            )
    return " ".join(sentences)


# --- JSON, for the report's stored snapshot ---------------------------------------------


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _decode(tp: Any, value: Any) -> Any:
    """``value`` (from ``_encode``) back into type ``tp``; keys not declared are dropped."""
    if value is None:
        return None
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return _decode(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type) and is_dataclass(tp):
        hints = get_type_hints(tp)
        known = {f.name for f in fields(tp) if f.name in value}
        return tp(**{name: _decode(hints[name], value[name]) for name in known})
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp in (Decimal, UUID):
        return tp(value)
    return value
