from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, tsk11, tsk17


def all_answers(value: int, items=tsk17.ITEMS) -> dict[str, int | None]:
    return {item.key: value for item in items}


@pytest.mark.parametrize(
    ("answer", "total", "high"),
    [
        # 13 plain items x 1 + 4 reversed items x (5 - 1) = 13 + 16 = 29.
        (1, 29, False),
        # 13 x 2 + 4 x 3 = 38: agreeing mildly everywhere already crosses 37.
        (2, 38, True),
        # 13 x 3 + 4 x 2 = 47.
        (3, 47, True),
        # 13 x 4 + 4 x 1 = 56.
        (4, 56, True),
    ],
)
def test_tsk17_uniform_answers(answer, total, high):
    result = tsk17.score(all_answers(answer))
    assert result.score == Decimal(total)
    assert result.high is high


def test_tsk17_reverses_exactly_items_4_8_12_16():
    assert [item.number for item in tsk17.ITEMS if item.reverse] == [4, 8, 12, 16]


def test_tsk17_strong_agreement_with_a_reversed_item_scores_low():
    # All 2 (38) but item 4 "strongly agree" (4 -> 1 instead of 2 -> 3): 38 - 3 + 1 = 36.
    result = tsk17.score(all_answers(2) | {"q4": 4})
    assert result.score == Decimal(36)


@pytest.mark.parametrize(
    ("changes", "total", "band", "high"),
    [
        ({"q1": 1}, 37, "below the high-kinesiophobia cut-off", False),  # 38 - 1
        ({}, 38, "high kinesiophobia", True),
    ],
)
def test_tsk17_cut_off_is_above_37(changes, total, band, high):
    result = tsk17.score(all_answers(2) | changes)
    assert (result.score, result.band, result.high) == (Decimal(total), band, high)


def test_tsk17_with_a_missing_item_is_not_scorable():
    result = tsk17.score(all_answers(2) | {"q9": None})
    assert result.score is None
    assert result.not_scorable_reason == (
        "not scorable: 16 of 17 items answered (missing: 9); all 17 needed"
    )


@pytest.mark.parametrize("bad", [0, 5])
def test_tsk17_answers_outside_1_to_4_are_refused(bad):
    with pytest.raises(ResponseError, match="item 12"):
        tsk17.score(all_answers(2) | {"q12": bad})


@pytest.mark.parametrize(("answer", "total"), [(1, 11), (2, 22), (4, 44)])
def test_tsk11_sums_without_reversal(answer, total):
    result = tsk11.score(all_answers(answer, tsk11.ITEMS))
    assert result.score == Decimal(total)
    assert (result.band, result.high) == (None, False)


def test_tsk11_keeps_the_tsk17_items_woby_retained():
    # Woby et al. 2005 dropped items 4, 8, 9, 12, 14 and 16.
    assert tsk11.TSK17_NUMBERS == (1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17)
    labels = {item.number: item.label for item in tsk17.ITEMS}
    assert [item.label for item in tsk11.ITEMS] == [labels[n] for n in tsk11.TSK17_NUMBERS]
    assert not any(item.reverse for item in tsk11.ITEMS)


def test_tsk11_with_a_missing_item_is_not_scorable():
    result = tsk11.score(all_answers(3, tsk11.ITEMS) | {"q11": None})
    assert result.not_scorable_reason == (
        "not scorable: 10 of 11 items answered (missing: 11); all 11 needed"
    )
