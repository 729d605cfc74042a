"""Oswestry Disability Index v2.1a (Fairbank & Pynsent, Spine 2000;25:2940-53).

Ten sections scored 0-5; the score is the sum over 5 x answered sections, as a
percentage. Unanswered sections (e.g. sex life, often skipped) leave the
denominator, as the published scoring instructions say.
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    band_for,
    not_scorable,
    rounded,
    validated,
)

NAME = "Oswestry Disability Index"

_SECTIONS = (
    ("pain_intensity", "Pain intensity"),
    ("personal_care", "Personal care"),
    ("lifting", "Lifting"),
    ("walking", "Walking"),
    ("sitting", "Sitting"),
    ("standing", "Standing"),
    ("sleeping", "Sleeping"),
    ("sex_life", "Sex life"),
    ("social_life", "Social life"),
    ("travelling", "Travelling"),
)
ITEMS = tuple(
    Item(key, number, label, 0, 5) for number, (key, label) in enumerate(_SECTIONS, start=1)
)
# More than two unanswered sections and the percentage stands on too little: the
# project's rule, stricter than Fairbank's example of one missed section.
MIN_SECTIONS = 8

# Fairbank & Pynsent's bands, with neutral wording for "crippled" and
# "bed-bound / exaggerating". Upper limits inclusive.
BANDS = (
    (Decimal(20), "minimal disability"),
    (Decimal(40), "moderate disability"),
    (Decimal(60), "severe disability"),
    (Decimal(80), "very severe disability"),
    (Decimal(100), "extreme disability"),
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    count = len(answered)
    if count < MIN_SECTIONS:
        return not_scorable(
            count,
            MIN_SECTIONS,
            f"{count} of {len(ITEMS)} sections answered; at least {MIN_SECTIONS} needed",
        )
    percent = Decimal(sum(answered.values())) * 100 / (5 * count)
    # Every possible percentage (k/40, k/45 or k/50) is a band limit or at least
    # 2 points from one, so the rounded score and the band never disagree.
    return ScoreResult(
        score=rounded(percent, "0.1"),
        band=band_for(percent, BANDS),
        high=False,
        answered=count,
        required=MIN_SECTIONS,
    )
