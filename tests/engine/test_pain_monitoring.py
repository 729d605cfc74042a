"""Rule 3, the pain-monitoring model, and rule 5, adherence: judged over the last week's
sessions against the worker's baseline next-morning pain."""

from dataclasses import replace
from datetime import timedelta

import pytest

from programs.engine import Decision, ReasonCode, Settings

from .builders import CAP, D, codes, lift, plan, texts, values, week


def first_week(**feel):
    return week(1, decision=Decision.HOLD, **feel)


@pytest.mark.parametrize(
    ("pain", "morning", "rpe", "decision", "code"),
    [
        (2, 0, 5, Decision.PROGRESS, ReasonCode.GATE_MET),
        (3, 0, 6, Decision.PROGRESS, ReasonCode.GATE_MET),  # the edges still progress
        (0, 0, 0, Decision.PROGRESS, ReasonCode.GATE_MET),
        (4, 0, 5, Decision.HOLD, ReasonCode.PAIN_DURING_MODERATE),
        (5, 0, 5, Decision.HOLD, ReasonCode.PAIN_DURING_MODERATE),
        (6, 0, 5, Decision.REGRESS, ReasonCode.PAIN_DURING_HIGH),
        (9, 0, 5, Decision.REGRESS, ReasonCode.PAIN_DURING_HIGH),
        (2, 1, 5, Decision.HOLD, ReasonCode.MORNING_PAIN_ONE_ABOVE_BASELINE),
        (2, 2, 5, Decision.REGRESS, ReasonCode.MORNING_PAIN_TWO_ABOVE_BASELINE),
        (2, None, 5, Decision.HOLD, ReasonCode.MORNING_PAIN_NOT_RECORDED),
        (2, 0, 7, Decision.HOLD, ReasonCode.RPE_ABOVE_PROGRESS_LIMIT),
        (2, 0, 8, Decision.HOLD, ReasonCode.RPE_HIGH),
        (2, 0, 10, Decision.HOLD, ReasonCode.RPE_HIGH),
    ],
)
def test_pain_monitoring_gate_after_a_week_at_twenty_kg(pain, morning, rpe, decision, code):
    result = plan(first_week(pain=pain, morning=morning, rpe=rpe))
    assert result.decision is decision
    assert code in codes(result)
    expected = {Decision.PROGRESS: D("24"), Decision.HOLD: D("20"), Decision.REGRESS: None}
    if decision is not Decision.REGRESS:
        assert values(result)[2] == expected[decision]


def test_next_morning_pain_one_point_above_baseline_holds_in_plain_words():
    settings = Settings(cap=CAP, baseline_morning_pain=2)
    result = plan(first_week(morning=3), settings=settings)
    assert result.decision is Decision.HOLD
    assert "held: next-morning pain 3/10 is one point above baseline" in texts(result)


@pytest.mark.parametrize(
    ("baseline", "morning", "decision"),
    [
        (2, 2, Decision.PROGRESS),
        (2, 1, Decision.PROGRESS),
        (2, 3, Decision.HOLD),
        (2, 4, Decision.REGRESS),
        (0, 2, Decision.REGRESS),
    ],
)
def test_next_morning_pain_is_judged_against_the_workers_own_baseline(baseline, morning, decision):
    settings = Settings(cap=CAP, baseline_morning_pain=baseline)
    assert plan(first_week(morning=morning), settings=settings).decision is decision


@pytest.mark.parametrize(
    ("before", "now", "decision"),
    [(2, 2, Decision.PROGRESS), (3, 2, Decision.PROGRESS), (1, 2, Decision.HOLD)],
)
def test_weekly_pain_rising_from_one_week_to_the_next_holds(before, now, decision):
    result = plan(first_week(pain=before), week(2, "24", pain=now))
    assert result.decision is decision
    assert (ReasonCode.WEEKLY_PAIN_RISING in codes(result)) is (decision is Decision.HOLD)


