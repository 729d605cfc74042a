"""Small builders for engine scenarios: one worker, one lift, weeks starting on Mondays.

Defaults describe an unremarkable good week: three of three sessions, the prescription done
as written, pain 2/10 during, next-morning pain back at baseline 0/10, RPE 5."""

from datetime import date, timedelta
from decimal import Decimal

from programs.engine import (
    Decision,
    ItemLog,
    PlanInput,
    PlannedItem,
    Prescription,
    RedFlagState,
    SessionLog,
    Settings,
    WeekPlan,
    WeekRecord,
    plan_next_week,
)

D = Decimal
MONDAY = date(2025, 3, 3)
CAP = D("0.20")


def monday(week_number: int) -> date:
    """The Monday of week ``week_number`` (1-based) of the program."""
    return MONDAY + timedelta(days=7 * (week_number - 1))


def lift(
    *,
    key: str = "lift",
    sets: int = 3,
    reps: int = 10,
    quantity: str = "20",
    increment: str = "0.5",
    target: str | None = "40",
    start: tuple[int, int, str] | None = None,
    max_reps: int = 15,
    max_sets: int = 5,
) -> Prescription:
    start_sets, start_reps, start_quantity = start or (sets, reps, quantity)
    return Prescription(
        key=key,
        name="Floor-to-waist lift" if key == "lift" else key,
        unit="kg",
        sets=sets,
        reps=reps,
        quantity=D(quantity),
        increment=D(increment),
        target=None if target is None else D(target),
        start_sets=start_sets,
        start_reps=start_reps,
        start_quantity=D(start_quantity),
        max_reps=max_reps,
        max_sets=max_sets,
    )


def done(quantity: str = "20", sets: int = 3, reps: int = 10, key: str = "lift") -> ItemLog:
    return ItemLog(key, sets, reps, D(quantity))


def session(
    day: date,
    *items: ItemLog,
    pain: int = 2,
    morning: int | None = 0,
    soreness: int = 3,
    fatigue: int = 3,
    rpe: int = 5,
    flag: str | None = None,
    rest: int | None = None,
) -> SessionLog:
    return SessionLog(
        day=day,
        items=items or (done(),),
        pain_during=pain,
        pain_next_morning=morning,
        soreness=soreness,
        fatigue=fatigue,
        rpe=rpe,
        red_flag=None if flag is None else flag,  # type: ignore[arg-type]  # str coerced
        pain_at_rest=rest,
    )


def week(
    number: int,
    quantity: str = "20",
    *,
    decision: Decision = Decision.PROGRESS,
    sets: int = 3,
    reps: int = 10,
    planned: tuple[int, int, str] | None = None,
    sessions: int = 3,
    planned_sessions: int = 3,
    **feel: object,
) -> WeekRecord:
    """Week ``number`` with ``sessions`` identical sessions (Mon, Wed, Fri, Sat...) in which
    the lift was done as ``sets`` x ``reps`` x ``quantity``; ``feel`` goes to each session."""
    start = monday(number)
    p_sets, p_reps, p_quantity = planned or (sets, reps, quantity)
    logs = tuple(
        session(start + timedelta(days=day), done(quantity, sets, reps), **feel)  # type: ignore[arg-type]
        for day in (0, 2, 4, 5, 6)[:sessions]
    )
    return WeekRecord(
        start=start,
        decision=decision,
        planned=(PlannedItem("lift", p_sets, p_reps, D(p_quantity)),),
        sessions=logs,
        planned_sessions=planned_sessions,
    )


def plan(
    *history: WeekRecord,
    prescriptions: tuple[Prescription, ...] | None = None,
    cap: str = "0.20",
    today: date | None = None,
    red_flags: RedFlagState | None = None,
    settings: Settings | None = None,
    **extra: object,
) -> WeekPlan:
    """Plan the week after ``history``; the prescription defaults to the last week's plan."""
    if prescriptions is None:
        last = history[-1].planned[0] if history else PlannedItem("lift", 3, 10, D("20"))
        prescriptions = (
            lift(sets=last.sets, reps=last.reps, quantity=str(last.quantity), start=(3, 10, "20")),
        )
    if today is None:
        today = history[-1].start + timedelta(days=7) if history else MONDAY
    return plan_next_week(
        PlanInput(
            settings=settings or Settings(cap=D(cap)),
            prescriptions=prescriptions,
            history=history,
            red_flags=red_flags or RedFlagState(),
            today=today,
            **extra,  # type: ignore[arg-type]
        )
    )


def codes(result: WeekPlan) -> set[str]:
    return {reason.code for reason in result.reasons}


def texts(result: WeekPlan) -> str:
    return "\n".join(reason.text for reason in result.reasons)


def values(result: WeekPlan) -> tuple[int, int, Decimal]:
    """(sets, reps, quantity) of the single item."""
    (item,) = result.items
    return item.sets, item.reps, item.quantity
