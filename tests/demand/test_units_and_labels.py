from decimal import Decimal

import pytest

from patients.demand_levels import (
    KG_TO_LB,
    DemandLevel,
    Frequency,
    format_kg_lb,
    kg_to_lb,
    lb_to_kg,
)


def test_conversion_uses_the_design_factor_without_rounding():
    assert Decimal("2.20462262") == KG_TO_LB
    assert kg_to_lb(Decimal("22.68")) == Decimal("50.0008410216")
    assert abs(lb_to_kg(Decimal(50)) - Decimal("22.679618")) < Decimal("0.000001")


@pytest.mark.parametrize(
    ("kg", "shown"),
    [
        ("22.68", "22.7 kg (50.0 lb)"),
        ("10", "10.0 kg (22.0 lb)"),
        ("45.35", "45.4 kg (100.0 lb)"),  # 99.98 lb
        ("0.05", "0.1 kg (0.1 lb)"),  # half up, not to even
        ("0", "0.0 kg (0.0 lb)"),
    ],
)
def test_loads_are_shown_in_kg_and_lb(kg, shown):
    assert format_kg_lb(Decimal(kg)) == shown


def test_levels_are_ordered_and_labelled():
    assert list(DemandLevel) == sorted(DemandLevel)
    assert [level.label for level in DemandLevel] == [
        "Sedentary", "Light", "Medium", "Heavy", "Very heavy",
    ]  # fmt: skip


def test_frequencies_use_the_stored_values_of_the_job_task_model():
    assert [f.value for f in Frequency] == ["occasional", "frequent", "constant"]
    assert Frequency.FREQUENT.label == "Frequent (1/3-2/3 of the shift)"
