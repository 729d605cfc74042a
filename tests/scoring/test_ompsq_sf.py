from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, ompsq_sf

WORKED_EXAMPLE = {
    "pain_duration": 5,  # box "6-8 weeks" scores 5
    "pain_last_week": 6,  # 6
    "light_work": 3,  # reversed: 10 - 3 = 7
    "sleep": 4,  # reversed: 10 - 4 = 6
    "tense_anxious": 5,  # 5
    "low_mood": 3,  # 3
    "persistence_risk": 7,  # 7
    "working_in_3_months": 6,  # reversed: 10 - 6 = 4
    "stop_when_pain_rises": 8,  # 8
    "no_work_with_pain": 5,  # 5
}  # 5 + 6 + 7 + 6 + 5 + 3 + 7 + 4 + 8 + 5 = 56


def test_worked_example_is_high_risk():
    result = ompsq_sf.score(WORKED_EXAMPLE)
    assert result.score == Decimal(56)
    assert (result.band, result.high) == ("high risk", True)


def test_the_reversed_items_are_light_work_sleep_and_working_in_3_months():
    reversed_items = [(item.number, item.key) for item in ompsq_sf.ITEMS if item.reverse]
    assert reversed_items == [(3, "light_work"), (4, "sleep"), (8, "working_in_3_months")]


@pytest.mark.parametrize(
    ("changes", "total", "high"),
    [
        ({"no_work_with_pain": 0}, 51, True),  # 56 - 5
        ({"no_work_with_pain": 0, "pain_last_week": 5}, 50, False),  # 56 - 5 - 1
    ],
)
def test_high_risk_is_above_50(changes, total, high):
    result = ompsq_sf.score(WORKED_EXAMPLE | changes)
    assert (result.score, result.high) == (Decimal(total), high)


def test_best_answers_score_1_because_duration_boxes_start_at_1():
    best = {item.key: (10 if item.reverse else item.low) for item in ompsq_sf.ITEMS}
    result = ompsq_sf.score(best)
    assert result.score == Decimal(1)
    assert result.band == "below the high-risk cut-off"


def test_worst_answers_score_100():
    worst = {item.key: (0 if item.reverse else item.high) for item in ompsq_sf.ITEMS}
    assert ompsq_sf.score(worst).score == Decimal(100)


def test_duration_boxes_score_1_to_10_in_order():
    assert [points for points, _ in ompsq_sf.PAIN_DURATION_CATEGORIES] == list(range(1, 11))
    for points, _ in ompsq_sf.PAIN_DURATION_CATEGORIES:
        result = ompsq_sf.score(WORKED_EXAMPLE | {"pain_duration": points})
        assert result.score == Decimal(56 - 5 + points)


def test_duration_box_0_does_not_exist():
    with pytest.raises(ResponseError, match="item 1") as caught:
        ompsq_sf.score(WORKED_EXAMPLE | {"pain_duration": 0})
    assert caught.value.item_key == "pain_duration"


def test_a_missing_item_makes_it_not_scorable():
    result = ompsq_sf.score(WORKED_EXAMPLE | {"sleep": None})
    assert result.score is None
    assert result.not_scorable_reason == (
        "not scorable: 9 of 10 items answered (missing: 4); all 10 needed"
    )
