"""Validation rules shared by the forms (to show every error beside its field) and the
services (so that nothing that bypasses a form can store bad data).

Each function returns a list of ``(field, message)``; empty means acceptable.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from patients.demand_levels import format_kg_lb
from patients.models import FrequencyClass, TaskType
from patients.models.jobs import LOAD_TASKS

Problems = list[tuple[str, str]]

MIN_AGE = 14
MAX_AGE = 100

MIN_LOAD_KG = Decimal("0.1")
MAX_LOAD_KG = Decimal("200")
MAX_HEIGHT_CM = 250
MAX_DISTANCE_M = Decimal("20000")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def patient_date_problems(
    date_of_birth: date | None, injury_onset: date | None, today: date
) -> Problems:
    problems: Problems = []
    if date_of_birth is not None:
        if date_of_birth > today:
            problems.append(("date_of_birth", "The date of birth cannot be in the future."))
        elif not MIN_AGE <= (age := age_on(date_of_birth, today)) <= MAX_AGE:
            problems.append(
                (
                    "date_of_birth",
                    f"Check the date of birth: it makes the patient {age} years old "
                    f"(expected {MIN_AGE} to {MAX_AGE}).",
                )
            )
    if injury_onset is not None:
        if injury_onset > today:
            problems.append(("injury_onset", "The injury onset cannot be in the future."))
        elif date_of_birth is not None and injury_onset < date_of_birth:
            problems.append(
                ("injury_onset", "The injury onset cannot be before the date of birth.")
            )
    return problems


def consent_date_problems(
    field: str, day: date, today: date, not_before: date | None, not_before_what: str
) -> Problems:
    if day > today:
        return [(field, "This date cannot be in the future.")]
    if not_before is not None and day < not_before:
        return [(field, f"This date cannot be before {not_before_what} ({not_before:%d %b %Y}).")]
    return []


def load_problems(task_type: str, load_kg: Decimal | None) -> Problems:
    if load_kg is None:
        if task_type in LOAD_TASKS:
            label = TaskType(task_type).label.lower()
            return [("load", f"A {label} needs its load or force: enter it in kg or lb.")]
        return []
    if load_kg < 0:
        return [("load", "A load cannot be negative.")]
    if load_kg == 0:
        return [("load", "Enter a load above 0, or leave it empty for a task without a load.")]
    if load_kg < MIN_LOAD_KG:
        return [("load", f"Enter at least {format_kg_lb(MIN_LOAD_KG)}.")]
    if load_kg > MAX_LOAD_KG:
        return [
            (
                "load",
                f"{format_kg_lb(load_kg)} is more than any task can demand (at most "
                f"{format_kg_lb(MAX_LOAD_KG)}). Check the number and the unit.",
            )
        ]
    return []


def task_problems(data: Mapping[str, Any], shift_hours: Decimal) -> Problems:
    """Rules for one critical task; ``data`` holds the model's field names."""
    problems: Problems = []
    task_type = data.get("task_type")
    if task_type not in TaskType.values:
        problems.append(("task_type", "Choose a task type."))
    if data.get("frequency") not in FrequencyClass.values:
        problems.append(("frequency", "Choose how often the task is done."))
    problems += load_problems(str(task_type), data.get("load_kg"))
    for field in ("height_from_cm", "height_to_cm"):
        height = data.get(field)
        if height is not None and not 0 <= height <= MAX_HEIGHT_CM:
            problems.append((field, f"Enter a height between 0 and {MAX_HEIGHT_CM} cm."))
    distance = data.get("distance_m")
    if distance is not None and not 0 < distance <= MAX_DISTANCE_M:
        problems.append(
            ("distance_m", f"Enter a distance above 0 and at most {MAX_DISTANCE_M:,} m.")
        )
    duration = data.get("duration_min")
    shift_minutes = int(shift_hours * 60)
    if duration is not None:
        if duration <= 0:
            problems.append(("duration_min", "Enter a duration of at least 1 minute."))
        elif duration > shift_minutes:
            problems.append(
                (
                    "duration_min",
                    f"A task cannot last longer than the {shift_hours.normalize():f}-hour shift "
                    f"({shift_minutes} min).",
                )
            )
    return problems
