"""The return-to-work plan's rules in plain Python: schedule checks, the cap warning, the
ramp templates, and the plain words an employer reads.

No Django here, so the form, the service and the employer share give the same answers
and the rules are tested without a database. The graded hours plan is its own schedule:
a step that rises faster than the program's weekly cap is *warned about*, never refused
(DESIGN.md, "The progression engine").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise

from assessments.capacity import MEASURE_FOR_TASK
from patients.demand_levels import format_kg_lb

MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("12")
MIN_DAYS = 1
MAX_DAYS = 7
MAX_WEEK = 52
MAX_STEPS = 20
MAX_RESTRICTIONS = 20
MAX_KG = Decimal("200")
MAX_MINUTES = 720

NOT_FIT = "not_fit"
MAY_BE_FIT = "may_be_fit"
# The fit note's four boxes, in its order: field name → the words on the statement.
ADJUSTMENTS: tuple[tuple[str, str], ...] = (
    ("phased_return", "phased return to work"),
    ("amended_duties", "amended duties"),
    ("altered_hours", "altered hours"),
    ("workplace_adaptations", "workplace adaptations"),
)
ACCOMMODATIONS: tuple[tuple[str, str], ...] = (
    ("equipment", "Equipment"),
    ("modified_duty", "Modified duty"),
    ("flexible_hours", "Flexible hours"),
    ("micro_breaks", "Micro-breaks"),
)
# The job task types with a load or force in kg (lifts, carry, push, pull).
LOAD_TASK_TYPES = frozenset(t for t, (_, unit) in MEASURE_FOR_TASK.items() if unit == "kg")
FREQUENCY_WORDS = {
    "occasional": "occasionally (up to 1/3 of the shift)",
    "frequent": "frequently (1/3 to 2/3 of the shift)",
    "constant": "constantly (2/3 of the shift or more)",
}
_HALF = Decimal("0.5")


def fmt(value: Decimal) -> str:
    """4.00 → "4", 7.50 → "7.5" (never "4E+0")."""
    return f"{value.normalize():f}"


def _percent(fraction: Decimal) -> str:
    return fmt((fraction * 100).quantize(Decimal(1), ROUND_HALF_UP))


# --- the graded schedule -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    week_from: int
    week_to: int
    hours_per_day: Decimal
    days_per_week: int
    duties: str = ""

    @property
    def weekly_hours(self) -> Decimal:
        return self.hours_per_day * self.days_per_week

    @property
    def weeks_text(self) -> str:
        if self.week_from == self.week_to:
            return f"Week {self.week_from}"
        return f"Weeks {self.week_from}–{self.week_to}"

    @property
    def dose_text(self) -> str:
        days = "day" if self.days_per_week == 1 else "days"
        return f"{fmt(self.hours_per_day)} h a day, {self.days_per_week} {days} a week"


@dataclass(frozen=True)
class Problem:
    """A refusal: ``row`` is the step's (or restriction's) position, ``field`` its field."""

    row: int
    field: str
    message: str


def hours_problem(hours: Decimal) -> str | None:
    if not MIN_HOURS <= hours <= MAX_HOURS:
        return (
            f"Hours a day must be from {fmt(MIN_HOURS)} to {fmt(MAX_HOURS)}; "
            f"{fmt(hours)} is out of range."
        )
    return None


def days_problem(days: int) -> str | None:
    if not MIN_DAYS <= days <= MAX_DAYS:
        return f"Days a week must be from {MIN_DAYS} to {MAX_DAYS}; {days} is out of range."
    return None


def week_problem(week: int) -> str | None:
    if not 1 <= week <= MAX_WEEK:
        return f"Weeks are numbered 1 to {MAX_WEEK}; {week} is out of range."
    return None


def step_problems(steps: Sequence[Step]) -> list[Problem]:
    """Each step's own ranges, then the order: weeks ascending and not overlapping."""
    problems: list[Problem] = []
    if len(steps) > MAX_STEPS:
        problems.append(Problem(MAX_STEPS, "week_from", f"At most {MAX_STEPS} steps."))
    for row, step in enumerate(steps):
        for field, message in (
            ("week_from", week_problem(step.week_from)),
            ("week_to", week_problem(step.week_to)),
            ("hours_per_day", hours_problem(step.hours_per_day)),
            ("days_per_week", days_problem(step.days_per_week)),
        ):
            if message:
                problems.append(Problem(row, field, message))
        if step.week_to < step.week_from:
            problems.append(
                Problem(
                    row,
                    "week_to",
                    f"The last week ({step.week_to}) is before the first ({step.week_from}).",
                )
            )
    for row in range(1, len(steps)):
        before, step = steps[row - 1], steps[row]
        if step.week_from <= before.week_to:
            problems.append(
                Problem(
                    row,
                    "week_from",
                    f"Step {row + 1} starts in week {step.week_from}, which step {row} "
                    f"({before.weeks_text.lower()}) already covers: start it in week "
                    f"{before.week_to + 1} or later.",
                )
            )
    return problems


