"""The rows an employer snapshot is built from, for many workers at once: one query each,
whatever their number. Clinical columns are never selected (``values()``), or are left
deferred (``only()``) where the engine's projection needs the row objects."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from assessments.capacity import DemandTask
from assessments.models import Assessment
from assessments.summary import CAPACITY_FIELDS
from patients.employer.values import SharedReport
from patients.models import JobTask, TaskType
from programs.models import Prescription, SessionLog, Week, WeekItem, WeekStatus
from rtw.models import Report, ReportStatus, User

# Only what the engine's projection reads of a session; notes and adverse events stay behind.
SESSION_COLUMNS = (
    "id",
    "week_id",
    "date",
    "pain_during",
    "pain_next_morning",
    "pain_at_rest",
    "soreness",
    "fatigue",
    "rpe",
    "red_flag_tier",
)


def weeks_of(
    program_ids: list[int], prescriptions: dict[int, list[Prescription]] | None = None
) -> dict[int, list[Week]]:
    """Four queries: the weeks, their items, their sessions and the sessions' items. Given
    the programs' prescriptions (``prescriptions_of``), items point at those instead of
    loading a copy of their prescription and exercise each."""
    known = {p.pk: p for rows in (prescriptions or {}).values() for p in rows}
    items = WeekItem.objects.order_by("order", "id")
    if not known:
        items = items.select_related("prescription__exercise")
    sessions = (
        SessionLog.objects.only(*SESSION_COLUMNS).order_by("date", "id").prefetch_related("items")
    )
    rows = (
        Week.objects.filter(program_id__in=program_ids)
        .exclude(status=WeekStatus.CANCELLED)
        .order_by("program_id", "index")
        .prefetch_related(
            Prefetch("items", queryset=items), Prefetch("sessions", queryset=sessions)
        )
    )
    found: dict[int, list[Week]] = {}
    for week in rows:
        found.setdefault(week.program_id, []).append(week)
        for item in week.items.all() if known else ():
            if item.prescription_id in known:
                item.prescription = known[item.prescription_id]
    return found


def prescriptions_of(program_ids: list[int]) -> dict[int, list[Prescription]]:
    found: dict[int, list[Prescription]] = {}
    rows = (
        Prescription.objects.filter(phase__program_id__in=program_ids)
        .select_related("exercise", "phase")
        .order_by("phase__order", "order", "id")
    )
    for prescription in rows:
        found.setdefault(prescription.phase.program_id, []).append(prescription)
    return found


def tasks_of(profile_ids: set[int]) -> dict[int, list[DemandTask]]:
    found: dict[int, list[DemandTask]] = {}
    rows = (
        JobTask.objects.filter(profile_id__in=profile_ids)
        .order_by("order", "id")
        .values(
            "profile_id",
            "task_type",
            "description",
            "load_kg",
            "frequency",
            "distance_m",
            "duration_min",
        )
    )
    for v in rows:
        found.setdefault(v["profile_id"], []).append(
            DemandTask(
                task_type=v["task_type"],
                label=label(TaskType, v["task_type"]),
                description=v["description"],
                load_kg=v["load_kg"],
                frequency=v["frequency"],
                distance_m=v["distance_m"],
                duration_min=v["duration_min"],
            )
        )
    return found


def measures_of(
    patient_ids: list[int], until: date
) -> dict[int, list[tuple[date, dict[str, Decimal]]]]:
    """Per patient, oldest first: each assessment's day and its capacity measures only."""
    found: dict[int, list[tuple[date, dict[str, Decimal]]]] = {}
    rows = (
        Assessment.objects.filter(patient_id__in=patient_ids, assessed_on__lte=until)
        .order_by("assessed_on", "id")
        .values("patient_id", "assessed_on", *CAPACITY_FIELDS)
    )
    for v in rows:
        values = {name: Decimal(v[name]) for name in CAPACITY_FIELDS if v[name] is not None}
        found.setdefault(v["patient_id"], []).append((v["assessed_on"], values))
    return found


def shared_reports_of(
    viewer: User | None, patient_ids: list[int]
) -> dict[int, tuple[SharedReport, ...]]:
    if viewer is None or viewer.employer_id is None or not patient_ids:
        return {}
    rows = (
        Report.objects.filter(
            patient_id__in=patient_ids,
            employer_id=viewer.employer_id,
            recipients=viewer,
            status=ReportStatus.READY,
            shared_at__isnull=False,
        )
        .order_by("-number")
        .values("patient_id", "uuid", "number", "period_from", "period_to", "rendered_at")
    )
    found: dict[int, list[SharedReport]] = {}
    for v in rows:
        found.setdefault(v["patient_id"], []).append(
            SharedReport(v["uuid"], v["number"], v["period_from"], v["period_to"], v["rendered_at"])
        )
    return {k: tuple(v) for k, v in found.items()}


def label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value
