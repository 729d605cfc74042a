"""Numeric Pain Rating Scale: one item, 0 (no pain) to 10 (worst imaginable)."""

from __future__ import annotations

from decimal import Decimal

from assessments.scoring.base import (
    Item,
    Responses,
    ScoreResult,
    band_for,
    not_scorable,
    validated,
)

NAME = "Numeric Pain Rating Scale"
ITEMS = (Item("pain", 1, "Pain intensity", 0, 10),)

# Conventional clinical cut points; published ones vary (Serlin et al., Pain 1995,
# used 1-4 / 5-6 / 7-10), so the band is a description, never a decision rule.
BANDS = (
    (Decimal(0), "no pain"),
    (Decimal(3), "mild pain"),
    (Decimal(6), "moderate pain"),
    (Decimal(10), "severe pain"),
)


def score(responses: Responses) -> ScoreResult:
    answered = validated(NAME, ITEMS, responses)
    if not answered:
        return not_scorable(0, 1, "no pain rating given")
    value = Decimal(answered["pain"])
    return ScoreResult(score=value, band=band_for(value, BANDS), high=False, answered=1, required=1)
