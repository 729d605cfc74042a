from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from patients.demand_levels import (
    Frequency,
    job_level,
    kg_to_lb,
    lb_to_kg,
    task_level,
    worker_level,
)

loads = st.decimals(min_value=0, max_value=300, places=3)
frequencies = st.sampled_from(list(Frequency))


@given(loads, loads, frequencies)
def test_a_heavier_load_never_lowers_the_task_level(a, b, frequency):
    light, heavy = sorted((a, b))
    assert task_level(light, frequency) <= task_level(heavy, frequency)


@given(loads, frequencies)
def test_a_more_frequent_load_never_lowers_the_task_level(load, frequency):
    order = list(Frequency)
    for more_often in order[order.index(frequency) :]:
        assert task_level(load, frequency) <= task_level(load, more_often)


@given(st.lists(st.tuples(loads, frequencies), min_size=1, max_size=8))
def test_a_job_is_at_least_as_demanding_as_each_task(tasks):
    level = job_level(tasks)
    assert level is not None
    assert all(task_level(load, freq) <= level for load, freq in tasks)
    assert level in {task_level(load, freq) for load, freq in tasks}


@given(loads, loads)
def test_more_lifting_capacity_never_lowers_the_workers_level(a, b):
    weak, strong = sorted((a, b))
    weaker = worker_level({Frequency.OCCASIONAL: weak})
    stronger = worker_level({Frequency.OCCASIONAL: strong})
    assert weaker is not None
    assert stronger is not None
    assert weaker <= stronger


@given(loads)
def test_the_workers_level_never_exceeds_a_task_lifting_their_own_max(capacity):
    level = worker_level({Frequency.OCCASIONAL: capacity})
    assert level is not None
    assert level <= task_level(capacity, Frequency.OCCASIONAL)


@given(loads)
def test_kg_to_lb_and_back_is_lossless_to_a_micro_gram(kg):
    assert abs(lb_to_kg(kg_to_lb(kg)) - kg) < Decimal("1e-9")
