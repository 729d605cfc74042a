from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, pcs


def answers(*values: int) -> dict[str, int | None]:
    return {f"q{n}": v for n, v in enumerate(values, start=1)}


def test_worked_example_with_subscales():
    #        q1 q2 q3 q4 q5 q6 q7 q8 q9 q10 q11 q12 q13
    result = pcs.score(answers(3, 2, 4, 1, 0, 2, 1, 4, 3, 3, 2, 1, 0))
    # rumination 8-11: 4 + 3 + 3 + 2 = 12; magnification 6, 7, 13: 2 + 1 + 0 = 3;
    # helplessness 1-5, 12: 3 + 2 + 4 + 1 + 0 + 1 = 11; total 26.
    assert result.score == Decimal(26)
    assert dict(result.subscales) == {
        "rumination": Decimal(12),
        "magnification": Decimal(3),
        "helplessness": Decimal(11),
    }
    assert (result.band, result.high) == ("below the clinical cut-off", False)


@pytest.mark.parametrize(
    ("values", "total", "high"),
    [
        ((4, 4, 4, 4, 4, 4, 4, 1, 0, 0, 0, 0, 0), 29, False),
        ((4, 4, 4, 4, 4, 4, 4, 2, 0, 0, 0, 0, 0), 30, True),
    ],
)
def test_clinically_relevant_from_30(values, total, high):
    result = pcs.score(answers(*values))
    assert (result.score, result.high) == (Decimal(total), high)
    assert result.band == ("clinically relevant catastrophizing" if high else
                           "below the clinical cut-off")  # fmt: skip


def test_extremes_are_0_and_52():
    assert pcs.score(answers(*[0] * 13)).score == Decimal(0)
    top = pcs.score(answers(*[4] * 13))
    assert top.score == Decimal(52)
    assert dict(top.subscales) == {
        "rumination": Decimal(16),
        "magnification": Decimal(12),
        "helplessness": Decimal(24),
    }


def test_every_item_belongs_to_exactly_one_subscale():
    numbers = sorted(n for group in pcs.SUBSCALE_ITEMS.values() for n in group)
    assert numbers == list(range(1, 14))


def test_a_missing_item_makes_it_not_scorable():
    result = pcs.score(answers(*[2] * 12))
    assert result.score is None
    assert result.subscales == {}
    assert result.not_scorable_reason == (
        "not scorable: 12 of 13 items answered (missing: 13); all 13 needed"
    )


def test_an_answer_of_5_is_refused():
    with pytest.raises(ResponseError, match=r"item 7 .*5 is outside 0-4"):
        pcs.score(answers(*[2] * 6, 5, *[2] * 6))
