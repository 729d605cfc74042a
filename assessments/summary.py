"""What the pages show about assessments, built from rows already fetched (no queries).

Callers pass assessments with ``questionnaires`` prefetched, in date order.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from assessments.capacity import DemandTask, Measured
from assessments.forms import MEASURE_LABELS
from assessments.models import GRIP_FIELDS, LOAD_FIELDS, Assessment, InstrumentChoice
from assessments.scoring import Instrument, nprs
from assessments.scoring.change import Change, compare
from assessments.scoring.grip_norms import GripNorm, grip_vs_norm, mean_of_trials
from assessments.scoring.red_flags import BY_KEY, UNCONTROLLED_REST_PAIN, Tier
from assessments.values import FORM_INSTRUMENTS, plain
from patients.demand_levels import format_kg_lb
from patients.models import JobTask, Patient

INSTRUMENT_ORDER = (Instrument.NPRS.value, *(i.value for i in FORM_INSTRUMENTS))
DISPLAY_NAMES = {Instrument.NPRS.value: "Pain now (NPRS)"} | {
    c.value: str(c.label) for c in InstrumentChoice
}
SCALE = {
    "nprs": "/ 10",
    "odi": "%",
    "tsk17": "/ 68",
    "tsk11": "/ 44",
    "pcs": "/ 52",
    "ompsq_sf": "/ 100",
    "start_back": "/ 9",
    "psfs": "/ 10 (mean)",
}
SUBSCALE_MAX = {"rumination": 16, "magnification": 12, "helplessness": 24, "psychosocial": 5}
MIC_TEXT = {"nprs": "2 points or 30 %", "odi": "10 points", "psfs": "2 points"}
# Measures compared over time and with job demands, in the order they are listed.
CAPACITY_FIELDS = (
    *LOAD_FIELDS,
    "carry_distance_m",
    "standing_tolerance_min",
    "sitting_tolerance_min",
    "walking_distance_m",
)
UNITS = {
    "carry_distance_m": "m",
    "standing_tolerance_min": "min",
    "sitting_tolerance_min": "min",
    "walking_distance_m": "m",
}


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _signed(value: Decimal) -> str:
    text = plain(abs(value))
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else "0"


@dataclass(frozen=True)
class Entry:
    """One instrument's result at one assessment."""

    instrument: str
    on: date
    assessment: UUID
    score: Decimal | None
    band: str = ""
    high: bool = False
    subscales: dict[str, Decimal] = field(default_factory=dict)
    reason: str = ""

    @property
    def score_text(self) -> str:
        if self.score is None:
            return self.reason or "not scorable"
        return f"{plain(self.score)} {SCALE[self.instrument]}"

    @property
    def subscale_text(self) -> str:
        return "; ".join(
            f"{name} {plain(value)} / {SUBSCALE_MAX.get(name, '')}".rstrip(" /")
            for name, value in self.subscales.items()
        )


def entries(assessment: Assessment) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    if assessment.nprs is not None:
        result = nprs.score({"pain": assessment.nprs})
        found["nprs"] = Entry(
            "nprs", assessment.assessed_on, assessment.uuid, result.score, result.band or ""
        )
    for row in assessment.questionnaires.all():
        found[row.instrument] = Entry(
            instrument=row.instrument,
            on=assessment.assessed_on,
            assessment=assessment.uuid,
            score=row.score,
            band=row.band,
            high=row.high,
            subscales={k: Decimal(str(v)) for k, v in row.subscales.items()},
            reason=row.not_scorable_reason,
        )
    return found


@dataclass(frozen=True)
class ScoreLine:
    entry: Entry
    previous: Entry | None
    change: Change

    @property
    def name(self) -> str:
        return DISPLAY_NAMES[self.entry.instrument]

    @property
    def change_text(self) -> str:
        if self.change.delta is None or self.previous is None:
            return self.change.label
        label = self.change.label
        mic = MIC_TEXT.get(self.entry.instrument)
        if mic and "(≥ MIC)" in label:
            label = label.replace("(≥ MIC)", f"(≥ MIC of {mic})")
        elif mic:
            label = f"{label} (MIC {mic})"
        return f"{_signed(self.change.delta)} since {day_text(self.previous.on)}: {label}"

    @property
    def improved(self) -> bool:
        return self.change.label.startswith("improved")

    @property
    def worse(self) -> bool:
        return self.change.label.startswith("worse")


