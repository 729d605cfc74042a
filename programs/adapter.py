"""From database rows to the engine's frozen dataclasses: plain functions, no saving.

``load(program, today)`` reads everything a plan, a projection or the program page needs
in a fixed number of queries (whatever the number of weeks, sessions or prescriptions);
the other functions turn those rows into engine input without touching the database.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Prefetch

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import JobTask, Patient, TaskType
from patients.models.jobs import LOAD_TASKS
from programs import engine
from programs.measures import (
    ASSESSMENT_COLUMNS,
    ASSESSMENT_FIELDS,
    DISTANCE_TASKS,
    DURATION_TASKS,
    GRIP_MEASURES,
)
from programs.models import (
    Exercise,
    Phase,
    Prescription,
    Program,
    QuantityKind,
    SessionLog,
    Week,
    WeekItem,
    WeekStatus,
)

RECORDED = (WeekStatus.OPEN, WeekStatus.CLOSED)
SEVERITY = {"amber": 1, "urgent": 2, "emergency": 3}
OREBRO = "ompsq_sf"
KINESIOPHOBIA = ("tsk17", "tsk11")


@dataclass(frozen=True)
class ProgramData:
    """One program as read at one moment: the rows every page and plan is built from."""

    program: Program
    phases: tuple[Phase, ...]
    prescriptions: tuple[Prescription, ...]  # all phases, with their exercises
    weeks: tuple[Week, ...]  # not cancelled, oldest first, items and sessions prefetched
    assessments: tuple[Assessment, ...]  # up to today, oldest first
    tasks: tuple[JobTask, ...]
    today: date

    @property
    def phase(self) -> Phase | None:
        return next((p for p in self.phases if p.pk == self.program.current_phase_id), None)

    @property
    def current_prescriptions(self) -> tuple[Prescription, ...]:
        phase_id = self.program.current_phase_id
        return tuple(p for p in self.prescriptions if p.phase_id == phase_id)

    @property
    def recorded_weeks(self) -> tuple[Week, ...]:
        return tuple(w for w in self.weeks if w.status in RECORDED)

    @property
    def current_week(self) -> Week | None:
        return next((w for w in reversed(self.weeks) if w.is_current), None)


def weeks_of(
    program: Program, prescriptions: Sequence[Prescription] = (), *, session_items: bool = True
) -> list[Week]:
    """The program's weeks with their items and sessions (and what each session logged,
    unless ``session_items`` is false). Given the program's prescriptions (with their
    exercises), items point at those instead of loading a copy of each per item."""
    items = WeekItem.objects.order_by("order", "id")
    if not prescriptions:
        items = items.select_related("prescription__exercise")
    sessions = SessionLog.objects.order_by("date", "id")
    if session_items:
        sessions = sessions.prefetch_related("items")
    weeks = list(
        Week.objects.filter(program=program)
        .exclude(status=WeekStatus.CANCELLED)
        .order_by("index")
        .prefetch_related(
            Prefetch("items", queryset=items), Prefetch("sessions", queryset=sessions)
        )
    )
    if prescriptions:
        relink(weeks, prescriptions)
    return weeks


def relink(weeks: Iterable[Week], prescriptions: Iterable[Prescription]) -> None:
    """Point each week item at its prescription among ``prescriptions`` (no query)."""
    known = {p.pk: p for p in prescriptions}
    for week in weeks:
        for item in week.items.all():
            if item.prescription_id in known:
                item.prescription = known[item.prescription_id]


def load(
    program: Program,
    today: date,
    *,
    session_items: bool = True,
    weeks: Sequence[Week] | None = None,
) -> ProgramData:
    """Seven queries: phases, prescriptions, weeks (+ items, sessions, session items),
    assessments and job tasks. Without ``session_items`` (only the engine's history reads
    them) six; given ``weeks`` as an earlier ``load`` read them (``rtw.revisions`` keeps
    them while the records are unchanged), four."""
    phases = tuple(Phase.objects.filter(program=program).order_by("order"))
    prescriptions = tuple(
        Prescription.objects.filter(phase__program=program)
        .select_related("exercise")
        .order_by("phase__order", "order", "id")
    )
    assessments: tuple[Assessment, ...] = ()
    if program.patient_id is not None:
        assessments = tuple(
            Assessment.objects.filter(patient_id=program.patient_id, assessed_on__lte=today)
            .only(*ASSESSMENT_COLUMNS)
            .order_by("assessed_on", "id")
        )
    tasks: tuple[JobTask, ...] = ()
    if program.job_profile_id is not None:
        tasks = tuple(JobTask.objects.filter(profile_id=program.job_profile_id))
    if weeks is None:
        weeks = weeks_of(program, prescriptions, session_items=session_items)
    else:
        relink(weeks, prescriptions)
    return ProgramData(program, phases, prescriptions, tuple(weeks), assessments, tasks, today)


# --- settings and risk ------------------------------------------------------------


def settings_of(program: Program) -> engine.Settings:
    return engine.Settings(
        cap=program.cap,
        deload_every=program.deload_every,
        mode=engine.Mode(program.mode),
        baseline_morning_pain=program.baseline_morning_pain,
        planned_sessions_per_week=program.sessions_per_week,
        target_date=program.target_date,
    )


@dataclass(frozen=True)
class Risk:
    previous_same_site_injury: bool
    smoker: bool
    diabetes: bool
    orebro_high: bool
    high_kinesiophobia: bool

    @property
    def labels(self) -> list[str]:
        names = {
            "previous_same_site_injury": "previous injury at the same site",
            "smoker": "smoker",
            "diabetes": "diabetes",
            "orebro_high": "ÖMPSQ-SF above 50",
            "high_kinesiophobia": "high kinesiophobia (TSK)",
        }
        return [label for name, label in names.items() if getattr(self, name)]

    @property
    def default_cap(self) -> Decimal:
        return engine.default_cap(
            previous_same_site_injury=self.previous_same_site_injury,
            smoker=self.smoker,
            diabetes=self.diabetes,
            orebro_high=self.orebro_high,
            high_kinesiophobia=self.high_kinesiophobia,
        )


def risk_of(patient: Patient) -> Risk:
    """The patient's risk factors, with the latest scored ÖMPSQ-SF and TSK (one query)."""
    latest: dict[str, bool] = {}
    rows = (
        QuestionnaireResponse.objects.filter(
            assessment__patient=patient,
            instrument__in=(OREBRO, *KINESIOPHOBIA),
            score__isnull=False,
        )
        .order_by("assessment__assessed_on", "assessment_id")
        .values_list("instrument", "high")
    )
    for instrument, high in rows:
        latest["tsk" if instrument in KINESIOPHOBIA else instrument] = high
    return Risk(
        previous_same_site_injury=patient.previous_same_site_injury,
        smoker=patient.smoker,
        diabetes=patient.diabetes,
        orebro_high=latest.get(OREBRO, False),
        high_kinesiophobia=latest.get("tsk", False),
    )


