from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, nprs, psfs


@pytest.mark.parametrize(
    ("ratings", "mean"),
    [
        ((3, 4, 5), "4.00"),
        ((3, 4, 4), "3.67"),  # 11 / 3 = 3.666…
        ((2, 3, 5, 6), "4.00"),
        ((1, 2, 2, 3, 4), "2.40"),
        ((0, 0, 0), "0.00"),
        ((10, 10, 10, 10, 10), "10.00"),
    ],
)
def test_psfs_is_the_mean_of_the_rated_activities(ratings, mean):
    responses = {f"activity_{n}": r for n, r in enumerate(ratings, start=1)}
    result = psfs.score(responses)
    assert result.score == Decimal(mean)
    assert (result.band, result.high, result.answered) == (None, False, len(ratings))


def test_psfs_skipped_activity_slots_are_ignored():
    result = psfs.score({"activity_1": 4, "activity_3": 6, "activity_5": 8})
    assert result.score == Decimal("6.00")


@pytest.mark.parametrize("rated", [0, 1, 2])
def test_psfs_needs_three_activities(rated):
    responses = {f"activity_{n}": 5 for n in range(1, rated + 1)}
    result = psfs.score(responses)
    assert result.score is None
    assert result.not_scorable_reason == (
        f"not scorable: {rated} activities rated; at least 3 needed"
    )


def test_psfs_rating_of_11_is_refused():
    with pytest.raises(ResponseError, match="item 2"):
        psfs.score({"activity_1": 5, "activity_2": 11, "activity_3": 5})


def test_psfs_has_no_sixth_activity():
    with pytest.raises(ResponseError, match="unknown item 'activity_6'"):
        psfs.score({f"activity_{n}": 5 for n in range(1, 7)})


@pytest.mark.parametrize(
    ("pain", "band"),
    [
        (0, "no pain"),
        (1, "mild pain"),
        (3, "mild pain"),
        (4, "moderate pain"),
        (6, "moderate pain"),
        (7, "severe pain"),
        (10, "severe pain"),
    ],
)
def test_nprs_bands(pain, band):
    result = nprs.score({"pain": pain})
    assert (result.score, result.band) == (Decimal(pain), band)


def test_nprs_of_11_is_refused():
    with pytest.raises(ResponseError, match=r"11 is outside 0-10"):
        nprs.score({"pain": 11})


def test_nprs_left_blank_is_not_scorable():
    assert nprs.score({"pain": None}).not_scorable_reason == ("not scorable: no pain rating given")
