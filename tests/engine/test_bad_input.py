"""Impossible input is refused with a specific exception naming the field, never planned."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from programs.engine import (
    CapOutOfRangeError,
    DateOrderError,
    Decision,
    DeloadRhythmError,
    DoseOutOfRangeError,
    DuplicateKeyError,
    EngineInputError,
    IncrementError,
    InvalidValueError,
    ItemLog,
    PlanInput,
    RedFlagState,
    ScoreOutOfRangeError,
    SettingOutOfRangeError,
    Settings,
    plan_next_week,
    time_contingent_quotas,
)

from .builders import CAP, MONDAY, D, done, lift, plan, session, week


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (lambda: Settings(cap=D("0.25")), CapOutOfRangeError, "cap"),
        (lambda: Settings(cap=D("0.05")), CapOutOfRangeError, "cap"),
        (lambda: Settings(cap=0.15), InvalidValueError, "cap"),  # type: ignore[arg-type]
        (lambda: Settings(cap=Decimal("NaN")), InvalidValueError, "cap"),
        (lambda: Settings(cap=CAP, deload_every=1), DeloadRhythmError, "deload_every"),
        (lambda: Settings(cap=CAP, deload_every=9), DeloadRhythmError, "deload_every"),
        (
            lambda: Settings(cap=CAP, baseline_morning_pain=11),
            ScoreOutOfRangeError,
            "baseline_morning_pain",
        ),
        (
            lambda: Settings(cap=CAP, planned_sessions_per_week=0),
            SettingOutOfRangeError,
            "planned_sessions_per_week",
        ),
        (lambda: Settings(cap=CAP, mode="weekly"), InvalidValueError, "mode"),  # type: ignore[arg-type]
        (lambda: lift(increment="0"), IncrementError, "prescriptions[lift].increment"),
        (lambda: lift(increment="-0.5"), IncrementError, "prescriptions[lift].increment"),
        (lambda: lift(quantity="-5"), DoseOutOfRangeError, "prescriptions[lift].quantity"),
        (lambda: lift(sets=-1), DoseOutOfRangeError, "prescriptions[lift].sets"),
        (lambda: lift(reps=0), DoseOutOfRangeError, "prescriptions[lift].reps"),
        (lambda: lift(target="0"), DoseOutOfRangeError, "prescriptions[lift].target"),
        (lambda: lift(quantity="1e9"), DoseOutOfRangeError, "prescriptions[lift].quantity"),
        (lambda: lift(quantity="20.0000001"), InvalidValueError, "prescriptions[lift].quantity"),
        (lambda: ItemLog("lift", -1, 10, D("20")), DoseOutOfRangeError, "items[lift].sets"),
        (lambda: ItemLog("lift", 3, 10, D("-1")), DoseOutOfRangeError, "items[lift].quantity"),
        (lambda: ItemLog("", 3, 10, D("1")), InvalidValueError, "key"),
        (lambda: session(MONDAY, pain=12), ScoreOutOfRangeError, "pain_during"),
        (lambda: session(MONDAY, pain=-1), ScoreOutOfRangeError, "pain_during"),
        (lambda: session(MONDAY, morning=11), ScoreOutOfRangeError, "pain_next_morning"),
        (lambda: session(MONDAY, rpe=11), ScoreOutOfRangeError, "rpe"),
        (lambda: session(MONDAY, rpe=-1), ScoreOutOfRangeError, "rpe"),
        (lambda: session(MONDAY, soreness=11), ScoreOutOfRangeError, "soreness"),
        (lambda: session(MONDAY, fatigue=100), ScoreOutOfRangeError, "fatigue"),
        (lambda: session(MONDAY, rest=12), ScoreOutOfRangeError, "pain_at_rest"),
        (lambda: session(MONDAY, flag="orange"), InvalidValueError, "red_flag"),
        (lambda: session(MONDAY, pain=True), InvalidValueError, "pain_during"),
        (lambda: session(MONDAY, done(), done()), DuplicateKeyError, f"session {MONDAY}.items"),
        (
            lambda: session(datetime(2025, 3, 3, tzinfo=UTC)),
            InvalidValueError,
            "day",
        ),
        (lambda: RedFlagState(raised_on=MONDAY), InvalidValueError, "raised_on"),
        (
            lambda: time_contingent_quotas(D("20"), D("30"), MONDAY, MONDAY, D("0.3"), D("0.5"), 4),
            CapOutOfRangeError,
            "cap",
        ),
        (
            lambda: time_contingent_quotas(D("20"), D("30"), MONDAY, MONDAY, D("0.1"), D("0"), 4),
            IncrementError,
            "increment",
        ),
    ],
)
def test_impossible_values_are_refused_with_the_field_named(build, error, field):
    with pytest.raises(error) as caught:
        build()
    assert caught.value.field == field
    assert field in str(caught.value)
    assert isinstance(caught.value, EngineInputError)
    assert isinstance(caught.value, ValueError)


def test_sessions_out_of_date_order_are_refused():
    good = week(1)
    with pytest.raises(DateOrderError, match="out of order"):
        replace(good, sessions=tuple(reversed(good.sessions)))


def test_a_session_outside_its_week_is_refused():
    good = week(1)
    stray = replace(good.sessions[0], day=good.start + timedelta(days=7))
    with pytest.raises(DateOrderError, match="outside the week"):
        replace(good, sessions=(*good.sessions, stray))


def test_a_week_recorded_as_paused_is_refused():
    with pytest.raises(InvalidValueError, match="paused"):
        week(1, decision=Decision.PAUSED)


@pytest.mark.parametrize(
    ("history", "today"),
    [
        ((week(2), week(1)), MONDAY + timedelta(days=14)),  # weeks out of order
        (
            (week(1), replace(week(2), start=MONDAY + timedelta(days=3), sessions=())),
            MONDAY + timedelta(days=14),
        ),
        ((week(1),), MONDAY + timedelta(days=2)),  # a session dated after today
        ((week(2),), MONDAY),  # today before the last recorded week
    ],
)
def test_history_out_of_date_order_is_refused(history, today):
    with pytest.raises(DateOrderError):
        plan(*history, today=today)


def test_the_same_prescription_twice_is_refused():
    with pytest.raises(DuplicateKeyError):
        plan(week(1), prescriptions=(lift(), lift()))


def test_planning_without_any_prescription_is_refused():
    with pytest.raises(InvalidValueError, match="prescriptions"):
        plan(week(1), prescriptions=())


def test_red_flag_dated_after_today_is_refused():
    with pytest.raises(DateOrderError, match=r"red_flags\.reassessed_on"):
        plan(week(1), red_flags=RedFlagState(reassessed_on=MONDAY + timedelta(days=30)))


def test_a_plan_input_that_is_not_one_is_refused():
    with pytest.raises(InvalidValueError):
        plan_next_week("next week please")  # type: ignore[arg-type]
    no_settings: Any = None
    with pytest.raises(InvalidValueError, match="settings"):
        PlanInput(no_settings, (lift(),), (), RedFlagState(), MONDAY)
