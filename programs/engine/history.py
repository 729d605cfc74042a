"""Reading the history: what was completed, which weeks were tolerated, where the base is.

*Tolerated* week: it has sessions, and none of them shows a regress signal (pain during
> 5/10, next-morning pain ≥ baseline + 2), a red flag, or uncontrolled pain at rest. Pain
in the hold zone (4-5/10) is tolerated: that is the level the worker stays at.

*Completed* values of an item in a week: the lowest sets, reps and quantity over the
sessions that logged it (a skipped item, 0 sets or 0 reps, does not count). The lowest,
because what was done on every session is what was tolerated - a careful reading where
DESIGN.md only says "completed".
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .enums import Decision
from .quantities import ZERO
from .types import SessionLog, WeekRecord

UNCONTROLLED_PAIN = 8  # ≥ 8/10 at rest counts as an amber red flag (rule 6)
PAIN_HOLD_FROM = 4
PAIN_REGRESS_ABOVE = 5
PAIN_PROGRESS_UP_TO = 3


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int
    quantity: Decimal

    @property
    def volume(self) -> Decimal:
        return Decimal(self.sets) * Decimal(self.reps) * self.quantity


@dataclass(frozen=True)
class Base:
    """The completed-and-tolerated values an item's cap is measured from, and their week."""

    dose: Dose
    week: WeekRecord


def rest_pain(session: SessionLog) -> int | None:
    """Pain at rest: the higher of the recorded rest score and next-morning pain (measured
    at rest on waking; a careful clinician treats 8/10 then as uncontrolled pain too)."""
    scores = [s for s in (session.pain_at_rest, session.pain_next_morning) if s is not None]
    return max(scores) if scores else None


def has_regress_signal(session: SessionLog, baseline: int) -> bool:
    morning = session.pain_next_morning
    return session.pain_during > PAIN_REGRESS_ABOVE or (
        morning is not None and morning >= baseline + 2
    )


def has_flag(session: SessionLog) -> bool:
    pain = rest_pain(session)
    return session.red_flag is not None or (pain is not None and pain >= UNCONTROLLED_PAIN)


def is_tolerated(week: WeekRecord, baseline: int) -> bool:
    return bool(week.sessions) and not any(
        has_regress_signal(s, baseline) or has_flag(s) for s in week.sessions
    )


def completed(week: WeekRecord, key: str) -> Dose | None:
    """The item's completed values in the week: the least sets, reps and quantity over the
    sessions that logged it done (planning asks for each item, often twice)."""
    return all_completed(week).get(key)


def all_completed(week: WeekRecord) -> Mapping[str, Dose]:
    """Every item's completed values in the week, worked out once and kept on the (frozen)
    week."""
    found = week.__dict__.get("_completed")
    if found is None:
        found = week.__dict__["_completed"] = _all_completed(week)
    return found


def _all_completed(week: WeekRecord) -> dict[str, Dose]:
    least: dict[str, tuple[int, int, Decimal]] = {}
    for session in week.sessions:
        for log in session.items:
            if log.sets <= 0 or log.reps <= 0:
                continue
            seen = least.get(log.key)
            least[log.key] = (
                (log.sets, log.reps, log.quantity)
                if seen is None
                else (min(seen[0], log.sets), min(seen[1], log.reps), min(seen[2], log.quantity))
            )
    return {key: Dose(sets, reps, quantity) for key, (sets, reps, quantity) in least.items()}


def base_for(history: tuple[WeekRecord, ...], key: str, baseline: int) -> Base | None:
    """Rule 1: the most recent non-deload, tolerated week in which the item was completed."""
    for week in reversed(history):
        if week.decision is Decision.DELOAD or not is_tolerated(week, baseline):
            continue
        dose = completed(week, key)
        if dose is not None:
            return Base(dose, week)
    return None


def last_tolerated(history: tuple[WeekRecord, ...], key: str, baseline: int) -> Dose | None:
    """The last completed-and-tolerated values, deload weeks included (rule 5's 'last
    completed values', but never from a week that was not tolerated)."""
    for week in reversed(history):
        dose = completed(week, key) if is_tolerated(week, baseline) else None
        if dose is not None:
            return dose
    return None


def all_reps_done(week: WeekRecord, key: str, sets: int, reps: int) -> bool:
    """Every session of the week logged the item with at least the prescribed sets and reps."""
    if not week.sessions:
        return False
    for session in week.sessions:
        log = session.item(key)
        if log is None or log.sets < sets or log.reps < reps:
            return False
    return True


def session_load(session: SessionLog) -> Decimal:
    return sum((Decimal(i.sets) * Decimal(i.reps) * i.quantity for i in session.items), ZERO)


def daily_loads(history: tuple[WeekRecord, ...]) -> dict[date, Decimal]:
    """Default ACWR load: sets x reps x quantity summed over each day's sessions."""
    loads: dict[date, Decimal] = {}
    for week in history:
        for session in week.sessions:
            loads[session.day] = loads.get(session.day, ZERO) + session_load(session)
    return loads


def next_week_start(history: tuple[WeekRecord, ...], today: date) -> date:
    """The week after the last recorded one, moved on in whole weeks to the one containing
    ``today`` if weeks were missed (no history: the plan starts today)."""
    if not history:
        return today
    last = history[-1].start
    return last + timedelta(days=7 * max(1, (today - last).days // 7))


def weeks_without_sessions(history: tuple[WeekRecord, ...], next_start: date) -> int:
    """Trailing weeks with no sessions: recorded empty weeks plus weeks never recorded."""
    if not history:
        return 0
    count = (next_start - history[-1].start).days // 7 - 1
    for week in reversed(history):
        if week.sessions:
            break
        count += 1
    return count


@dataclass(frozen=True)
class Comparable:
    """A week that pain can fairly be compared with: it had sessions and was not a deload
    (pain naturally dips in a deload week). ``pain`` is its highest pain during exercise."""

    start: date
    pain: int

    @staticmethod
    def of(week: WeekRecord) -> "Comparable | None":
        if not week.sessions or week.decision is Decision.DELOAD:
            return None
        return Comparable(week.start, max(s.pain_during for s in week.sessions))
