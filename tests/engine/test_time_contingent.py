"""Rule 8: time-contingent (graded activity) quotas: week 1 at 70 % of the baseline, steps
pre-set to reach the target by a chosen date, the cap still applies, and pain within the
acceptable zone does not change the plan while red flags and regress signals still do."""

from datetime import date

import pytest

from programs.engine import (
    Decision,
    Mode,
    ReasonCode,
    RedFlagTier,
    SettingOutOfRangeError,
    Settings,
    time_contingent_quotas,
)

from .builders import D, codes, lift, monday, plan, texts, values, week

START = date(2025, 3, 3)


def quotas(target_date, *, baseline="20", target="30", cap="0.10", increment="0.5", every=4):
    return time_contingent_quotas(
        D(baseline), D(target), START, target_date, D(cap), D(increment), every
    )


def test_week_one_quota_is_seventy_percent_of_the_baseline():
    result = quotas(date(2025, 9, 1))
    assert result.weeks[0].quantity == D("14")
    assert result.weeks[0].week_start == START


@pytest.mark.parametrize("target_date", [date(2025, 8, 1), date(2025, 9, 1), date(2025, 12, 1)])
def test_quotas_reach_the_target_by_the_chosen_date_and_never_outrun_the_cap(target_date):
    result = quotas(target_date)
    assert result.feasible
    last = result.weeks[-1]
    assert last.quantity == D("30")
    assert last.week_start <= target_date
    level = result.weeks[0].quantity
    for quota in result.weeks[1:]:
        if quota.is_deload:
            assert quota.quantity < level
            continue
        assert level <= quota.quantity <= level * D("1.10")
        level = quota.quantity


def test_a_feasible_schedule_still_names_the_earliest_feasible_date():
    result = quotas(date(2025, 12, 1))
    assert result.feasible
    assert result.earliest_feasible_date == date(2025, 6, 30)  # the fastest path, as below
    assert result.weeks[-1].week_start > result.earliest_feasible_date  # spread out instead


def test_a_later_date_spreads_the_same_climb_over_more_weeks():
    soon, late = quotas(date(2025, 8, 1)), quotas(date(2025, 12, 1))
    assert len(late.weeks) > len(soon.weeks)


def test_quotas_say_when_the_date_cannot_be_met_and_give_the_earliest_feasible_date():
    result = quotas(date(2025, 4, 1))
    # 14, 15, 16.5, deload, 16.5, 18, 19.5, deload, 19.5, 21, 23, deload, 23, 25, 27.5,
    # deload, 27.5, then 30 in week 18 (30.25 clamped to the target): Monday 30 June.
    assert not result.feasible
    assert result.earliest_feasible_date == date(2025, 6, 30)
    assert "2025-04-01 cannot be met" in result.message
    assert "earliest feasible date is 2025-06-30" in result.message
    assert result.weeks[-1].week_start == result.earliest_feasible_date
    assert quotas(result.earliest_feasible_date).feasible


def test_quotas_follow_the_deload_rhythm():
    result = quotas(date(2025, 9, 1))
    assert [q.is_deload for q in result.weeks[:9]] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
        False,
    ]
    assert result.weeks[4].quantity == result.weeks[2].quantity  # resume at pre-deload level


def test_a_target_out_of_reach_at_this_increment_says_so():
    result = quotas(date(2026, 3, 1), baseline="4", target="10", increment="1")
    # 70 % of 4 kg is 2.8 -> 2 kg; + 10 % is 2.2 kg, and 1 kg steps never fit under the cap.
    assert not result.feasible
    assert result.earliest_feasible_date is None
    assert "smaller increment" in result.message


def graded(target_date=date(2025, 9, 1)):
    return Settings(cap=D("0.10"), mode=Mode.TIME_CONTINGENT, target_date=target_date)


def test_time_contingent_first_week_plans_the_seventy_percent_quota():
    result = plan(prescriptions=(lift(target="30"),), settings=graded())
    assert values(result) == (3, 10, D("14"))
    assert ReasonCode.QUOTA in codes(result)


@pytest.mark.parametrize(
    "feel",
    [{"pain": 4}, {"pain": 5}, {"morning": 1}, {"rpe": 8}, {"soreness": 8}, {"fatigue": 9}],
)
def test_time_contingent_pain_in_the_acceptable_zone_does_not_change_the_plan(feel):
    history = (week(1, "14", decision=Decision.HOLD),)
    calm = plan(*history, prescriptions=(lift(quantity="14", target="30"),), settings=graded())
    sore = plan(
        week(1, "14", decision=Decision.HOLD, **feel),
        prescriptions=(lift(quantity="14", target="30"),),
        settings=graded(),
    )
    assert calm.decision is Decision.PROGRESS
    assert (sore.decision, sore.items) == (calm.decision, calm.items)


@pytest.mark.parametrize(
    ("feel", "decision"), [({"pain": 6}, Decision.REGRESS), ({"morning": 2}, Decision.REGRESS)]
)
def test_time_contingent_still_regresses_on_regress_signals(feel, decision):
    history = (week(1, "14", decision=Decision.HOLD), week(2, "15", **feel))
    result = plan(*history, prescriptions=(lift(quantity="15", target="30"),), settings=graded())
    assert result.decision is decision
    assert values(result) == (3, 10, D("14"))


def test_time_contingent_still_pauses_on_a_red_flag():
    result = plan(
        week(1, "14", decision=Decision.HOLD, flag=RedFlagTier.AMBER),
        prescriptions=(lift(quantity="14", target="30"),),
        settings=graded(),
    )
    assert result.decision is Decision.PAUSED
    assert result.items == ()


def test_time_contingent_quota_stays_under_the_cap_when_the_date_is_too_close():
    history = (week(1, "14", decision=Decision.HOLD),)
    result = plan(
        *history,
        prescriptions=(lift(quantity="14", target="30"),),
        settings=graded(target_date=monday(3)),
    )
    assert values(result)[2] == D("15")  # 14 + 10 % = 15.4 -> 15, however far behind
    assert ReasonCode.QUOTA_DATE_NOT_FEASIBLE in codes(result)
    assert "earliest feasible date" in texts(result)


def test_time_contingent_quota_follows_the_pre_set_steps():
    target_date = date(2025, 9, 1)
    schedule = quotas(target_date)
    history = (week(1, str(schedule.weeks[0].quantity), decision=Decision.HOLD),)
    result = plan(
        *history,
        prescriptions=(lift(quantity=str(schedule.weeks[0].quantity), target="30"),),
        settings=graded(target_date),
    )
    assert values(result)[2] == schedule.weeks[1].quantity


def test_time_contingent_requires_a_target_date():
    with pytest.raises(SettingOutOfRangeError, match="target_date"):
        Settings(cap=D("0.10"), mode=Mode.TIME_CONTINGENT)