# --- job demands ----------------------------------------------------------------------


def demands_of(tasks: Iterable[JobTask]) -> dict[str, Decimal]:
    """Task type → the job's demand for it (kg; minutes; metres): the highest if several."""
    found: dict[str, Decimal] = {}
    for task in tasks:
        value = _task_demand(task)
        if value is not None and value > 0:
            found[task.task_type] = max(value, found.get(task.task_type, value))
    return found


def _task_demand(task: JobTask) -> Decimal | None:
    if task.task_type in LOAD_TASKS:
        return task.load_kg
    if task.task_type in DURATION_TASKS:
        return Decimal(task.duration_min) if task.duration_min is not None else None
    if task.task_type in DISTANCE_TASKS:
        return task.distance_m
    return task.load_kg


def demand_for(exercise: Exercise, tasks: Iterable[JobTask]) -> Decimal | None:
    """The job demand an exercise's quantity works toward: its task type's, in its unit."""
    if not exercise.task_type:
        return None
    kind = QuantityKind(exercise.quantity_kind)
    values = []
    for task in tasks:
        if task.task_type != exercise.task_type:
            continue
        if kind is QuantityKind.LOAD:
            values.append(task.load_kg)
        elif kind is QuantityKind.DURATION and task.duration_min is not None:
            values.append(Decimal(task.duration_min))
        elif kind is QuantityKind.DISTANCE:
            values.append(task.distance_m)
    present = [v for v in values if v is not None and v > 0]
    return max(present) if present else None


