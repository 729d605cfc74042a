"""Phase proposals (DESIGN.md rule 7): advance when the latest assessment meets all exit
criteria; go back one phase after two regressions within three weeks."""

from .criteria import all_met, evaluate_exit_criteria
from .enums import Decision, PhaseDirection, ReasonCode
from .types import PhaseProposal, PlanInput, Reason

WINDOW_WEEKS = 3


def propose_phase_change(
    inp: PlanInput, recorded: list[Decision], decision: Decision
) -> PhaseProposal | None:
    """Only weeks of the current phase count (from ``phase_start``), so a regression that
    already sent the worker back does not keep proposing it. The window is the three most
    recent weeks: ``recorded``, the decisions of the two last recorded weeks of the phase,
    and the one now planned."""
    recent = [*recorded[-(WINDOW_WEEKS - 1) :], decision]
    if recent.count(Decision.REGRESS) >= 2 and not inp.is_first_phase:
        return PhaseProposal(
            PhaseDirection.BACK,
            (
                Reason(
                    ReasonCode.TWO_REGRESSIONS_IN_THREE_WEEKS,
                    "propose going back one phase: two regressions within three weeks",
                ),
            ),
        )
    if decision is Decision.REGRESS:
        return None  # a week that regresses is no week to move up in
    assessment = inp.latest_assessment
    if not inp.exit_criteria or assessment is None:
        return None
    if inp.phase_start is not None and assessment.day < inp.phase_start:
        return None  # an assessment from before this phase says nothing about its exit
    results = evaluate_exit_criteria(inp.exit_criteria, assessment.measures, inp.demands)
    if not all_met(results):
        return None
    summary = "; ".join(result.text for result in results)
    return PhaseProposal(
        PhaseDirection.ADVANCE,
        (
            Reason(
                ReasonCode.EXIT_CRITERIA_MET,
                f"propose advancing: the assessment of {assessment.day} meets every exit criterion "
                f"({summary})",
            ),
        ),
        results,
    )
