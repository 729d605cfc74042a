from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, start_back

KEYS = [item.key for item in start_back.ITEMS]


def answers(agreed: set[int], bothersomeness: int = 0) -> dict[str, int | None]:
    """Items 1-8 agreed (1) when their number is in ``agreed``; item 9 as given (0-4)."""
    responses: dict[str, int | None] = {
        key: int(n in agreed) for n, key in enumerate(KEYS[:8], start=1)
    }
    return responses | {"bothersomeness": bothersomeness}


@pytest.mark.parametrize(
    ("agreed", "bother", "total", "psychosocial", "band"),
    [
        (set(), 0, 0, 0, "low risk"),
        ({1, 2, 3}, 0, 3, 0, "low risk"),
        # Total 3 is low even when all three points are psychosocial.
        ({5, 6, 7}, 0, 3, 3, "low risk"),
        ({1, 2, 3, 4}, 0, 4, 0, "medium risk"),
        ({1, 5, 6, 7}, 0, 4, 3, "medium risk"),
        ({5, 6, 7, 8}, 0, 4, 4, "high risk"),
        ({5, 6, 7}, 3, 4, 4, "high risk"),  # "very much" is the 4th psychosocial point
        # Hill et al. 2008 style case: leg pain, short walks, unsafe, worrying thoughts,
        # bothered "very much": total 5, psychosocial 3 (items 5, 6, 9) -> medium.
        ({1, 3, 5, 6}, 3, 5, 3, "medium risk"),
        (set(range(1, 9)), 4, 9, 5, "high risk"),
    ],
)
def test_risk_groups(agreed, bother, total, psychosocial, band):
    result = start_back.score(answers(agreed, bother))
    assert result.score == Decimal(total)
    assert result.subscales == {"psychosocial": Decimal(psychosocial)}
    assert result.band == band
    assert result.high is (band == "high risk")


@pytest.mark.parametrize(("bother", "point"), [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)])
def test_only_very_much_or_extremely_bothersome_scores_a_point(bother, point):
    result = start_back.score(answers(set(), bother))
    assert result.score == Decimal(point)


def test_psychosocial_subscale_is_items_5_to_9():
    numbers = [item.number for item in start_back.ITEMS if item.subscale == "psychosocial"]
    assert numbers == [5, 6, 7, 8, 9]


def test_agree_disagree_items_take_only_0_or_1():
    with pytest.raises(ResponseError, match="item 2"):
        start_back.score(answers(set()) | {"neck_shoulder_pain": 2})


def test_bothersomeness_above_extremely_is_refused():
    with pytest.raises(ResponseError, match="item 9"):
        start_back.score(answers(set(), 5))


def test_a_missing_item_makes_it_not_scorable():
    result = start_back.score(answers({1}) | {"bothersomeness": None})
    assert result.not_scorable_reason == (
        "not scorable: 8 of 9 items answered (missing: 9); all 9 needed"
    )
