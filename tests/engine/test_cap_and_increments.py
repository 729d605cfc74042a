"""Rules 1 and 2: the cap is measured from the completed-and-tolerated base, applies to the
load and to the weekly volume, never passes the phase target, and rounding to the equipment
increment never lifts a value over it."""

from decimal import Decimal

import pytest

from programs.engine import (
    CapExceededError,
    CapOutOfRangeError,
    Decision,
    IncrementError,
    ReasonCode,
    Settings,
    cap_limit,
    cap_violations,
    check_within_cap,
    default_cap,
    next_quantity,
    round_down,
)

from .builders import D, codes, lift, plan, texts, values, week


def test_fifty_kg_plus_fifteen_percent_is_exactly_57_5_kg():
    limit = cap_limit(D("50"), D("0.15"), None)
    assert limit == D("57.5")
    assert f"{limit.normalize():f}" == "57.5"
    assert next_quantity(D("50"), D("0.15"), D("0.5"), None) == D("57.5")


@pytest.mark.parametrize(
    ("completed", "proposed", "base"),
    [
        ("17.5", "21", "17.5"),  # chose 17.5 kg when 20 kg was prescribed
        ("20", "24", "20"),
        ("22", "26", "22"),  # did more than prescribed: the cap still counts from what was done
    ],
)
def test_base_is_completed_not_prescribed_value(completed, proposed, base):
    result = plan(week(1, completed, planned=(3, 10, "20"), decision=Decision.HOLD))
    assert result.decision is Decision.PROGRESS
    (item,) = result.items
    assert item.quantity == D(proposed)
    assert item.base_quantity == D(base)
    assert item.max_quantity == D(base) * D("1.2")


def test_lowest_session_of_the_week_is_what_was_completed_and_tolerated():
    history = week(1, decision=Decision.HOLD)
    first, second, third = history.sessions
    from dataclasses import replace

    lighter = replace(third, items=(replace(third.items[0], quantity=D("17.5")),))
    history = replace(history, sessions=(first, second, lighter))
    assert values(plan(history)) == (3, 10, D("21"))


@pytest.mark.parametrize(
    ("cap", "proposed"),
    [("0.10", "22"), ("0.15", "23"), ("0.175", "23.5"), ("0.20", "24")],
)
def test_clinician_chosen_cap_between_ten_and_twenty_percent_sets_the_step(cap, proposed):
    assert values(plan(week(1, decision=Decision.HOLD), cap=cap))[2] == D(proposed)


@pytest.mark.parametrize("cap", ["0.09", "0.21", "0", "0.5", "1", "-0.1"])
def test_cap_outside_ten_to_twenty_percent_is_rejected(cap):
    with pytest.raises(CapOutOfRangeError, match="cap"):
        Settings(cap=D(cap))


@pytest.mark.parametrize(
    "risk",
    ["previous_same_site_injury", "smoker", "diabetes", "orebro_high", "high_kinesiophobia"],
)
def test_default_cap_is_ten_percent_with_any_risk_factor(risk):
    factors = dict.fromkeys(
        ["previous_same_site_injury", "smoker", "diabetes", "orebro_high", "high_kinesiophobia"],
        False,
    )
    assert default_cap(**factors) == D("0.20")
    assert default_cap(**{**factors, risk: True}) == D("0.10")


@pytest.mark.parametrize(
    ("completed", "target", "proposed", "code"),
    [
        ("20", "22.7", "22.7", ReasonCode.CLAMPED_TO_TARGET),  # 24 would pass the job demand
        ("22.7", "22.7", "22.7", ReasonCode.TARGET_REACHED),
        ("25", "22.7", "22.7", ReasonCode.TARGET_REACHED),  # target lowered below the base
        ("20", "30", "24", ReasonCode.QUANTITY_INCREASED),
    ],
)
def test_proposal_is_clamped_to_the_phase_target(completed, target, proposed, code):
    history = week(1, completed, decision=Decision.HOLD)
    prescription = lift(quantity=completed, target=target)
    result = plan(history, prescriptions=(prescription,))
    (item,) = result.items
    assert item.quantity == D(proposed)
    assert item.max_quantity is not None
    assert item.max_quantity <= D(target)
    assert code in codes(result)


def test_off_grid_job_demand_is_reachable_when_it_fits_under_the_cap():
    # 22.7 kg (50 lb) is not a multiple of 0.5 kg; stopping at 22.5 kg would never meet it.
    assert next_quantity(D("20"), D("0.20"), D("0.5"), D("22.7")) == D("22.7")
    assert next_quantity(D("20"), D("0.10"), D("0.5"), D("22.7")) == D("22")