def _line(entry: Entry, earlier: Iterable[Entry]) -> ScoreLine:
    previous = next((e for e in reversed(list(earlier)) if e.score is not None), None)
    change = compare(entry.instrument, previous.score if previous else None, entry.score)
    return ScoreLine(entry, previous, change)


def score_lines(current: Assessment, earlier: Sequence[Assessment]) -> list[ScoreLine]:
    """Each result of ``current`` with its change since the last earlier scored one."""
    now = entries(current)
    before = [entries(a) for a in earlier]
    return [
        _line(now[key], (e[key] for e in before if key in e))
        for key in INSTRUMENT_ORDER
        if key in now
    ]


def latest_score_lines(history: Sequence[Assessment]) -> list[ScoreLine]:
    """For each instrument ever recorded: its latest result and change since the one before."""
    per: dict[str, list[Entry]] = {}
    for assessment in history:
        for key, entry in entries(assessment).items():
            per.setdefault(key, []).append(entry)
    return [_line(per[key][-1], per[key][:-1]) for key in INSTRUMENT_ORDER if key in per]


@dataclass(frozen=True)
class GripLine:
    side: str
    trials: tuple[Decimal, ...]
    mean: Decimal
    norm: GripNorm

    @property
    def trials_text(self) -> str:
        return ", ".join(plain(t) for t in self.trials)

    @property
    def norm_text(self) -> str:
        if self.norm.mean is None:
            return self.norm.label
        return (
            f"{self.norm.percent_of_norm} % of the norm {self.norm.mean} ± {self.norm.sd} kg "
            f"(age {self.norm.age_band}): {self.norm.label}"
        )


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def grip_lines(assessment: Assessment, patient: Patient) -> list[GripLine]:
    lines = []
    age = age_on(patient.date_of_birth, assessment.assessed_on)
    for side, code in (("left", "L"), ("right", "R")):
        trials = [getattr(assessment, f"grip_{side}_{n}") for n in (1, 2, 3)]
        if any(t is None for t in trials):
            continue
        mean = mean_of_trials(trials)
        norm = grip_vs_norm(mean, age, patient.sex, code)
        lines.append(GripLine(side.title(), tuple(trials), mean, norm))
    return lines


def measure_text(name: str, value: Decimal | int) -> str:
    if name in LOAD_FIELDS or name in GRIP_FIELDS:
        return format_kg_lb(Decimal(value))
    return f"{plain(Decimal(value))} {UNITS[name]}"


def measure_lines(assessment: Assessment) -> list[tuple[str, str]]:
    return [
        (MEASURE_LABELS[name].split(" (")[0], measure_text(name, getattr(assessment, name)))
        for name in CAPACITY_FIELDS
        if getattr(assessment, name) is not None
    ]


def latest_measures(history: Iterable[Assessment]) -> dict[str, Measured]:
    latest: dict[str, Measured] = {}
    for assessment in history:
        for name in CAPACITY_FIELDS:
            value = getattr(assessment, name)
            if value is not None:
                latest[name] = Measured(Decimal(value), assessment.assessed_on)
    return latest


def demand_tasks(tasks: Iterable[JobTask]) -> list[DemandTask]:
    return [
        DemandTask(
            task_type=t.task_type,
            label=t.get_task_type_display(),
            description=t.description,
            load_kg=t.load_kg,
            frequency=t.frequency,
            distance_m=t.distance_m,
            duration_min=t.duration_min,
        )
        for t in tasks
    ]


@dataclass(frozen=True)
class FlagView:
    tier: Tier
    flags: tuple[str, ...]
    on: date | None

    @property
    def tier_key(self) -> str:
        return self.tier.name.lower()

    @property
    def action(self) -> str:
        return self.tier.action


def flag_view(assessment: Assessment | None) -> FlagView | None:
    if assessment is None or not assessment.red_flag_tier:
        return None
    labels = [BY_KEY[key].label for key in assessment.red_flags if key in BY_KEY]
    if assessment.rest_pain is not None and assessment.rest_pain >= UNCONTROLLED_REST_PAIN:
        labels.append(f"Pain at rest {assessment.rest_pain}/10 (uncontrolled)")
    return FlagView(Tier[assessment.red_flag_tier.upper()], tuple(labels), assessment.assessed_on)
