"""``plan_next_week``: one decision for the coming week, its reasons, and every item's values.

Precedence, strongest first (a pause always wins):
1. an active red flag: paused or suspended, nothing planned (rule 6);
2. a cleared red flag awaiting its restart (rule 6);
3. no history: the first week at the prescribed values (time-contingent: 70 % quota);
4. two or more weeks without sessions: resume at 90 % (rule 5);
5. regress signals (rule 3; in both modes);
6. deload: rhythm, soreness/fatigue ≥ 7, two non-progress weeks in a row (rule 4);
7. the week after a deload: resume at the pre-deload base (rule 4);
8. hold signals (rules 3 and 5; time-contingent: adherence only);
9. progress within the cap (rules 1 and 2), or the quota (rule 8), unless the ACWR is 1.5 or
   more and no clinician has acknowledged it (rule 10).
"""

from datetime import date
from decimal import Decimal

from .acwr import Acwr, acwr
from .deload import WeekKind, symptom_reasons
from .enums import AcwrStatus, Decision, Mode, ReasonCode, RedFlagTier
from .errors import InvalidValueError
from .gate import GateResult, Outcome
from .history import Dose, all_reps_done, next_week_start
from .past import Past
from .path import Rules
from .phases import propose_phase_change
from .proposals import (
    Item,
    after_gap,
    deload,
    hold,
    lower,
    progress,
    regress,
    restart_after_emergency,
    resume,
)
from .quantities import exact, pct, round_down
from .quotas import FIRST_WEEK_SHARE, schedule
from .redflags import Flag, active_flag, pause_decision, pending_restart
from .types import PlanInput, PlannedItem, Reason, WeekPlan

GAP_WEEKS = 2

Result = tuple[Decision, tuple[Reason, ...], tuple[PlannedItem, ...]]


@exact
def plan_next_week(inp: PlanInput) -> WeekPlan:
    """Propose the next week's decision, reasons and values. Deterministic: the same input
    always gives the same plan, whatever the clock or the caller's decimal context."""
    if not isinstance(inp, PlanInput):
        raise InvalidValueError("inp", f"must be a PlanInput, got {type(inp).__name__}")
    start = next_week_start(inp.history, inp.today)
    past = Past.of(inp.history, inp.settings.baseline_morning_pain, inp.carry)
    found = past.flags(inp.red_flags)
    flag = active_flag(inp.red_flags, found)
    if flag is not None:
        decision, reason = pause_decision(flag)
        return WeekPlan(decision, (reason,), (), None, start, None)
    if inp.daily_loads is not None:
        ratio = acwr(inp.daily_loads, inp.today)
    else:
        ratio = past.acwr(inp.today)
    decision, reasons, items = _Planner(inp, past, found, start, ratio).decide()
    reasons += _acwr_notes(ratio, inp.acwr_acknowledged, reasons)
    proposal = propose_phase_change(inp, past.recent_decisions(inp.phase_start), decision)
    sessions = inp.settings.planned_sessions_per_week
    return WeekPlan(decision, reasons, items, proposal, start, ratio, sessions)


def _acwr_notes(ratio: Acwr, acknowledged: bool, reasons: tuple[Reason, ...]) -> tuple[Reason, ...]:
    if any(r.code is ReasonCode.ACWR_HOLD for r in reasons):
        return ()
    if ratio.status is AcwrStatus.HOLD and acknowledged:
        text = f"{ratio.text}; acknowledged by the clinician, so progression may go ahead"
        return (Reason(ReasonCode.ACWR_ACKNOWLEDGED, text),)
    if ratio.status in (AcwrStatus.HIGH, AcwrStatus.HOLD):
        return (Reason(ReasonCode.ACWR_HIGH, ratio.text),)
    return ()


