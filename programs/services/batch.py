"""The weekly batch: propose next week for every active program whose week has ended.

For each program it runs the same engine, on the same input, as ``weekly.plan_next_week``
(``adapter.plan_input`` over ``adapter.load``) and stores the same result: the open week
closed, any pending phase proposal lapsed, the new week awaiting the clinician's review (or
the program paused when the engine says so), each with its audit event. It differs only in
how it reads and writes: a chunk of programs is read in a fixed number of queries, as plain
rows rather than model instances, and written with one bulk statement per table, so the
number of queries per chunk does not depend on the chunk's size or the programs' history.

The clinician still reviews every proposal: the batch never opens a week.
"""

import gc
import json
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, cast

from django.db import connection, transaction
from django.db.models import Exists, F, Model, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment
from patients.models import JobTask
from programs import adapter, engine
from programs.measures import ASSESSMENT_COLUMNS
from programs.models import (
    Phase,
    PhaseProposalStatus,
    Prescription,
    Program,
    ProgramCarry,
    ProgramStatus,
    QuantityKind,
    SessionItem,
    SessionLog,
    Week,
    WeekItem,
    WeekStatus,
)
from programs.models.exercises import UNITS
from programs.rules import cap_problems
from programs.services.common import PROGRAM_FIELDS, snapshot
from programs.services.flags import halt_text
from programs.services.weekly import plan_reason, planned_event, planned_item, planned_week
from rtw import copy_rows
from rtw.audit_tracking import Scope, scope_annotations
from rtw.models import AuditEvent

CHUNK_SIZE = 500
T = TypeVar("T")
CLOSE_REASON = "Closed to plan the next week."


@dataclass
class BatchResult:
    """What one run did. ``failed`` maps a program id to why it was left alone."""

    planned: int = 0
    halted: int = 0
    chunks: int = 0
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def programs(self) -> int:
        return self.planned + self.halted + len(self.failed)


def due_programs(today: date) -> Any:
    """Active patient programs with no week awaiting review and no open week still running."""
    planned = Week.objects.filter(program=OuterRef("pk"), status=WeekStatus.PLANNED)
    running = Week.objects.filter(
        program=OuterRef("pk"), status=WeekStatus.OPEN, start_date__gt=today - timedelta(days=7)
    )
    return (
        Program.objects.filter(status=ProgramStatus.ACTIVE, is_template=False)
        .exclude(current_phase=None)
        .filter(~Exists(planned), ~Exists(running))
    )


def propose_next_weeks(today: date, *, chunk_size: int = CHUNK_SIZE) -> BatchResult:
    """Plan next week for every due program, ``chunk_size`` programs per transaction."""
    result = BatchResult()
    last = 0
    while True:
        with transaction.atomic(), _collector_paused():
            programs = next_chunk(today, after=last, size=chunk_size)
            if not programs:
                return result
            _Chunk(programs, today, result).run()
        result.chunks += 1
        last = programs[-1].pk


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a chunk runs. Everything a chunk reads
    lives until it is written, so each collection the growing heap sets off frees nothing
    and walks every object again: a third of the batch's time. Reference counting still
    frees what the chunk drops; the collector runs again as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def next_chunk(today: date, *, after: int, size: int) -> list[Program]:
    """The next ``size`` due programs after id ``after``, locked (others running the batch
    skip them), each with its clinic and patient for the audit events."""
    return list(
        due_programs(today)
        .filter(pk__gt=after)
        .select_for_update(of=("self",), skip_locked=True)
        .annotate(**scope_annotations(Program))
        .order_by("pk")[:size]
    )