# --- assessments ------------------------------------------------------------------------


class AssessmentRow(Protocol):
    """What planning reads of an assessment: the model, or the batch's plain row of
    ``ASSESSMENT_COLUMNS`` (each measure is read by its column name)."""

    @property
    def assessed_on(self) -> date: ...
    @property
    def kind(self) -> str: ...
    @property
    def red_flag_tier(self) -> str: ...


def measures_of(assessment: AssessmentRow) -> dict[str, Decimal]:
    measures: dict[str, Decimal] = {}
    for name, field in ASSESSMENT_FIELDS.items():
        value = getattr(assessment, field)
        if value is not None:
            measures[name] = Decimal(value)
    for name, trials in GRIP_MEASURES.items():
        values = [getattr(assessment, t) for t in trials if getattr(assessment, t) is not None]
        if values:
            measures[name] = max(values)
    return measures


def latest_assessment(assessments: Sequence[AssessmentRow]) -> engine.Assessment | None:
    if not assessments:
        return None
    latest = assessments[-1]
    return engine.Assessment(latest.assessed_on, measures_of(latest))


def red_flag_state(
    assessments: Sequence[AssessmentRow], *, since: date | None, last_week_start: date | None
) -> engine.RedFlagState:
    """Flags raised in assessments, and the latest reassessment and new baseline.

    An assessment without a flag is a reassessment; a baseline one without a flag is also
    a new baseline. The engine takes one flag: any still uncleared beats a cleared one,
    then one raised since the last recorded week (its restart is still due), then the
    most severe and the latest. Cleared flags from before the program started are left
    out, so an old, resolved flag does not turn the first week into a restart.
    """
    clear = [a for a in assessments if not a.red_flag_tier]
    reassessed = max((a.assessed_on for a in clear), default=None)
    baseline = max((a.assessed_on for a in clear if a.kind == "baseline"), default=None)

    def cleared(a: AssessmentRow) -> bool:
        if baseline is not None and baseline >= a.assessed_on:
            return True
        return (
            a.red_flag_tier != "emergency"
            and reassessed is not None
            and (reassessed >= a.assessed_on)
        )

    flagged = [
        a
        for a in assessments
        if a.red_flag_tier and (not cleared(a) or since is None or a.assessed_on >= since)
    ]
    if not flagged:
        return engine.RedFlagState(reassessed_on=reassessed, new_baseline_on=baseline)
    pick = max(
        flagged,
        key=lambda a: (
            not cleared(a),
            last_week_start is None or a.assessed_on >= last_week_start,
            SEVERITY[a.red_flag_tier],
            a.assessed_on,
        ),
    )
    return engine.RedFlagState(
        tier=engine.RedFlagTier(pick.red_flag_tier),
        raised_on=pick.assessed_on,
        reassessed_on=reassessed,
        new_baseline_on=baseline,
    )


# --- weeks ------------------------------------------------------------------------------


def session_log(session: SessionLog, keys: Mapping[int, str]) -> engine.SessionLog:
    return engine.SessionLog(
        day=session.date,
        items=tuple(
            engine.ItemLog(keys[done.week_item_id], done.sets, done.reps, done.quantity)
            for done in session.items.all()
        ),
        pain_during=session.pain_during,
        pain_next_morning=session.pain_next_morning,
        soreness=session.soreness,
        fatigue=session.fatigue,
        rpe=session.rpe,
        red_flag=engine.RedFlagTier(session.red_flag_tier) if session.red_flag_tier else None,
        pain_at_rest=session.pain_at_rest,
    )


