"""Program histories made by the real engine, in memory, for the seeder to copy.

Each *archetype* is one program run for 26 weeks the way a clinician runs it in the app:
the engine plans each week (``programs.engine.plan_next_week`` fed through the adapter's
own functions), the clinician accepts it and confirms a proposed phase advance, the worker
logs three sessions with pain and effort drawn from the archetype's own temperament, and an
assessment is recorded every four weeks. Nothing touches the database here: the seeder
writes each archetype out for many programs at once, with its own ids and dates.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from assessments.models import Assessment, QuestionnaireResponse
from assessments.scoring import SCORERS, Instrument
from assessments.services import scored_fields
from assessments.values import MEASURE_FIELDS
from patients.job_templates import TEMPLATES as JOB_TEMPLATES
from patients.models import JobTask
from programs import adapter, engine
from programs.measures import ASSESSMENT_FIELDS
from programs.models import Exercise, Phase, Prescription, Program
from programs.services.weekly import CENT, acwr_json, proposal_json, reasons_json

WEEKS = 26
ASSESS_EVERY = 4
SESSION_DAYS = (0, 2, 4)
# Which program template suits which job template.
PROGRAM_FOR_JOB = {
    "Warehouse picker": "Warehouse lifting",
    "Care worker": "Patient handling",
    "Labourer": "Warehouse lifting",
}
ODI_ITEMS = SCORERS[Instrument.ODI].items


@dataclass(frozen=True)
class TemplatePrescription:
    phase_order: int
    exercise: Exercise
    order: int
    sets: int
    reps: int
    quantity: Decimal
    tempo: str
    rest_seconds: int
    increment: Decimal
    target: Decimal | None
    is_key: bool

    @property
    def key(self) -> str:
        return f"ex{self.exercise.pk}"


@dataclass(frozen=True)
class TemplatePhase:
    order: int
    name: str
    goals: str
    planned_weeks: int
    exit_criteria: str


@dataclass(frozen=True)
class Blueprint:
    """A program template set against one job's demands, as ``create_program`` copies it."""

    template: str
    job: str
    description: str
    phases: tuple[TemplatePhase, ...]
    prescriptions: tuple[TemplatePrescription, ...]
    tasks: tuple[JobTask, ...]


@dataclass
class SimItem:
    phase_order: int
    key: str
    order: int
    sets: int
    reps: int
    quantity: Decimal
    base_sets: int | None
    base_reps: int | None
    base_quantity: Decimal | None
    max_quantity: Decimal


@dataclass
class SimSession:
    day: int  # days after the program's first day
    pain_during: int
    pain_next_morning: int
    soreness: int
    fatigue: int
    rpe: int
    done: list[tuple[int, int, Decimal]]  # per week item, in order: sets, reps, quantity


@dataclass
class SimWeek:
    index: int
    phase_order: int
    start: int
    decision: str
    reasons: list[dict[str, Any]]
    acwr: dict[str, Any]
    phase_proposal: dict[str, Any]
    phase_proposal_status: str
    items: list[SimItem]
    sessions: list[SimSession]


@dataclass
class SimAssessment:
    day: int
    kind: str
    measures: dict[str, Any]
    questionnaires: list[dict[str, Any]]


@dataclass
class Archetype:
    blueprint: Blueprint
    cap: Decimal
    baseline_pain: int
    weeks: list[SimWeek] = field(default_factory=list)
    assessments: list[SimAssessment] = field(default_factory=list)
    phase_order: int = 1
    phase_started: int = 0


