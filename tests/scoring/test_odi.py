from decimal import Decimal

import pytest

from assessments.scoring import ResponseError, odi


def odi_responses(total: int, answered: int = 10) -> dict[str, int | None]:
    """``answered`` sections summing to ``total``, the rest left blank."""
    responses: dict[str, int | None] = {}
    for item in odi.ITEMS:
        if len(responses) < answered:
            responses[item.key] = min(5, total)
            total -= responses[item.key] or 0
        else:
            responses[item.key] = None
    assert total == 0, "total too large for the sections answered"
    return responses


def test_published_example_all_ten_sections():
    # Fairbank & Pynsent scoring sheet: 16 / (5 x 10) x 100 = 32 %.
    result = odi.score(odi_responses(16))
    assert result.score == Decimal("32.0")
    assert result.band == "moderate disability"
    assert (result.answered, result.required) == (10, 8)


def test_published_example_one_section_missed_leaves_the_denominator():
    # 16 / (5 x 9) x 100 = 35.56 %; the sheet prints 35.5 (truncated), we round half up.
    result = odi.score(odi_responses(16, answered=9))
    assert result.score == Decimal("35.6")
    assert result.answered == 9


def test_two_missing_sections_still_score():
    # 20 / (5 x 8) x 100 = 50 %.
    assert odi.score(odi_responses(20, answered=8)).score == Decimal("50.0")


@pytest.mark.parametrize("answered", [0, 3, 7])
def test_more_than_two_missing_sections_is_not_scorable(answered):
    result = odi.score(odi_responses(0, answered=answered))
    assert result.score is None
    assert result.band is None
    assert result.not_scorable_reason == (
        f"not scorable: {answered} of 10 sections answered; at least 8 needed"
    )


def test_a_missing_key_counts_as_unanswered_like_none():
    responses = {k: v for k, v in odi_responses(16, answered=9).items() if v is not None}
    assert odi.score(responses).score == Decimal("35.6")


# ODI percentages are multiples of 2 (10 sections), 2.22 (9) or 2.5 (8), so 21 % does
# not exist: the neighbours of each limit are the limit itself and limit + 2.
@pytest.mark.parametrize(
    ("total", "percent", "band"),
    [
        (0, "0.0", "minimal disability"),
        (10, "20.0", "minimal disability"),
        (11, "22.0", "moderate disability"),
        (20, "40.0", "moderate disability"),
        (21, "42.0", "severe disability"),
        (30, "60.0", "severe disability"),
        (31, "62.0", "very severe disability"),
        (40, "80.0", "very severe disability"),
        (41, "82.0", "extreme disability"),
        (50, "100.0", "extreme disability"),
    ],
)
def test_band_limits_are_inclusive(total, percent, band):
    result = odi.score(odi_responses(total))
    assert (result.score, result.band) == (Decimal(percent), band)


def test_just_over_a_limit_with_nine_sections_moves_up_a_band():
    # 10 / 45 = 22.2 % -> moderate; 9 / 45 = 20.0 % -> minimal.
    assert odi.score(odi_responses(10, answered=9)).band == "moderate disability"
    assert odi.score(odi_responses(9, answered=9)).band == "minimal disability"


def test_odi_never_sets_the_high_flag():
    assert odi.score(odi_responses(50)).high is False


@pytest.mark.parametrize("bad", [6, -1])
def test_out_of_range_section_names_the_section(bad):
    responses = odi_responses(16) | {"lifting": bad}
    with pytest.raises(ResponseError, match=r"item 3 \(Lifting\)") as caught:
        odi.score(responses)
    assert caught.value.item_key == "lifting"


def test_sections_are_the_ten_of_version_2_1a_in_order():
    assert [item.key for item in odi.ITEMS] == [
        "pain_intensity", "personal_care", "lifting", "walking", "sitting",
        "standing", "sleeping", "sex_life", "social_life", "travelling",
    ]  # fmt: skip
    assert all((item.low, item.high, item.reverse) == (0, 5, False) for item in odi.ITEMS)
