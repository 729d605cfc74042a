"""Rule 9: the earliest week each job demand can be met and the earliest full-duty date,
under the cap, the increments, the target clamp and the deload rhythm; and the what-if."""

from datetime import date, timedelta

import pytest

from programs.engine import Decision, Settings, project, what_if

from .builders import D, lift, week

TODAY = date(2025, 6, 2)


@pytest.mark.parametrize(
    ("cap", "weeks"),
    [
        ("0.20", 3),  # 24, 28.5, 30 (34.2 clamped)
        ("0.10", 7),  # 22, 24, 26, deload, resume 26, 28.5, 30
    ],
)
def test_projection_gives_the_earliest_week_the_job_demand_can_be_met(cap, weeks):
    result = project((lift(quantity="20", target="30"),), Settings(cap=D(cap)), TODAY)
    (item,) = result.items
    assert item.reachable
    assert item.weeks_needed == weeks
    assert item.date == TODAY + timedelta(days=7 * (weeks - 1))
    assert result.full_duty_date == item.date


def test_full_duty_date_is_when_the_last_job_demand_is_met():
    prescriptions = (
        lift(quantity="20", target="30"),
        lift(key="carry", quantity="10", target="12"),
        lift(key="stretch", quantity="1", target=None),  # no job demand: not projected
    )
    result = project(prescriptions, Settings(cap=D("0.20")), TODAY)
    assert [item.key for item in result.items] == ["lift", "carry"]
    assert [item.weeks_needed for item in result.items] == [3, 1]
    assert result.full_duty_date == TODAY + timedelta(days=14)


def test_a_demand_already_met_needs_no_weeks():
    result = project((lift(quantity="30", target="30"),), Settings(cap=D("0.20")), TODAY)
    assert result.items[0].weeks_needed == 0
    assert result.full_duty_date == TODAY


def test_a_demand_out_of_reach_at_this_increment_has_no_full_duty_date():
    prescriptions = (lift(quantity="2", increment="1", target="5"), lift(key="carry"))
    result = project(prescriptions, Settings(cap=D("0.20")), TODAY)
    assert not result.items[0].reachable
    assert result.items[0].date is None
    assert result.full_duty_date is None


def test_what_if_shows_how_the_full_duty_date_moves_with_the_cap():
    projections = what_if((lift(quantity="20", target="40"),), Settings(cap=D("0.15")), TODAY)
    assert [p.cap for p in projections] == [D("0.10"), D("0.125"), D("0.15"), D("0.175"), D("0.20")]
    dates = [p.full_duty_date for p in projections if p.full_duty_date is not None]
    assert len(dates) == len(projections)  # every cap reaches the demand
    assert dates == sorted(dates, reverse=True)  # a higher cap never moves full duty later
    assert dates[0] > dates[-1]


def test_projection_starts_from_the_base_and_the_rhythm_not_from_a_deload_weeks_values():
    history = (
        week(1, "20", decision=Decision.HOLD),
        week(2, "24"),
        week(3, "28.5"),
        week(4, "25.5", sets=2, decision=Decision.DELOAD),
    )
    prescription = lift(quantity="25.5", sets=2, target="36")
    with_history = project((prescription,), Settings(cap=D("0.20")), TODAY, history=history)
    # resume at 28.5, then 34, then 36 (40.8 clamped)
    assert with_history.items[0].weeks_needed == 3
    naive = project((prescription,), Settings(cap=D("0.20")), TODAY)
    assert naive.items[0].weeks_needed == 2  # 30.5, 36: what the history rightly prevents
