from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import SCORERS, Instrument, ResponseError, odi, pcs, score
from assessments.scoring.base import Item
from assessments.scoring.change import compare

RANGES = {
    Instrument.NPRS: (0, 10),
    Instrument.ODI: (0, 100),
    Instrument.TSK17: (17, 68),
    Instrument.TSK11: (11, 44),
    Instrument.PCS: (0, 52),
    Instrument.OMPSQ_SF: (1, 100),
    Instrument.START_BACK: (0, 9),
    Instrument.PSFS: (0, 10),
}


def complete(items: tuple[Item, ...]) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries({i.key: st.integers(i.low, i.high) for i in items})


@st.composite
def instrument_and_answers(draw: st.DrawFn) -> tuple[Instrument, dict[str, int]]:
    instrument = draw(st.sampled_from(list(Instrument)))
    return instrument, draw(complete(SCORERS[instrument].items))


@given(instrument_and_answers())
def test_complete_answers_always_score_within_the_published_range(case):
    instrument, answers = case
    result = score(instrument, answers)
    low, high = RANGES[instrument]
    assert result.score is not None
    assert low <= result.score <= high
    assert result.not_scorable_reason is None


@given(complete(pcs.ITEMS))
def test_pcs_subscales_add_up_to_the_total(answers):
    result = pcs.score(answers)
    assert sum(result.subscales.values()) == result.score


REVERSED = [item for scorer in SCORERS.values() for item in scorer.items if item.reverse]


@given(st.sampled_from(REVERSED), st.data())
def test_reversing_twice_gives_back_the_answer(item, data):
    answer = data.draw(st.integers(item.low, item.high))
    assert item.low <= item.scored(answer) <= item.high
    assert item.scored(item.scored(answer)) == answer


@given(complete(odi.ITEMS), st.sets(st.sampled_from([i.key for i in odi.ITEMS]), max_size=10))
def test_odi_is_scorable_exactly_when_at_most_two_sections_are_blank(answers, blank):
    result = odi.score({k: (None if k in blank else v) for k, v in answers.items()})
    assert result.scorable is (len(blank) <= 2)
    assert result.answered == 10 - len(blank)


@given(instrument_and_answers(), st.data())
def test_any_answer_outside_an_items_range_is_refused(case, data):
    instrument, answers = case
    item = data.draw(st.sampled_from(SCORERS[instrument].items))
    bad = data.draw(st.integers(max_value=item.low - 1) | st.integers(min_value=item.high + 1))
    with pytest.raises(ResponseError) as caught:
        score(instrument, answers | {item.key: bad})
    assert caught.value.item_key == item.key


scores = st.decimals(min_value=0, max_value=100, places=1)
SWAPPED = {"improved (≥ MIC)": "worse (≥ MIC)", "worse (≥ MIC)": "improved (≥ MIC)"}


@given(st.sampled_from([Instrument.ODI, Instrument.PSFS]), scores, scores)
def test_swapping_the_two_assessments_swaps_improved_and_worse(instrument, a, b):
    forward = compare(instrument, a, b)
    backward = compare(instrument, b, a)
    assert forward.delta is not None
    assert backward.delta == -forward.delta
    assert backward.label == SWAPPED.get(forward.label, forward.label)


@given(st.integers(0, 10), st.integers(0, 10))
def test_nprs_change_of_two_points_is_always_important(previous, current):
    label = compare(Instrument.NPRS, Decimal(previous), Decimal(current)).label
    if abs(current - previous) >= 2:
        assert label == ("improved (≥ MIC)" if current < previous else "worse (≥ MIC)")
    if current == previous:
        assert label == "no important change"