def build_carries(*, chunk_size: int = CHUNK_SIZE) -> int:
    """Store, for every active program without one, the carry of all its recorded weeks but
    the last (that week is the one the next batch closes and reads whole). Run once after
    an upgrade, so that the first batch already reads one week per program; without it the
    batch builds each carry itself the first time it plans a program. Returns how many."""
    built, last = 0, 0
    while True:
        with transaction.atomic():
            programs = list(
                Program.objects.filter(status=ProgramStatus.ACTIVE, is_template=False, pk__gt=last)
                .filter(carry__isnull=True)
                .order_by("pk")[:chunk_size]
            )
            if not programs:
                return built
            weeks = _Loaded._weeks([p.pk for p in programs], [])
            rows = []
            for program in programs:
                recorded = [w for w in weeks.get(program.pk, []) if w.status in adapter.RECORDED]
                if len(recorded) < 2:
                    continue
                try:
                    carry = engine.carry_of(_history(recorded[:-1]), program.baseline_morning_pain)
                except engine.EngineInputError:
                    continue  # the batch will say why when it plans this program
                data = engine.carry_to_data(carry)
                rows.append(ProgramCarry(program=program, week_id=recorded[-2].pk, data=data))
            ProgramCarry.objects.bulk_create(rows)
            built += len(rows)
        last = programs[-1].pk


# --- reading a chunk -------------------------------------------------------------------


@dataclass
class _Item:
    pk: int
    key: str
    sets: int
    reps: int
    quantity: Decimal


@dataclass
class _Week:
    pk: int
    index: int
    start: date
    decision: str
    status: str
    planned_sessions: int
    items: list[_Item] = field(default_factory=list)
    sessions: list[engine.SessionLog] = field(default_factory=list)


@dataclass(frozen=True)
class _Prescription:
    pk: int
    key: str
    name: str
    unit: str
    sets: int
    reps: int
    quantity: Decimal
    increment: Decimal
    target: Decimal | None


class _Phase(NamedTuple):
    pk: int
    order: int
    exit_criteria: str


# An assessment as planning reads it (``adapter.AssessmentRow``), without a model instance.
_AssessmentRow = namedtuple("_AssessmentRow", list(ASSESSMENT_COLUMNS))  # type: ignore[misc]


