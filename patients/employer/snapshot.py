"""What an employer may see of a worker: an explicit allowlist, nothing else.

The snapshot (``values.WorkerSnapshot``) is built from ``.values()`` rows and plain
dataclasses (``loading``), never handed a model instance, so an employer template or a PDF
report cannot reach a field that is not listed. The consent's scope decides which parts
are filled; a part outside it stays empty and the pages say "not shared".

Never here: diagnosis, injury, risk factors, pain, questionnaires, red flags or why a
program is paused, notes, adverse events, session detail, prescriptions. A paused or
suspended program reads the same ("paused for clinical review"), so not even the
severity shows.

The same snapshot, as JSON, is what a PDF report is made from.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404

from assessments.capacity import DemandTask, Measured, capacity_against_demand
from assessments.summary import day_text
from patients.employer import loading
from patients.employer.values import (
    NO_PROGRAM,
    STATUS_WORDS,
    Attendance,
    DemandLine,
    LiftSeries,
    Scope,
    SharedReport,
    WorkerSnapshot,
)
from patients.models import Consent, FrequencyClass, Patient, TaskType
from patients.scoping import shared_consents
from programs import adapter, engine
from programs.models import Prescription, Program, ProgramStatus, Week, WeekStatus
from programs.models.programs import ENDED
from programs.page import next_start_of
from programs.queries import current_programs
from programs.rtw_share import RtwShare, rtw_share_for
from rtw import audit, revisions
from rtw.models import User

ATTENDANCE_WEEKS = 4
WORKERS_PER_PAGE = 10
VIEWER_ORDER = ("patient__last_name", "patient__first_name", "patient_id")
LIFTS = (
    (TaskType.LIFT_FLOOR_TO_WAIST, "lift_floor_to_waist_kg"),
    (TaskType.LIFT_WAIST_TO_SHOULDER, "lift_waist_to_shoulder_kg"),
    (TaskType.LIFT_OVERHEAD, "lift_overhead_kg"),
)
__all__ = ["WorkerSnapshot", "current_programs", "for_report", "snapshots", "viewer_consents"]


# --- who may be seen -------------------------------------------------------------------


def viewer_consents(user: User) -> QuerySet[Consent]:
    """The open consents of the viewer's own employer's workers (one row per worker)."""
    return shared_consents(user)


def viewer_page(user: User, *, number: str | int | None) -> tuple[Page[Consent], list["_Row"]]:
    """One page of the dashboard's workers, read afresh, with the access logged. Only its
    workers' histories are then read (``snapshots``), so the page costs the same for an
    employer with 20 workers sharing or with 500."""
    consents = viewer_consents(user).order_by(*VIEWER_ORDER)
    paginator = Paginator(consents, WORKERS_PER_PAGE)
    wanted = _page_number(number)
    rows: list[_Row] = []
    total = 0
    if wanted is not None:
        # The page's rows and how many there are in all, in one query (COUNT(*) OVER ()).
        start = (wanted - 1) * WORKERS_PER_PAGE
        window = consents.annotate(_total=Window(Count("pk")))
        rows, total = _counted_rows(window[start : start + WORKERS_PER_PAGE])
    if rows and wanted is not None:
        paginator.__dict__["count"] = total  # what Paginator.count would have asked
        page = paginator.page(wanted)
    else:  # no such page (or none at all): Django's answer, the first or the last page
        page = paginator.get_page(number)
        rows = _rows(cast(QuerySet[Consent], page.object_list))
    audit.accessed_many(user, [(row.uuid, row.clinic_id) for row in rows])
    return page, rows


def _page_number(number: str | int | None) -> int | None:
    """A page number as asked for, if it is one (1 or more); none asked for is the first."""
    if number is None or number == "":
        return 1
    try:
        wanted = int(number)
    except ValueError:
        return None
    return wanted if wanted >= 1 else None


def snapshots(rows: Sequence["_Row"], *, viewer: User, today: date) -> list[WorkerSnapshot]:
    return build(rows, since=_window(today), until=today, today=today, viewer=viewer)


def worker_row(user: User, patient_uuid: UUID) -> "_Row":
    """The viewer's consenting worker (404 for any other), with the access logged. Its
    fields, read afresh on every visit, are what the page shows besides the records."""
    rows = _rows(viewer_consents(user).filter(patient__uuid=patient_uuid))
    if not rows:
        audit.refused(Patient, user=user, tenant="employer_id", lookup={"uuid": patient_uuid})
        raise Http404("No such worker is shared with you.")
    audit.accessed(user, patient_uuid=rows[0].uuid, patient_clinic_id=rows[0].clinic_id)
    return rows[0]


def worker_for_viewer(row: "_Row", *, viewer: User, today: date) -> WorkerSnapshot:
    return snapshots([row], viewer=viewer, today=today)[0]


def for_report(
    consent: Consent, *, period_from: date, period_to: date, today: date
) -> WorkerSnapshot:
    """What a report made now under ``consent`` shows (no list of earlier reports)."""
    rows = _rows(Consent.objects.filter(pk=consent.pk))
    return build(rows, since=period_from, until=period_to, today=today, viewer=None)[0]


def _window(today: date) -> date:
    return today - timedelta(days=7 * ATTENDANCE_WEEKS)


@dataclass(frozen=True)
class _Row:
    patient_id: int
    uuid: UUID
    clinic_id: int  # for the access event only: never shown to the viewer
    name: str
    job_title: str
    job_profile_id: int | None
    clinician: str
    registration_number: str
    employer: str
    scope: Scope


_ROW_FIELDS = (
    "patient_id",
    "patient__uuid",
    "patient__clinic_id",
    "patient__first_name",
    "patient__last_name",
    "patient__job_title",
    "patient__job_profile_id",
    "patient__physiotherapist__first_name",
    "patient__physiotherapist__last_name",
    "patient__physiotherapist__email",
    "patient__physiotherapist__registration_number",
    "employer__name",
    "share_status",
    "share_capacity",
    "share_restrictions",
    "share_reports",
)


def _rows(consents: QuerySet[Consent]) -> list[_Row]:
    return [_row(v) for v in consents.values(*_ROW_FIELDS)]


def _counted_rows(consents: QuerySet[Consent]) -> tuple[list[_Row], int]:
    """The rows of a slice of ``consents`` annotated with ``_total``, and that total."""
    values = list(consents.values(*_ROW_FIELDS, "_total"))
    return [_row(v) for v in values], (values[0]["_total"] if values else 0)


def _row(v: dict[str, Any]) -> _Row:
    first, last = (
        v["patient__physiotherapist__first_name"],
        v["patient__physiotherapist__last_name"],
    )
    physio = f"{first} {last}"
    return _Row(
        patient_id=v["patient_id"],
        uuid=v["patient__uuid"],
        clinic_id=v["patient__clinic_id"],
        name=f"{v['patient__first_name']} {v['patient__last_name']}",
        job_title=v["patient__job_title"],
        job_profile_id=v["patient__job_profile_id"],
        clinician=physio.strip() or v["patient__physiotherapist__email"],
        registration_number=v["patient__physiotherapist__registration_number"],
        employer=v["employer__name"],
        scope=Scope(
            status=v["share_status"],
            capacity=v["share_capacity"],
            restrictions=v["share_restrictions"],
            reports=v["share_reports"],
        ),
    )


# --- building ------------------------------------------------------------------------------


def build(
    rows: Sequence[_Row], *, since: date, until: date, today: date, viewer: User | None
) -> list[WorkerSnapshot]:
    """The snapshots of ``rows`` in a fixed number of queries, however many there are."""
    if not rows:
        return []
    ids = [row.patient_id for row in rows]
    programs = current_programs(ids, "current_phase")
    progress = _progress_of(rows, programs, since=since, until=until, today=today)
    profile_of = {
        row.patient_id: _profile_id(programs.get(row.patient_id), row.job_profile_id)
        for row in rows
    }
    tasks = loading.tasks_of({p for p in profile_of.values() if p is not None})
    history = loading.measures_of(ids, until)
    shares = rtw_share_for(
        [row.patient_id for row in rows if row.scope.restrictions or row.scope.status]
    )
    reports = loading.shared_reports_of(viewer, [r.patient_id for r in rows if r.scope.reports])
    snapshots = []
    for row in rows:
        program = programs.get(row.patient_id)
        profile_id = profile_of[row.patient_id]
        snapshots.append(
            _snapshot(
                row,
                program=program,
                progress=progress.get(row.uuid),
                tasks=tasks.get(profile_id, []) if profile_id is not None else None,
                history=history.get(row.patient_id, []),
                share=shares.get(row.patient_id),
                reports=reports.get(row.patient_id, ()),
                since=since,
                until=until,
            )
        )
    return snapshots


@dataclass(frozen=True)
class _Progress:
    """What a worker's program history says to an employer: read from every week, session
    and logged item, so cached per patient revision (``rtw.revisions``)."""

    attendance: Attendance
    full_duty: tuple[date | None, str]


def _progress_of(
    rows: Sequence[_Row], programs: dict[int, Program], *, since: date, until: date, today: date
) -> dict[UUID, _Progress]:
    """Patient uuid → progress, for the rows whose scope shows it. The weeks are read (five
    queries for all of them) only for the workers whose progress is not cached."""
    wanted = {
        row.uuid: programs[row.patient_id]
        for row in rows
        if row.patient_id in programs and (row.scope.status or row.scope.restrictions)
    }
    found = revisions.lookup(
        "employer-progress",
        {uuid: f"{program.pk}:{since}:{until}:{today}" for uuid, program in wanted.items()},
    )
    missing = {uuid: p for uuid, p in wanted.items() if uuid not in found.found}
    if not missing:
        return found.found
    program_ids = [p.pk for p in missing.values()]
    prescriptions = loading.prescriptions_of(program_ids)
    weeks = loading.weeks_of(program_ids, prescriptions)
    computed = {
        uuid: _Progress(
            attendance(weeks.get(p.pk, []), since, until),
            _full_duty(p, weeks.get(p.pk, []), prescriptions.get(p.pk, []), today),
        )
        for uuid, p in missing.items()
    }
    found.store(computed)
    return {**found.found, **computed}


def _snapshot(
    row: _Row,
    *,
    program: Program | None,
    progress: _Progress | None,
    tasks: list[DemandTask] | None,
    history: list[tuple[date, dict[str, Decimal]]],
    share: RtwShare | None,
    reports: tuple[SharedReport, ...],
    since: date,
    until: date,
) -> WorkerSnapshot:
    scope = row.scope
    parts: dict[str, Any] = {}
    if scope.status:
        parts["status"] = STATUS_WORDS[ProgramStatus(program.status)] if program else NO_PROGRAM
        phase = program.current_phase if program else None
        parts["phase"] = f"Phase {phase.order}: {phase.name}" if phase else None
        parts["attendance"] = progress.attendance if progress else attendance([], since, until)
        parts["next_review"] = share.next_review if share else None
    if scope.capacity:
        table = capacity_against_demand(tasks, _latest(history))
        parts["job_level"] = table.job_level.label if table.job_level else None
        parts["demands"] = tuple(_line(r) for r in table.rows)
        parts["demands_message"] = (
            "" if table.rows else "The job's physical demands have not been recorded yet."
        )
        parts["lifts"] = _lifts(history, tasks or [])
    if scope.restrictions:
        parts["plan"] = share
        parts["full_duty_date"], parts["full_duty_text"] = (
            progress.full_duty if progress else _full_duty(None, [], [], until)
        )
    return WorkerSnapshot(
        uuid=row.uuid,
        name=row.name,
        job_role=row.job_title,
        employer=row.employer,
        clinician=share.clinician_name if share and share.clinician_name else row.clinician,
        registration_number=(
            share.registration_number if share and share.clinician_name else row.registration_number
        ),
        scope=scope,
        as_of=until,
        reports=reports,
        **parts,
    )


def _profile_id(program: Program | None, patient_profile_id: int | None) -> int | None:
    if program is not None and program.job_profile_id is not None:
        return program.job_profile_id
    return patient_profile_id


def _latest(history: list[tuple[date, dict[str, Decimal]]]) -> dict[str, Measured]:
    latest: dict[str, Measured] = {}
    for day, values in history:
        for name, value in values.items():
            latest[name] = Measured(value, day)
    return latest


def _line(row: Any) -> DemandLine:
    task = row.task
    frequency = loading.label(FrequencyClass, task.frequency) if task.frequency else ""
    return DemandLine(
        task=task.label,
        description=task.description,
        frequency=frequency if row.is_load else "",
        demand=row.demand_text,
        capacity=row.capacity_text,
        percent=int(row.percent_met) if row.percent_met is not None else None,
        met=row.status,
        measured_on=row.capacity.on if row.capacity else None,
        note=row.note,
    )


def _lifts(
    history: list[tuple[date, dict[str, Decimal]]], tasks: list[DemandTask]
) -> tuple[LiftSeries, ...]:
    series = []
    for task_type, field in LIFTS:
        points = tuple((day, values[field]) for day, values in history if field in values)
        loads = [t.load_kg for t in tasks if t.task_type == task_type and t.load_kg]
        demand = max(loads) if loads else None
        if points or demand is not None:
            series.append(LiftSeries(str(task_type.label), points, demand))
    return tuple(series)


def attendance(weeks: Sequence[Week], since: date, until: date) -> Attendance:
    """Sessions logged against sessions planned, over the program weeks that started and
    ended inside the period (a week still running would count as missed sessions)."""
    done = [
        w
        for w in weeks
        if w.status in (WeekStatus.OPEN, WeekStatus.CLOSED)
        and w.start_date >= since
        and w.end_date <= until
    ]
    return Attendance(
        attended=sum(len(w.sessions.all()) for w in done),
        planned=sum(w.planned_sessions for w in done),
        weeks=len(done),
        since=since,
        until=until,
    )


def _full_duty(
    program: Program | None, weeks: list[Week], prescriptions: list[Prescription], today: date
) -> tuple[date | None, str]:
    if program is None or program.status == ProgramStatus.DRAFT:
        return None, "Not projected yet: the program has not started."
    if program.status in (ProgramStatus.PAUSED, ProgramStatus.SUSPENDED):
        return None, "To be confirmed after the clinical review."
    if program.status in ENDED:
        return None, "The program has ended."
    data = adapter.ProgramData(program, (), tuple(prescriptions), tuple(weeks), (), (), today)
    history = adapter.history_of(data)
    try:
        result = engine.project(
            adapter.engine_prescriptions(data),
            adapter.settings_of(program),
            next_start_of(data, history),
            history=history,
        )
    except engine.EngineInputError:
        result = None
    if result is None or result.full_duty_date is None:
        return None, "Not projected yet."
    return result.full_duty_date, f"Projected full duties from {day_text(result.full_duty_date)}."
