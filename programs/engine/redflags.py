"""Red flags (DESIGN.md rule 6). A flag comes from the red-flag state (assessments) or from
a session (a ticked flag, or pain at rest of 8/10 or more, which counts as amber).

A flag is *cleared* by a record dated on or after it: urgent and amber by a reassessment
(a new baseline assessment is one too), emergency only by a new baseline assessment.
A cleared flag still needs its restart if no week has started since it was raised."""

from dataclasses import dataclass
from datetime import date

from .enums import Decision, ReasonCode, RedFlagTier
from .types import Reason, RedFlagState

SEVERITY = {RedFlagTier.EMERGENCY: 3, RedFlagTier.URGENT: 2, RedFlagTier.AMBER: 1}


@dataclass(frozen=True)
class Flag:
    tier: RedFlagTier
    day: date
    rest_pain: int | None = None  # set when the flag is uncontrolled pain at rest


def is_cleared(flag: Flag, state: RedFlagState) -> bool:
    baseline = state.new_baseline_on
    if baseline is not None and baseline >= flag.day:
        return True
    if flag.tier is RedFlagTier.EMERGENCY:
        return False
    return state.reassessed_on is not None and state.reassessed_on >= flag.day


def most_severe(found: list[Flag]) -> Flag | None:
    # Most severe first; among equals the latest, so the message names the newest event.
    return max(found, key=lambda f: (SEVERITY[f.tier], f.day), default=None)


def active_flag(state: RedFlagState, found: tuple[Flag, ...]) -> Flag | None:
    """``found``: the state's flag, then the sessions' flags, oldest first."""
    return most_severe([f for f in found if not is_cleared(f, state)])


def pending_restart(
    state: RedFlagState, found: tuple[Flag, ...], last_start: date | None
) -> Flag | None:
    """The most severe cleared flag with no week started after it: the next week restarts."""
    return most_severe(
        [f for f in found if is_cleared(f, state) and (last_start is None or f.day >= last_start)]
    )


def pause_decision(flag: Flag) -> tuple[Decision, Reason]:
    if flag.tier is RedFlagTier.EMERGENCY:
        return Decision.SUSPENDED, Reason(
            ReasonCode.RED_FLAG_EMERGENCY,
            f"suspended: emergency red flag on {flag.day} - urgent medical assessment now; "
            "the program restarts only after a new baseline assessment",
        )
    if flag.tier is RedFlagTier.URGENT:
        return Decision.PAUSED, Reason(
            ReasonCode.RED_FLAG_URGENT,
            f"paused: urgent red flag on {flag.day} - clinician review before any further "
            "loading; no week is planned until a reassessment is recorded",
        )
    if flag.rest_pain is not None:
        return Decision.PAUSED, Reason(
            ReasonCode.PAIN_AT_REST_UNCONTROLLED,
            f"paused: pain at rest {flag.rest_pain}/10 on {flag.day} is uncontrolled pain, an "
            "amber red flag - clinician review; resumes at the last tolerated week's values "
            "after a recorded reassessment",
        )
    return Decision.PAUSED, Reason(
        ReasonCode.RED_FLAG_AMBER,
        f"paused: amber red flag on {flag.day} - clinician review; resumes at the last "
        "tolerated week's values after a recorded reassessment",
    )