def week_record(week: Week) -> engine.WeekRecord:
    items = list(week.items.all())
    keys = {item.pk: item.prescription.key for item in items}
    return engine.WeekRecord(
        start=week.start_date,
        decision=engine.Decision(week.decision),
        planned=tuple(
            engine.PlannedItem(item.prescription.key, item.sets, item.reps, item.quantity)
            for item in items
        ),
        sessions=tuple(session_log(s, keys) for s in week.sessions.all()),
        planned_sessions=week.planned_sessions,
    )


def history_of(data: ProgramData) -> tuple[engine.WeekRecord, ...]:
    return tuple(week_record(week) for week in data.recorded_weeks)


class Dose(Protocol):
    @property
    def sets(self) -> int: ...
    @property
    def reps(self) -> int: ...
    @property
    def quantity(self) -> Decimal: ...


class StartValues(Dose, Protocol):
    """A prescription's starting values, as a model row or a plain row."""

    @property
    def key(self) -> str: ...
    @property
    def increment(self) -> Decimal: ...
    @property
    def target(self) -> Decimal | None: ...


def prescription_from(
    start: StartValues, *, name: str, unit: str, last: Dose | None
) -> engine.Prescription:
    """The values planned for the week just finished (the last week this exercise was in),
    or the phase's starting values before its first week."""
    return engine.Prescription(
        key=start.key,
        name=name,
        unit=unit,
        sets=last.sets if last else start.sets,
        reps=last.reps if last else start.reps,
        quantity=last.quantity if last else start.quantity,
        increment=start.increment,
        target=start.target,
        start_sets=start.sets,
        start_reps=start.reps,
        start_quantity=start.quantity,
    )


def engine_prescription(prescription: Prescription, last: WeekItem | None) -> engine.Prescription:
    exercise = prescription.exercise
    return prescription_from(prescription, name=exercise.name, unit=exercise.unit, last=last)


def last_items(weeks: Iterable[Week]) -> dict[str, WeekItem]:
    found: dict[str, WeekItem] = {}
    for week in weeks:
        for item in week.items.all():
            found[item.prescription.key] = item
    return found


def engine_prescriptions(data: ProgramData) -> tuple[engine.Prescription, ...]:
    last = last_items(data.recorded_weeks)
    return tuple(engine_prescription(p, last.get(p.key)) for p in data.current_prescriptions)


def flags_since(data: ProgramData) -> date | None:
    weeks = data.recorded_weeks
    return weeks[0].start_date if weeks else data.program.activated_on


def acwr_acknowledged(program: Program, history: Sequence[engine.WeekRecord]) -> bool:
    acknowledged = program.acwr_acknowledged_on
    if acknowledged is None:
        return False
    return not history or acknowledged >= history[-1].start


def plan_input(data: ProgramData) -> engine.PlanInput:
    program = data.program
    history = history_of(data)
    phase = data.phase
    first_order = min((p.order for p in data.phases), default=None)
    return engine.PlanInput(
        settings=settings_of(program),
        prescriptions=engine_prescriptions(data),
        history=history,
        red_flags=red_flag_state(
            data.assessments,
            since=flags_since(data),
            last_week_start=history[-1].start if history else None,
        ),
        today=data.today,
        acwr_acknowledged=acwr_acknowledged(program, history),
        exit_criteria=phase.criteria() if phase else (),
        latest_assessment=latest_assessment(data.assessments),
        demands=demands_of(data.tasks),
        phase_start=program.phase_started_on,
        is_first_phase=phase is not None and phase.order == first_order,
    )


def task_label(task_type: str) -> str:
    try:
        return str(TaskType(task_type).label)
    except ValueError:
        return task_type
