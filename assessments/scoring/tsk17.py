"""Tampa Scale for Kinesiophobia, 17 items (Miller, Kori & Todd 1991).

Items 1-4 (strongly disagree … strongly agree); items 4, 8, 12 and 16 are worded
the other way and reverse-scored (5 - x). Total 17-68; above 37 is high
kinesiophobia (Vlaeyen et al., Pain 1995;62:363-72).

Missing items: neither the original scale nor Woby et al. (Pain 2005;117:137-44)
publish a prorating rule, and one item moves the total across the cut-off, so any
missing item makes the scale not scorable.
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    missing_all_required,
    validated,
)

NAME = "Tampa Scale for Kinesiophobia (TSK-17)"
REVERSED = frozenset({4, 8, 12, 16})
HIGH_ABOVE = 37
HIGH_BAND = "high kinesiophobia"
BELOW_BAND = "below the high-kinesiophobia cut-off"

LABELS = (
    "Exercise might cause injury",
    "Pain rises if I push through",
    "Body signals serious damage",
    "Exercise could ease my pain",
    "Condition not taken seriously",
    "Injury left a lifelong risk",
    "Pain means damage",
    "Aggravation need not be danger",
    "Fear of accidental injury",
    "Avoiding movement is safest",
    "Pain this strong means danger",
    "Better off being active",
    "Pain tells me when to stop",
    "Activity unsafe for my condition",
    "Too easily injured for normal tasks",
    "Much pain need not mean danger",
    "No one should exercise in pain",
)
ITEMS = tuple(
    Item(f"q{n}", n, label, 1, 4, reverse=n in REVERSED) for n, label in enumerate(LABELS, start=1)
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    gap = missing_all_required(ITEMS, answered)
    if gap is not None:
        return gap
    total = sum(item.scored(answered[item.key]) for item in ITEMS)
    high = total > HIGH_ABOVE
    return ScoreResult(
        score=Decimal(total),
        band=HIGH_BAND if high else BELOW_BAND,
        high=high,
        answered=len(answered),
        required=len(ITEMS),
    )
