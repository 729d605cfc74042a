from decimal import Decimal

import pytest

from assessments.scoring import SCORERS, Instrument, ResponseError, score


def test_every_instrument_has_a_scorer():
    assert set(SCORERS) == set(Instrument)


@pytest.mark.parametrize("instrument", list(Instrument))
def test_item_keys_are_unique_and_labels_short(instrument):
    items = SCORERS[instrument].items
    assert len({item.key for item in items}) == len(items)
    assert [item.number for item in items] == list(range(1, len(items) + 1))
    assert all(0 < len(item.label) <= 40 for item in items)
    assert all(item.low < item.high for item in items)


def test_score_dispatches_by_key_string():
    assert score("nprs", {"pain": 4}).score == Decimal(4)


def test_an_unknown_instrument_is_refused():
    with pytest.raises(ValueError, match="'vas'"):
        score("vas", {})


@pytest.mark.parametrize("bad", ["3", 2.0, True, Decimal(3)])
def test_responses_must_be_whole_numbers(bad):
    with pytest.raises(ResponseError, match="is not a whole number") as caught:
        score(Instrument.NPRS, {"pain": bad})
    assert caught.value.item_key == "pain"


def test_an_unknown_item_key_is_refused():
    with pytest.raises(ResponseError, match="unknown item 'q18'") as caught:
        score(Instrument.TSK17, {"q18": 2})
    assert caught.value.item_key == "q18"


def test_a_response_error_is_a_value_error():
    assert issubclass(ResponseError, ValueError)
