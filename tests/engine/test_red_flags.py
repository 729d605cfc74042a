"""Rule 6: red flags pause (urgent, amber) or suspend (emergency) at once, a pause wins over
every other rule, and the restart follows the tier's own path."""

from dataclasses import replace
from datetime import timedelta

import pytest

from programs.engine import Decision, ReasonCode, RedFlagState, RedFlagTier

from .builders import D, codes, lift, plan, texts, values, week


def three_weeks(last_feel=None):
    """20 kg, 24 kg, then 28.5 kg in week 3, whose last session carries ``last_feel``."""
    third = week(3, "28.5")
    if last_feel:
        flagged = replace(third.sessions[-1], **last_feel)
        third = replace(third, sessions=(*third.sessions[:-1], flagged))
    return (week(1, decision=Decision.HOLD), week(2, "24"), third)


def starting_at_twenty():
    return (lift(quantity="28.5", start=(3, 10, "20")),)


def test_emergency_red_flag_suspends_and_says_urgent_medical_assessment_now():
    result = plan(*three_weeks({"red_flag": RedFlagTier.EMERGENCY}))
    assert result.decision is Decision.SUSPENDED
    assert result.items == ()
    assert ReasonCode.RED_FLAG_EMERGENCY in codes(result)
    assert "urgent medical assessment now" in texts(result)


def test_emergency_flag_recorded_in_an_assessment_suspends_too():
    history = three_weeks()
    flags = RedFlagState(RedFlagTier.EMERGENCY, raised_on=history[-1].start + timedelta(days=6))
    result = plan(*history, red_flags=flags)
    assert result.decision is Decision.SUSPENDED
    assert result.items == ()


@pytest.mark.parametrize(
    ("tier", "code"),
    [
        (RedFlagTier.URGENT, ReasonCode.RED_FLAG_URGENT),
        (RedFlagTier.AMBER, ReasonCode.RED_FLAG_AMBER),
    ],
)
def test_urgent_and_amber_flags_pause_for_clinician_review(tier, code):
    result = plan(*three_weeks({"red_flag": tier}))
    assert result.decision is Decision.PAUSED
    assert result.items == ()
    assert code in codes(result)
    assert "clinician review" in texts(result)


@pytest.mark.parametrize(
    ("feel", "paused"),
    [
        ({"pain_at_rest": 8}, True),
        ({"pain_at_rest": 10}, True),
        ({"pain_at_rest": 7}, False),
        ({"pain_next_morning": 8}, True),  # next-morning pain is pain at rest on waking
    ],
)
def test_pain_at_rest_of_eight_or_more_counts_as_an_amber_flag(feel, paused):
    result = plan(*three_weeks(feel))
    assert (result.decision is Decision.PAUSED) is paused
    assert (ReasonCode.PAIN_AT_REST_UNCONTROLLED in codes(result)) is paused


def test_reassessment_alone_does_not_lift_an_emergency_suspension():
    history = three_weeks({"red_flag": RedFlagTier.EMERGENCY})
    later = history[-1].start + timedelta(days=8)
    result = plan(*history, today=later, red_flags=RedFlagState(reassessed_on=later))
    assert result.decision is Decision.SUSPENDED


def test_emergency_restarts_from_the_phases_starting_values_after_a_new_baseline_assessment():
    history = three_weeks({"red_flag": RedFlagTier.EMERGENCY})
    later = history[-1].start + timedelta(days=8)
    result = plan(
        *history,
        prescriptions=starting_at_twenty(),
        today=later,
        red_flags=RedFlagState(new_baseline_on=later),
    )
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D("20"))
    assert ReasonCode.RESTART_AFTER_EMERGENCY in codes(result)


@pytest.mark.parametrize("tier", [RedFlagTier.AMBER, RedFlagTier.URGENT])
def test_amber_or_urgent_flag_stays_paused_until_a_reassessment_is_recorded(tier):
    history = three_weeks({"red_flag": tier})
    flag_day = history[-1].sessions[-1].day
    stale = RedFlagState(reassessed_on=flag_day - timedelta(days=1))
    assert plan(*history, red_flags=stale).decision is Decision.PAUSED


def test_amber_resumes_at_the_last_tolerated_weeks_values_after_a_recorded_reassessment():
    history = three_weeks({"red_flag": RedFlagTier.AMBER})
    reassessed = history[-1].start + timedelta(days=7)
    result = plan(*history, red_flags=RedFlagState(reassessed_on=reassessed))
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D("24"))  # week 2: week 3 carried the flag
    assert ReasonCode.RESUME_AFTER_REASSESSMENT in codes(result)


def test_amber_resumption_after_a_long_pause_also_takes_ninety_percent():
    history = three_weeks({"red_flag": RedFlagTier.AMBER})
    later = history[-1].start + timedelta(days=28)
    result = plan(*history, today=later, red_flags=RedFlagState(reassessed_on=later))
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D("21.5"))  # 24 x 0.9 = 21.6 -> 21.5
    assert {ReasonCode.RESUME_AFTER_REASSESSMENT, ReasonCode.RESUME_AFTER_GAP} <= codes(result)


def test_after_the_restart_week_the_usual_rules_apply_again():
    history = three_weeks({"red_flag": RedFlagTier.AMBER})
    reassessed = history[-1].start + timedelta(days=7)
    restart = week(4, "24", decision=Decision.RESUME)
    result = plan(*history, restart, red_flags=RedFlagState(reassessed_on=reassessed))
    assert result.decision is Decision.DELOAD  # week 5: the rhythm comes round again
    history = (*history, restart, week(5, "21.5", sets=2, decision=Decision.DELOAD))
    result = plan(*history, red_flags=RedFlagState(reassessed_on=reassessed))
    assert result.decision is Decision.RESUME
    assert ReasonCode.RESUME_AFTER_DELOAD in codes(result)


@pytest.mark.parametrize(
    "trouble",
    [
        {"pain_during": 9},  # would regress
        {"soreness": 10, "fatigue": 10},  # would deload
        {"rpe": 10},  # would hold
    ],
)
def test_a_pause_wins_over_every_other_rule(trouble):
    result = plan(*three_weeks({"red_flag": RedFlagTier.AMBER, **trouble}))
    assert result.decision is Decision.PAUSED
    assert result.items == ()
    assert len(result.reasons) == 1


def test_a_pause_wins_over_a_gap_and_over_acwr():
    history = three_weeks({"red_flag": RedFlagTier.URGENT})
    result = plan(*history, today=history[-1].start + timedelta(days=40), acwr_acknowledged=True)
    assert result.decision is Decision.PAUSED
    assert result.items == ()


def test_the_most_severe_active_flag_decides():
    history = three_weeks({"red_flag": RedFlagTier.AMBER})
    flags = RedFlagState(RedFlagTier.EMERGENCY, raised_on=history[0].start)
    assert plan(*history, red_flags=flags).decision is Decision.SUSPENDED
