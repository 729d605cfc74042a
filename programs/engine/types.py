"""The engine's frozen dataclasses. Each validates itself on construction, so an impossible
value is refused where it enters, with an exception naming the field."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from .acwr import Acwr
from .criteria import Criterion, CriterionResult
from .enums import Decision, Mode, PhaseDirection, ReasonCode, RedFlagTier
from .errors import DateOrderError, DeloadRhythmError, DuplicateKeyError, InvalidValueError
from .errors import SettingOutOfRangeError as SettingError
from .validate import (
    MAX_REPS,
    MAX_SETS,
    check_bool,
    check_cap,
    check_date,
    check_decimal,
    check_increment,
    check_int,
    check_key,
    check_optional_date,
    check_optional_score,
    check_quantity,
    check_score,
    check_tuple,
    coerce_enum,
)

if TYPE_CHECKING:
    from .past import Carry


def _no_demands() -> Mapping[str, Decimal]:
    return MappingProxyType({})


def _unique(keys: list[str], field_name: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise DuplicateKeyError(field_name, f"key {key!r} appears more than once")
        seen.add(key)


@dataclass(frozen=True)
class Settings:
    """A program's progression settings (DESIGN.md rules 1, 4, 8)."""

    cap: Decimal
    deload_every: int = 4
    mode: Mode = Mode.PAIN_CONTINGENT
    baseline_morning_pain: int = 0
    planned_sessions_per_week: int = 3
    target_date: date | None = None

    def __post_init__(self) -> None:
        check_cap(self.cap)
        check_int(self.deload_every, "deload_every", 2, 8, DeloadRhythmError)
        object.__setattr__(self, "mode", coerce_enum(self.mode, Mode, "mode"))
        check_score(self.baseline_morning_pain, "baseline_morning_pain")
        check_int(self.planned_sessions_per_week, "planned_sessions_per_week", 1, 14, SettingError)
        check_optional_date(self.target_date, "target_date")
        if self.mode is Mode.TIME_CONTINGENT and self.target_date is None:
            raise SettingError("target_date", "is required in time-contingent mode")


@dataclass(frozen=True)
class Prescription:
    """One exercise of the current phase: the values planned for the week just finished,
    its phase target (usually the job demand) and the phase's starting values."""

    key: str
    name: str
    unit: str
    sets: int
    reps: int
    quantity: Decimal
    increment: Decimal
    target: Decimal | None
    start_sets: int
    start_reps: int
    start_quantity: Decimal
    # Ceilings for the reps/sets route when rounding leaves no load increase (rule 2).
    max_reps: int = 15
    max_sets: int = 5

    def __post_init__(self) -> None:
        check_key(self.key, "key")
        where = f"prescriptions[{self.key}]"
        check_int(self.sets, f"{where}.sets", 1, MAX_SETS)
        check_int(self.reps, f"{where}.reps", 1, MAX_REPS)
        check_quantity(self.quantity, f"{where}.quantity")
        check_increment(self.increment, f"{where}.increment")
        if self.target is not None:
            check_decimal(self.target, f"{where}.target", positive=True)
        check_int(self.start_sets, f"{where}.start_sets", 1, MAX_SETS)
        check_int(self.start_reps, f"{where}.start_reps", 1, MAX_REPS)
        check_quantity(self.start_quantity, f"{where}.start_quantity")
        check_int(self.max_reps, f"{where}.max_reps", 1, MAX_REPS)
        check_int(self.max_sets, f"{where}.max_sets", 1, MAX_SETS)


@dataclass(frozen=True)
class ItemLog:
    """What was actually done for one prescription in one session (0 sets = skipped)."""

    key: str
    sets: int
    reps: int
    quantity: Decimal

    def __post_init__(self) -> None:
        check_key(self.key, "key")
        check_int(self.sets, f"items[{self.key}].sets", 0, MAX_SETS)
        check_int(self.reps, f"items[{self.key}].reps", 0, MAX_REPS)
        check_quantity(self.quantity, f"items[{self.key}].quantity")


@dataclass(frozen=True)
class SessionLog:
    """One session and how it felt. Scores are 0-10 (NPRS, Borg CR10)."""

    day: date
    items: tuple[ItemLog, ...]
    pain_during: int
    pain_next_morning: int | None
    soreness: int
    fatigue: int
    rpe: int
    red_flag: RedFlagTier | None = None
    pain_at_rest: int | None = None

    def __post_init__(self) -> None:
        check_date(self.day, "day")
        check_tuple(self.items, "items")
        _unique([item.key for item in self.items], f"session {self.day}.items")
        check_score(self.pain_during, "pain_during")
        check_optional_score(self.pain_next_morning, "pain_next_morning")
        check_score(self.soreness, "soreness")
        check_score(self.fatigue, "fatigue")
        check_score(self.rpe, "rpe")
        if self.red_flag is not None:
            object.__setattr__(
                self, "red_flag", coerce_enum(self.red_flag, RedFlagTier, "red_flag")
            )
        check_optional_score(self.pain_at_rest, "pain_at_rest")

    def item(self, key: str) -> ItemLog | None:
        by_key = self.__dict__.get("_by_key")
        if by_key is None:  # keys are unique in a session (checked above); built once
            by_key = self.__dict__["_by_key"] = {log.key: log for log in self.items}
        return by_key.get(key)


