"""Pain Catastrophizing Scale (Sullivan, Bishop & Pivik, Psychol Assess 1995;7:524-32).

13 items, 0 (not at all) to 4 (all the time); total 0-52. Subscales per the PCS
User Manual (Sullivan 2009): rumination 8-11, magnification 6, 7, 13,
helplessness 1-5 and 12. A total of 30 or more is clinically relevant
catastrophizing (the manual's 75th percentile in chronic pain samples).
Missing items: the manual gives no prorating rule, so any gap makes it not scorable.
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    frozen,
    missing_all_required,
    validated,
)

NAME = "Pain Catastrophizing Scale"
RUMINATION = "rumination"
MAGNIFICATION = "magnification"
HELPLESSNESS = "helplessness"
SUBSCALE_ITEMS = {
    RUMINATION: (8, 9, 10, 11),
    MAGNIFICATION: (6, 7, 13),
    HELPLESSNESS: (1, 2, 3, 4, 5, 12),
}
RELEVANT_FROM = 30
HIGH_BAND = "clinically relevant catastrophizing"
BELOW_BAND = "below the clinical cut-off"

LABELS = (
    "Worry whether pain will end",
    "Feel unable to go on",
    "Expect it never to improve",
    "Feel overwhelmed",
    "Cannot bear it any more",
    "Fear the pain will worsen",
    "Recall other painful events",
    "Anxious for the pain to go",
    "Cannot put it out of mind",
    "Dwell on how much it hurts",
    "Dwell on wanting it to stop",
    "Nothing lessens it",
    "Fear something serious",
)
_SUBSCALE_OF = {n: name for name, numbers in SUBSCALE_ITEMS.items() for n in numbers}
ITEMS = tuple(
    Item(f"q{n}", n, label, 0, 4, subscale=_SUBSCALE_OF[n])
    for n, label in enumerate(LABELS, start=1)
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    gap = missing_all_required(ITEMS, answered)
    if gap is not None:
        return gap
    subscales = {
        name: Decimal(sum(answered[f"q{n}"] for n in numbers))
        for name, numbers in SUBSCALE_ITEMS.items()
    }
    total = sum(answered.values())
    high = total >= RELEVANT_FROM
    return ScoreResult(
        score=Decimal(total),
        band=HIGH_BAND if high else BELOW_BAND,
        high=high,
        subscales=frozen(subscales),
        answered=len(answered),
        required=len(ITEMS),
    )
