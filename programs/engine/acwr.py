"""Acute:chronic workload ratio (DESIGN.md rule 10), exponentially weighted moving averages
(Williams et al. 2017): EWMA_today = load_today x λ + EWMA_yesterday x (1 - λ), λ = 2/(N+1)
with N = 7 (acute) and 28 (chronic). Days without a logged load count as zero. Both averages
are seeded with the first day's load (the usual convention, as in pandas ``adjust=False``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .enums import AcwrStatus
from .errors import DateOrderError
from .quantities import CONTEXT, ONE, ZERO, exact, fmt
from .validate import check_date, check_decimal

METHOD = "EWMA, 7-day acute / 28-day chronic"
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
HIGH_ABOVE = Decimal("1.3")
HOLD_FROM = Decimal("1.5")
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Acwr:
    """``ratio`` is rounded to two places and the status is judged on that shown value."""

    ratio: Decimal | None
    method: str
    status: AcwrStatus
    text: str
    acute: Decimal | None = None
    chronic: Decimal | None = None


@dataclass(frozen=True)
class Load:
    """Both averages as of ``through``, the last day folded in, from loads starting on
    ``first``. Continuing from here gives exactly the values the whole series gives."""

    first: date
    through: date
    acute: Decimal
    chronic: Decimal


_ACUTE_WEIGHT = CONTEXT.divide(Decimal(2), Decimal(ACUTE_DAYS + 1))
_CHRONIC_WEIGHT = CONTEXT.divide(Decimal(2), Decimal(CHRONIC_DAYS + 1))


@exact
def advance(state: Load | None, daily_loads: Mapping[date, Decimal], through: date) -> Load | None:
    """``state`` moved on day by day to ``through``; ``daily_loads`` must all fall after
    ``state.through`` and on or before ``through``. No load yet: nothing to average."""
    if state is None:
        if not daily_loads:
            return None
        first = min(daily_loads)
        state = Load(first, first, daily_loads[first], daily_loads[first])
    acute, chronic = state.acute, state.chronic
    day = state.through
    while day < through:
        day += timedelta(days=1)
        load = daily_loads.get(day, ZERO)
        acute = load * _ACUTE_WEIGHT + acute * (ONE - _ACUTE_WEIGHT)
        chronic = load * _CHRONIC_WEIGHT + chronic * (ONE - _CHRONIC_WEIGHT)
    return Load(state.first, day, acute, chronic)


@exact
def acwr(daily_loads: Mapping[date, Decimal], today: date) -> Acwr:
    check_date(today, "today")
    for day, load in daily_loads.items():
        check_date(day, "daily_loads")
        check_decimal(load, f"daily_loads[{day}]", hi=None)
        if day > today:
            raise DateOrderError(f"daily_loads[{day}]", f"{day} is after today ({today})")
    if not daily_loads:
        return ratio_on(None, today)
    return ratio_on(advance(None, daily_loads, min(daily_loads)), today, daily_loads)


@exact
def ratio_on(state: Load | None, today: date, later: Mapping[date, Decimal] | None = None) -> Acwr:
    """The ratio on ``today`` from ``state`` and the loads logged after it (none: zero)."""
    if state is None:
        return _insufficient("no load logged yet")
    days = (today - state.first).days + 1
    if days < CHRONIC_DAYS:
        return _insufficient(f"{days} of {CHRONIC_DAYS} days of history")
    final = advance(state, later or {}, today) or state  # a state moved on is a state
    if final.chronic == 0:
        return _insufficient("no chronic load to compare with")
    ratio = (final.acute / final.chronic).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    shown = f"ACWR {fmt(ratio)} ({METHOD})"
    if ratio >= HOLD_FROM:
        status = AcwrStatus.HOLD
        text = f"{shown}: 1.5 or more, the next automatic increase waits for a clinician"
    elif ratio > HIGH_ABOVE:
        status, text = AcwrStatus.HIGH, f"{shown}: above 1.3, watch the load"
    else:
        status, text = AcwrStatus.OK, f"{shown}: within range"
    return Acwr(ratio, METHOD, status, text, final.acute, final.chronic)


def _insufficient(why: str) -> Acwr:
    return Acwr(
        None, METHOD, AcwrStatus.INSUFFICIENT_DATA, f"ACWR ({METHOD}): insufficient data, {why}"
    )
