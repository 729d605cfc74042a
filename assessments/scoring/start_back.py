"""Keele STarT Back Screening Tool (Hill et al., Arthritis Rheum 2008;59:632-41).

Items 1-8: disagree 0 / agree 1. Item 9, bothersomeness over the last two weeks,
has five answers (0 not at all … 4 extremely); only "very much" and "extremely"
score 1. Total 0-9; psychosocial subscale = items 5-9 (0-5).
Low risk: total ≤ 3. Medium: total ≥ 4 and psychosocial ≤ 3. High: psychosocial ≥ 4.
Missing items: the Keele scoring gives no prorating rule and each item is a whole
point of a 9-point tool, so any gap makes it not scorable.
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

NAME = "STarT Back Screening Tool"
PSYCHOSOCIAL = "psychosocial"
BOTHERSOMENESS_OPTIONS = (
    (0, "not at all"),
    (1, "slightly"),
    (2, "moderately"),
    (3, "very much"),
    (4, "extremely"),
)
BOTHERSOME_FROM = 3  # "very much" or "extremely"
LOW_TOTAL_UP_TO = 3
HIGH_PSYCHOSOCIAL_FROM = 4

ITEMS = (
    Item("leg_pain", 1, "Pain has spread down a leg", 0, 1),
    Item("neck_shoulder_pain", 2, "Also shoulder or neck pain", 0, 1),
    Item("short_walks_only", 3, "Walked only short distances", 0, 1),
    Item("slower_dressing", 4, "Dressed more slowly", 0, 1),
    Item("activity_unsafe", 5, "Activity feels unsafe", 0, 1, subscale=PSYCHOSOCIAL),
    Item("worrying_thoughts", 6, "Often worrying thoughts", 0, 1, subscale=PSYCHOSOCIAL),
    Item("never_better", 7, "Pain feels terrible, won't improve", 0, 1, subscale=PSYCHOSOCIAL),
    Item("less_enjoyment", 8, "Less enjoyment of usual things", 0, 1, subscale=PSYCHOSOCIAL),
    Item("bothersomeness", 9, "Overall bothersomeness", 0, 4, subscale=PSYCHOSOCIAL),
)


def _point(item: Item, response: int) -> int:
    if item.key == "bothersomeness":
        return 1 if response >= BOTHERSOME_FROM else 0
    return response


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    gap = missing_all_required(ITEMS, answered)
    if gap is not None:
        return gap
    points = {item.key: _point(item, answered[item.key]) for item in ITEMS}
    total = sum(points.values())
    psychosocial = sum(points[item.key] for item in ITEMS if item.subscale == PSYCHOSOCIAL)
    if total <= LOW_TOTAL_UP_TO:
        band = "low risk"
    elif psychosocial < HIGH_PSYCHOSOCIAL_FROM:
        band = "medium risk"
    else:
        band = "high risk"
    return ScoreResult(
        score=Decimal(total),
        band=band,
        high=band == "high risk",
        subscales=frozen({PSYCHOSOCIAL: Decimal(psychosocial)}),
        answered=len(answered),
        required=len(ITEMS),
    )
