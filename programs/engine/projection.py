"""Projection (DESIGN.md rule 9): the earliest week each job demand can be met, and so the
earliest full-duty date, from the current values under the cap, the increments (rounded
down), the target clamp and the deload rhythm. A what-if is the same call with another cap."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from .deload import Rhythm, rhythm_from_history
from .history import base_for
from .path import Rules, fastest
from .quantities import exact
from .types import Prescription, Settings, WeekRecord
from .validate import check_date, check_tuple

WHAT_IF_CAPS = (
    Decimal("0.10"),
    Decimal("0.125"),
    Decimal("0.15"),
    Decimal("0.175"),
    Decimal("0.20"),
)


@dataclass(frozen=True)
class ItemProjection:
    """``weeks_needed`` counts planned weeks from ``today`` (0: the target is already met);
    ``date`` is the start of the week the target is first prescribed."""

    key: str
    weeks_needed: int | None
    date: date | None
    reachable: bool


@dataclass(frozen=True)
class Projection:
    cap: Decimal
    items: tuple[ItemProjection, ...]
    full_duty_date: date | None


@exact
def project(
    prescriptions: tuple[Prescription, ...],
    settings: Settings,
    today: date,
    *,
    history: tuple[WeekRecord, ...] = (),
) -> Projection:
    """Project every prescription that has a target (a job demand); ``today`` is the first
    day of the next week to plan. With ``history`` the projection starts from each item's
    base (a deload week's lighter values are not its current capacity) and from where the
    worker is in the deload rhythm; without it, from the prescriptions' values and a fresh
    rhythm. The full-duty date is the latest of the items' dates, ``None`` if any is
    unreachable under the cap (or no item has a target)."""
    check_date(today, "today")
    check_tuple(prescriptions, "prescriptions")
    check_tuple(history, "history")
    rhythm = rhythm_from_history(history) if history else Rhythm()
    items = tuple(
        _project_item(p, p.target, settings, today, history, rhythm)
        for p in prescriptions
        if p.target is not None
    )
    dates = [item.date for item in items]
    full_duty = None
    if items and all(item.reachable for item in items):
        full_duty = max(d for d in dates if d is not None)
    return Projection(settings.cap, items, full_duty)


def what_if(
    prescriptions: tuple[Prescription, ...],
    settings: Settings,
    today: date,
    *,
    history: tuple[WeekRecord, ...] = (),
    caps: tuple[Decimal, ...] = WHAT_IF_CAPS,
) -> tuple[Projection, ...]:
    """The projection under each cap in ``caps`` (each must be within 10-20 %)."""
    return tuple(
        project(prescriptions, replace(settings, cap=cap), today, history=history) for cap in caps
    )


def _project_item(
    prescription: Prescription,
    target: Decimal,
    settings: Settings,
    today: date,
    history: tuple[WeekRecord, ...],
    rhythm: Rhythm,
) -> ItemProjection:
    base = base_for(history, prescription.key, settings.baseline_morning_pain)
    level = base.dose.quantity if base is not None else prescription.quantity
    rules = Rules(target, settings.cap, prescription.increment, settings.deload_every)
    path = fastest(level, rhythm, rules)
    weeks = path.reached_after
    if weeks is None:
        return ItemProjection(prescription.key, None, None, reachable=False)
    when = today + timedelta(days=7 * max(0, weeks - 1))
    return ItemProjection(prescription.key, weeks, when, reachable=True)