def blueprints() -> list[Blueprint]:
    """The shared program templates against each standard job template's tasks."""
    found = []
    for job in JOB_TEMPLATES:
        template = Program.objects.get(
            is_template=True, clinic=None, name=PROGRAM_FOR_JOB[job.job_title]
        )
        tasks = tuple(JobTask(order=i, **task._asdict()) for i, task in enumerate(job.tasks))
        phases = tuple(
            TemplatePhase(p.order, p.name, p.goals, p.planned_weeks, p.exit_criteria)
            for p in Phase.objects.filter(program=template).order_by("order")
        )
        rows = []
        for p in (
            Prescription.objects.filter(phase__program=template)
            .select_related("exercise", "phase")
            .order_by("phase__order", "order", "id")
        ):
            target = adapter.demand_for(p.exercise, tasks)
            quantity = p.quantity if target is None else min(p.quantity, target)
            rows.append(
                TemplatePrescription(
                    p.phase.order,
                    p.exercise,
                    p.order,
                    p.sets,
                    p.reps,
                    quantity,
                    p.tempo,
                    p.rest_seconds,
                    p.increment,
                    target,
                    p.is_key,
                )
            )
        found.append(
            Blueprint(
                template.name, job.job_title, template.description, phases, tuple(rows), tasks
            )
        )
    return found


