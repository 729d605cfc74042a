"""Örebro Musculoskeletal Pain Screening Questionnaire, short form
(Linton, Nicholas & MacDonald, Spine 2011;36:1891-5).

Ten items taken two per factor from the 21-item form. Item numbers follow the
published short form: 1 pain duration, 2 pain last week, 3 light work for an hour,
4 sleep at night, 5 tension/anxiety, 6 low mood, 7 risk the pain persists,
8 chances of working in 3 months, 9 pain increase means stop, 10 should not work
with present pain. The three function/expectation items (3, 4, 8) are worded so
that a high answer is good and are scored 10 - x (the brief's "4, 5 and 9" is not
the published numbering; the reversal follows the item content).
Item 1 is answered by ticking one of ten duration boxes and scores the box number
1-10, so the total runs 1-100. Above 50 is high risk of long-term work absence.
Missing items: no published prorating rule, and one item can move the total 10
points, so any gap makes it not scorable.
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

NAME = "Örebro Musculoskeletal Pain Screening Questionnaire (short form)"
HIGH_ABOVE = 50
HIGH_BAND = "high risk"
BELOW_BAND = "below the high-risk cut-off"

# The duration boxes of item 1, with the points each scores (overlaps as published).
PAIN_DURATION_CATEGORIES = (
    (1, "0-1 weeks"),
    (2, "1-2 weeks"),
    (3, "3-4 weeks"),
    (4, "4-5 weeks"),
    (5, "6-8 weeks"),
    (6, "9-11 weeks"),
    (7, "3-6 months"),
    (8, "6-9 months"),
    (9, "9-12 months"),
    (10, "over 1 year"),
)

ITEMS = (
    Item("pain_duration", 1, "How long the current pain has lasted", 1, 10),
    Item("pain_last_week", 2, "Pain over the past week", 0, 10),
    Item("light_work", 3, "Can do light work for an hour", 0, 10, reverse=True),
    Item("sleep", 4, "Can sleep at night", 0, 10, reverse=True),
    Item("tense_anxious", 5, "Tension or anxiety, past week", 0, 10),
    Item("low_mood", 6, "Bothered by low mood, past week", 0, 10),
    Item("persistence_risk", 7, "Own estimate: pain will persist", 0, 10),
    Item("working_in_3_months", 8, "Own estimate: working in 3 months", 0, 10, reverse=True),
    Item("stop_when_pain_rises", 9, "More pain means stop the activity", 0, 10),
    Item("no_work_with_pain", 10, "Should not work with this pain", 0, 10),
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
