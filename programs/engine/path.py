"""Week-by-week load paths toward a target under the cap, the increments and the deload
rhythm. Shared by the projection (rule 9) and the time-contingent quotas (rule 8)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .cap import next_quantity
from .deload import Rhythm, WeekKind, deload_quantity
from .quantities import exact, round_down

MAX_WEEKS = 520  # ten years: beyond that a target is, for planning, out of reach

# (number of the progression week, 1-based) -> the level wanted by then
Aim = Callable[[int], Decimal]


@dataclass(frozen=True)
class PathWeek:
    kind: WeekKind
    quantity: Decimal


@dataclass(frozen=True)
class Path:
    """``weeks`` from the first planned week on; ``reached_after`` is how many of them it
    takes to stand at the target (0: already there), ``None`` if it is never reached."""

    weeks: tuple[PathWeek, ...]
    reached_after: int | None


@dataclass(frozen=True)
class Rules:
    target: Decimal
    cap: Decimal
    increment: Decimal
    deload_every: int


@exact
def fastest(level: Decimal, rhythm: Rhythm, rules: Rules, max_weeks: int = MAX_WEEKS) -> Path:
    """Every progression week takes the largest step the cap and the increment allow."""
    return _walk(level, rhythm, rules, max_weeks, lambda _j: rules.target)


@exact
def linear(level: Decimal, rhythm: Rhythm, rules: Rules, weeks: int) -> Path:
    """Equal steps that reach the target in the last progression week of ``weeks`` (graded
    activity's pre-set quotas), each step still within the cap; it may fall behind where
    the cap binds, and the caller then falls back on the fastest path."""
    progress_weeks = _count_progress(rhythm, rules.deload_every, weeks)
    start = level

    def aim(j: int) -> Decimal:
        if j >= progress_weeks:
            return rules.target
        return round_down(start + (rules.target - start) * j / progress_weeks, rules.increment)

    return _walk(level, rhythm, rules, weeks, aim)


def _walk(level: Decimal, rhythm: Rhythm, rules: Rules, max_weeks: int, aim: Aim) -> Path:
    if level >= rules.target:
        return Path((), 0)
    weeks: list[PathWeek] = []
    progressed = 0
    for _ in range(max_weeks):
        kind = rhythm.next_kind(rules.deload_every)
        rhythm = rhythm.advance(kind)
        if kind is WeekKind.DELOAD:
            weeks.append(PathWeek(kind, deload_quantity(level, rules.increment)))
            continue
        if kind is WeekKind.PROGRESS:
            progressed += 1
            step = next_quantity(level, rules.cap, rules.increment, rules.target)
            if step <= level:  # stuck: no increment fits under the cap
                weeks.append(PathWeek(kind, level))
                return Path(tuple(weeks), None)
            level = min(step, max(level, aim(progressed)))
        weeks.append(PathWeek(kind, level))
        if level >= rules.target:
            return Path(tuple(weeks), len(weeks))
    return Path(tuple(weeks), None)


def _count_progress(rhythm: Rhythm, every: int, weeks: int) -> int:
    count = 0
    for _ in range(weeks):
        kind = rhythm.next_kind(every)
        rhythm = rhythm.advance(kind)
        count += kind is WeekKind.PROGRESS
    return count
