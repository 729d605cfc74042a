"""Demo assessments: each demo patient gets a baseline and progress assessments every
2–4 weeks up to today, so that the charts show a trajectory. One worker (Aisha Khan)
flares at her latest assessment: pain 8/10 at rest, an amber flag. Idempotent: a
patient who already has assessments is left alone.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from assessments.scoring import SCORERS, Instrument
from assessments.services import record_assessment
from assessments.values import MEASURE_FIELDS, AssessmentValues
from patients.models import Patient
from rtw.demo import DemoOrgs

GAPS = (21, 14, 28)  # days between assessments, in turn
PSFS_ACTIVITIES = ("Lifting boxes from the floor", "Driving for an hour", "Putting on socks")
REVERSED = {
    Instrument.TSK17: {"q4", "q8", "q12", "q16"},
    Instrument.OMPSQ_SF: {"light_work", "sleep", "working_in_3_months"},
}


@dataclass(frozen=True)
class Course:
    """How one worker's measures move from the first assessment to the latest."""

    first: dict[str, float]
    last: dict[str, float]
    # Share of disability (0–1) in the questionnaires at the first and latest assessment.
    burden: tuple[float, float]
    flare_at_latest: bool = False
    # A discharged worker's assessments stop after this many, the last a discharge.
    discharged_after: int | None = None


MALE = {"grip_left": 40.0, "grip_right": 44.0}
FEMALE = {"grip_left": 23.0, "grip_right": 26.0}

COURSES = {
    ("Jamie", "Carter"): Course(
        first={
            **MALE,
            "nprs": 7,
            "rest_pain": 4,
            "lift_floor_to_waist_kg": 8,
            "lift_waist_to_shoulder_kg": 5,
            "lift_overhead_kg": 3,
            "carry_kg": 6,
            "carry_distance_m": 10,
            "push_kg": 12,
            "pull_kg": 10,
            "standing_tolerance_min": 15,
            "sitting_tolerance_min": 30,
            "walking_distance_m": 300,
        },
        last={
            "grip_left": 46.0,
            "grip_right": 50.0,
            "nprs": 2,
            "rest_pain": 0,
            "lift_floor_to_waist_kg": 22,
            "lift_waist_to_shoulder_kg": 14,
            "lift_overhead_kg": 8,
            "carry_kg": 16,
            "carry_distance_m": 20,
            "push_kg": 26,
            "pull_kg": 22,
            "standing_tolerance_min": 90,
            "sitting_tolerance_min": 60,
            "walking_distance_m": 1200,
        },
        burden=(0.55, 0.15),
    ),
    ("Aisha", "Khan"): Course(
        first={
            **FEMALE,
            "nprs": 6,
            "rest_pain": 3,
            "lift_floor_to_waist_kg": 6,
            "lift_waist_to_shoulder_kg": 4,
            "carry_kg": 5,
            "carry_distance_m": 10,
            "push_kg": 10,
            "standing_tolerance_min": 20,
            "walking_distance_m": 400,
        },
        last={
            "grip_left": 25.0,
            "grip_right": 28.0,
            "nprs": 4,
            "rest_pain": 2,
            "lift_floor_to_waist_kg": 12,
            "lift_waist_to_shoulder_kg": 8,
            "carry_kg": 9,
            "carry_distance_m": 15,
            "push_kg": 16,
            "standing_tolerance_min": 45,
            "walking_distance_m": 800,
        },
        burden=(0.5, 0.35),
        flare_at_latest=True,
    ),
    ("Marek", "Nowak"): Course(
        first={
            **MALE,
            "nprs": 5,
            "rest_pain": 2,
            "lift_floor_to_waist_kg": 10,
            "lift_waist_to_shoulder_kg": 7,
            "carry_kg": 8,
            "push_kg": 15,
            "standing_tolerance_min": 30,
        },
        last={
            "grip_left": 43.0,
            "grip_right": 47.0,
            "nprs": 1,
            "rest_pain": 0,
            "lift_floor_to_waist_kg": 20,
            "lift_waist_to_shoulder_kg": 15,
            "carry_kg": 15,
            "push_kg": 25,
            "standing_tolerance_min": 120,
        },
        burden=(0.4, 0.1),
    ),
    ("Grace", "Obi"): Course(
        first={**FEMALE, "nprs": 6, "rest_pain": 3, "lift_floor_to_waist_kg": 4, "push_kg": 8},
        last={
            "grip_left": 26.0,
            "grip_right": 29.0,
            "nprs": 3,
            "rest_pain": 1,
            "lift_floor_to_waist_kg": 9,
            "push_kg": 16,
        },
        burden=(0.45, 0.2),
    ),
    ("Liam", "Walsh"): Course(
        first={**MALE, "nprs": 7, "rest_pain": 3, "lift_floor_to_waist_kg": 5, "push_kg": 10},
        last={
            "grip_left": 44.0,
            "grip_right": 48.0,
            "nprs": 3,
            "rest_pain": 1,
            "lift_floor_to_waist_kg": 11,
            "push_kg": 18,
        },
        burden=(0.6, 0.3),
    ),
    ("Sofia", "Rossi"): Course(
        first={**FEMALE, "nprs": 5, "rest_pain": 2, "lift_floor_to_waist_kg": 7, "push_kg": 9},
        last={**FEMALE, "nprs": 4, "rest_pain": 2, "lift_floor_to_waist_kg": 9, "push_kg": 12},
        burden=(0.35, 0.3),
    ),
    ("Daniel", "Price"): Course(
        first={**MALE, "nprs": 7, "rest_pain": 3, "lift_floor_to_waist_kg": 10, "carry_kg": 10},
        last={**MALE, "nprs": 4, "rest_pain": 1, "lift_floor_to_waist_kg": 18, "carry_kg": 16},
        burden=(0.6, 0.35),
    ),
    ("Oliver", "Grant"): Course(
        first={**MALE, "nprs": 6, "rest_pain": 2, "lift_floor_to_waist_kg": 7, "push_kg": 12},
        last={**MALE, "nprs": 5, "rest_pain": 2, "lift_floor_to_waist_kg": 9, "push_kg": 15},
        burden=(0.5, 0.45),
    ),
    ("Helen", "Moore"): Course(
        first={**FEMALE, "nprs": 6, "rest_pain": 2, "lift_floor_to_waist_kg": 5, "push_kg": 9},
        last={**FEMALE, "nprs": 1, "rest_pain": 0, "lift_floor_to_waist_kg": 11, "push_kg": 19},
        burden=(0.45, 0.05),
        discharged_after=5,
    ),
    ("Tariq", "Hussain"): Course(
        first={**MALE, "nprs": 5, "rest_pain": 2, "lift_floor_to_waist_kg": 9, "push_kg": 14},
        last={**MALE, "nprs": 3, "rest_pain": 1, "lift_floor_to_waist_kg": 14, "push_kg": 20},
        burden=(0.4, 0.2),
    ),
}