def cap_warnings(
    steps: Sequence[Step], cap: Decimal, shift_hours: Decimal | None = None
) -> list[str]:
    """What a clinician should look at twice; none of it blocks saving.

    A rise in hours a day (or, at the same hours, in weekly hours) of more than the
    program's weekly cap; weeks no step covers; more hours than the job's shift.
    Rises are compared exactly; the percentage shown is rounded.
    """
    warnings: list[str] = []
    cap_text = f"{fmt(cap * 100)} %"
    for before, step in pairwise(steps):
        if step.week_from > before.week_to + 1:
            gap = Step(before.week_to + 1, step.week_from - 1, step.hours_per_day, 1)
            warnings.append(f"{gap.weeks_text}: no step covers them.")
        if before.hours_per_day <= 0 or before.weekly_hours <= 0:
            continue
        daily = (step.hours_per_day - before.hours_per_day) / before.hours_per_day
        weekly = (step.weekly_hours - before.weekly_hours) / before.weekly_hours
        if daily > cap:
            warnings.append(
                f"Week {step.week_from}: hours a day rise from {fmt(before.hours_per_day)} to "
                f"{fmt(step.hours_per_day)} (+{_percent(daily)} %), more than the program's "
                f"weekly cap of {cap_text}."
            )
        elif weekly > cap:
            warnings.append(
                f"Week {step.week_from}: weekly hours rise from {fmt(before.weekly_hours)} to "
                f"{fmt(step.weekly_hours)} (+{_percent(weekly)} %), more than the program's "
                f"weekly cap of {cap_text}."
            )
    if shift_hours is not None:
        for step in steps:
            if step.hours_per_day > shift_hours:
                warnings.append(
                    f"{step.weeks_text}: {fmt(step.hours_per_day)} hours a day is more than the "
                    f"job's {fmt(shift_hours)}-hour shift."
                )
    return warnings


# --- ramp templates ---------------------------------------------------------------------------

MODIFIED = "Modified duties within the restrictions"
USUAL = "Usual duties within the restrictions"


@dataclass(frozen=True)
class Stage:
    weeks: int
    share_of_shift: Decimal  # of the job's shift hours
    days: int


@dataclass(frozen=True)
class Ramp:
    key: str
    description: str
    stages: tuple[Stage, ...]

    def steps(self, shift_hours: Decimal) -> tuple[Step, ...]:
        steps: list[Step] = []
        week = 1
        for n, stage in enumerate(self.stages):
            last = n == len(self.stages) - 1
            steps.append(
                Step(
                    week_from=week,
                    week_to=week + stage.weeks - 1,
                    hours_per_day=_hours(shift_hours * stage.share_of_shift),
                    days_per_week=stage.days,
                    duties=USUAL if last else MODIFIED,
                )
            )
            week += stage.weeks
        return tuple(steps)

    def label(self, shift_hours: Decimal) -> str:
        steps = self.steps(shift_hours)
        hours = [fmt(s.hours_per_day) for s in steps]
        days = [str(s.days_per_week) for s in steps]
        if len(set(hours)) == 1:
            return f"{' → '.join(days)} days a week at {hours[0]} h a day ({self.description})"
        return f"{' → '.join(hours)} hours a day ({self.description})"


def _hours(value: Decimal) -> Decimal:
    """To the nearest half hour, inside the allowed range."""
    rounded = (value / _HALF).quantize(Decimal(1), ROUND_HALF_UP) * _HALF
    return min(max(rounded, MIN_HOURS), MAX_HOURS)


RAMPS: tuple[Ramp, ...] = (
    Ramp(
        "half_three_quarter_full",
        "half, three-quarter and full shifts, 2 weeks each",
        (
            Stage(2, Decimal("0.5"), 5),
            Stage(2, Decimal("0.75"), 5),
            Stage(2, Decimal(1), 5),
        ),
    ),
    Ramp(
        "half_days_full_days",
        "half days for 2 weeks, then full days",
        (Stage(2, Decimal("0.5"), 5), Stage(2, Decimal(1), 5)),
    ),
    Ramp(
        "gentle",
        "an hour more each week",
        tuple(Stage(1, Decimal(n) / 8, 5) for n in (4, 5, 6, 7, 8)),
    ),
    Ramp(
        "days_first",
        "full shifts on fewer days, 2 weeks each",
        (Stage(2, Decimal(1), 3), Stage(2, Decimal(1), 4), Stage(2, Decimal(1), 5)),
    ),
)
RAMPS_BY_KEY = {ramp.key: ramp for ramp in RAMPS}


def ramp_choices(shift_hours: Decimal) -> list[tuple[str, str]]:
    return [(ramp.key, ramp.label(shift_hours)) for ramp in RAMPS]