@pytest.mark.parametrize(
    ("base", "cap", "increment", "expected"),
    [
        ("23", "0.10", "0.5", "25"),  # 25.3 -> 25
        ("23", "0.10", "2.5", "25"),
        ("17.3", "0.20", "0.5", "20.5"),  # 20.76 -> 20.5
        ("21", "0.10", "2.5", "22.5"),  # 23.1 -> 22.5
        ("10", "0.10", "2.5", "10"),  # 11 -> 10: no step fits, never rounded up to 12.5
        ("17.3", "0.10", "2.5", "17.5"),  # 19.03 -> 17.5, the grid step that fits
        ("17.3", "0.10", "5", "17.3"),  # 19.03 -> 15 would lower an off-grid base: it stays
    ],
)
def test_rounding_down_to_the_increment_never_lifts_over_the_cap(base, cap, increment, expected):
    result = next_quantity(D(base), D(cap), D(increment), None)
    assert result == D(expected)
    assert result <= D(base) * (1 + D(cap))


@pytest.mark.parametrize(
    ("value", "increment", "expected"),
    [("22.9", "0.5", "22.5"), ("21", "0.5", "21"), ("0.49", "0.5", "0"), ("-0.2", "0.5", "-0.5")],
)
def test_round_down_goes_to_the_multiple_below(value, increment, expected):
    assert round_down(D(value), D(increment)) == D(expected)


@pytest.mark.parametrize("increment", ["0", "-0.5"])
def test_round_down_refuses_an_increment_that_is_not_positive(increment):
    with pytest.raises(IncrementError, match="increment"):
        round_down(D("20"), D(increment))


def test_when_rounding_leaves_no_increase_reps_progress_instead_within_the_volume_cap():
    # 2 kg + 20 % = 2.4 kg, which rounds back to 2 kg on 1 kg steps; 3 x 12 x 2 = 72 = 60 + 20 %.
    history = week(1, "2", decision=Decision.HOLD)
    result = plan(history, prescriptions=(lift(quantity="2", increment="1"),))
    assert result.decision is Decision.PROGRESS
    assert values(result) == (3, 12, D("2"))
    assert ReasonCode.REPS_INCREASED_INSTEAD in codes(result)
    assert "reps go 10 → 12" in texts(result)


def test_when_reps_are_at_their_ceiling_a_set_is_added_within_the_volume_cap():
    history = week(1, "2", sets=5, reps=15, decision=Decision.HOLD)
    prescription = lift(sets=5, reps=15, quantity="2", increment="1", max_sets=6)
    result = plan(history, prescriptions=(prescription,))
    assert values(result) == (6, 15, D("2"))  # 6 x 15 x 2 = 180 = 150 + 20 %
    assert ReasonCode.SETS_INCREASED_INSTEAD in codes(result)


def test_when_no_load_rep_or_set_fits_under_the_cap_the_item_holds():
    history = week(1, "2", reps=15, decision=Decision.HOLD)
    result = plan(history, prescriptions=(lift(reps=15, quantity="2", increment="1"),))
    assert result.decision is Decision.HOLD
    assert values(result) == (3, 15, D("2"))  # a 4th set would be +33 %
    assert ReasonCode.NO_INCREASE_FITS in codes(result)


@pytest.mark.parametrize(
    ("sets", "reps", "quantity", "field"),
    [
        (3, 10, "24.5", "quantity"),  # above 20 kg + 20 %
        (4, 10, "20", "volume"),  # same load, a fourth set: +33 % volume
        (3, 12, "22", "volume"),  # each within 20 %, together 792 > 720
        (3, 10, "41", "quantity"),  # above the target
    ],
)
def test_values_above_the_cap_are_refused_with_the_field_named(sets, reps, quantity, field):
    with pytest.raises(CapExceededError) as caught:
        check_within_cap(
            base_sets=3,
            base_reps=10,
            base_quantity=D("20"),
            sets=sets,
            reps=reps,
            quantity=D(quantity),
            cap=D("0.20"),
            target=D("40"),
            unit="kg",
        )
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("sets", "reps", "quantity"),
    [(3, 10, "24"), (3, 12, "20"), (2, 10, "20"), (3, 10, "23.9")],
)
def test_values_within_the_cap_are_accepted(sets, reps, quantity):
    check_within_cap(
        base_sets=3,
        base_reps=10,
        base_quantity=D("20"),
        sets=sets,
        reps=reps,
        quantity=D(quantity),
        cap=D("0.20"),
        target=None,
    )


def test_body_weight_work_counts_sets_times_reps_for_the_volume_cap():
    found = cap_violations(
        base_sets=3,
        base_reps=10,
        base_quantity=Decimal(0),
        sets=3,
        reps=13,
        quantity=Decimal(0),
        cap=D("0.20"),
        target=None,
    )
    assert [v.field for v in found] == ["volume"]
