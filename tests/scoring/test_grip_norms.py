from decimal import Decimal

import pytest

from assessments.scoring.grip_norms import grip_vs_norm, mean_of_trials


def test_man_of_42_right_hand_below_norm():
    # Mathiowetz 40-44 men, right: 116.8 lb (SD 20.7) = 52.98 kg (SD 9.39).
    # 40 kg is 75.5 % of the mean and under mean - 1 SD (43.59 kg).
    norm = grip_vs_norm(Decimal(40), 42, "M", "R")
    assert (norm.mean, norm.sd) == (Decimal("53.0"), Decimal("9.4"))
    assert norm.percent_of_norm == Decimal(76)
    assert norm.label == "below norm (more than 1 SD under the mean)"
    assert norm.age_band == "40-44"


def test_woman_of_23_left_hand_within_norm():
    # 20-24 women, left: 61.0 lb (SD 13.1) = 27.67 kg (SD 5.94); 28 / 27.67 = 101 %.
    norm = grip_vs_norm(Decimal(28), 23, "F", "L")
    assert (norm.mean, norm.sd, norm.percent_of_norm) == (
        Decimal("27.7"),
        Decimal("5.9"),
        Decimal(101),
    )
    assert norm.label == "within norm (mean ± 1 SD)"


def test_strong_grip_is_above_norm():
    # 20-24 men, right: 121.0 lb (SD 20.6) = 54.88 kg (SD 9.34); + 1 SD = 64.23 kg.
    norm = grip_vs_norm(Decimal(65), 22, "M", "R")
    assert norm.mean == Decimal("54.9")
    assert norm.label == "above norm (more than 1 SD over the mean)"


@pytest.mark.parametrize(
    ("age", "band", "mean_kg"),
    [
        (20, "20-24", "31.9"),  # 70.4 lb
        (24, "20-24", "31.9"),
        (25, "25-29", "33.8"),  # 74.5 lb
        (74, "70-74", "22.5"),  # 49.6 lb
        (75, "75+", "19.3"),  # 42.6 lb
        (96, "75+", "19.3"),
    ],
)
def test_age_bands_of_the_table(age, band, mean_kg):
    norm = grip_vs_norm(Decimal(20), age, "F", "R")
    assert (norm.age_band, norm.mean) == (band, Decimal(mean_kg))


@pytest.mark.parametrize(
    ("age", "sex", "reason"),
    [
        (19, "M", "norms not available: published from age 20"),
        (35, "X", "norms not available: published for women and men only"),
        (35, "", "norms not available: published for women and men only"),
    ],
)
def test_no_norm_is_guessed(age, sex, reason):
    norm = grip_vs_norm(Decimal(30), age, sex, "R")
    assert (norm.mean, norm.sd, norm.percent_of_norm, norm.age_band) == (None,) * 4
    assert norm.label == reason


def test_side_must_be_left_or_right():
    with pytest.raises(ValueError, match="side"):
        grip_vs_norm(Decimal(30), 35, "M", "dominant")


def test_grip_must_be_positive():
    with pytest.raises(ValueError, match="more than 0 kg"):
        grip_vs_norm(Decimal(0), 35, "M", "R")


@pytest.mark.parametrize(
    ("trials", "mean"),
    [
        (("30", "32", "31"), "31.0"),
        (("30", "31", "31"), "30.7"),  # 92 / 3 = 30.666…
        (("28.5", "29.0", "29.5"), "29.0"),
        (("10", "10", "10.1"), "10.0"),  # 30.1 / 3 = 10.033…
    ],
)
def test_mean_of_three_trials(trials, mean):
    assert mean_of_trials([Decimal(t) for t in trials]) == Decimal(mean)


@pytest.mark.parametrize(
    ("trials", "message"),
    [
        ([Decimal(30), Decimal(31)], "exactly 3 trials, got 2"),
        ([Decimal(30)] * 4, "exactly 3 trials, got 4"),
        ([Decimal(30), Decimal(0), Decimal(31)], "more than 0 kg"),
        ([Decimal(30), Decimal(-2), Decimal(31)], "more than 0 kg"),
        ([Decimal(30), 31.5, Decimal(31)], "Decimal number of kg"),
    ],
)
def test_mean_of_trials_refuses_anything_but_three_positive_values(trials, message):
    with pytest.raises(ValueError, match=message):
        mean_of_trials(trials)
