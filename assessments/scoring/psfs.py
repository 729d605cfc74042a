"""Patient-Specific Functional Scale (Stratford et al., Physiother Can 1995;47:258-63).

The worker names 3-5 activities they find hard (free text entered by the clinician
and stored with the assessment, not here) and rates each 0 (unable) to 10 (as
before the injury). The score is the mean rating; higher is better. Re-assessments
must rate the same activities for the change to mean anything.
"""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    not_scorable,
    rounded,
    validated,
)

NAME = "Patient-Specific Functional Scale"
MAX_ACTIVITIES = 5
MIN_ACTIVITIES = 3
ITEMS = tuple(
    Item(f"activity_{n}", n, f"Activity {n}", 0, 10) for n in range(1, MAX_ACTIVITIES + 1)
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    count = len(answered)
    if count < MIN_ACTIVITIES:
        return not_scorable(
            count, MIN_ACTIVITIES, f"{count} activities rated; at least {MIN_ACTIVITIES} needed"
        )
    mean = Decimal(sum(answered.values())) / count
    # Two decimals: means of thirds (3.67) keep their change against the 2-point
    # MIC honest; one decimal could round 1.92 up to 2.0.
    return ScoreResult(
        score=rounded(mean, "0.01"), band=None, high=False, answered=count, required=MIN_ACTIVITIES
    )
