"""What the return-to-work pages read: the plan with its rows, the dates of each step, the
warnings, and the restrictions a new plan starts from (the job demands not yet met)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from assessments.capacity import NOT_MEASURED, NOT_MET, CapacityRow, capacity_against_demand
from assessments.models import Assessment
from assessments.summary import CAPACITY_FIELDS, demand_tasks, latest_measures
from patients.models import JobTask
from programs import rtw_rules
from programs.models import Program, RtwPlan, RtwRestriction
from programs.rtw_rules import Limit, Step

DEFAULT_SHIFT = Decimal(8)


def plan_of(program: Program) -> RtwPlan | None:
    """The program's plan with its steps and restrictions: three queries."""
    return RtwPlan.objects.filter(program=program).prefetch_related("steps", "restrictions").first()


def shift_hours(program: Program) -> Decimal:
    profile = program.job_profile
    return Decimal(profile.shift_hours) if profile is not None else DEFAULT_SHIFT


def step_dates(starts_on: date | None, step: Step) -> tuple[date | None, date | None]:
    if starts_on is None:
        return None, None
    first = starts_on + timedelta(weeks=step.week_from - 1)
    return first, starts_on + timedelta(weeks=step.week_to, days=-1)


@dataclass(frozen=True)
class StepView:
    step: Step
    starts: date | None
    ends: date | None


@dataclass(frozen=True)
class PlanView:
    plan: RtwPlan
    steps: tuple[StepView, ...]
    restrictions: tuple[RtwRestriction, ...]
    warnings: tuple[str, ...]


def plan_view(plan: RtwPlan, program: Program) -> PlanView:
    steps = [s.values for s in plan.steps.all()]
    return PlanView(
        plan=plan,
        steps=tuple(StepView(s, *step_dates(plan.starts_on, s)) for s in steps),
        restrictions=tuple(plan.restrictions.all()),
        warnings=tuple(rtw_rules.cap_warnings(steps, program.cap, shift_hours(program))),
    )


def limit_for(row: CapacityRow) -> Limit | None:
    """A restriction for a job demand the worker cannot yet meet: the measured capacity
    as the limit (a load rounded down to the half kilo), at the job's frequency. A demand
    never measured is avoided until it is; one with no measure at all is left to the
    clinician."""
    task, measured = row.task, row.capacity
    if row.status == NOT_MET and measured is not None:
        if row.unit == "kg":
            kg = rtw_rules.kg_within(measured.value)
            return Limit(task.task_type, task.description, max_kg=kg, frequency=task.frequency)
        if row.unit == "min":
            minutes = max(int(measured.value), 1)
            return Limit(task.task_type, task.description, max_minutes=minutes)
        return Limit(
            task.task_type,
            task.description,
            note=f"up to {rtw_rules.fmt(measured.value)} {row.unit} at a time",
        )
    if row.status == NOT_MEASURED and row.demand is not None:
        return Limit(task.task_type, task.description, avoid=True, note="until assessed")
    return None


def unmet_limits(program: Program) -> list[Limit]:
    """Restrictions for the program's job demands not yet met (two queries)."""
    if program.job_profile_id is None or program.patient_id is None:
        return []
    tasks = JobTask.objects.filter(profile_id=program.job_profile_id).order_by("order", "id")
    history = (
        Assessment.objects.filter(patient_id=program.patient_id)
        .only("assessed_on", *CAPACITY_FIELDS)
        .order_by("assessed_on", "id")
    )
    table = capacity_against_demand(demand_tasks(tasks), latest_measures(history))
    return [limit for row in table.rows if (limit := limit_for(row)) is not None]