class Simulation:
    """One archetype's 26 weeks. ``day`` numbers count from the program's first day."""

    def __init__(self, arch: Archetype, rng: random.Random, origin: date) -> None:
        self.arch = arch
        self.rng = rng
        self.origin = origin
        self.temper = rng.choice(("steady", "steady", "steady", "sore", "keen"))
        self.capacity_share = rng.uniform(0.35, 0.6)

    def on(self, day: int) -> date:
        return self.origin + timedelta(days=day)

    # --- engine input, as adapter.plan_input builds it -----------------------------------

    def prescriptions_of(self, phase_order: int) -> list[TemplatePrescription]:
        return [p for p in self.arch.blueprint.prescriptions if p.phase_order == phase_order]

    def engine_prescriptions(self) -> tuple[engine.Prescription, ...]:
        last: dict[str, SimItem] = {}
        for week in self.arch.weeks:
            for item in week.items:
                last[item.key] = item
        return tuple(
            adapter.prescription_from(
                p, name=p.exercise.name, unit=p.exercise.unit, last=last.get(p.key)
            )
            for p in self.prescriptions_of(self.arch.phase_order)
        )

    def history(self) -> tuple[engine.WeekRecord, ...]:
        records = []
        for week in self.arch.weeks:
            keys = [item.key for item in week.items]
            records.append(
                engine.WeekRecord(
                    start=self.on(week.start),
                    decision=engine.Decision(week.decision),
                    planned=tuple(
                        engine.PlannedItem(i.key, i.sets, i.reps, i.quantity) for i in week.items
                    ),
                    sessions=tuple(
                        engine.SessionLog(
                            day=self.on(s.day),
                            items=tuple(
                                engine.ItemLog(keys[n], sets, reps, quantity)
                                for n, (sets, reps, quantity) in enumerate(s.done)
                            ),
                            pain_during=s.pain_during,
                            pain_next_morning=s.pain_next_morning,
                            soreness=s.soreness,
                            fatigue=s.fatigue,
                            rpe=s.rpe,
                        )
                        for s in week.sessions
                    ),
                    planned_sessions=3,
                )
            )
        return tuple(records)

    def assessment_rows(self, today: int) -> list[Assessment]:
        rows = []
        for a in self.arch.assessments:
            if a.day <= today:
                row = Assessment(assessed_on=self.on(a.day), kind=a.kind, red_flag_tier="")
                for name, value in a.measures.items():
                    setattr(row, name, value)
                rows.append(row)
        return rows

    def plan(self, today: int) -> engine.WeekPlan:
        arch = self.arch
        history = self.history()
        assessments = self.assessment_rows(today)
        phase = next(p for p in arch.blueprint.phases if p.order == arch.phase_order)
        criteria = Phase(exit_criteria=phase.exit_criteria).criteria()
        inp = engine.PlanInput(
            settings=engine.Settings(
                cap=arch.cap, deload_every=4, baseline_morning_pain=arch.baseline_pain
            ),
            prescriptions=self.engine_prescriptions(),
            history=history,
            red_flags=adapter.red_flag_state(
                assessments,
                since=history[0].start if history else self.on(0),
                last_week_start=history[-1].start if history else None,
            ),
            today=self.on(today),
            exit_criteria=criteria,
            latest_assessment=adapter.latest_assessment(assessments),
            demands=adapter.demands_of(arch.blueprint.tasks),
            phase_start=self.on(arch.phase_started),
            is_first_phase=arch.phase_order == 1,
        )
        return engine.plan_next_week(inp)

    # --- one week ------------------------------------------------------------------------

    def run_week(self, today: int) -> None:
        arch = self.arch
        plan = self.plan(today)
        orders = [p.order for p in arch.blueprint.phases]
        direction = plan.phase_proposal.direction if plan.phase_proposal else None
        if direction is engine.PhaseDirection.ADVANCE and arch.phase_order + 1 in orders:
            # The clinician confirms on the planned week: planned again in the new phase.
            assert plan.start is not None  # noqa: S101 - a plan that is not a pause has one
            arch.phase_order += 1
            arch.phase_started = (plan.start - self.origin).days
            plan = self.plan(today)
            proposal, status = {}, ""
        else:
            phase = _phase_model(arch.blueprint, arch.phase_order)
            proposal = proposal_json(plan.phase_proposal, phase)
            if proposal and proposal["to_order"] not in orders:
                proposal = {}
            status = "declined" if proposal else ""
        if plan.start is None or plan.decision in (
            engine.Decision.PAUSED,
            engine.Decision.SUSPENDED,
        ):
            raise RuntimeError(f"bench: the engine paused an archetype: {plan.reasons}")
        start = (plan.start - self.origin).days
        items = [
            SimItem(
                arch.phase_order,
                planned.key,
                order,
                planned.sets,
                planned.reps,
                planned.quantity,
                planned.base_sets,
                planned.base_reps,
                planned.base_quantity,
                engine.round_down(
                    planned.max_quantity if planned.max_quantity is not None else planned.quantity,
                    CENT,
                ),
            )
            for order, planned in enumerate(plan.items)
        ]
        week = SimWeek(
            index=len(arch.weeks) + 1,
            phase_order=arch.phase_order,
            start=start,
            decision=plan.decision.value,
            reasons=reasons_json(plan.reasons),
            acwr=acwr_json(plan.acwr),
            phase_proposal=proposal,
            phase_proposal_status=status,
            items=items,
            sessions=[],
        )
        week.sessions = self.sessions(week)
        arch.weeks.append(week)

    def sessions(self, week: SimWeek) -> list[SimSession]:
        rng = self.rng
        days = list(SESSION_DAYS)
        if rng.random() < 0.12:
            days.pop(rng.randrange(len(days)))  # a missed session
        flare = {"steady": 0.05, "sore": 0.15, "keen": 0.08}[self.temper]
        bad_week = rng.random() < flare
        found = []
        for offset in days:
            pain = rng.choice((4, 5, 6)) if bad_week else rng.choice((0, 1, 1, 2, 2, 2, 3))
            morning = self.arch.baseline_pain + (rng.choice((1, 2)) if bad_week else 0)
            effort = rng.choice((3, 4, 5, 5, 6)) if self.temper != "keen" else rng.choice((5, 6, 7))
            done = []
            for item in week.items:
                quantity = item.quantity
                if rng.random() < 0.06 and quantity >= 1:
                    quantity = (quantity * Decimal("0.9")).quantize(CENT, rounding=ROUND_DOWN)
                sets = item.sets if rng.random() > 0.03 else 0
                done.append((sets, item.reps if sets else 0, quantity if sets else Decimal(0)))
            found.append(
                SimSession(
                    day=week.start + offset,
                    pain_during=min(pain, 10),
                    pain_next_morning=min(morning, 10),
                    soreness=min(pain + rng.choice((0, 1, 2)), 10),
                    fatigue=rng.choice((2, 3, 3, 4, 5)) + (2 if bad_week else 0),
                    rpe=effort,
                    done=done,
                )
            )
        return found

    # --- assessments ---------------------------------------------------------------------

    def assess(self, day: int, number: int, count: int) -> None:
        share = number / max(count - 1, 1)
        progress = min(self.capacity_share + share * 0.75, 1.15)
        demands = adapter.demands_of(self.arch.blueprint.tasks)
        measures: dict[str, Any] = dict.fromkeys(MEASURE_FIELDS)
        for task_type, demand in demands.items():
            name = ASSESSMENT_FIELDS.get(task_type)  # a task type names its own measure
            if name is None:
                continue
            value = demand * Decimal(str(round(progress, 3)))
            if name.endswith("_kg"):
                measures[name] = max(
                    (value * 2).quantize(Decimal(1), rounding=ROUND_DOWN) / 2, Decimal("0.5")
                )
            else:
                measures[name] = int(value)
        for side, base in (("left", 38.0), ("right", 42.0)):
            for trial in (1, 2, 3):
                grip = base + 6 * share + self.rng.uniform(-1.5, 1.5)
                measures[f"grip_{side}_{trial}"] = Decimal(str(round(grip, 1)))
        measures["nprs"] = max(6 - round(4 * share) + self.rng.choice((-1, 0, 0, 1)), 0)
        measures["rest_pain"] = max(3 - round(3 * share), 0)
        burden = 0.5 - 0.35 * share
        questionnaires = [_questionnaire(Instrument.ODI, burden)]
        if number == 0:
            questionnaires.append(_questionnaire(Instrument.TSK11, burden))
            questionnaires.append(_questionnaire(Instrument.OMPSQ_SF, burden))
        kind = "baseline" if number == 0 else "progress"
        self.arch.assessments.append(SimAssessment(day, kind, measures, questionnaires))

    def run(self) -> Archetype:
        count = WEEKS // ASSESS_EVERY + 1
        self.assess(-3, 0, count)
        today = 0
        for week in range(WEEKS):
            if week and week % ASSESS_EVERY == 0:
                self.assess(today, week // ASSESS_EVERY, count)
            self.run_week(today)
            today = self.arch.weeks[-1].start + 6
        return self.arch


def _phase_model(blueprint: Blueprint, order: int) -> Phase:
    phase = next(p for p in blueprint.phases if p.order == order)
    return Phase(order=phase.order, name=phase.name, exit_criteria=phase.exit_criteria)


def _questionnaire(instrument: Instrument, burden: float) -> dict[str, Any]:
    """One questionnaire's stored row (as ``assessments.services`` writes it) at a burden."""
    scorer = SCORERS[instrument]
    responses: dict[str, int | None] = {}
    for i, item in enumerate(scorer.items):
        share = min(max(burden + (i % 3 - 1) * 0.1, 0.0), 1.0)
        responses[item.key] = item.low + round((item.high - item.low) * share)
    result = scorer.score(responses)
    row = QuestionnaireResponse(
        instrument=instrument.value,
        responses=responses,
        **scored_fields(result),
    )
    return {
        f.attname: getattr(row, f.attname)
        for f in QuestionnaireResponse._meta.concrete_fields
        if f.attname not in ("id", "assessment_id")
    }


def archetypes(count: int, seed: int, origin: date) -> list[Archetype]:
    """``count`` archetypes spread over the job templates, caps and temperaments."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    plans = blueprints()
    found = []
    for n in range(count):
        arch = Archetype(
            blueprint=plans[n % len(plans)],
            cap=rng.choice((Decimal("0.10"), Decimal("0.10"), Decimal("0.15"), Decimal("0.20"))),
            baseline_pain=rng.choice((0, 0, 1, 1, 2)),
        )
        found.append(Simulation(arch, rng, origin).run())
    return found
