"""The carry: a plan made from a stored summary of the earlier weeks and the weeks after it
is the plan the whole history gives. The weekly batch reads one week per program on this
promise, so it is checked over generated histories (hypothesis), every split point, red
flags in the sessions and in the assessments, and a round trip through JSON."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from programs.engine import (
    Carry,
    Decision,
    InvalidValueError,
    Mode,
    PlanInput,
    RedFlagState,
    RedFlagTier,
    Settings,
    acwr,
    carry_from_data,
    carry_of,
    carry_to_data,
    fold,
    plan_next_week,
)
from programs.engine.deload import rhythm_from_history
from programs.engine.errors import DateOrderError
from programs.engine.gate import judge
from programs.engine.history import (
    Comparable,
    base_for,
    daily_loads,
    last_tolerated,
    weeks_without_sessions,
)
from programs.engine.past import Past
from programs.engine.redflags import Flag

from .builders import CAP, MONDAY, monday, plan, week
from .test_properties import FAST, KEYS, caps, prescriptions, weeks


@st.composite
def histories(draw, *, flags=True, most=10):
    history, start = [], MONDAY
    for _ in range(draw(st.integers(0, most))):
        history.append(draw(weeks(start, flags=flags)))
        start += timedelta(days=7 * draw(st.sampled_from([1, 1, 1, 2, 3])))
    return tuple(history)


@st.composite
def red_flag_states(draw, today):
    """No flag, or one raised in an assessment; reassessments and new baselines, or none."""
    days = st.none() | st.integers(0, (today - MONDAY).days).map(
        lambda n: MONDAY + timedelta(days=n)
    )
    raised = draw(days)
    return RedFlagState(
        tier=draw(st.sampled_from(RedFlagTier)) if raised else None,
        raised_on=raised,
        reassessed_on=draw(days),
        new_baseline_on=draw(days),
    )


@st.composite
def long_plan_inputs(draw):
    history = draw(histories())
    last = history[-1].start if history else MONDAY
    today = last + timedelta(days=draw(st.integers(6 if history else 0, 40)))
    mode = draw(st.sampled_from(Mode))
    config = Settings(
        cap=draw(caps),
        deload_every=draw(st.integers(2, 8)),
        mode=mode,
        baseline_morning_pain=draw(st.integers(0, 3)),
        target_date=today + timedelta(days=draw(st.integers(-30, 300)))
        if mode is Mode.TIME_CONTINGENT
        else None,
    )
    last_week = history[-1] if history else None
    phase_start = draw(st.none() | st.sampled_from([w.start for w in history] or [MONDAY]))
    return PlanInput(
        settings=config,
        prescriptions=tuple(draw(prescriptions(key, last_week)) for key in KEYS),
        history=history,
        red_flags=draw(red_flag_states(today)),
        today=today,
        acwr_acknowledged=draw(st.booleans()),
        phase_start=phase_start,
        is_first_phase=draw(st.booleans()),
    )


def stored(carry: Carry) -> Carry:
    """As the batch keeps it: through JSON text and back."""
    return carry_from_data(json.loads(json.dumps(carry_to_data(carry))))


@FAST
@given(inp=long_plan_inputs(), data=st.data())
def test_a_plan_from_a_stored_carry_and_the_weeks_after_it_is_the_whole_history_plan(inp, data):
    assume(inp.history)
    split = data.draw(st.integers(0, len(inp.history) - 1))
    baseline = inp.settings.baseline_morning_pain
    carried = replace(
        inp, history=inp.history[split:], carry=stored(carry_of(inp.history[:split], baseline))
    )
    assert plan_next_week(carried) == plan_next_week(inp)


def reference_flags(state, history):
    """Every flag, as the whole-history scan read them: the state's, then each session's."""
    found = [Flag(state.tier, state.raised_on)] if state.tier is not None else []
    for w in history:
        for s in w.sessions:
            if s.red_flag is not None:
                found.append(Flag(s.red_flag, s.day))
            rest = max(
                (v for v in (s.pain_at_rest, s.pain_next_morning) if v is not None), default=None
            )
            if rest is not None and rest >= 8:
                found.append(Flag(RedFlagTier.AMBER, s.day, rest))
    return tuple(found)


def reference_comparable(history):
    """The week before the last with sessions that was not a deload."""
    for w in reversed(history[:-1]):
        if w.sessions and w.decision is not Decision.DELOAD:
            return Comparable(w.start, max(s.pain_during for s in w.sessions))
    return None


@FAST
@given(
    history=histories(),
    baseline=st.integers(0, 3),
    extra=st.integers(6, 60),
    data=st.data(),
)
def test_what_planning_reads_from_a_carry_is_what_the_whole_history_scans_give(
    history, baseline, extra, data
):
    """Each value is checked against the scan over the whole history that planning used
    before carries existed (base, last tolerated, rhythm, gap, flags, ACWR, gate)."""
    assume(history)
    split = data.draw(st.integers(0, len(history) - 1))
    past = Past.of(history[split:], baseline, stored(carry_of(history[:split], baseline)))
    for key in (*KEYS, "never-done"):
        base = base_for(history, key, baseline)
        assert past.base(key) == (base.dose if base else None)
        assert past.last_tolerated(key) == last_tolerated(history, key, baseline)
    assert past.rhythm() == rhythm_from_history(history)
    today = history[-1].start + timedelta(days=extra)
    assert past.weeks_without_sessions(today) == weeks_without_sessions(history, today)
    assert past.acwr(today) == acwr(daily_loads(history), today)
    state = data.draw(red_flag_states(today))
    assert past.flags(state) == reference_flags(state, history)
    assert past.judge_last(time_contingent=False) == judge(
        history[-1], reference_comparable(history), baseline
    )
    if len(history) >= 2:
        assert (
            past.before.last_outcome
            == judge(history[-2], reference_comparable(history[:-1]), baseline).outcome
        )
    phase_start = data.draw(st.sampled_from([None, *(w.start for w in history)]))
    in_phase = [w.decision for w in history if phase_start is None or w.start >= phase_start]
    assert past.recent_decisions(phase_start) == in_phase[-2:]
    assert stored(past.before) == past.before


@FAST
@given(history=histories(most=6), baseline=st.integers(0, 3))
def test_folding_week_by_week_is_folding_the_whole_history(history, baseline):
    assume(history)
    carry = carry_of(history[:-1], baseline)
    assert fold(stored(carry), history[-1]) == carry_of(history, baseline)


def test_a_carry_folded_under_another_baseline_is_refused():
    with pytest.raises(InvalidValueError, match="baseline morning pain 0/10, not 2/10"):
        plan(
            week(2), carry=carry_of((week(1),), 0), settings=Settings(CAP, baseline_morning_pain=2)
        )


def test_a_week_that_overlaps_the_carry_is_refused():
    carry = carry_of((week(1), week(2)), 0)
    with pytest.raises(DateOrderError, match="less than 7 days after the carry's last week"):
        plan(week(2), carry=carry)
    with pytest.raises(InvalidValueError, match="must hold the weeks after the carry"):
        plan(carry=carry, today=monday(4))


def test_a_long_history_plans_alike_from_its_carry():
    """Twelve weeks with a deload and a week off: the week-13 plan from the carry of weeks
    1-11 and week 12 is the whole-history plan, reasons and values alike. Its rhythm deload
    counts the loading weeks since the week off, most of them inside the carry."""
    history = tuple(
        week(n, str(20 + n), decision=Decision.DELOAD if n == 4 else Decision.PROGRESS)
        for n in range(1, 13)
        if n != 7
    )
    whole = plan(*history)
    assert plan(history[-1], carry=carry_of(history[:-1], 0), today=monday(13)) == whole
    assert whole.decision is Decision.DELOAD
    assert "one week in 4" in whole.reasons[0].text


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(format=99),
        lambda d: d.pop("bases"),
        lambda d: d.update(load=["not a day", "2026-01-01", "1", "1"]),
        lambda d: d.update(rhythm=None),
    ],
    ids=["another format", "a missing field", "a damaged date", "a damaged rhythm"],
)
def test_a_damaged_stored_carry_is_refused_with_the_engines_own_error(damage):
    data = carry_to_data(carry_of((week(1),), 0))
    damage(data)
    with pytest.raises(InvalidValueError):
        carry_from_data(data)