class _Loaded:
    """Everything the engine reads for the chunk's programs, in eleven queries whatever the
    chunk holds.

    A program whose stored carry runs through the recorded week before its last one is read
    as that carry and the last week only; any other (no carry yet, a carry under another
    baseline or from before an admin edit) has its whole history read and folded here, and
    its plan is the same either way (``engine.past``).
    """

    def __init__(self, programs: list[Program], today: date) -> None:
        ids = [p.pk for p in programs]
        self.phases: dict[int, list[_Phase]] = defaultdict(list)
        for pk, program_id, order, criteria in (
            Phase.objects.filter(program_id__in=ids)
            .order_by()  # read by id and order; the model's ordering joins the program
            .values_list("id", "program_id", "order", "exit_criteria")
        ):
            self.phases[program_id].append(_Phase(pk, order, criteria))
        self.prescriptions = self._prescriptions([p.current_phase_id for p in programs])
        self.carries, latest = self._carries(programs)
        whole = [p.pk for p in programs if p.pk not in self.carries]
        self.weeks = self._weeks(whole, latest)
        self.assessments: dict[int, list[adapter.AssessmentRow]] = defaultdict(list)
        patient_ids = {p.patient_id for p in programs if p.patient_id is not None}
        for patient_id, *row in (
            Assessment.objects.filter(patient_id__in=patient_ids, assessed_on__lte=today)
            .order_by("assessed_on", "id")
            .values_list("patient_id", *ASSESSMENT_COLUMNS)
        ):
            self.assessments[patient_id].append(cast(adapter.AssessmentRow, _AssessmentRow(*row)))
        self.tasks: dict[int, list[JobTask]] = defaultdict(list)
        profile_ids = {p.job_profile_id for p in programs if p.job_profile_id is not None}
        for task in JobTask.objects.filter(profile_id__in=profile_ids).only(
            "profile_id", "task_type", "load_kg", "duration_min", "distance_m"
        ):
            self.tasks[task.profile_id].append(task)

    @staticmethod
    def _prescriptions(phase_ids: Iterable[int | None]) -> dict[int, list[_Prescription]]:
        found: dict[int, list[_Prescription]] = defaultdict(list)
        for row in (
            Prescription.objects.filter(phase_id__in=[i for i in phase_ids if i is not None])
            .order_by("order", "id")  # within each phase, as the adapter lists them
            .values_list(
                "id",
                "phase_id",
                "exercise_id",
                "exercise__name",
                "exercise__quantity_kind",
                "sets",
                "reps",
                "quantity",
                "increment",
                "target",
            )
        ):
            pk, phase_id, exercise_id, name, kind, sets, reps, quantity, increment, target = row
            found[phase_id].append(
                _Prescription(
                    pk,
                    f"ex{exercise_id}",
                    name,
                    UNITS[QuantityKind(kind)],
                    sets,
                    reps,
                    quantity,
                    increment,
                    target,
                )
            )
        return found

    @staticmethod
    def _carries(programs: list[Program]) -> tuple[dict[int, engine.Carry], list[int]]:
        """Each program's usable stored carry: it runs through the recorded week before the
        last one; and the last recorded week of each program that has one (two queries: the
        last two recorded weeks, the carries)."""
        ids = [p.pk for p in programs]
        last_two: dict[int, list[int]] = defaultdict(list)
        for program_id, week_id in (
            Week.objects.filter(program_id__in=ids, status__in=adapter.RECORDED)
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("program_id")], order_by=F("index").desc())
            )
            .filter(rank__lte=2)
            .order_by("program_id", "-index")
            .values_list("program_id", "id")
        ):
            last_two[program_id].append(week_id)
        baselines = {p.pk: p.baseline_morning_pain for p in programs}
        found: dict[int, engine.Carry] = {}
        for program_id, week_id, data in ProgramCarry.objects.filter(
            program_id__in=[i for i, weeks in last_two.items() if len(weeks) == 2]
        ).values_list("program_id", "week_id", "data"):
            if last_two[program_id][1] != week_id:
                continue
            try:
                carry = engine.carry_from_data(data)
            except engine.EngineInputError:
                continue
            if carry.baseline == baselines[program_id]:
                found[program_id] = carry
        for program_id in ids:
            if len(last_two.get(program_id, ())) < 2:
                found[program_id] = engine.Carry(baselines[program_id])  # nothing before
        latest = [last_two[i][0] for i in found if last_two.get(i)]
        return found, latest

    @staticmethod
    def _weeks(whole: list[int], latest: list[int]) -> dict[int, list[_Week]]:
        """Four queries: weeks, their items, their sessions, the sessions' items: every week
        of the ``whole`` programs, and the ``latest`` weeks (of programs with a carry)."""
        weeks: dict[int, list[_Week]] = defaultdict(list)
        by_pk: dict[int, _Week] = {}
        for pk, program_id, index, start, decision, status, planned in (
            Week.objects.filter(Q(program_id__in=whole) | Q(pk__in=latest))
            .exclude(status=WeekStatus.CANCELLED)
            .order_by("program_id", "index")
            .values_list(
                "id", "program_id", "index", "start_date", "decision", "status", "planned_sessions"
            )
        ):
            week = _Week(pk, index, start, decision, status, planned)
            weeks[program_id].append(week)
            by_pk[pk] = week
        keys: dict[int, str] = {}
        order_of: dict[int, int] = {}
        # The exercise by a lookup per item: a join made PostgreSQL hash every prescription.
        exercise = (
            Prescription.objects.filter(pk=OuterRef("prescription_id"))
            .order_by()
            .values("exercise_id")
        )
        for pk, week_id, exercise_id, order, sets, reps, quantity in (
            WeekItem.objects.filter(week_id__in=by_pk)
            .annotate(exercise_id=Subquery(exercise[:1]))
            .order_by("week_id", "order", "id")
            .values_list("id", "week_id", "exercise_id", "order", "sets", "reps", "quantity")
        ):
            key = f"ex{exercise_id}"
            keys[pk], order_of[pk] = key, order
            by_pk[week_id].items.append(_Item(pk, key, sets, reps, quantity))
        logged: dict[int, list[tuple[int, int, engine.ItemLog]]] = defaultdict(list)
        for pk, session_id, item_id, sets, reps, quantity in (
            SessionItem.objects.filter(session__week_id__in=by_pk)
            .order_by()  # sorted below; the model's ordering joins up to the program
            .values_list("id", "session_id", "week_item_id", "sets", "reps", "quantity")
        ):
            log = _interned(engine.ItemLog, keys[item_id], sets, reps, quantity)
            logged[session_id].append((order_of[item_id], pk, log))
        # The order adapter.load's prefetch gives: the week item's order, then the row's id.
        done = {session: tuple(log for *_, log in sorted(rows)) for session, rows in logged.items()}
        for row in (
            SessionLog.objects.filter(week_id__in=by_pk)
            .order_by("week_id", "date", "id")
            .values_list(
                "id",
                "week_id",
                "date",
                "pain_during",
                "pain_next_morning",
                "soreness",
                "fatigue",
                "rpe",
                "red_flag_tier",
                "pain_at_rest",
            )
        ):
            pk, week_id, day, during, morning, soreness, fatigue, rpe, tier, rest = row
            by_pk[week_id].sessions.append(
                engine.SessionLog(
                    day=day,
                    items=done.get(pk, ()),
                    pain_during=during,
                    pain_next_morning=morning,
                    soreness=soreness,
                    fatigue=fatigue,
                    rpe=rpe,
                    red_flag=engine.RedFlagTier(tier) if tier else None,
                    pain_at_rest=rest,
                )
            )
        return weeks


