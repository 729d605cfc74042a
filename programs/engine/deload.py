"""Deloads (DESIGN.md rule 4): the rhythm, the symptom triggers and the deload values."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from .enums import Decision, ReasonCode
from .history import Dose
from .quantities import exact, round_down, scale_sets
from .types import Reason, WeekRecord

DELOAD_SETS = Decimal("0.6")
DELOAD_QUANTITY = Decimal("0.9")
SYMPTOM_DELOAD_FROM = 7


class WeekKind(StrEnum):
    PROGRESS = "progress"
    DELOAD = "deload"
    RESUME = "resume"


@dataclass(frozen=True)
class Rhythm:
    """Where the worker is in the deload rhythm.

    ``since_deload`` counts loading weeks since the last deload (or since the start or a
    break); the week after a deload resumes at the pre-deload base without an increase.
    With a deload every 2nd week that would leave no week to progress in, so after a deload
    at least one progression week comes before the next rhythm deload (our choice: DESIGN.md
    allows a rhythm of 2 but also says progression restarts the week after the resume).
    """

    since_deload: int = 0
    after_deload: bool = False
    had_deload: bool = False

    def next_kind(self, every: int) -> WeekKind:
        needed = max(every - 1, 2) if self.had_deload else every - 1
        if self.since_deload >= needed:
            return WeekKind.DELOAD
        if self.after_deload:
            return WeekKind.RESUME
        return WeekKind.PROGRESS

    def advance(self, kind: WeekKind) -> "Rhythm":
        if kind is WeekKind.DELOAD:
            return Rhythm(0, after_deload=True, had_deload=True)
        return Rhythm(self.since_deload + 1, after_deload=False, had_deload=self.had_deload)


def rhythm_from_history(history: tuple[WeekRecord, ...]) -> Rhythm:
    """Count the trailing loading weeks. A week with no sessions, or a week never recorded,
    is rest and restarts the count (our choice: two weeks off are a deload and more)."""
    count = 0
    for index in range(len(history) - 1, -1, -1):
        week = history[index]
        if week.decision is Decision.DELOAD:
            return Rhythm(count, after_deload=count == 0, had_deload=True)
        if not week.sessions:
            break
        count += 1
        if index and week.start - history[index - 1].start >= timedelta(days=14):
            break
    return Rhythm(count)


@exact
def deload_quantity(quantity: Decimal, increment: Decimal) -> Decimal:
    """quantity x 0.9 rounded down to the increment. Where that would round to nothing the
    quantity stays (a deload is lighter work, not a stop; the sets carry the reduction)."""
    lowered = round_down(quantity * DELOAD_QUANTITY, increment)
    return quantity if lowered == 0 else lowered


def deload_dose(dose: Dose, increment: Decimal) -> Dose:
    """Sets x 0.6 rounded (at least 1), same reps, quantity x 0.9 rounded down."""
    return Dose(
        sets=scale_sets(dose.sets, DELOAD_SETS),
        reps=dose.reps,
        quantity=deload_quantity(dose.quantity, increment),
    )


def symptom_reasons(week: WeekRecord) -> tuple[Reason, ...]:
    """Soreness or fatigue of 7/10 or more in any session of the week."""
    reasons: list[Reason] = []
    soreness = max((s.soreness for s in week.sessions), default=0)
    fatigue = max((s.fatigue for s in week.sessions), default=0)
    if soreness >= SYMPTOM_DELOAD_FROM:
        reasons.append(
            Reason(
                ReasonCode.DELOAD_SORENESS,
                f"deload: soreness {soreness}/10 is {SYMPTOM_DELOAD_FROM}/10 or more",
            )
        )
    if fatigue >= SYMPTOM_DELOAD_FROM:
        reasons.append(
            Reason(
                ReasonCode.DELOAD_FATIGUE,
                f"deload: fatigue {fatigue}/10 is {SYMPTOM_DELOAD_FROM}/10 or more",
            )
        )
    return tuple(reasons)
