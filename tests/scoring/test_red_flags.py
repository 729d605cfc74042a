import pytest

from assessments.scoring.red_flags import (
    RED_FLAGS,
    Tier,
    highest_tier,
    tier_with_rest_pain,
)


def test_the_checklist_has_the_three_tiers_of_the_design():
    by_tier = {tier: {f.key for f in RED_FLAGS if f.tier is tier} for tier in Tier}
    assert by_tier == {
        Tier.EMERGENCY: {"saddle_numbness", "bladder_bowel_dysfunction", "bilateral_leg_symptoms"},
        Tier.URGENT: {
            "progressive_weakness",
            "fever_or_unwell",
            "unexplained_weight_loss",
            "night_pain",
            "significant_trauma",
        },
        Tier.AMBER: {"uncontrolled_pain", "new_swelling", "one_sided_neuro_symptoms"},
    }


@pytest.mark.parametrize(
    ("tier", "action"),
    [
        (Tier.EMERGENCY, "urgent medical assessment now"),
        (Tier.URGENT, "same-day medical review; program paused"),
        (Tier.AMBER, "program paused for clinician review"),
    ],
)
def test_each_tier_says_what_to_do(tier, action):
    assert tier.action == action


@pytest.mark.parametrize(
    ("flags", "tier"),
    [
        ([], None),
        (["new_swelling"], Tier.AMBER),
        (["new_swelling", "night_pain"], Tier.URGENT),
        (["night_pain", "saddle_numbness", "new_swelling"], Tier.EMERGENCY),
        (iter(["fever_or_unwell"]), Tier.URGENT),
    ],
)
def test_the_most_serious_positive_flag_wins(flags, tier):
    assert highest_tier(flags) is tier


def test_an_unknown_flag_is_refused():
    with pytest.raises(ValueError, match="unknown red flag 'headache'"):
        highest_tier(["headache"])


@pytest.mark.parametrize(
    ("flags", "rest_pain", "tier"),
    [
        ([], None, None),
        ([], 7, None),
        ([], 8, Tier.AMBER),  # uncontrolled pain at rest counts as amber
        ([], 10, Tier.AMBER),
        (["night_pain"], 9, Tier.URGENT),  # never lowers a higher tier
        (["saddle_numbness"], 2, Tier.EMERGENCY),
    ],
)
def test_rest_pain_of_8_or_more_is_amber(flags, rest_pain, tier):
    assert tier_with_rest_pain(flags, rest_pain) is tier


@pytest.mark.parametrize("rest_pain", [-1, 11])
def test_rest_pain_outside_0_to_10_is_refused(rest_pain):
    with pytest.raises(ValueError, match="rest pain must be 0-10"):
        tier_with_rest_pain([], rest_pain)