# --- one program's input, as adapter.plan_input builds it ------------------------------

_INTERNED: dict[tuple[Any, ...], Any] = {}


def _interned(
    kind: Callable[[str, int, int, Decimal], T], key: str, sets: int, reps: int, quantity: Decimal
) -> T:
    """One shared frozen value per distinct row: the same item done the same way in many
    sessions is validated once, not every time. (Quantities all come from 2-decimal
    columns, so equal Decimals here are also written alike.)"""
    found = _INTERNED.get((kind, key, sets, reps, quantity))
    if found is None:
        if len(_INTERNED) > 200_000:
            _INTERNED.clear()
        found = _INTERNED[(kind, key, sets, reps, quantity)] = kind(key, sets, reps, quantity)
    return found


def _history(weeks: list[_Week]) -> tuple[engine.WeekRecord, ...]:
    return tuple(
        engine.WeekRecord(
            start=w.start,
            decision=engine.Decision(w.decision),
            planned=tuple(
                _interned(engine.PlannedItem, i.key, i.sets, i.reps, i.quantity) for i in w.items
            ),
            sessions=tuple(w.sessions),
            planned_sessions=w.planned_sessions,
        )
        for w in weeks
        if w.status in adapter.RECORDED
    )


def _engine_prescriptions(
    current: list[_Prescription], carry: engine.Carry, history: tuple[engine.WeekRecord, ...]
) -> tuple[engine.Prescription, ...]:
    last = dict(carry.planned)
    for week in history:
        for item in week.planned:
            last[item.key] = item
    return tuple(
        adapter.prescription_from(p, name=p.name, unit=p.unit, last=last.get(p.key))
        for p in current
    )


def plan_input(
    program: Program,
    *,
    carry: engine.Carry | None,
    phases: list[_Phase],
    prescriptions: list[_Prescription],
    weeks: list[_Week],
    assessments: list[adapter.AssessmentRow],
    tasks: list[JobTask],
    today: date,
) -> engine.PlanInput:
    """The engine input ``adapter.plan_input(adapter.load(program, today))`` builds, as the
    carry of every recorded week but the last, and that week. ``carry`` None: ``weeks``
    holds every week, and they are folded here."""
    history = _history(weeks)
    if carry is None:
        carry = engine.carry_of(history[:-1], program.baseline_morning_pain)
        history = history[-1:]
    since = carry.first_start or (history[0].start if history else program.activated_on)
    phase = next((p for p in phases if p.pk == program.current_phase_id), None)
    first_order = min((p.order for p in phases), default=None)
    return engine.PlanInput(
        settings=adapter.settings_of(program),
        prescriptions=_engine_prescriptions(prescriptions, carry, history),
        history=history,
        carry=carry,
        red_flags=adapter.red_flag_state(
            assessments, since=since, last_week_start=history[-1].start if history else None
        ),
        today=today,
        acwr_acknowledged=adapter.acwr_acknowledged(program, history),
        exit_criteria=_criteria(phase.exit_criteria) if phase else (),
        latest_assessment=adapter.latest_assessment(assessments),
        demands=adapter.demands_of(tasks),
        phase_start=program.phase_started_on,
        is_first_phase=phase is not None and phase.order == first_order,
    )


