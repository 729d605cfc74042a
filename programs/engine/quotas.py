"""Time-contingent quotas (graded activity, DESIGN.md rule 8): week 1 at 70 % of the
baseline, then pre-set steps that reach the target by the chosen date, never faster than
the cap allows; deload weeks follow the same rhythm as in pain-contingent mode."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .deload import Rhythm, WeekKind
from .errors import DeloadRhythmError
from .path import Path, Rules, fastest, linear
from .quantities import exact, fmt, pct, round_down
from .validate import check_cap, check_date, check_decimal, check_increment, check_int

FIRST_WEEK_SHARE = Decimal("0.7")


@dataclass(frozen=True)
class Quota:
    week_start: date
    quantity: Decimal
    is_deload: bool


@dataclass(frozen=True)
class Quotas:
    """``weeks`` run from week 1 to the week the target is first reached. When the chosen
    date cannot be met they are the fastest schedule the cap allows. ``earliest_feasible_date``
    is the week the fastest schedule would reach the target (whatever the chosen date), and
    ``None`` only when no increment fits under the cap at all."""

    weeks: tuple[Quota, ...]
    feasible: bool
    earliest_feasible_date: date | None
    message: str


@dataclass(frozen=True)
class Schedule:
    path: Path
    feasible: bool
    earliest: date | None


@exact
def time_contingent_quotas(
    baseline: Decimal,
    target: Decimal,
    start: date,
    target_date: date,
    cap: Decimal,
    increment: Decimal,
    deload_every: int,
) -> Quotas:
    check_decimal(baseline, "baseline")
    check_decimal(target, "target", positive=True)
    check_date(start, "start")
    check_date(target_date, "target_date")
    check_cap(cap)
    check_increment(increment)
    check_int(deload_every, "deload_every", 2, 8, DeloadRhythmError)
    rules = Rules(target, cap, increment, deload_every)
    first = min(target, round_down(baseline * FIRST_WEEK_SHARE, increment))
    rest = schedule(first, rules, start + timedelta(days=7), target_date, Rhythm(1))
    weeks = (
        Quota(start, first, False),
        *(
            Quota(start + timedelta(days=7 * (n + 1)), w.quantity, w.kind is WeekKind.DELOAD)
            for n, w in enumerate(rest.path.weeks)
        ),
    )
    earliest = start if first >= target else rest.earliest
    feasible = rest.feasible and start <= target_date
    message = _message(first, rules, target_date, weeks[-1].week_start, feasible, earliest)
    return Quotas(weeks, feasible, earliest, message)


def schedule(
    level: Decimal, rules: Rules, first_start: date, target_date: date, rhythm: Rhythm
) -> Schedule:
    """The pre-set path from ``level`` for the weeks starting at ``first_start``: equal steps
    to the target by ``target_date`` where the cap allows, else the fastest path."""
    available = max(0, (target_date - first_start).days // 7 + 1)
    quick = fastest(level, rhythm, rules)
    if quick.reached_after is None:
        return Schedule(quick, False, None)
    earliest = first_start + timedelta(days=7 * max(0, quick.reached_after - 1))
    if quick.reached_after > available:
        return Schedule(quick, False, earliest)
    even = linear(level, rhythm, rules, available)
    chosen = even if even.reached_after is not None else quick
    return Schedule(chosen, True, earliest)


def _message(
    first: Decimal,
    rules: Rules,
    target_date: date,
    reached: date,
    feasible: bool,
    earliest: date | None,
) -> str:
    head = f"week 1 at {fmt(first)} (70 % of the baseline), target {fmt(rules.target)}"
    if feasible:
        return (
            f"{head}: reached in the week of {reached}, by {target_date}, within the "
            f"{pct(rules.cap)} cap (the earliest feasible date is {earliest})"
        )
    if earliest is None:
        return (
            f"{head}: cannot be reached under the {pct(rules.cap)} cap with steps of "
            f"{fmt(rules.increment)}; use a smaller increment"
        )
    return (
        f"{head}: {target_date} cannot be met under the {pct(rules.cap)} cap; "
        f"the earliest feasible date is {earliest}"
    )
