"""Rule 7: exit criteria as measurable conditions; advancing when the latest assessment
meets them all, going back one phase after two regressions within three weeks."""

from datetime import timedelta

import pytest

from programs.engine import (
    Assessment,
    Criterion,
    CriterionStatus,
    CriterionSyntaxError,
    Decision,
    PhaseDirection,
    ReasonCode,
    criterion_text,
    evaluate_exit_criteria,
    parse_criterion,
)

from .builders import D, plan, week

LIFT_80 = Criterion("lift_floor_to_waist", ">=", D("80"), of_demand=True)
PAIN_3 = Criterion("nprs", "<=", D("3"))
DEMANDS = {"lift_floor_to_waist": D("22.7")}


@pytest.mark.parametrize(
    ("text", "criterion"),
    [
        ("lift_floor_to_waist >= 80% demand", LIFT_80),
        ("lift_floor_to_waist ≥ 80 % of job demand", LIFT_80),
        ("  Lift_Floor_To_Waist>=80%demand ", LIFT_80),
        ("nprs <= 3", PAIN_3),
        ("nprs ≤ 3", PAIN_3),
        ("nprs <= 3/10", PAIN_3),
        ("grip_left > 30.5", Criterion("grip_left", ">", D("30.5"))),
        ("odi < 20", Criterion("odi", "<", D("20"))),
    ],
)
def test_exit_criteria_are_read_from_their_textual_form(text, criterion):
    assert parse_criterion(text) == criterion


@pytest.mark.parametrize(
    "text",
    ["", "lift >= lots", "lift => 3", "lift >= 80%", "lift >= 80 demand", ">= 3", "3 <= nprs"],
)
def test_unreadable_exit_criteria_are_refused(text):
    with pytest.raises(CriterionSyntaxError):
        parse_criterion(text)


@pytest.mark.parametrize("criterion", [LIFT_80, PAIN_3, Criterion("odi", "<", D("20.5"))])
def test_exit_criteria_print_in_the_form_they_are_read(criterion):
    assert parse_criterion(criterion_text(criterion)) == criterion
    assert criterion_text(LIFT_80) == "lift_floor_to_waist >= 80% demand"


@pytest.mark.parametrize(
    ("measures", "lift_status", "pain_status"),
    [
        (
            {"lift_floor_to_waist": D("18.16"), "nprs": D("3")},
            CriterionStatus.MET,
            CriterionStatus.MET,
        ),
        (
            {"lift_floor_to_waist": D("18.15"), "nprs": D("4")},
            CriterionStatus.NOT_MET,
            CriterionStatus.NOT_MET,
        ),
        ({"nprs": D("2")}, CriterionStatus.NOT_MEASURED, CriterionStatus.MET),
        ({}, CriterionStatus.NOT_MEASURED, CriterionStatus.NOT_MEASURED),
    ],
)
def test_floor_to_waist_lift_at_eighty_percent_of_demand_with_pain_at_most_three(
    measures, lift_status, pain_status
):
    lift_result, pain_result = evaluate_exit_criteria((LIFT_80, PAIN_3), measures, DEMANDS)
    assert lift_result.required == D("18.16")  # 80 % of 22.7 kg, exactly
    assert (lift_result.status, pain_result.status) == (lift_status, pain_status)
    if lift_status is CriterionStatus.NOT_MEASURED:
        assert "not measured" in lift_result.text
        assert not lift_result.met


def test_a_criterion_against_a_demand_that_was_never_recorded_is_not_met():
    (result,) = evaluate_exit_criteria((LIFT_80,), {"lift_floor_to_waist": D("50")}, {})
    assert result.status is CriterionStatus.NO_DEMAND
    assert not result.met


def assessment(day, **measures):
    return Assessment(day, {name: D(value) for name, value in measures.items()})


def test_meeting_every_exit_criterion_proposes_advancing_a_phase():
    history = (week(1, decision=Decision.HOLD),)
    result = plan(
        *history,
        exit_criteria=(LIFT_80, PAIN_3),
        latest_assessment=assessment(history[0].start, lift_floor_to_waist="19", nprs="2"),
        demands=DEMANDS,
    )
    assert result.phase_proposal is not None
    assert result.phase_proposal.direction is PhaseDirection.ADVANCE
    assert result.phase_proposal.reasons[0].code is ReasonCode.EXIT_CRITERIA_MET
    assert all(r.met for r in result.phase_proposal.criteria)


@pytest.mark.parametrize(
    "measures",
    [{"lift_floor_to_waist": "19"}, {"lift_floor_to_waist": "17", "nprs": "2"}],
)
def test_an_unmet_or_unmeasured_criterion_proposes_nothing(measures):
    history = (week(1, decision=Decision.HOLD),)
    result = plan(
        *history,
        exit_criteria=(LIFT_80, PAIN_3),
        latest_assessment=assessment(history[0].start, **measures),
        demands=DEMANDS,
    )
    assert result.phase_proposal is None


def test_an_assessment_from_before_the_phase_began_does_not_prove_its_exit():
    history = (week(1, decision=Decision.HOLD),)
    result = plan(
        *history,
        exit_criteria=(PAIN_3,),
        latest_assessment=assessment(history[0].start - timedelta(days=1), nprs="1"),
        phase_start=history[0].start,
    )
    assert result.phase_proposal is None


def regressing_history():
    return (
        week(1, decision=Decision.HOLD),
        week(2, "24", pain=6),
        week(3, "20", decision=Decision.REGRESS),
        week(4, "24", pain=7),  # the second regression within three weeks
    )


def test_two_regressions_within_three_weeks_propose_going_back_one_phase():
    result = plan(*regressing_history())
    assert result.decision is Decision.REGRESS
    assert result.phase_proposal is not None
    assert result.phase_proposal.direction is PhaseDirection.BACK
    assert result.phase_proposal.reasons[0].code is ReasonCode.TWO_REGRESSIONS_IN_THREE_WEEKS


def test_a_single_regression_does_not_propose_going_back():
    result = plan(week(1, decision=Decision.HOLD), week(2, "24", pain=6))
    assert result.decision is Decision.REGRESS
    assert result.phase_proposal is None


def test_regressions_further_apart_than_three_weeks_do_not_propose_going_back():
    history = (
        week(1, decision=Decision.HOLD),
        week(2, "20", decision=Decision.REGRESS),
        week(3, "20"),
        week(4, "24"),
        week(5, "24", pain=6),
    )
    result = plan(*history)
    assert result.decision is Decision.REGRESS
    assert result.phase_proposal is None


def test_the_first_phase_has_no_phase_to_go_back_to():
    result = plan(*regressing_history(), is_first_phase=True)
    assert result.decision is Decision.REGRESS
    assert result.phase_proposal is None


def test_regressions_of_the_previous_phase_do_not_count():
    history = regressing_history()
    result = plan(*history, phase_start=history[-1].start)
    assert result.phase_proposal is None