def _dates(onset: date, today: date) -> list[date]:
    day = onset + timedelta(days=10)
    days = []
    while day <= today:
        days.append(day)
        day += timedelta(days=GAPS[len(days) % len(GAPS)])
    return days


def _between(first: float, last: float, share: float) -> float:
    return first + (last - first) * share


def _answers(instrument: Instrument, level: float) -> dict[str, int | None]:
    """Answers whose raw total sits at ``level`` (0–1) of the scale, a little uneven."""
    answers: dict[str, int | None] = {}
    for i, item in enumerate(SCORERS[instrument].items):
        wobble = (i % 3 - 1) * 0.12
        share = min(max(level + wobble, 0.0), 1.0)
        value = item.low + round((item.high - item.low) * share)
        if item.key in REVERSED.get(instrument, set()):
            value = item.low + item.high - value
        answers[item.key] = value
    if instrument == Instrument.ODI:
        answers["sex_life"] = None  # often skipped; the ODI allows it
    return answers


def _measures(course: Course, share: float) -> dict[str, Decimal | int | None]:
    measures: dict[str, Decimal | int | None] = dict.fromkeys(MEASURE_FIELDS)
    for name, first in course.first.items():
        value = _between(first, course.last.get(name, first), share)
        if name.startswith("grip_"):
            for n, offset in enumerate((-1.0, 0.5, 0.5), start=1):
                measures[f"{name}_{n}"] = Decimal(str(round(value + offset, 1)))
        elif name in ("nprs", "rest_pain", "standing_tolerance_min", "sitting_tolerance_min"):
            measures[name] = round(value)
        elif name == "walking_distance_m":
            measures[name] = int(round(value, -1))
        else:
            # Loads to the nearest 0.5 kg, as they are weighed in the clinic.
            measures[name] = (Decimal(str(value)) * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
    return measures


def _values(course: Course, day: date, index: int, count: int) -> AssessmentValues:
    share = index / (count - 1) if count > 1 else 0.0
    measures = _measures(course, share)
    burden = _between(*course.burden, share)
    flags: frozenset[str] = frozenset()
    flare = course.flare_at_latest and count > 1 and index == count - 1
    if flare:
        measures.update(nprs=8, rest_pain=8)
        burden = course.burden[0]
        flags = frozenset({"uncontrolled_pain"})
    questionnaires: dict[str, dict[str, int | None]] = {
        Instrument.ODI.value: _answers(Instrument.ODI, burden),
        Instrument.PSFS.value: {
            f"activity_{n}": min(max(round(10 * (1 - burden)) - (n - 2), 0), 10) for n in (1, 2, 3)
        },
    }
    if index == 0 or index == count - 1:
        for instrument in (Instrument.TSK17, Instrument.START_BACK):
            questionnaires[instrument.value] = _answers(instrument, burden)
    if index == 0:
        for instrument in (Instrument.PCS, Instrument.OMPSQ_SF):
            questionnaires[instrument.value] = _answers(instrument, burden)
    kind = "baseline" if index == 0 else "progress"
    if course.discharged_after is not None and index == count - 1:
        kind = "discharge"
    return AssessmentValues(
        kind=kind,
        assessed_on=day,
        measures=measures,
        red_flags=flags,
        questionnaires=questionnaires,
        activity_names={f"activity_{n}": name for n, name in enumerate(PSFS_ACTIVITIES, 1)},
        notes="Flare-up after a weekend of DIY; pain at rest 8/10." if flare else "",
    )


def seed_assessments(orgs: DemoOrgs) -> None:
    today = timezone.localdate()
    clinic_ids = [clinic.pk for clinic in orgs.clinics.values()]
    patients = Patient.objects.filter(clinic_id__in=clinic_ids).select_related("physiotherapist")
    for patient in patients:
        course = COURSES.get((patient.first_name, patient.last_name))
        if course is None or patient.assessments.exists():
            continue
        days = _dates(patient.injury_onset, today)[: course.discharged_after]
        for index, day in enumerate(days):
            record_assessment(
                acting_user=patient.physiotherapist,
                patient=patient,
                values=_values(course, day, index, len(days)),
                today=today,
            )