class _Planner:
    """One planning run: the input, the week being planned, and each item with its base."""

    def __init__(
        self, inp: PlanInput, past: Past, flags: tuple[Flag, ...], start: date, ratio: Acwr
    ) -> None:
        self.inp = inp
        self.past = past
        self.flags = flags
        self.start = start
        self.ratio = ratio
        self.time_contingent = inp.settings.mode is Mode.TIME_CONTINGENT
        self.items = tuple(Item(p, past.base(p.key), inp.settings.cap) for p in inp.prescriptions)

    def decide(self) -> Result:
        past = self.past
        gap = past.weeks_without_sessions(self.start)
        last_start = past.last.start if past.last is not None else None
        restart = pending_restart(self.inp.red_flags, self.flags, last_start)
        if restart is not None:
            return self.restart(restart, gap)
        if past.last is None:
            return self.first_week()
        if gap >= GAP_WEEKS:
            return self.after_gap(gap)
        gate = past.judge_last(time_contingent=self.time_contingent)
        if gate.outcome is Outcome.REGRESS:
            return self.regress(gate)
        kind = past.rhythm().next_kind(self.inp.settings.deload_every)
        deload_reasons = self.deload_reasons(kind, gate)
        if deload_reasons:
            items = tuple(item.output(deload(item)) for item in self.items)
            return Decision.DELOAD, deload_reasons, items
        if kind is WeekKind.RESUME:
            return self.resume_after_deload()
        if gate.outcome is Outcome.HOLD:
            return Decision.HOLD, gate.reasons, tuple(i.output(hold(i)) for i in self.items)
        if self.time_contingent:
            return self.quota_week()
        return self.progress_week(gate)

    def deload_reasons(self, kind: WeekKind, gate: GateResult) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        every = self.inp.settings.deload_every
        if kind is WeekKind.DELOAD:
            text = f"deload: the planned rhythm, one week in {every}"
            reasons.append(Reason(ReasonCode.DELOAD_RHYTHM, text))
        if self.time_contingent:
            return tuple(reasons)  # graded activity: symptoms within the zone change nothing
        if self.past.last is not None:
            reasons.extend(symptom_reasons(self.past.last))
        if gate.outcome is Outcome.HOLD and self.previous_week_did_not_progress():
            reasons.append(
                Reason(
                    ReasonCode.DELOAD_TWO_NON_PROGRESS_WEEKS,
                    "deload: two weeks in a row without progress",
                )
            )
        return tuple(reasons)

    def previous_week_did_not_progress(self) -> bool:
        """The week before the last also failed the gate. Deload weeks (and the resume after
        them) are planned no-increase weeks and a week without sessions is rest, so none of
        them counts as a week that did not progress."""
        last, before = self.past.last, self.past.before
        if last is None or before.weeks == 0:
            return False
        if Decision.DELOAD in (last.decision, before.last_decision) or not before.last_had_sessions:
            return False
        return before.last_outcome is not Outcome.PROGRESS

    def first_week(self) -> Result:
        reasons = [
            Reason(
                ReasonCode.FIRST_WEEK,
                "first week: the prescribed starting values; progression is judged on its sessions",
            )
        ]
        items = []
        for item in self.items:
            dose = item.planned
            target = item.prescription.target
            if self.time_contingent and target is not None:
                share = round_down(
                    item.start.quantity * FIRST_WEEK_SHARE, item.prescription.increment
                )
                dose = Dose(dose.sets, dose.reps, min(target, share))
                reasons.append(
                    item.reason(
                        ReasonCode.QUOTA,
                        f"week-1 quota {item.unit(dose.quantity)}, 70 % of the baseline",
                    )
                )
            items.append(item.output(dose))
        return Decision.HOLD, tuple(reasons), tuple(items)

    def after_gap(self, gap: int) -> Result:
        reason = Reason(
            ReasonCode.RESUME_AFTER_GAP,
            f"resumed at 90 % of the last completed values after {gap} weeks without sessions",
        )
        items = []
        for item in self.items:
            source = self.past.last_tolerated(item.prescription.key)
            if source is not None and item.base is not None:
                # a deload week done heavier than the base must not lift the cap's reference
                source = lower(source, item.base)
            items.append(item.output(after_gap(item, source)))
        return Decision.RESUME, (reason,), tuple(items)

    def regress(self, gate: GateResult) -> Result:
        reasons = list(gate.reasons)
        items = []
        for item in self.items:
            dose, note = regress(item)
            items.append(item.output(dose))
            if note is not None:
                reasons.append(note)
        return Decision.REGRESS, tuple(reasons), tuple(items)

    def resume_after_deload(self) -> Result:
        reason = Reason(
            ReasonCode.RESUME_AFTER_DELOAD,
            "resumed at the pre-deload base, no increase this week; progression restarts next week",
        )
        return Decision.RESUME, (reason,), tuple(item.output(resume(item)) for item in self.items)

    def restart(self, flag: Flag, gap: int) -> Result:
        state = self.inp.red_flags
        if flag.tier is RedFlagTier.EMERGENCY:
            reason = Reason(
                ReasonCode.RESTART_AFTER_EMERGENCY,
                f"restarted from the phase's starting values after the new baseline assessment "
                f"of {state.new_baseline_on} (emergency red flag on {flag.day})",
            )
            items = tuple(item.output(restart_after_emergency(item)) for item in self.items)
            return Decision.RESUME, (reason,), items
        reasons = [
            Reason(
                ReasonCode.RESUME_AFTER_REASSESSMENT,
                f"resumed at the last tolerated week's values after the reassessment "
                f"(red flag on {flag.day})",
            )
        ]
        doses = [resume(item) if item.base is not None else item.start for item in self.items]
        if gap >= GAP_WEEKS:  # both rules apply; the lower values win (our choice)
            reasons.append(
                Reason(
                    ReasonCode.RESUME_AFTER_GAP,
                    f"and at 90 % of them after {gap} weeks without sessions",
                )
            )
            doses = [after_gap(item, dose) for item, dose in zip(self.items, doses, strict=True)]
        items = tuple(item.output(dose) for item, dose in zip(self.items, doses, strict=True))
        return Decision.RESUME, tuple(reasons), items

    def acwr_holds(self) -> bool:
        return self.ratio.status is AcwrStatus.HOLD and not self.inp.acwr_acknowledged

    def held_item(self, item: Item) -> Reason | None:
        """Why an item cannot progress this week, whatever the gate said."""
        p = item.prescription
        if item.base is None:
            return item.reason(
                ReasonCode.NO_COMPLETED_DATA, "held: no completed sessions to measure from yet"
            )
        last = self.past.last
        if last is None or not all_reps_done(last, p.key, p.sets, p.reps):
            return item.reason(
                ReasonCode.REPS_NOT_COMPLETED,
                f"held: the prescribed {p.sets} x {p.reps} was not completed in every session",
            )
        return None

    def progress_week(self, gate: GateResult) -> Result:
        reasons = list(gate.reasons)
        items = []
        increased = False
        if self.acwr_holds():
            reasons.append(Reason(ReasonCode.ACWR_HOLD, self.ratio.text))
        for item in self.items:
            held = self.held_item(item)
            if held is not None or self.acwr_holds():
                items.append(item.output(hold(item)))
                reasons.extend([held] if held is not None else [])
                continue
            dose, reason, up = progress(item)
            items.append(item.output(dose))
            reasons.append(reason)
            increased = increased or up
        decision = Decision.PROGRESS if increased else Decision.HOLD
        return decision, tuple(reasons), tuple(items)

    def quota_week(self) -> Result:
        settings = self.inp.settings
        target_date = settings.target_date
        if target_date is None:  # Settings refuses this; kept total for mypy
            raise InvalidValueError("target_date", "is required in time-contingent mode")
        rhythm = self.past.rhythm()
        reasons: list[Reason] = []
        if self.acwr_holds():
            reasons.append(Reason(ReasonCode.ACWR_HOLD, self.ratio.text))
        items = []
        increased = False
        for item in self.items:
            p = item.prescription
            if item.base is None or p.target is None or self.acwr_holds():
                if p.target is None:
                    reasons.append(
                        item.reason(
                            ReasonCode.NO_TARGET_FOR_QUOTA, "held: no target to set quotas toward"
                        )
                    )
                elif item.base is None:
                    reasons.append(
                        item.reason(ReasonCode.NO_COMPLETED_DATA, "held: nothing completed yet")
                    )
                items.append(item.output(hold(item)))
                continue
            base = item.base
            rules = Rules(p.target, settings.cap, p.increment, settings.deload_every)
            plan = schedule(base.quantity, rules, self.start, target_date, rhythm)
            quantity = plan.path.weeks[0].quantity if plan.path.weeks else p.target
            dose = Dose(min(p.sets, base.sets), min(p.reps, base.reps), quantity)
            items.append(item.output(dose))
            increased = increased or quantity > base.quantity
            reasons.append(
                item.reason(
                    ReasonCode.QUOTA,
                    f"quota {item.unit(quantity)} this week, toward {item.unit(p.target)} "
                    f"by {target_date}",
                )
            )
            if not plan.feasible:
                text = _not_feasible(item, target_date, settings.cap, plan.earliest)
                reasons.append(item.reason(ReasonCode.QUOTA_DATE_NOT_FEASIBLE, text))
        decision = Decision.PROGRESS if increased else Decision.HOLD
        return decision, tuple(reasons), tuple(items)


def _not_feasible(item: Item, target_date: date, cap: Decimal, earliest: date | None) -> str:
    if earliest is None:
        step = item.unit(item.prescription.increment)
        return f"the target cannot be reached under the {pct(cap)} cap with steps of {step}"
    return (
        f"{target_date} cannot be met under the {pct(cap)} cap; "
        f"the earliest feasible date is {earliest}"
    )
