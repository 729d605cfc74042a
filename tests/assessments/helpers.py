"""Building assessment input for tests: a full, valid form post and service values."""

from datetime import date
from decimal import Decimal
from typing import Any

from assessments.scoring import SCORERS, Instrument
from assessments.values import MEASURE_FIELDS, AssessmentValues

# A low-back-pain worker a few weeks in: every questionnaire answered.
ODI = {
    "pain_intensity": 3,
    "personal_care": 1,
    "lifting": 4,
    "walking": 1,
    "sitting": 2,
    "standing": 2,
    "sleeping": 1,
    "sex_life": None,
    "social_life": 2,
    "travelling": 1,
}  # 17 of 45 → 37.8 %
START_BACK = {
    "leg_pain": 1,
    "neck_shoulder_pain": 0,
    "short_walks_only": 1,
    "slower_dressing": 1,
    "activity_unsafe": 1,
    "worrying_thoughts": 0,
    "never_better": 0,
    "less_enjoyment": 0,
    "bothersomeness": 3,
}  # total 5, psychosocial 2 → medium risk
PSFS = {"activity_1": 4, "activity_2": 5, "activity_3": 6}
PSFS_NAMES = {"activity_1": "Lifting boxes", "activity_2": "Driving", "activity_3": "Gardening"}


def form_data(**overrides: Any) -> dict[str, Any]:
    """A POST for the assessment form: baseline on 1 Oct 2026, loads in kg."""
    data: dict[str, Any] = {
        "kind": "baseline",
        "assessed_on": "2026-10-01",
        "load_unit": "kg",
        "nprs": "6",
        "rest_pain": "3",
        "grip_left_1": "38",
        "grip_left_2": "40",
        "grip_left_3": "39",
        "grip_right_1": "44",
        "grip_right_2": "45",
        "grip_right_3": "46",
        "lift_floor_to_waist_kg": "15",
        "lift_waist_to_shoulder_kg": "10",
        "carry_kg": "12",
        "carry_distance_m": "10",
        "push_kg": "20",
        "standing_tolerance_min": "30",
        "walking_distance_m": "400",
    }
    for key, value in ODI.items():
        data[f"odi__{key}"] = "" if value is None else str(value)
    for key, value in START_BACK.items():
        data[f"start_back__{key}"] = str(value)
    for key, value in PSFS.items():
        data[f"psfs__{key}"] = str(value)
        data[f"psfs__{key}__name"] = PSFS_NAMES[key]
    data.update({k: v for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


def values(**overrides: Any) -> AssessmentValues:
    measures: dict[str, Decimal | int | None] = dict.fromkeys(MEASURE_FIELDS)
    measures.update(
        nprs=6,
        rest_pain=3,
        lift_floor_to_waist_kg=Decimal("15"),
        lift_waist_to_shoulder_kg=Decimal("10"),
        carry_kg=Decimal("12"),
        push_kg=Decimal("20"),
        standing_tolerance_min=30,
    )
    measures.update(overrides.pop("measures", {}))
    questionnaires = {
        Instrument.ODI.value: dict(ODI),
        Instrument.START_BACK.value: dict(START_BACK),
        Instrument.PSFS.value: dict(PSFS),
    }
    questionnaires.update(overrides.pop("questionnaires", {}))
    fields: dict[str, Any] = {
        "kind": "baseline",
        "assessed_on": date(2026, 10, 1),
        "measures": measures,
        "questionnaires": questionnaires,
        "activity_names": dict(PSFS_NAMES),
    }
    fields.update(overrides)
    return AssessmentValues(**fields)


def all_items(instrument: str, value: int) -> dict[str, int]:
    return {item.key: value for item in SCORERS[Instrument(instrument)].items}


def make_assessment(patient: Any, physio: Any = None, **overrides: Any) -> Any:
    """Record an assessment through the service (scores and flags as in real use)."""
    from assessments.services import record_assessment

    return record_assessment(
        acting_user=physio or patient.physiotherapist,
        patient=patient,
        values=values(**overrides),
    )
