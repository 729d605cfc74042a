"""The plain values of one assessment, as the service takes them, and their checks.

The form builds these from what the clinician typed (loads already converted to kg);
anything else that records assessments (an import, an API) builds them too, and the
service checks them again here, so every way in refuses the same bad input.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from assessments.models import (
    CARRY_DISTANCE_MAX_M,
    GRIP_FIELDS,
    GRIP_MAX_KG,
    GRIP_MIN_KG,
    LOAD_FIELDS,
    LOAD_MAX_KG,
    LOAD_MIN_KG,
    TOLERANCE_MAX_MIN,
    WALKING_MAX_M,
    AssessmentKind,
    InstrumentChoice,
)
from assessments.scoring import SCORERS, Instrument, ResponseError, ScoreResult
from assessments.scoring.red_flags import BY_KEY
from patients.demand_levels import kg_to_lb
from patients.models import Patient
from rtw.errors import ServiceError

Number = Decimal | int

WHOLE_FIELDS = ("standing_tolerance_min", "sitting_tolerance_min", "walking_distance_m")
PAIN_FIELDS = ("nprs", "rest_pain")
MEASURE_FIELDS = (*GRIP_FIELDS, *LOAD_FIELDS, "carry_distance_m", *WHOLE_FIELDS, *PAIN_FIELDS)
# Questionnaires the form offers, in the order it shows them.
FORM_INSTRUMENTS = tuple(Instrument(choice.value) for choice in InstrumentChoice)


@dataclass(frozen=True)
class AssessmentValues:
    kind: str
    assessed_on: date
    # Field name (MEASURE_FIELDS) → value in kg, minutes, metres or NPRS points.
    measures: Mapping[str, Number | None]
    red_flags: frozenset[str] = frozenset()
    # Instrument key → item key → response; an instrument left blank is not stored.
    questionnaires: Mapping[str, Mapping[str, int | None]] = field(default_factory=dict)
    # PSFS item key → the activity's name.
    activity_names: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""

    def answered(self) -> dict[str, dict[str, int | None]]:
        """The questionnaires with at least one answer: only these are stored."""
        return {
            instrument: dict(items)
            for instrument, items in self.questionnaires.items()
            if any(v is not None for v in items.values())
        }


def plain(value: Decimal) -> str:
    """20.00 → "20", 22.50 → "22.5" (never "2E+1")."""
    return format(value.normalize(), "f")


def _range_text(low: Decimal, high: Decimal) -> str:
    lb_low = kg_to_lb(low).quantize(Decimal("0.1"))
    lb_high = kg_to_lb(high).quantize(Decimal("0.1"))
    return f"between {low} and {high} kg ({lb_low}–{lb_high} lb)"


def load_error(label: str, kg: Decimal, *, grip: bool = False) -> str | None:
    """The message for a load outside its plausible range, or None when it is fine."""
    low, high = (GRIP_MIN_KG, GRIP_MAX_KG) if grip else (LOAD_MIN_KG, LOAD_MAX_KG)
    if low <= kg <= high:
        return None
    return f"Enter the {label} in kg {_range_text(low, high)}; this is {kg.normalize():f} kg."


def measure_error(name: str, value: Number) -> str | None:
    if name in GRIP_FIELDS:
        return load_error("grip strength", Decimal(value), grip=True)
    if name in LOAD_FIELDS:
        return load_error("capacity", Decimal(value))
    if name in PAIN_FIELDS:
        return None if 0 <= value <= 10 else "Pain is rated from 0 (none) to 10 (worst)."
    if name == "carry_distance_m":
        ok = 1 <= value <= CARRY_DISTANCE_MAX_M
        return None if ok else f"Enter the carry distance in metres, 1 to {CARRY_DISTANCE_MAX_M}."
    if name == "walking_distance_m":
        ok = 0 <= value <= WALKING_MAX_M and value == int(value)
        return None if ok else f"Enter the walking distance in whole metres, 0 to {WALKING_MAX_M}."
    if name in WHOLE_FIELDS:
        ok = 0 <= value <= TOLERANCE_MAX_MIN and value == int(value)
        return None if ok else f"Enter whole minutes from 0 to {TOLERANCE_MAX_MIN} (12 hours)."
    raise ServiceError(f"Unknown measure {name!r}.")


def check(values: AssessmentValues, patient: Patient, today: date) -> dict[str, ScoreResult]:
    """Raise ServiceError for the first bad value; return each stored questionnaire's score."""
    if values.kind not in AssessmentKind.values:
        raise ServiceError("Choose the kind of assessment.", field="kind")
    if values.assessed_on > today:
        raise ServiceError("The assessment date cannot be in the future.", field="assessed_on")
    if values.assessed_on < patient.injury_onset:
        raise ServiceError(
            f"The assessment date cannot be before the injury onset "
            f"({patient.injury_onset.day} {patient.injury_onset:%b %Y}).",
            field="assessed_on",
        )
    for name, value in values.measures.items():
        if value is None:
            continue
        message = measure_error(name, value)
        if message:
            raise ServiceError(message, field=name)
    for side in ("left", "right"):
        trials = [values.measures.get(f"grip_{side}_{n}") for n in (1, 2, 3)]
        if any(t is not None for t in trials) and any(t is None for t in trials):
            missing = next(n for n, t in enumerate(trials, start=1) if t is None)
            raise ServiceError(
                "Enter all three grip trials for this hand, or none.",
                field=f"grip_{side}_{missing}",
            )
    unknown = sorted(values.red_flags - BY_KEY.keys())
    if unknown:
        raise ServiceError(f"Unknown red flag {unknown[0]!r}.", field="red_flags")
    return _scores(values)


def _scores(values: AssessmentValues) -> dict[str, ScoreResult]:
    results: dict[str, ScoreResult] = {}
    for instrument, responses in values.answered().items():
        if instrument not in FORM_INSTRUMENTS:
            raise ServiceError(f"Unknown questionnaire {instrument!r}.")
        try:
            results[instrument] = SCORERS[Instrument(instrument)].score(responses)
        except ResponseError as error:
            raise ServiceError(str(error), field=f"{instrument}__{error.item_key}") from error
    psfs = values.answered().get(Instrument.PSFS, {})
    for key, rating in psfs.items():
        if rating is not None and not values.activity_names.get(key, "").strip():
            raise ServiceError("Name the activity you rated.", field=f"psfs__{key}__name")
    return results
