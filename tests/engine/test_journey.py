"""A worker taken through several weeks the way the web layer drives the engine: each plan
is done as proposed, logged, and fed back as history - progress, a deload, a flare-up, a
red flag and a resumption, each for its stated reason."""

from dataclasses import replace
from datetime import timedelta

from programs.engine import (
    Decision,
    ItemLog,
    PlanInput,
    RedFlagState,
    RedFlagTier,
    SessionLog,
    Settings,
    WeekPlan,
    WeekRecord,
    plan_next_week,
)

from .builders import CAP, MONDAY, D, lift


class Worker:
    def __init__(self) -> None:
        self.prescription = lift(quantity="20", target="40")
        self.history: tuple[WeekRecord, ...] = ()
        self.flags = RedFlagState()
        self.today = MONDAY

    def plan(self) -> WeekPlan:
        return plan_next_week(
            PlanInput(Settings(cap=CAP), (self.prescription,), self.history, self.flags, self.today)
        )

    def live(self, plan: WeekPlan, *, pain: int = 2, flag: RedFlagTier | None = None) -> None:
        """Do the planned week as proposed, three sessions, and log it."""
        (item,) = plan.items
        assert plan.start is not None
        sessions = tuple(
            SessionLog(
                plan.start + timedelta(days=day),
                (ItemLog(item.key, item.sets, item.reps, item.quantity),),
                pain_during=pain,
                pain_next_morning=0,
                soreness=3,
                fatigue=3,
                rpe=5,
                red_flag=flag if day == 4 else None,
            )
            for day in (0, 2, 4)
        )
        self.history = (
            *self.history,
            WeekRecord(plan.start, plan.decision, plan.items, sessions, 3),
        )
        self.prescription = replace(
            self.prescription, sets=item.sets, reps=item.reps, quantity=item.quantity
        )
        self.today = plan.start + timedelta(days=7)


def summary(plan: WeekPlan) -> tuple[Decision, tuple[int, int, str] | None]:
    if not plan.items:
        return plan.decision, None
    (item,) = plan.items
    return plan.decision, (item.sets, item.reps, f"{item.quantity.normalize():f}")


def test_a_worker_through_progress_deload_flare_up_red_flag_and_resumption():
    worker = Worker()
    weeks = []
    for pain, flag in [(2, None), (2, None), (2, None), (2, None), (2, None), (6, None)]:
        plan = worker.plan()
        weeks.append(summary(plan))
        worker.live(plan, pain=pain, flag=flag)
    assert weeks == [
        (Decision.HOLD, (3, 10, "20")),  # first week as prescribed
        (Decision.PROGRESS, (3, 10, "24")),
        (Decision.PROGRESS, (3, 10, "28.5")),  # 28.8 rounded down to 0.5 kg
        (Decision.DELOAD, (2, 10, "25.5")),  # every 4th week
        (Decision.RESUME, (3, 10, "28.5")),  # the pre-deload base, no increase
        (Decision.PROGRESS, (3, 10, "34")),  # ... done with pain 6/10: a flare-up
    ]
    flare = worker.plan()
    assert summary(flare) == (Decision.REGRESS, (3, 10, "28.5"))
    worker.live(flare, flag=RedFlagTier.AMBER)  # an amber flag on Friday
    paused = worker.plan()
    assert summary(paused) == (Decision.PAUSED, None)
    worker.flags = RedFlagState(reassessed_on=worker.today)
    resumed = worker.plan()
    assert summary(resumed) == (Decision.RESUME, (3, 10, "28.5"))  # the last tolerated week
    assert resumed.items[0].max_quantity == D("28.5") * D("1.2")