def test_pain_is_not_compared_with_the_lighter_deload_week():
    history = (
        first_week(pain=2),
        week(2, "24", pain=2),
        week(3, "21.5", sets=2, decision=Decision.DELOAD, pain=0),
        week(4, "24", decision=Decision.RESUME, pain=2),
    )
    assert plan(*history).decision is Decision.PROGRESS


def test_prescribed_reps_not_done_holds_at_what_was_done():
    result = plan(week(1, reps=8, planned=(3, 10, "20"), decision=Decision.HOLD))
    assert result.decision is Decision.HOLD
    assert values(result) == (3, 8, D("20"))
    assert ReasonCode.REPS_NOT_COMPLETED in codes(result)


def test_an_exercise_skipped_in_one_session_is_not_progressed():
    history = first_week()
    skipped = replace(history.sessions[1], items=())
    result = plan(replace(history, sessions=(history.sessions[0], skipped, history.sessions[2])))
    assert result.decision is Decision.HOLD
    assert ReasonCode.REPS_NOT_COMPLETED in codes(result)


def test_flare_up_regresses_to_the_last_tolerated_weeks_values():
    history = (first_week(), week(2, "24", pain=7))
    result = plan(*history)
    assert result.decision is Decision.REGRESS
    assert values(result) == (3, 10, D("20"))
    assert result.items[0].base_quantity == D("20")
    assert "pain during exercise 7/10 is above 5/10" in texts(result)


def test_regress_with_no_tolerated_week_goes_ten_percent_below_the_starting_values():
    result = plan(first_week(pain=6))
    assert result.decision is Decision.REGRESS
    assert values(result) == (3, 10, D("18"))
    assert ReasonCode.NO_TOLERATED_WEEK in codes(result)


@pytest.mark.parametrize(
    ("done", "planned", "decision"),
    [
        (3, 3, Decision.PROGRESS),
        (2, 3, Decision.PROGRESS),  # exactly two thirds
        (1, 3, Decision.HOLD),
        (0, 3, Decision.HOLD),
        (4, 5, Decision.PROGRESS),
        (3, 5, Decision.HOLD),  # 60 % is under two thirds
        (4, 6, Decision.PROGRESS),
    ],
)
def test_under_two_thirds_of_planned_sessions_holds(done, planned, decision):
    history = week(1, decision=Decision.HOLD, sessions=done, planned_sessions=planned)
    result = plan(history)
    assert result.decision is decision
    assert (ReasonCode.LOW_ADHERENCE in codes(result)) is (decision is Decision.HOLD)
    if decision is Decision.HOLD:
        assert values(result) == (3, 10, D("20"))


@pytest.mark.parametrize(
    ("last_completed", "resumed_at"),
    [("20", "18"), ("17.5", "15.5"), ("24", "21.5")],
)
def test_two_weeks_without_sessions_resume_at_ninety_percent_of_last_completed(
    last_completed, resumed_at
):
    history = week(1, last_completed, decision=Decision.HOLD)
    result = plan(history, today=history.start + timedelta(days=21))
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D(resumed_at))
    assert ReasonCode.RESUME_AFTER_GAP in codes(result)


def test_recorded_empty_weeks_count_towards_the_gap():
    history = (first_week(), week(2, sessions=0), week(3, sessions=0))
    result = plan(*history)
    assert result.decision is Decision.RESUME
    assert values(result) == (3, 10, D("18"))


def test_a_single_week_without_sessions_only_holds():
    result = plan(first_week(), week(2, sessions=0))
    assert result.decision is Decision.HOLD
    assert ReasonCode.LOW_ADHERENCE in codes(result)
    assert values(result) == (3, 10, D("20"))


def test_first_week_uses_the_prescribed_starting_values():
    result = plan(prescriptions=(lift(quantity="12.5"),))
    assert result.decision is Decision.HOLD
    assert values(result) == (3, 10, D("12.5"))
    assert ReasonCode.FIRST_WEEK in codes(result)