_CRITERIA: dict[str, tuple[engine.Criterion, ...]] = {}


def _criteria(text: str) -> tuple[engine.Criterion, ...]:
    """``Phase.criteria()``, parsed once per distinct text (parsing is pure)."""
    if text not in _CRITERIA:
        _CRITERIA[text] = Phase(exit_criteria=text).criteria()
    return _CRITERIA[text]


# --- planning and writing a chunk ------------------------------------------------------


class _Chunk:
    def __init__(self, programs: list[Program], today: date, result: BatchResult) -> None:
        self.programs = programs
        self.today = today
        self.result = result
        self.now = timezone.now()
        self.closed: list[tuple[Program, _Week]] = []
        self.new_weeks: list[tuple[Week, list[WeekItem], engine.WeekPlan]] = []
        self.halts: list[tuple[Program, str, str]] = []
        self.events: list[dict[str, Any]] = []
        self.carries: list[tuple[int, int, dict[str, Any]]] = []  # program, week, data

    def run(self) -> None:
        loaded = self.read()
        self.plan(loaded)
        self.write()

    def read(self) -> "_Loaded":
        return _Loaded(self.programs, self.today)

    def plan(self, loaded: "_Loaded") -> None:
        for program in self.programs:
            self.plan_one(program, loaded)

    def plan_one(self, program: Program, loaded: _Loaded) -> None:
        weeks = loaded.weeks.get(program.pk, [])
        prescriptions = loaded.prescriptions.get(program.current_phase_id or 0, [])
        phases = loaded.phases.get(program.pk, [])
        try:
            inp = plan_input(
                program,
                carry=loaded.carries.get(program.pk),
                phases=phases,
                prescriptions=prescriptions,
                weeks=weeks,
                assessments=loaded.assessments.get(program.patient_id or 0, []),
                tasks=loaded.tasks.get(program.job_profile_id or 0, []),
                today=self.today,
            )
            plan = engine.plan_next_week(inp)
        except engine.EngineInputError as error:
            self.result.failed[program.pk] = f"cannot be planned from its records: {error}"
            return
        open_week = next((w for w in weeks if w.status == WeekStatus.OPEN), None)
        if plan.decision in (engine.Decision.PAUSED, engine.Decision.SUSPENDED):
            tier = "emergency" if plan.decision is engine.Decision.SUSPENDED else "amber"
            source = plan.reasons[0].text if plan.reasons else "the engine"
            self.halts.append((program, tier, source))
        else:
            phase = next((p for p in phases if p.pk == program.current_phase_id), None)
            built = self.build_week(program, phase, phases, prescriptions, weeks, plan)
            if built is None:
                return
            self.new_weeks.append(built)
        if open_week is not None:
            self.closed.append((program, open_week))
        self.keep_carry(program, inp, weeks)

    def keep_carry(self, program: Program, inp: engine.PlanInput, weeks: list[_Week]) -> None:
        """The carry through the last recorded week, now closed for good (a carry through a
        week still open would miss the sessions logged in it later)."""
        last = [w for w in weeks if w.status in adapter.RECORDED][-1:]
        if inp.carry is None or not inp.history or not last:
            return
        through = engine.fold(inp.carry, inp.history[-1])
        self.carries.append((program.pk, last[0].pk, engine.carry_to_data(through)))

    def build_week(
        self,
        program: Program,
        phase: _Phase | None,
        phases: list[_Phase],
        prescriptions: list[_Prescription],
        weeks: list[_Week],
        plan: engine.WeekPlan,
    ) -> tuple[Week, list[WeekItem], engine.WeekPlan] | None:
        if phase is None or plan.start is None:
            self.result.failed[program.pk] = "has no current phase to plan"
            return None
        week = planned_week(
            plan,
            program=program,
            phase=phase,
            phases=phases,
            index=max((w.index for w in weeks), default=0) + 1,
            today=self.today,
        )
        by_key = {p.key: p for p in prescriptions}
        items = []
        for order, planned in enumerate(plan.items):
            prescription = by_key[planned.key]
            item = planned_item(planned, order=order)
            item.prescription_id = prescription.pk
            # The model's cap check (WeekItem.clean), without its per-row unique queries.
            problems = cap_problems(
                sets=item.sets,
                reps=item.reps,
                quantity=item.quantity,
                base_sets=item.base_sets,
                base_reps=item.base_reps,
                base_quantity=item.base_quantity,
                max_quantity=item.max_quantity,
                cap=program.cap,
                target=prescription.target,
                unit=prescription.unit,
            )
            if problems:
                self.result.failed[program.pk] = " ".join(problems.values())
                return None
            items.append(item)
        return week, items, plan

    def event(
        self,
        *,
        action: str,
        target: tuple[type[Model], int],
        clinic_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        """A named event by the system (the batch acts for no one)."""
        self.events.append(
            {
                "action": action,
                "target": target,
                "clinic_id": clinic_id,
                "before": before or {},
                "after": after or {},
                "reason": reason,
            }
        )

    def write(self) -> None:
        """A fixed number of statements whatever the chunk holds: COPY on PostgreSQL
        (``rtw.copy_rows``), Django's bulk statements elsewhere; the same rows and events."""
        if copy_rows.supported():
            _CopyWrite(self).run()
            return
        if self.closed:
            Week.objects.filter(pk__in=[w.pk for _, w in self.closed]).update(
                status=WeekStatus.CLOSED, closed_at=self.now, version=_plus_one()
            )
        self.closed_events()
        self.write_halts()
        if self.new_weeks:
            self.lapse_proposals()
            Week.objects.bulk_create([week for week, _, _ in self.new_weeks])
            WeekItem.objects.bulk_create(self.item_rows())
            self.planned_events()
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=None,
                actor_role="",
                clinic_id=e["clinic_id"],
                action=e["action"],
                target_type=e["target"][0]._meta.label_lower,
                target_id=str(e["target"][1]),
                before=e["before"],
                after=e["after"],
                reason=e["reason"],
            )
            for e in self.events
        )
        self.write_carries()

    def closed_events(self) -> None:
        for program, week in self.closed:
            self.event(
                action="week.closed",
                target=(Week, week.pk),
                clinic_id=program.clinic_id,
                before={"status": WeekStatus.OPEN},
                after={"status": WeekStatus.CLOSED, "sessions": len(week.sessions)},
                reason=CLOSE_REASON,
            )

    def write_carries(self) -> None:
        # Each planned or paused program's carry now runs through its last recorded week.
        ProgramCarry.objects.bulk_create(
            [ProgramCarry(program_id=p, week_id=w, data=data) for p, w, data in self.carries],
            update_conflicts=True,
            unique_fields=["program"],
            update_fields=["week", "data", "updated_at"],
        )

    def write_halts(self) -> None:
        for status, tiers in (
            (ProgramStatus.SUSPENDED, ("emergency",)),
            (ProgramStatus.PAUSED, ("amber", "urgent")),
        ):
            halted = [(p, tier, source) for p, tier, source in self.halts if tier in tiers]
            if not halted:
                continue
            Program.objects.filter(pk__in=[p.pk for p, _, _ in halted]).update(
                status=status, version=_plus_one(), updated_at=self.now
            )
            for program, tier, source in halted:
                before = snapshot(program, PROGRAM_FIELDS)
                program.status = status
                program.version += 1
                self.event(
                    action=f"program.{status}",
                    target=(Program, program.pk),
                    clinic_id=program.clinic_id,
                    before=before,
                    after=snapshot(program, PROGRAM_FIELDS),
                    reason=halt_text(tier, self.today, source),
                )
        self.result.halted += len(self.halts)

    def lapse_proposals(self) -> None:
        # An older proposal nobody acted on is superseded by the new plan's own judgement.
        Week.objects.filter(
            program_id__in=[week.program_id for week, _, _ in self.new_weeks],
            phase_proposal_status=PhaseProposalStatus.PENDING,
        ).update(phase_proposal_status=PhaseProposalStatus.LAPSED)

    def item_rows(self) -> list[WeekItem]:
        rows = []
        for week, items, _ in self.new_weeks:
            for item in items:
                item.week = week
                rows.append(item)
        return rows

    def planned_events(self) -> None:
        for week, _, plan in self.new_weeks:
            self.event(
                action="week.planned",
                target=(Week, week.pk),
                clinic_id=week.program.clinic_id,
                after=planned_event(week, plan),
                reason=plan_reason(plan),
            )
        self.result.planned += len(self.new_weeks)


