from decimal import Decimal

import pytest

from patients.demand_levels import DemandLevel, Frequency, TaskLoad, job_level, worker_level

SED, LIGHT, MEDIUM, HEAVY, VERY_HEAVY = DemandLevel
OCC, FREQ, CONST = Frequency.OCCASIONAL, Frequency.FREQUENT, Frequency.CONSTANT


def test_a_job_without_tasks_has_no_level():
    assert job_level([]) is None


@pytest.mark.parametrize(
    ("tasks", "level"),
    [
        ([TaskLoad(Decimal("22.68"), OCC)], MEDIUM),
        ([TaskLoad(Decimal("22.68"), OCC), TaskLoad(Decimal("4.55"), FREQ)], MEDIUM),
        ([TaskLoad(None, CONST), TaskLoad(Decimal(30), OCC)], HEAVY),
        ([(Decimal(5), "constant"), (Decimal(5), "occasional")], HEAVY),  # 11.02 lb constant
        ([TaskLoad(None, "constant")], SED),
    ],
)
def test_a_job_takes_the_level_of_its_most_demanding_task(tasks, level):
    assert job_level(tasks) is level


@pytest.mark.parametrize(
    ("capacity", "level"),
    [
        ({OCC: Decimal("22.68")}, MEDIUM),  # reaches 50 lb within tolerance
        ({OCC: Decimal("22.67")}, LIGHT),  # 49.98 lb: a medium job may ask for 50
        ({OCC: Decimal("9.07")}, LIGHT),  # 19.996 lb reaches 20
        ({OCC: Decimal("9.0")}, SED),  # 19.84 lb
        ({OCC: Decimal(3)}, SED),  # below 10 lb there is no lower level
        ({OCC: Decimal("45.36")}, HEAVY),
        ({OCC: Decimal("45.37")}, VERY_HEAVY),  # more than 100 lb
        # A measured frequent or constant capacity can lower the level.
        ({OCC: Decimal(50), FREQ: Decimal(5)}, LIGHT),  # 11.02 lb frequent: not 25
        ({OCC: Decimal(50), CONST: Decimal("4.55")}, MEDIUM),  # 10.03 lb constant
        ({OCC: Decimal(50), FREQ: Decimal(25), CONST: Decimal(10)}, VERY_HEAVY),
        ({"occasional": Decimal("22.68")}, MEDIUM),
    ],
)
def test_the_workers_level_is_the_highest_whose_every_limit_they_reach(capacity, level):
    assert worker_level(capacity) is level


@pytest.mark.parametrize("capacity", [{}, {FREQ: Decimal(20)}, {CONST: Decimal(5)}])
def test_without_a_measured_max_lift_the_workers_level_is_unknown(capacity):
    assert worker_level(capacity) is None
