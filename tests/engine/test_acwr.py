"""Rule 10: acute:chronic workload ratio by EWMA (7-day acute, 28-day chronic), named beside
the value, "insufficient data" before 28 days, flagged above 1.3, and at 1.5 or more the
next automatic increase waits for a clinician's acknowledgement."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from programs.engine import AcwrStatus, DateOrderError, Decision, ReasonCode, acwr

from .builders import D, codes, plan, values, week

TODAY = date(2025, 6, 30)
METHOD = "EWMA, 7-day acute / 28-day chronic"


def steady_then(last_day_load, days=29, steady="100"):
    loads = {TODAY - timedelta(days=n): D(steady) for n in range(1, days)}
    loads[TODAY] = D(last_day_load)
    return loads


def reference_ratio(loads, today):
    """Williams et al. 2017 in exact fractions: EWMA = load x 2/(N+1) + EWMA x (1 - 2/(N+1))."""
    first = min(loads)
    acute = chronic = Fraction(loads[first])
    for n in range(1, (today - first).days + 1):
        load = Fraction(loads.get(first + timedelta(days=n), 0))
        acute = load * Fraction(2, 8) + acute * Fraction(6, 8)
        chronic = load * Fraction(2, 29) + chronic * Fraction(27, 29)
    ratio = acute / chronic
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@pytest.mark.parametrize("days", [1, 7, 27])
def test_acwr_says_insufficient_data_before_28_days(days):
    loads = {TODAY - timedelta(days=n): D("100") for n in range(days)}
    result = acwr(loads, TODAY)
    assert result.status is AcwrStatus.INSUFFICIENT_DATA
    assert result.ratio is None
    assert "insufficient data" in result.text
    assert result.method == METHOD


def test_acwr_with_no_load_at_all_is_insufficient_data():
    assert acwr({}, TODAY).status is AcwrStatus.INSUFFICIENT_DATA


@pytest.mark.parametrize(
    ("last_day", "status"),
    [
        ("100", AcwrStatus.OK),  # steady load: exactly 1
        ("300", AcwrStatus.HIGH),  # 1.32
        ("400", AcwrStatus.HIGH),  # 1.45
        ("500", AcwrStatus.HOLD),  # 1.57
    ],
)
def test_acwr_is_the_ewma_ratio_named_with_its_method(last_day, status):
    loads = steady_then(last_day)
    result = acwr(loads, TODAY)
    assert result.ratio == reference_ratio(loads, TODAY)
    assert result.status is status
    assert result.method == METHOD
    assert METHOD in result.text


def test_a_steady_load_gives_a_ratio_of_one():
    assert acwr(steady_then("100", days=60), TODAY).ratio == D("1")


def test_training_three_days_a_week_matches_the_reference():
    loads = {TODAY - timedelta(days=n): D("600") for n in range(0, 42) if n % 7 in (0, 2, 4)}
    assert acwr(loads, TODAY).ratio == reference_ratio(loads, TODAY)


def test_a_load_dated_after_today_is_refused():
    with pytest.raises(DateOrderError):
        acwr({TODAY + timedelta(days=1): D("10")}, TODAY)


def good_week():
    return week(1, decision=Decision.HOLD)


def test_acwr_of_1_5_or_more_holds_the_automatic_increase_until_acknowledged():
    history = good_week()
    today = history.start + timedelta(days=7)
    spike = {today - timedelta(days=n): D("100") for n in range(1, 29)} | {today: D("500")}
    held = plan(history, daily_loads=spike)
    assert held.decision is Decision.HOLD
    assert values(held) == (3, 10, D("20"))
    assert ReasonCode.ACWR_HOLD in codes(held)
    assert held.acwr is not None and held.acwr.status is AcwrStatus.HOLD
    acknowledged = plan(history, daily_loads=spike, acwr_acknowledged=True)
    assert acknowledged.decision is Decision.PROGRESS
    assert values(acknowledged) == (3, 10, D("24"))
    assert ReasonCode.ACWR_ACKNOWLEDGED in codes(acknowledged)


def test_acwr_above_1_3_is_flagged_but_does_not_hold():
    history = good_week()
    today = history.start + timedelta(days=7)
    high = {today - timedelta(days=n): D("100") for n in range(1, 29)} | {today: D("300")}
    result = plan(history, daily_loads=high)
    assert result.decision is Decision.PROGRESS
    assert ReasonCode.ACWR_HIGH in codes(result)


def test_plan_computes_the_load_from_the_session_logs_by_default():
    history = tuple(
        week(n, decision=Decision.HOLD if n == 1 else Decision.PROGRESS) for n in range(1, 6)
    )
    result = plan(*history, today=history[-1].start + timedelta(days=7))
    loads = {s.day: D("600") for w in history for s in w.sessions}  # 3 x 10 x 20 kg
    assert result.acwr == acwr(loads, history[-1].start + timedelta(days=7))
    assert result.acwr is not None and result.acwr.ratio is not None