class _CopyWrite:
    """The chunk's writes on PostgreSQL: the closing and lapsing UPDATEs return what they
    changed, the new weeks and items go in with COPY, and every audit event (named and
    row changes) in one more COPY."""

    def __init__(self, chunk: _Chunk) -> None:
        self.chunk = chunk
        self.writer = copy_rows.CopyWriter()
        self.scopes = {  # next_chunk's annotations
            p.pk: Scope(getattr(p, "_audit_clinic"), getattr(p, "_audit_patient"))  # noqa: B009
            for p in chunk.programs
        }

    def run(self) -> None:
        chunk = self.chunk
        self.close_weeks()
        chunk.closed_events()
        chunk.write_halts()
        if chunk.new_weeks:
            self.lapse_proposals()
            self.insert_weeks()
            chunk.planned_events()
        for e in chunk.events:
            self.writer.action(**e)
        self.writer.flush()
        self.write_carries()

    def _update(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def write_carries(self) -> None:
        """``_Chunk.write_carries``, with each carry sent as JSON text."""
        if not self.chunk.carries:
            return
        programs, weeks, data = zip(*self.chunk.carries, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO programs_programcarry (program_id, week_id, data, updated_at)"
                " SELECT p, w, d::jsonb, %s FROM unnest(%s::bigint[], %s::bigint[], %s::text[])"
                " AS t(p, w, d) ON CONFLICT (program_id) DO UPDATE SET week_id = EXCLUDED.week_id,"
                " data = EXCLUDED.data, updated_at = EXCLUDED.updated_at",
                [self.chunk.now, list(programs), list(weeks), [json.dumps(d) for d in data]],
            )

    def close_weeks(self) -> None:
        if not self.chunk.closed:
            return
        now = self.chunk.now
        program_of = {w.pk: p.pk for p, w in self.chunk.closed}
        rows = self._update(
            "UPDATE programs_week AS w SET status = %s, closed_at = %s, version = w.version + 1"
            " FROM (SELECT id, status, closed_at FROM programs_week WHERE id = ANY(%s)) AS old"
            " WHERE w.id = old.id RETURNING w.id, old.status, old.closed_at",
            [WeekStatus.CLOSED, now, list(program_of)],
        )
        self.writer.updated(
            Week,
            (
                (
                    pk,
                    self.scopes[program_of[pk]],
                    {"status": status, "closed_at": closed_at},
                    {"status": WeekStatus.CLOSED, "closed_at": now},
                )
                for pk, status, closed_at in rows
            ),
        )

    def lapse_proposals(self) -> None:
        rows = self._update(
            "UPDATE programs_week SET phase_proposal_status = %s"
            " WHERE program_id = ANY(%s) AND phase_proposal_status = %s RETURNING id, program_id",
            [
                PhaseProposalStatus.LAPSED,
                [week.program_id for week, _, _ in self.chunk.new_weeks],
                PhaseProposalStatus.PENDING,
            ],
        )
        self.writer.updated(
            Week,
            (
                (
                    pk,
                    self.scopes[program_id],
                    {"phase_proposal_status": PhaseProposalStatus.PENDING},
                    {"phase_proposal_status": PhaseProposalStatus.LAPSED},
                )
                for pk, program_id in rows
            ),
        )

    def insert_weeks(self) -> None:
        writer = self.writer
        weeks = [week for week, _, _ in self.chunk.new_weeks]
        for week, pk in zip(weeks, writer.reserve_ids(Week, len(weeks)), strict=True):
            week.pk = pk
        writer.insert(weeks, [self.scopes[w.program_id] for w in weeks])
        items = self.chunk.item_rows()
        for item, pk in zip(items, writer.reserve_ids(WeekItem, len(items)), strict=True):
            item.pk = pk
        writer.insert(items, [self.scopes[i.week.program_id] for i in items])


def _plus_one() -> Any:
    return F("version") + 1
