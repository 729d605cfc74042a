"""The history as planning reads it: the last recorded week, whole, and a running summary
(a *carry*) of every week before it.

Each field of a :class:`Carry` is what one whole-history scan gives - the base and the
last tolerated values of each item (``history.base_for``, ``history.last_tolerated``), the
deload rhythm (``deload.rhythm_from_history``), the trailing weeks without sessions, the
week pain is compared with, the red flags of the sessions, the workload averages (``acwr``)
- and :func:`fold` moves every one of them on by one week. ``plan_next_week`` always plans
from a :class:`Past`, so a plan from a stored carry and the last week is the plan the whole
history gives; the weekly batch relies on this to read one week per program, not all.

A carry depends on the worker's baseline next-morning pain (it says which weeks were
tolerated), so it holds the baseline it was folded with and is refused under another.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .acwr import Acwr, Load, advance, ratio_on
from .deload import Rhythm
from .enums import Decision, RedFlagTier
from .errors import DateOrderError, InvalidValueError
from .gate import GateResult, Outcome, judge
from .history import (
    UNCONTROLLED_PAIN,
    Comparable,
    Dose,
    all_completed,
    completed,
    daily_loads,
    is_tolerated,
    rest_pain,
)
from .quantities import exact
from .redflags import Flag
from .types import PlannedItem, RedFlagState, WeekRecord
from .validate import check_int, check_score

TWO_WEEKS = timedelta(days=14)


def _frozen() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Carry:
    """Everything planning needs from the weeks folded so far (see the module's text)."""

    baseline: int
    weeks: int = 0
    first_start: date | None = None
    last_start: date | None = None
    last_decision: Decision | None = None
    last_had_sessions: bool = False
    last_outcome: Outcome | None = None  # the gate's verdict on the last folded week
    comparable: Comparable | None = None
    rhythm: Rhythm = field(default_factory=Rhythm)
    empty_tail: int = 0
    bases: Mapping[str, Dose] = field(default_factory=_frozen)
    tolerated: Mapping[str, Dose] = field(default_factory=_frozen)
    planned: Mapping[str, PlannedItem] = field(default_factory=_frozen)
    flags: tuple[Flag, ...] = ()
    load: Load | None = None

    def __post_init__(self) -> None:
        check_score(self.baseline, "carry.baseline")
        check_int(self.weeks, "carry.weeks", 0, 10_000)
        if (self.weeks == 0) != (self.last_start is None):
            raise InvalidValueError("carry.last_start", "is set exactly when weeks were folded")


class _Folding:
    """A carry being folded, week by week in place. The gate's verdict on the last week and
    the workload averages over all the new days are worked out once, when it is frozen."""

    def __init__(self, carry: Carry) -> None:
        self.carry = carry
        self.last: WeekRecord | None = None
        self.weeks, self.first_start, self.last_start = (
            carry.weeks,
            carry.first_start,
            carry.last_start,
        )
        self.comparable = self.comparable_before_last = carry.comparable
        self.rhythm, self.empty_tail = carry.rhythm, carry.empty_tail
        self.bases, self.tolerated = dict(carry.bases), dict(carry.tolerated)
        self.planned = dict(carry.planned)
        self.flags = list(carry.flags)
        self.days: dict[date, Decimal] = {}

    def add(self, week: WeekRecord) -> "_Folding":
        last_start = self.last_start
        if last_start is not None and week.start < last_start + timedelta(days=7):
            raise DateOrderError(
                "history", f"week {week.start} starts less than 7 days after week {last_start}"
            )
        if is_tolerated(week, self.carry.baseline):
            for key, dose in all_completed(week).items():
                self.tolerated[key] = dose
                if week.decision is not Decision.DELOAD:
                    self.bases[key] = dose
        self.days.update(daily_loads((week,)))  # weeks never overlap, nor do their days
        self.flags.extend(session_flags(week))
        self.planned.update((p.key, p) for p in week.planned)
        self.rhythm = next_rhythm(self.rhythm, last_start, week)
        self.comparable_before_last = self.comparable
        self.comparable = Comparable.of(week) or self.comparable
        self.empty_tail = 0 if week.sessions else self.empty_tail + 1
        self.weeks += 1
        self.first_start = self.first_start or week.start
        self.last_start = week.start
        self.last = week
        return self

    @exact
    def freeze(self) -> Carry:
        last, carry = self.last, self.carry
        if last is None:
            return carry
        load = carry.load
        if self.days:
            load = advance(load, self.days, max(self.days))
        return Carry(
            baseline=carry.baseline,
            weeks=self.weeks,
            first_start=self.first_start,
            last_start=self.last_start,
            last_decision=last.decision,
            last_had_sessions=bool(last.sessions),
            last_outcome=judge(last, self.comparable_before_last, carry.baseline).outcome,
            comparable=self.comparable,
            rhythm=self.rhythm,
            empty_tail=self.empty_tail,
            bases=MappingProxyType(self.bases),
            tolerated=MappingProxyType(self.tolerated),
            planned=MappingProxyType(self.planned),
            flags=tuple(self.flags),
            load=load,
        )


def fold(carry: Carry, week: WeekRecord) -> Carry:
    """``carry`` with ``week`` folded in: the carry of the history one week longer."""
    return _Folding(carry).add(week).freeze()


def carry_of(history: tuple[WeekRecord, ...], baseline: int) -> Carry:
    folding = _Folding(Carry(baseline))
    for week in history:
        folding.add(week)
    return folding.freeze()


def next_rhythm(rhythm: Rhythm, last_start: date | None, week: WeekRecord) -> Rhythm:
    """``rhythm_from_history`` of the weeks folded so far and ``week``: its backward count,
    with the weeks before ``week`` (the last starting ``last_start``) counted in ``rhythm``."""
    if week.decision is Decision.DELOAD:
        return Rhythm(0, after_deload=True, had_deload=True)
    if not week.sessions:
        return Rhythm(0)
    if last_start is not None and week.start - last_start >= TWO_WEEKS:
        return Rhythm(1)
    return Rhythm(rhythm.since_deload + 1, had_deload=rhythm.had_deload)


def session_flags(week: WeekRecord) -> tuple[Flag, ...]:
    found: list[Flag] = []
    for session in week.sessions:
        if session.red_flag is not None:
            found.append(Flag(session.red_flag, session.day))
        pain = rest_pain(session)
        if pain is not None and pain >= UNCONTROLLED_PAIN:
            found.append(Flag(RedFlagTier.AMBER, session.day, pain))
    return tuple(found)


@dataclass(frozen=True)
class Past:
    """The history as planning reads it: ``before`` folds every week before ``last``."""

    before: Carry
    last: WeekRecord | None

    @staticmethod
    def of(history: tuple[WeekRecord, ...], baseline: int, carry: Carry | None = None) -> "Past":
        folding = _Folding(carry if carry is not None else Carry(baseline))
        for week in history[:-1]:
            folding.add(week)
        return Past(folding.freeze(), history[-1] if history else None)

    def base(self, key: str) -> Dose | None:
        """Rule 1: the most recent non-deload, tolerated week in which the item was done."""
        last = self.last
        if last is not None and last.decision is not Decision.DELOAD:
            dose = self._tolerated_in_last(key)
            if dose is not None:
                return dose
        return self.before.bases.get(key)

    def last_tolerated(self, key: str) -> Dose | None:
        return self._tolerated_in_last(key) or self.before.tolerated.get(key)

    def _tolerated_in_last(self, key: str) -> Dose | None:
        last = self.last
        if last is None or not is_tolerated(last, self.before.baseline):
            return None
        return completed(last, key)

    def rhythm(self) -> Rhythm:
        if self.last is None:
            return Rhythm()
        return next_rhythm(self.before.rhythm, self.before.last_start, self.last)

    def weeks_without_sessions(self, next_start: date) -> int:
        """Trailing weeks with no sessions: recorded empty weeks plus weeks never recorded."""
        last = self.last
        if last is None:
            return 0
        count = (next_start - last.start).days // 7 - 1
        return count if last.sessions else count + 1 + self.before.empty_tail

    def judge_last(self, *, time_contingent: bool) -> GateResult:
        if self.last is None:
            raise InvalidValueError("history", "there is no week to judge")
        return judge(
            self.last,
            self.before.comparable,
            self.before.baseline,
            time_contingent=time_contingent,
        )

    def flags(self, state: RedFlagState) -> tuple[Flag, ...]:
        raised: tuple[Flag, ...] = ()
        if state.tier is not None and state.raised_on is not None:
            raised = (Flag(state.tier, state.raised_on),)
        recent = session_flags(self.last) if self.last is not None else ()
        return raised + self.before.flags + recent

    def acwr(self, today: date) -> Acwr:
        days = daily_loads((self.last,)) if self.last is not None else {}
        state = self.before.load
        if state is None and days:
            state = advance(None, days, min(days))
        return ratio_on(state, today, days)

    def recent_decisions(self, phase_start: date | None) -> list[Decision]:
        """The decisions of the last two recorded weeks that fall in the current phase."""
        weeks: list[tuple[date, Decision]] = []
        before = self.before
        if before.last_start is not None and before.last_decision is not None:
            weeks.append((before.last_start, before.last_decision))
        if self.last is not None:
            weeks.append((self.last.start, self.last.decision))
        return [d for start, d in weeks if phase_start is None or start >= phase_start]


# --- storing a carry: plain JSON values, read back exactly ------------------------------

CARRY_FORMAT = 1


def _dose(d: Dose) -> list[Any]:
    return [d.sets, d.reps, str(d.quantity)]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def carry_to_data(carry: Carry) -> dict[str, Any]:
    """A JSON-ready dict; Decimals as text, so that reading it back loses nothing."""
    rhythm, load, comparable = carry.rhythm, carry.load, carry.comparable
    return {
        "format": CARRY_FORMAT,
        "baseline": carry.baseline,
        "weeks": carry.weeks,
        "first_start": _day(carry.first_start),
        "last_start": _day(carry.last_start),
        "last_decision": carry.last_decision.value if carry.last_decision else None,
        "last_had_sessions": carry.last_had_sessions,
        "last_outcome": carry.last_outcome.value if carry.last_outcome else None,
        "comparable": [comparable.start.isoformat(), comparable.pain] if comparable else None,
        "rhythm": [rhythm.since_deload, rhythm.after_deload, rhythm.had_deload],
        "empty_tail": carry.empty_tail,
        "bases": {k: _dose(d) for k, d in carry.bases.items()},
        "tolerated": {k: _dose(d) for k, d in carry.tolerated.items()},
        "planned": {
            k: [
                p.sets,
                p.reps,
                str(p.quantity),
                _num(p.base_quantity),
                _num(p.max_quantity),
                p.base_sets,
                p.base_reps,
            ]
            for k, p in carry.planned.items()
        },
        "flags": [[f.tier.value, f.day.isoformat(), f.rest_pain] for f in carry.flags],
        "load": None
        if load is None
        else [load.first.isoformat(), load.through.isoformat(), str(load.acute), str(load.chronic)],
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def carry_from_data(data: Any) -> Carry:
    """The carry ``carry_to_data`` wrote. Anything else (another format, a damaged value)
    raises ``InvalidValueError``: the caller then plans from the whole history."""
    try:
        if data["format"] != CARRY_FORMAT:
            raise InvalidValueError("carry", f"format {data['format']!r} is not {CARRY_FORMAT}")
        comparable, rhythm, load = data["comparable"], data["rhythm"], data["load"]
        return Carry(
            baseline=data["baseline"],
            weeks=data["weeks"],
            first_start=_read_day(data["first_start"]),
            last_start=_read_day(data["last_start"]),
            last_decision=Decision(data["last_decision"]) if data["last_decision"] else None,
            last_had_sessions=bool(data["last_had_sessions"]),
            last_outcome=Outcome(data["last_outcome"]) if data["last_outcome"] else None,
            comparable=Comparable(date.fromisoformat(comparable[0]), int(comparable[1]))
            if comparable
            else None,
            rhythm=Rhythm(int(rhythm[0]), bool(rhythm[1]), bool(rhythm[2])),
            empty_tail=int(data["empty_tail"]),
            bases=MappingProxyType({k: _read_dose(v) for k, v in data["bases"].items()}),
            tolerated=MappingProxyType({k: _read_dose(v) for k, v in data["tolerated"].items()}),
            planned=MappingProxyType({k: _read_planned(k, v) for k, v in data["planned"].items()}),
            flags=tuple(
                Flag(RedFlagTier(t), date.fromisoformat(d), r) for t, d, r in data["flags"]
            ),
            load=None
            if load is None
            else Load(
                date.fromisoformat(load[0]),
                date.fromisoformat(load[1]),
                Decimal(load[2]),
                Decimal(load[3]),
            ),
        )
    except InvalidValueError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as error:
        raise InvalidValueError("carry", f"cannot be read: {error!r}") from error


def _read_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _read_dose(value: list[Any]) -> Dose:
    sets, reps, quantity = value
    return Dose(int(sets), int(reps), Decimal(quantity))


_PLANNED: dict[tuple[Any, ...], PlannedItem] = {}


def _read_planned(key: str, value: list[Any]) -> PlannedItem:
    """One shared (frozen) item per distinct stored value: most programs' carries hold
    the same few, and each is validated once."""
    seen = (key, *value, *map(type, value))  # types too: 1.0 == 1, but a float is refused
    found = _PLANNED.get(seen)
    if found is None:
        if len(_PLANNED) > 100_000:
            _PLANNED.clear()
        found = _PLANNED[seen] = _new_planned(key, value)
    return found


def _new_planned(key: str, value: list[Any]) -> PlannedItem:
    sets, reps, quantity, base_quantity, max_quantity, base_sets, base_reps = value
    return PlannedItem(
        key,
        sets,
        reps,
        Decimal(quantity),
        None if base_quantity is None else Decimal(base_quantity),
        None if max_quantity is None else Decimal(max_quantity),
        base_sets,
        base_reps,
    )
