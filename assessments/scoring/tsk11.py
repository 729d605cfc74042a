"""Tampa Scale for Kinesiophobia, 11 items (Woby et al., Pain 2005;117:137-44).

TSK-17 without items 4, 8, 9, 12, 14 and 16 — so no reversed items. Items 1-4,
total 11-44. No cut-off for "high" has been agreed for the TSK-11, so it gets no
band and never sets the high flag; compare totals over time instead.
Any missing item makes it not scorable (no published prorating rule).
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring import tsk17
from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    missing_all_required,
    validated,
)

NAME = "Tampa Scale for Kinesiophobia (TSK-11)"
TSK17_NUMBERS = (1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17)
ITEMS = tuple(
    Item(f"q{n}", n, tsk17.LABELS[source - 1], 1, 4)
    for n, source in enumerate(TSK17_NUMBERS, start=1)
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    gap = missing_all_required(ITEMS, answered)
    if gap is not None:
        return gap
    total = sum(answered.values())
    return ScoreResult(
        score=Decimal(total), band=None, high=False, answered=len(answered), required=len(ITEMS)
    )
