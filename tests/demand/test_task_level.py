from decimal import Decimal

import pytest

from patients.demand_levels import DemandLevel, Frequency, lb_to_kg, task_level

SED, LIGHT, MEDIUM, HEAVY, VERY_HEAVY = DemandLevel
OCC, FREQ, CONST = Frequency.OCCASIONAL, Frequency.FREQUENT, Frequency.CONSTANT


# kg x 2.20462262 = lb; limits are inclusive with 0.01 lb tolerance; "negligible" is 0.
@pytest.mark.parametrize(
    ("kg", "frequency", "level"),
    [
        # Occasional: 10 / 20 / 50 / 100 lb.
        ("0", OCC, SED),
        ("4.5", OCC, SED),  # 9.921 lb
        ("4.54", OCC, SED),  # 10.009 lb: inside the tolerance
        ("4.55", OCC, LIGHT),  # 10.031 lb
        ("9.07", OCC, LIGHT),  # 19.996 lb
        ("9.08", OCC, MEDIUM),  # 20.018 lb
        ("9.1", OCC, MEDIUM),  # 20.062 lb: DESIGN's "(9.1 kg)" is a rounded display value
        ("22.67", OCC, MEDIUM),  # 49.979 lb
        ("22.68", OCC, MEDIUM),  # 50.0008 lb: inside the tolerance
        ("22.7", OCC, HEAVY),  # 50.045 lb
        ("45.36", OCC, HEAVY),  # 100.0017 lb
        ("45.37", OCC, VERY_HEAVY),  # 100.024 lb
        ("45.4", OCC, VERY_HEAVY),  # 100.090 lb
        ("200", OCC, VERY_HEAVY),
        # Frequent: negligible / 10 / 25 / 50 lb.
        ("0", FREQ, SED),
        ("0.01", FREQ, LIGHT),  # any load at all is more than negligible
        ("4.54", FREQ, LIGHT),  # 10.009 lb
        ("4.55", FREQ, MEDIUM),  # 10.031 lb
        ("11.34", FREQ, MEDIUM),  # 25.0004 lb
        ("11.35", FREQ, HEAVY),  # 25.022 lb
        ("22.68", FREQ, HEAVY),  # 50.0008 lb
        ("22.7", FREQ, VERY_HEAVY),  # 50.045 lb
        # Constant: negligible (sedentary and light) / 10 / 20 lb.
        ("0", CONST, SED),
        ("0.01", CONST, MEDIUM),  # above negligible skips light as well
        ("4.54", CONST, MEDIUM),  # 10.009 lb
        ("4.55", CONST, HEAVY),  # 10.031 lb
        ("9.07", CONST, HEAVY),  # 19.996 lb
        ("9.08", CONST, VERY_HEAVY),  # 20.018 lb
    ],
)
def test_task_level_at_and_around_every_kg_boundary(kg, frequency, level):
    assert task_level(Decimal(kg), frequency) is level


@pytest.mark.parametrize(
    ("lb", "frequency", "level"),
    [
        ("10", OCC, SED),
        ("10.005", OCC, SED),
        ("10.015", OCC, LIGHT),
        ("20", OCC, LIGHT),
        ("20.015", OCC, MEDIUM),
        ("50", OCC, MEDIUM),
        ("50.005", OCC, MEDIUM),
        ("50.015", OCC, HEAVY),
        ("100", OCC, HEAVY),
        ("100.015", OCC, VERY_HEAVY),
        ("0.001", FREQ, LIGHT),
        ("10", FREQ, LIGHT),
        ("10.015", FREQ, MEDIUM),
        ("25", FREQ, MEDIUM),
        ("25.015", FREQ, HEAVY),
        ("50", FREQ, HEAVY),
        ("50.015", FREQ, VERY_HEAVY),
        ("0.001", CONST, MEDIUM),
        ("10", CONST, MEDIUM),
        ("10.015", CONST, HEAVY),
        ("20", CONST, HEAVY),
        ("20.015", CONST, VERY_HEAVY),
    ],
)
def test_task_level_at_and_around_every_lb_boundary(lb, frequency, level):
    # Entered in lb, stored in kg (28 significant digits), compared back in lb.
    assert task_level(lb_to_kg(Decimal(lb)), frequency) is level


@pytest.mark.parametrize("frequency", list(Frequency))
def test_a_task_with_no_load_is_sedentary(frequency):
    # Sustained standing, sitting or walking: rated on load only.
    assert task_level(None, frequency) is SED


def test_frequency_may_be_given_as_its_stored_string():
    assert task_level(Decimal("22.68"), "occasional") is MEDIUM


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError, match="'often'"):
        task_level(Decimal(5), "often")


def test_a_negative_load_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        task_level(Decimal("-1"), OCC)
