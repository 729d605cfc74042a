"""Everything the program page shows, built from one ``adapter.load`` (constant queries):
the phase timeline, this week, the history with reasons, ACWR, projection and charts."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from programs import adapter, charts, engine
from programs.engine.history import daily_loads, next_week_start
from programs.engine.past import Past
from programs.engine.redflags import active_flag, pause_decision, pending_restart
from programs.models import Phase, Prescription, Program, SessionLog, Week, WeekItem
from programs.rules import fmt, percent, with_unit
from rtw import chart_cache, revisions

WHAT_IF_CAPS = tuple(Decimal(n) / 1000 for n in (100, 125, 150, 175, 200))
DECISION_BADGES = {
    "progress": "badge-ok",
    "hold": "badge-off",
    "deload": "badge-wait",
    "resume": "badge-wait",
    "regress": "badge-danger",
}


@dataclass(frozen=True)
class Step:
    phase: Phase
    state: str  # done / current / upcoming
    weeks: int  # weeks planned in it so far
    prescriptions: tuple[Prescription, ...]

    @property
    def criteria(self) -> list[str]:
        return self.phase.criteria_lines()


@dataclass(frozen=True)
class ItemRow:
    item: WeekItem
    name: str
    unit: str

    def _dose(self, sets: int, reps: int, quantity: Decimal) -> str:
        return f"{sets} × {reps} × {with_unit(quantity, self.unit)}"

    @property
    def values(self) -> str:
        return self._dose(self.item.sets, self.item.reps, self.item.quantity)

    @property
    def proposal(self) -> str:
        i = self.item
        return self._dose(i.proposed_sets, i.proposed_reps, i.proposed_quantity)

    @property
    def base(self) -> str:
        i = self.item
        if i.base_quantity is None or i.base_sets is None or i.base_reps is None:
            return "none yet"
        return self._dose(i.base_sets, i.base_reps, i.base_quantity)

    @property
    def maximum(self) -> str:
        return with_unit(self.item.max_quantity, self.unit)


@dataclass(frozen=True)
class WeekRow:
    week: Week
    items: tuple[ItemRow, ...]
    sessions: tuple[SessionLog, ...]

    @property
    def badge(self) -> str:
        return DECISION_BADGES.get(self.week.decision, "badge-off")

    @property
    def overrides(self) -> list[ItemRow]:
        return [row for row in self.items if row.item.is_lowered]

    @property
    def pain_summary(self) -> str:
        if not self.sessions:
            return "no sessions logged"
        during = max(s.pain_during for s in self.sessions)
        mornings = [s.pain_next_morning for s in self.sessions if s.pain_next_morning is not None]
        morning = f", next morning up to {max(mornings)}/10" if mornings else ""
        rpe = max(s.rpe for s in self.sessions)
        return f"pain during up to {during}/10{morning}, RPE up to {rpe}"

    @property
    def flags(self) -> list[SessionLog]:
        return [s for s in self.sessions if s.red_flag_tier]


@dataclass(frozen=True)
class ProjectionRow:
    name: str
    unit: str
    target: Decimal
    weeks_needed: int | None
    date: date | None

    @property
    def target_text(self) -> str:
        return with_unit(self.target, self.unit)


@dataclass(frozen=True)
class Alternative:
    cap: Decimal
    full_duty_date: date | None
    selected: bool

    @property
    def value(self) -> str:
        return fmt(self.cap)

    @property
    def label(self) -> str:
        return percent(self.cap)


@dataclass(frozen=True)
class ProjectionView:
    cap: Decimal
    rows: tuple[ProjectionRow, ...]
    full_duty_date: date | None
    uncovered: tuple[str, ...]  # job demands no prescription of this phase works toward
    alternatives: tuple[Alternative, ...]  # the full-duty date under each cap

    @property
    def cap_text(self) -> str:
        return percent(self.cap)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str
    summary: str
    rows: tuple[tuple[str, str, str, str], ...]  # week, prescribed, completed, cap


@dataclass(frozen=True)
class Banner:
    tier: str
    text: str
    can_resume: bool


@dataclass(frozen=True)
class ProgramPage:
    data: adapter.ProgramData
    steps: tuple[Step, ...]
    current: WeekRow | None
    history: tuple[WeekRow, ...]  # newest first
    acwr: engine.Acwr
    projection: ProjectionView | None
    charts: tuple[Chart, ...]
    banner: Banner | None
    next_start: date

    @property
    def program(self) -> Program:
        return self.data.program

    @property
    def proposal_week(self) -> Week | None:
        for row in (self.current, *self.history):
            if row is not None and row.week.phase_proposal_status == "pending":
                return row.week
        return None

    @property
    def phase(self) -> Phase | None:
        return self.data.phase


def _rows(week: Week) -> WeekRow:
    items = tuple(
        ItemRow(item, item.prescription.exercise.name, item.prescription.exercise.unit)
        for item in week.items.all()
    )
    return WeekRow(week, items, tuple(week.sessions.all()))


def _steps(data: adapter.ProgramData) -> tuple[Step, ...]:
    current = data.phase
    counts: dict[int, int] = {}
    for week in data.weeks:
        counts[week.phase_id] = counts.get(week.phase_id, 0) + 1
    steps = []
    for phase in data.phases:
        if current is None:
            state = "upcoming"
        elif phase.order < current.order:
            state = "done"
        elif phase.pk == current.pk:
            state = "current"
        else:
            state = "upcoming"
        rows = tuple(p for p in data.prescriptions if p.phase_id == phase.pk)
        steps.append(Step(phase, state, counts.get(phase.pk, 0), rows))
    return tuple(steps)


def _state(
    data: adapter.ProgramData, history: tuple[engine.WeekRecord, ...]
) -> engine.RedFlagState:
    return adapter.red_flag_state(
        data.assessments,
        since=adapter.flags_since(data),
        last_week_start=history[-1].start if history else None,
    )


def _banner(data: adapter.ProgramData, history: tuple[engine.WeekRecord, ...]) -> Banner | None:
    if not data.program.is_halted:
        return None
    state = _state(data, history)
    found = Past.of(history, data.program.baseline_morning_pain).flags(state)
    flag = active_flag(state, found)
    if flag is not None:
        _, reason = pause_decision(flag)
        return Banner(flag.tier.value, reason.text, can_resume=False)
    cleared = pending_restart(state, found, history[-1].start if history else None)
    tier = cleared.tier.value if cleared else "amber"
    return Banner(
        tier,
        f"The red flag has been cleared by the reassessment of {state.reassessed_on}: the "
        "program can resume (the next week restarts as rule 6 says).",
        can_resume=True,
    )


def next_start_of(data: adapter.ProgramData, history: tuple[engine.WeekRecord, ...]) -> date:
    current = data.current_week
    if current is not None:
        return current.start_date + timedelta(days=7)
    return next_week_start(history, data.today)


@dataclass(frozen=True)
class Derived:
    """What the page reads from the program's whole history (every session's logged items):
    cached per patient revision (``rtw.revisions``), so a visit that finds it loads neither
    those rows nor runs the engine. Names, units and job demands are joined on fresh."""

    next_start: date
    acwr: engine.Acwr
    projection: engine.Projection | None
    alternatives: tuple[tuple[Decimal, date | None], ...]  # what-if: cap → full-duty date
    points: tuple[tuple[str, tuple[charts.LoadPoint, ...]], ...]  # chart key → its points


def _settings(program: Program, cap: Decimal | None) -> engine.Settings:
    settings = adapter.settings_of(program)
    return settings if cap is None else replace(settings, cap=cap)


def derive(data: adapter.ProgramData, cap: Decimal | None) -> Derived:
    history = adapter.history_of(data)
    start = next_start_of(data, history)
    settings = _settings(data.program, cap)
    prescriptions = adapter.engine_prescriptions(data)
    result: engine.Projection | None = None
    alternatives: tuple[tuple[Decimal, date | None], ...] = ()
    if prescriptions:
        try:
            result = engine.project(prescriptions, settings, start, history=history)
            caps = tuple(sorted({*WHAT_IF_CAPS, data.program.cap, settings.cap}))
            alternatives = tuple(
                (p.cap, p.full_duty_date)
                for p in engine.what_if(prescriptions, settings, start, history=history, caps=caps)
            )
        except engine.EngineInputError:
            result = None  # the page still shows everything else; planning reports the problem
    return Derived(
        next_start=start,
        acwr=engine.acwr(daily_loads(history), data.today),
        projection=result,
        alternatives=alternatives,
        points=tuple((p.key, _points(data, p.key)) for p in _charted(data)),
    )


def projection(
    data: adapter.ProgramData, derived: Derived, cap: Decimal | None
) -> ProjectionView | None:
    result = derived.projection
    if result is None:
        return None
    by_key = {p.key: p for p in data.current_prescriptions}
    rows = tuple(
        ProjectionRow(
            by_key[i.key].exercise.name,
            by_key[i.key].exercise.unit,
            by_key[i.key].target or Decimal(0),
            i.weeks_needed,
            i.date,
        )
        for i in result.items
        if i.key in by_key
    )
    covered = {p.exercise.task_type for p in data.current_prescriptions if p.target is not None}
    uncovered = tuple(
        adapter.task_label(task) for task in adapter.demands_of(data.tasks) if task not in covered
    )
    chosen = _settings(data.program, cap).cap
    alternatives = tuple(
        Alternative(c, full_duty, c == chosen) for c, full_duty in derived.alternatives
    )
    return ProjectionView(chosen, rows, result.full_duty_date, uncovered, alternatives)


def _charted(data: adapter.ProgramData) -> list[Prescription]:
    current = data.current_prescriptions
    return [p for p in current if p.is_key] or [p for p in current if p.target is not None]


def _points(data: adapter.ProgramData, key: str) -> tuple[charts.LoadPoint, ...]:
    points = []
    for week in data.weeks:
        item = next((i for i in week.items.all() if i.prescription.key == key), None)
        if item is None:
            continue
        done = [
            d.quantity
            for s in week.sessions.all()
            for d in s.items.all()
            if d.week_item_id == item.pk and d.sets > 0 and d.reps > 0
        ]
        points.append(
            charts.LoadPoint(
                week.index,
                week.start_date,
                item.quantity,
                min(done) if done else None,
                item.max_quantity,
            )
        )
    return tuple(points)


def _charts(data: adapter.ProgramData, derived: Derived) -> tuple[Chart, ...]:
    points_of = dict(derived.points)
    found = []
    for prescription in _charted(data):
        points = list(points_of.get(prescription.key, ()))
        name, unit = prescription.exercise.name, prescription.exercise.unit
        text = charts.summary(name, unit, points, prescription.target)
        svg = chart_cache.svg(charts.load_chart, name, unit, points, prescription.target, text)
        rows = tuple(
            (
                f"Week {p.week} ({p.start:%d %b})",
                with_unit(p.prescribed, unit),
                "—" if p.completed is None else with_unit(p.completed, unit),
                with_unit(p.cap, unit),
            )
            for p in points
        )
        found.append(Chart(prescription.key, f"{name} ({unit})", svg, text, rows))
    return tuple(found)


def build(program: Program, today: date, *, cap: Decimal | None = None) -> ProgramPage:
    """The page. What it reads from the whole history (``Derived``) and the weeks it lists
    come from the revision cache when this revision of the patient's records was shown
    today; a halted program (its banner reads the history) and a template are always read
    afresh."""
    patient = (
        program.patient.uuid if program.patient is not None and not program.is_halted else None
    )
    found = revisions.lookup(
        "program-page", {patient: f"{program.pk}:{today}:{cap}"} if patient else {}
    )
    cached: tuple[Derived, tuple[Week, ...]] | None = found.found.get(patient) if patient else None
    if cached is not None:
        derived, weeks = cached
        data = adapter.load(program, today, weeks=weeks)
    else:
        data = adapter.load(program, today)
        derived = derive(data, cap)
        if patient:
            found.store({patient: (derived, _without_session_items(data.weeks))})
    phases = {phase.pk: phase for phase in data.phases}
    for week in data.weeks:
        week.phase = phases[week.phase_id]  # already loaded: no query per week
    rows = [_rows(week) for week in data.weeks]
    current = rows[-1] if rows and rows[-1].week.is_current else None
    past = tuple(reversed([r for r in rows if r is not current]))
    return ProgramPage(
        data=data,
        steps=_steps(data),
        current=current,
        history=past,
        acwr=derived.acwr,
        projection=projection(data, derived, cap),
        charts=_charts(data, derived),
        banner=_banner(data, adapter.history_of(data)) if program.is_halted else None,
        next_start=derived.next_start,
    )


def _without_session_items(weeks: tuple[Week, ...]) -> tuple[Week, ...]:
    """The weeks as the page lists them: what each session logged is only read by
    ``derive``, so it is left out of what is cached (most of the rows)."""
    for week in weeks:
        for session in week.sessions.all():
            getattr(session, "_prefetched_objects_cache", {}).pop("items", None)
    return weeks


def cap_choices() -> list[tuple[str, str]]:
    return [(fmt(c), percent(c)) for c in WHAT_IF_CAPS]
