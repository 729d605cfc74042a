"""US DOT physical demand levels (strength ratings), as tabled in DESIGN.md.

Pure Python, no Django: loads are Decimal kilograms in, levels out. Comparisons are
made in pounds, the unit the DOT limits are defined in, without rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum
from typing import NamedTuple

KG_TO_LB = Decimal("2.20462262")
# A limit typed in kg (22.68 kg for 50 lb) lands a hair over it after conversion;
# DESIGN.md allows 0.01 lb so such a limit is not pushed into the next level.
TOLERANCE_LB = Decimal("0.01")
NEGLIGIBLE = Decimal(0)

_TENTH = Decimal("0.1")


class DemandLevel(IntEnum):
    SEDENTARY = 1
    LIGHT = 2
    MEDIUM = 3
    HEAVY = 4
    VERY_HEAVY = 5

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


class Frequency(StrEnum):
    OCCASIONAL = "occasional"
    FREQUENT = "frequent"
    CONSTANT = "constant"

    @property
    def label(self) -> str:
        return _FREQUENCY_LABELS[self]


_FREQUENCY_LABELS = {
    Frequency.OCCASIONAL: "Occasional (≤ 1/3 of the shift)",
    Frequency.FREQUENT: "Frequent (1/3-2/3 of the shift)",
    Frequency.CONSTANT: "Constant (≥ 2/3 of the shift)",
}

# Upper limits in lb per level and frequency; very heavy is anything above heavy.
LIMITS_LB: Mapping[DemandLevel, Mapping[Frequency, Decimal]] = {
    DemandLevel.SEDENTARY: {
        Frequency.OCCASIONAL: Decimal(10),
        Frequency.FREQUENT: NEGLIGIBLE,
        Frequency.CONSTANT: NEGLIGIBLE,
    },
    DemandLevel.LIGHT: {
        Frequency.OCCASIONAL: Decimal(20),
        Frequency.FREQUENT: Decimal(10),
        Frequency.CONSTANT: NEGLIGIBLE,
    },
    DemandLevel.MEDIUM: {
        Frequency.OCCASIONAL: Decimal(50),
        Frequency.FREQUENT: Decimal(25),
        Frequency.CONSTANT: Decimal(10),
    },
    DemandLevel.HEAVY: {
        Frequency.OCCASIONAL: Decimal(100),
        Frequency.FREQUENT: Decimal(50),
        Frequency.CONSTANT: Decimal(20),
    },
}


class TaskLoad(NamedTuple):
    load_kg: Decimal | None
    frequency: Frequency | str


def kg_to_lb(kg: Decimal) -> Decimal:
    return kg * KG_TO_LB


def lb_to_kg(lb: Decimal) -> Decimal:
    return lb / KG_TO_LB


def _load_lb(load_kg: Decimal | None) -> Decimal:
    # A task with no load (sustained standing, sitting, walking) is rated on load
    # only, so it is sedentary. The DOT also rates a job "light" when it needs
    # walking or standing to a significant degree; that judgement is not made here.
    if load_kg is None:
        return NEGLIGIBLE
    if load_kg < 0:
        raise ValueError(f"a load cannot be negative: {load_kg} kg")
    return kg_to_lb(load_kg)


def _within(load_lb: Decimal, limit_lb: Decimal) -> bool:
    # "Negligible" is zero: any load at all exceeds it, with no tolerance.
    if limit_lb == NEGLIGIBLE:
        return load_lb == NEGLIGIBLE
    return load_lb <= limit_lb + TOLERANCE_LB


def task_level(load_kg: Decimal | None, frequency: Frequency | str) -> DemandLevel:
    """The lowest level whose limit for this frequency holds the load."""
    freq = Frequency(frequency)
    load_lb = _load_lb(load_kg)
    for level, limits in LIMITS_LB.items():
        if _within(load_lb, limits[freq]):
            return level
    return DemandLevel.VERY_HEAVY


def job_level(tasks: Iterable[tuple[Decimal | None, Frequency | str]]) -> DemandLevel | None:
    """The highest task level; None for a job with no tasks."""
    levels = [task_level(load, frequency) for load, frequency in tasks]
    return max(levels, default=None)


def _level_met(capacity_lb: Decimal, frequency: Frequency) -> DemandLevel:
    heavy_limit = LIMITS_LB[DemandLevel.HEAVY][frequency]
    if capacity_lb > heavy_limit + TOLERANCE_LB:
        return DemandLevel.VERY_HEAVY
    met = [
        level
        for level, limits in LIMITS_LB.items()
        if capacity_lb + TOLERANCE_LB >= limits[frequency]
    ]
    # Below the sedentary limit (10 lb occasionally) there is no lower DOT level;
    # the per-task "% of demand met" shows how far short the worker is.
    return max(met, default=DemandLevel.SEDENTARY)


def worker_level(capacity_kg: Mapping[Frequency | str, Decimal]) -> DemandLevel | None:
    """The highest level whose every limit the worker's measured capacity reaches.

    A measured maximum lift is occasional capacity and must be present (None
    otherwise: not measured). Frequent and constant capacity, when not measured, are
    taken as 1/2 and 1/5 of it. The DOT table's frequent limits are half its
    occasional ones and its constant limits at most a fifth, so derived values never
    lower the level and need no evaluating; measured ones can lower it.
    The level is conservative: a worker who lifts 40 lb occasionally is "light",
    because a medium job may ask for 50 lb.
    """
    by_frequency = {Frequency(freq): _load_lb(kg) for freq, kg in capacity_kg.items()}
    if Frequency.OCCASIONAL not in by_frequency:
        return None
    return min(_level_met(lb, freq) for freq, lb in by_frequency.items())


def format_kg_lb(kg: Decimal) -> str:
    """'22.7 kg (50.0 lb)': both units to one decimal, rounded half up."""
    kg_shown = kg.quantize(_TENTH, ROUND_HALF_UP)
    lb_shown = kg_to_lb(kg).quantize(_TENTH, ROUND_HALF_UP)
    return f"{kg_shown} kg ({lb_shown} lb)"
