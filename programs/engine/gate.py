"""The pain-monitoring model (Thomeé; Silbernagel), DESIGN.md rules 3 and 5, judged over
the last recorded week against the worker's baseline next-morning pain."""

from dataclasses import dataclass
from enum import StrEnum

from .enums import ReasonCode
from .history import PAIN_HOLD_FROM, PAIN_PROGRESS_UP_TO, PAIN_REGRESS_ABOVE, Comparable
from .types import Reason, WeekRecord

RPE_PROGRESS_UP_TO = 6
RPE_HOLD_FROM = 8


class Outcome(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


@dataclass(frozen=True)
class GateResult:
    outcome: Outcome
    reasons: tuple[Reason, ...]


def enough_sessions(done: int, planned: int) -> bool:
    """At least 2/3 of the planned sessions (integer arithmetic, no rounding)."""
    return 3 * done >= 2 * planned


def judge(
    week: WeekRecord,
    previous: Comparable | None,
    baseline: int,
    *,
    time_contingent: bool = False,
) -> GateResult:
    """Judge ``week``, the last recorded one; ``previous`` is the week before it that pain
    can fairly be compared with. In time-contingent mode only the regress signals and
    adherence count: pain within the acceptable zone does not change the plan (rule 8)."""
    sessions = week.sessions
    pain = max((s.pain_during for s in sessions), default=None)
    mornings = [s.pain_next_morning for s in sessions if s.pain_next_morning is not None]
    morning = max(mornings, default=None)

    regress: list[Reason] = []
    if pain is not None and pain > PAIN_REGRESS_ABOVE:
        regress.append(
            Reason(
                ReasonCode.PAIN_DURING_HIGH,
                f"regressed: pain during exercise {pain}/10 is above {PAIN_REGRESS_ABOVE}/10",
            )
        )
    if morning is not None and morning >= baseline + 2:
        regress.append(
            Reason(
                ReasonCode.MORNING_PAIN_TWO_ABOVE_BASELINE,
                f"regressed: next-morning pain {morning}/10 is {morning - baseline} points above "
                f"baseline ({baseline}/10)",
            )
        )
    if regress:
        return GateResult(Outcome.REGRESS, tuple(regress))

    hold: list[Reason] = []
    if not enough_sessions(len(sessions), week.planned_sessions):
        hold.append(
            Reason(
                ReasonCode.LOW_ADHERENCE,
                f"held: {len(sessions)} of {week.planned_sessions} planned sessions done, "
                "under two thirds",
            )
        )
    if not time_contingent and sessions:
        hold.extend(_symptom_holds(week, previous, baseline, pain, mornings))
    if hold:
        return GateResult(Outcome.HOLD, tuple(hold))
    if time_contingent:
        return GateResult(Outcome.PROGRESS, ())
    rpe = max(s.rpe for s in sessions)
    return GateResult(
        Outcome.PROGRESS,
        (
            Reason(
                ReasonCode.GATE_MET,
                f"pain-monitoring gate met: pain during at most {pain}/10, next-morning pain "
                f"back at baseline ({baseline}/10), session RPE at most {rpe}, {len(sessions)} of "
                f"{week.planned_sessions} planned sessions",
            ),
        ),
    )


def _symptom_holds(
    week: WeekRecord,
    previous: Comparable | None,
    baseline: int,
    pain: int | None,
    mornings: list[int],
) -> list[Reason]:
    hold: list[Reason] = []
    if pain is not None and PAIN_HOLD_FROM <= pain <= PAIN_REGRESS_ABOVE:
        hold.append(
            Reason(
                ReasonCode.PAIN_DURING_MODERATE,
                f"held: pain during exercise {pain}/10 is above {PAIN_PROGRESS_UP_TO}/10",
            )
        )
    if not mornings:
        hold.append(
            Reason(
                ReasonCode.MORNING_PAIN_NOT_RECORDED,
                "held: no next-morning pain recorded, so recovery to baseline is unknown",
            )
        )
    elif max(mornings) == baseline + 1:
        hold.append(
            Reason(
                ReasonCode.MORNING_PAIN_ONE_ABOVE_BASELINE,
                f"held: next-morning pain {baseline + 1}/10 is one point above baseline",
            )
        )
    if previous is not None and pain is not None:
        before = previous.pain
        if pain > before:
            hold.append(
                Reason(
                    ReasonCode.WEEKLY_PAIN_RISING,
                    f"held: pain during exercise rose from {before}/10 (week of {previous.start}) "
                    f"to {pain}/10",
                )
            )
    rpe = max(s.rpe for s in week.sessions)
    if rpe >= RPE_HOLD_FROM:
        hold.append(
            Reason(ReasonCode.RPE_HIGH, f"held: session RPE {rpe} is {RPE_HOLD_FROM} or more")
        )
    elif rpe > RPE_PROGRESS_UP_TO:
        hold.append(
            Reason(
                ReasonCode.RPE_ABOVE_PROGRESS_LIMIT,
                f"held: session RPE {rpe} is above {RPE_PROGRESS_UP_TO}",
            )
        )
    return hold