@dataclass(frozen=True)
class PlannedItem:
    """One prescription's values for a week. On output, ``max_quantity`` is the most the web
    layer may store (cap limit clamped to the target) and ``base_*`` the completed values the
    cap is measured from - pass them to ``check_within_cap`` to check an edited week's load
    and volume with the engine's own rule."""

    key: str
    sets: int
    reps: int
    quantity: Decimal
    base_quantity: Decimal | None = None
    max_quantity: Decimal | None = None
    base_sets: int | None = None
    base_reps: int | None = None

    def __post_init__(self) -> None:
        check_key(self.key, "key")
        check_int(self.sets, f"planned[{self.key}].sets", 1, MAX_SETS)
        check_int(self.reps, f"planned[{self.key}].reps", 1, MAX_REPS)
        check_quantity(self.quantity, f"planned[{self.key}].quantity")
        for name in ("base_quantity", "max_quantity"):
            value = getattr(self, name)
            if value is not None:
                check_quantity(value, f"planned[{self.key}].{name}")
        if self.base_sets is not None:
            check_int(self.base_sets, f"planned[{self.key}].base_sets", 1, MAX_SETS)
        if self.base_reps is not None:
            check_int(self.base_reps, f"planned[{self.key}].base_reps", 1, MAX_REPS)


@dataclass(frozen=True)
class WeekRecord:
    """One past microcycle: the decision that set it, its plan, and its sessions."""

    start: date
    decision: Decision
    planned: tuple[PlannedItem, ...]
    sessions: tuple[SessionLog, ...]
    planned_sessions: int

    def __post_init__(self) -> None:
        check_date(self.start, "start")
        decision = coerce_enum(self.decision, Decision, "decision")
        if decision in (Decision.PAUSED, Decision.SUSPENDED):
            raise InvalidValueError(
                "decision",
                f"a week starting {self.start} cannot be {decision}: no week is "
                "planned while the program is paused",
            )
        object.__setattr__(self, "decision", decision)
        check_tuple(self.planned, "planned")
        check_tuple(self.sessions, "sessions")
        _unique([item.key for item in self.planned], f"week {self.start}.planned")
        check_int(self.planned_sessions, f"week {self.start}.planned_sessions", 1, 14)
        end = self.start + timedelta(days=6)
        previous: date | None = None
        for index, session in enumerate(self.sessions):
            where = f"week {self.start}.sessions[{index}].day"
            if not self.start <= session.day <= end:
                raise DateOrderError(where, f"{session.day} is outside the week {self.start}-{end}")
            if previous is not None and session.day < previous:
                raise DateOrderError(where, f"{session.day} comes after {previous}: out of order")
            previous = session.day

    def planned_item(self, key: str) -> PlannedItem | None:
        return next((item for item in self.planned if item.key == key), None)


@dataclass(frozen=True)
class RedFlagState:
    """The latest red flag recorded outside the session logs (e.g. in an assessment), and the
    dates of the latest recorded reassessment and new baseline assessment. A reassessment
    clears urgent and amber flags raised on or before it; only a new baseline assessment
    clears an emergency flag."""

    tier: RedFlagTier | None = None
    raised_on: date | None = None
    reassessed_on: date | None = None
    new_baseline_on: date | None = None

    def __post_init__(self) -> None:
        if self.tier is not None:
            object.__setattr__(self, "tier", coerce_enum(self.tier, RedFlagTier, "tier"))
        check_optional_date(self.raised_on, "raised_on")
        check_optional_date(self.reassessed_on, "reassessed_on")
        check_optional_date(self.new_baseline_on, "new_baseline_on")
        if (self.tier is None) != (self.raised_on is None):
            raise InvalidValueError("raised_on", "a red flag needs both its tier and its date")


@dataclass(frozen=True)
class Assessment:
    """The latest assessment's objective measures by name (e.g. ``lift_floor_to_waist``)."""

    day: date
    measures: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        check_date(self.day, "day")
        for name, value in self.measures.items():
            check_key(name, "measures")
            check_decimal(value, f"measures[{name}]", allow_negative=True, hi=None)


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    text: str
    item: str | None = None


