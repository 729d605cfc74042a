"""The red-flag checklist of DESIGN.md in three tiers, and the action each demands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


class Tier(IntEnum):
    AMBER = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def action(self) -> str:
        return _ACTIONS[self]


_ACTIONS = {
    Tier.EMERGENCY: "urgent medical assessment now",
    Tier.URGENT: "same-day medical review; program paused",
    Tier.AMBER: "program paused for clinician review",
}


@dataclass(frozen=True)
class RedFlag:
    key: str
    label: str
    tier: Tier


RED_FLAGS = (
    RedFlag("saddle_numbness", "Saddle numbness", Tier.EMERGENCY),
    RedFlag("bladder_bowel_dysfunction", "New bladder or bowel dysfunction", Tier.EMERGENCY),
    RedFlag("bilateral_leg_symptoms", "Weakness or numbness in both legs", Tier.EMERGENCY),
    RedFlag("progressive_weakness", "Progressive weakness", Tier.URGENT),
    RedFlag("fever_or_unwell", "Fever or feeling unwell", Tier.URGENT),
    RedFlag("unexplained_weight_loss", "Unexplained weight loss", Tier.URGENT),
    RedFlag("night_pain", "Unremitting night pain", Tier.URGENT),
    RedFlag("significant_trauma", "Significant trauma", Tier.URGENT),
    RedFlag("uncontrolled_pain", "Uncontrolled pain", Tier.AMBER),
    RedFlag("new_swelling", "New swelling", Tier.AMBER),
    RedFlag("one_sided_neuro_symptoms", "New one-sided neurological symptoms", Tier.AMBER),
)
BY_KEY = {flag.key: flag for flag in RED_FLAGS}

# DESIGN.md, progression rule 6: pain of 8/10 or more at rest counts as amber.
UNCONTROLLED_REST_PAIN = 8


def highest_tier(flags: Iterable[str]) -> Tier | None:
    """The most serious tier among the positive flags; None when there are none."""
    tiers = []
    for key in flags:
        if key not in BY_KEY:
            raise ValueError(f"unknown red flag {key!r}")
        tiers.append(BY_KEY[key].tier)
    return max(tiers, default=None)


def tier_with_rest_pain(flags: Iterable[str], rest_pain: int | None) -> Tier | None:
    """As highest_tier, with rest pain (NPRS 0-10) of 8 or more counting as amber."""
    tier = highest_tier(flags)
    if rest_pain is None:
        return tier
    if isinstance(rest_pain, bool) or not 0 <= rest_pain <= 10:
        raise ValueError(f"rest pain must be 0-10, got {rest_pain!r}")
    if rest_pain >= UNCONTROLLED_REST_PAIN:
        return max(tier or Tier.AMBER, Tier.AMBER)
    return tier