# --- restrictions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    task_type: str
    description: str = ""
    avoid: bool = False
    max_kg: Decimal | None = None
    frequency: str = ""
    max_minutes: int | None = None
    note: str = ""

    @property
    def is_load(self) -> bool:
        return self.task_type in LOAD_TASK_TYPES


def limit_problems(limit: Limit) -> list[tuple[str, str]]:
    """(field, message) for a restriction that does not say what the worker may do."""
    problems: list[tuple[str, str]] = []
    if limit.max_kg is not None:
        if not limit.is_load:
            problems.append(
                ("max_kg", "A weight limit is for lifting, carrying, pushing or pulling.")
            )
        elif not Decimal("0.5") <= limit.max_kg <= MAX_KG:
            problems.append(("max_kg", f"The weight limit must be from 0.5 to {fmt(MAX_KG)} kg."))
        if not limit.frequency:
            problems.append(("frequency", "Say how often the weight may be handled."))
    if limit.max_minutes is not None and not 1 <= limit.max_minutes <= MAX_MINUTES:
        problems.append(("max_minutes", f"Minutes at a time must be from 1 to {MAX_MINUTES}."))
    if limit.frequency and limit.frequency not in FREQUENCY_WORDS:
        problems.append(("frequency", "Choose how often from the list."))
    if limit.avoid and (limit.max_kg is not None or limit.max_minutes is not None):
        problems.append(("avoid", "A task to avoid altogether has no weight or time limit."))
    stated = limit.avoid or limit.max_kg is not None or limit.max_minutes is not None
    if not stated and not limit.note.strip():
        problems.append(
            (
                "max_kg" if limit.is_load else "max_minutes",
                "Give a limit: a weight and how often, minutes at a time, "
                "“avoid altogether”, or a written limit.",
            )
        )
    return problems


def limit_text(limit: Limit) -> str:
    """Plain words for the worker's employer: "up to 10 kg (22.0 lb), occasionally (...)"."""
    parts: list[str] = []
    if limit.avoid:
        parts.append("avoid altogether")
    if limit.max_kg is not None:
        parts.append(f"up to {format_kg_lb(limit.max_kg)}")
    if limit.max_minutes is not None:
        parts.append(f"at most {limit.max_minutes} min at a time")
    if limit.frequency and not limit.avoid:
        parts.append(FREQUENCY_WORDS.get(limit.frequency, limit.frequency))
    text = ", ".join(parts)
    note = limit.note.strip()
    if note:
        text = f"{text}; {note}" if text else note
    return text[:1].upper() + text[1:]


def kg_within(capacity_kg: Decimal) -> Decimal:
    """A measured capacity as a limit: rounded down to the half kilo, never up."""
    return max((capacity_kg / _HALF).to_integral_value(ROUND_FLOOR) * _HALF, _HALF)


# --- the work capability statement ----------------------------------------------------------


def capability_text(fitness: str, adjustments: Iterable[str]) -> str:
    """'Not fit for work', or 'May be fit for work with: phased return to work, ...'."""
    if fitness == NOT_FIT:
        return "Not fit for work"
    chosen = set(adjustments)
    words = [text for name, text in ADJUSTMENTS if name in chosen]
    return f"May be fit for work with: {', '.join(words)}" if words else "May be fit for work"


def statement_problems(
    *,
    fitness: str,
    adjustments: Iterable[str],
    comments: str,
    valid_from: date | None,
    valid_to: date | None,
    next_review: date | None,
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    chosen = set(adjustments)
    if fitness not in (NOT_FIT, MAY_BE_FIT):
        problems.append(("fitness", "Choose “not fit” or “may be fit”."))
    elif fitness == NOT_FIT and chosen:
        problems.append(
            (
                "fitness",
                "A “not fit for work” statement takes no adjustments: untick them, or choose "
                "“may be fit for work”.",
            )
        )
    elif fitness == MAY_BE_FIT and not chosen and not comments.strip():
        problems.append(
            (
                "fitness",
                "“May be fit for work” needs at least one adjustment or a functional comment.",
            )
        )
    if valid_from is None:
        problems.append(("valid_from", "Give the date the statement starts."))
    if valid_to is None:
        problems.append(("valid_to", "Give the date the statement ends."))
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(
            ("valid_to", f"The statement cannot end ({valid_to}) before it starts ({valid_from}).")
        )
    if next_review and valid_from and next_review < valid_from:
        problems.append(
            ("next_review", f"The next review ({next_review}) is before the statement starts.")
        )
    elif next_review and valid_to and valid_from and valid_from <= valid_to < next_review:
        problems.append(
            (
                "next_review",
                f"Review on or before the day the statement ends ({valid_to}), "
                "so that it can be renewed in time.",
            )
        )
    return problems