@dataclass(frozen=True)
class PhaseProposal:
    """Advance (the latest assessment meets every exit criterion) or go back one phase (two
    regressions within three weeks). The clinician confirms; the engine only proposes."""

    direction: PhaseDirection
    reasons: tuple[Reason, ...]
    criteria: tuple[CriterionResult, ...] = ()


@dataclass(frozen=True)
class WeekPlan:
    """The proposal for the next week. Paused or suspended: no items, nothing is planned."""

    decision: Decision
    reasons: tuple[Reason, ...]
    items: tuple[PlannedItem, ...]
    phase_proposal: PhaseProposal | None
    start: date | None = None
    acwr: Acwr | None = None
    planned_sessions: int | None = None  # for the new week, from the settings


@dataclass(frozen=True)
class PlanInput:
    """Everything ``plan_next_week`` needs. ``history`` is oldest first."""

    settings: Settings
    prescriptions: tuple[Prescription, ...]
    history: tuple[WeekRecord, ...]
    red_flags: RedFlagState
    today: date
    acwr_acknowledged: bool = False
    # Daily training load for the ACWR; by default sets x reps x quantity of the logged sessions.
    daily_loads: Mapping[date, Decimal] | None = None
    exit_criteria: tuple[Criterion, ...] = ()
    latest_assessment: Assessment | None = None
    demands: Mapping[str, Decimal] = field(default_factory=_no_demands)
    phase_start: date | None = None
    is_first_phase: bool = False
    # The weeks before ``history``, folded (``past.carry_of``): ``history`` then holds only
    # the weeks after them. The weekly batch passes the carry stored on the last closed week.
    carry: "Carry | None" = None

    def __post_init__(self) -> None:
        check_date(self.today, "today")
        if not isinstance(self.settings, Settings):
            raise InvalidValueError("settings", f"must be Settings, got {self.settings!r}")
        if not isinstance(self.red_flags, RedFlagState):
            raise InvalidValueError("red_flags", f"must be RedFlagState, got {self.red_flags!r}")
        check_tuple(self.prescriptions, "prescriptions")
        check_tuple(self.history, "history")
        check_tuple(self.exit_criteria, "exit_criteria")
        check_bool(self.acwr_acknowledged, "acwr_acknowledged")
        check_bool(self.is_first_phase, "is_first_phase")
        check_optional_date(self.phase_start, "phase_start")
        if not self.prescriptions:
            raise InvalidValueError("prescriptions", "at least one prescription is needed")
        _unique([p.key for p in self.prescriptions], "prescriptions")
        self._check_dates()
        self._check_carry()
        for name, value in self.demands.items():
            check_decimal(value, f"demands[{name}]", positive=True, hi=None)
        if self.daily_loads is not None:
            for day, load in self.daily_loads.items():
                check_date(day, "daily_loads")
                check_decimal(load, f"daily_loads[{day}]", hi=None)
                _not_after(day, self.today, f"daily_loads[{day}]")

    def _check_carry(self) -> None:
        from .past import Carry  # past builds on these types

        carry = self.carry
        if carry is None:
            return
        if not isinstance(carry, Carry):
            raise InvalidValueError("carry", f"must be a Carry, got {type(carry).__name__}")
        baseline = self.settings.baseline_morning_pain
        if carry.baseline != baseline:
            raise InvalidValueError(
                "carry",
                f"was folded with baseline morning pain {carry.baseline}/10, not {baseline}/10",
            )
        if carry.last_start is None:
            return
        if not self.history:
            raise InvalidValueError("history", "must hold the weeks after the carry")
        if self.history[0].start < carry.last_start + timedelta(days=7):
            raise DateOrderError(
                "history",
                f"week {self.history[0].start} starts less than 7 days after the carry's "
                f"last week ({carry.last_start})",
            )

    def _check_dates(self) -> None:
        for earlier, later in zip(self.history, self.history[1:], strict=False):
            if later.start < earlier.start + timedelta(days=7):
                raise DateOrderError(
                    "history",
                    f"week {later.start} starts less than 7 days after week {earlier.start}: "
                    "weeks must be oldest first and must not overlap",
                )
        if self.history and self.today < self.history[-1].start:
            raise DateOrderError(
                "today", f"{self.today} is before the last recorded week ({self.history[-1].start})"
            )
        for week in self.history:
            for session in week.sessions:
                _not_after(session.day, self.today, f"week {week.start} session")
        flags = self.red_flags
        for name in ("raised_on", "reassessed_on", "new_baseline_on"):
            value = getattr(flags, name)
            if value is not None:
                _not_after(value, self.today, f"red_flags.{name}")
        if self.latest_assessment is not None:
            _not_after(self.latest_assessment.day, self.today, "latest_assessment.day")


def _not_after(day: date, today: date, where: str) -> None:
    if day > today:
        raise DateOrderError(where, f"{day} is after today ({today})")
