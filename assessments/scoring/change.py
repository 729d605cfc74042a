"""Change since the previous assessment, labelled against the minimal important change.

MICs as DESIGN.md sets them: NPRS 2 points or 30 % of the previous score
(Farrar et al., Pain 2001;94:149-58; Childs et al., Spine 2005;30:1331-4),
ODI 10 points (Ostelo et al., Spine 2008;33:90-4), PSFS 2 points
(Stratford et al. 1995). The 30 % rule was derived for improvement; it is applied
to worsening too, so a deterioration is never under-called. Instruments without a
MIC here (TSK, PCS, ÖMPSQ-SF, STarT Back) get a direction but no importance claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring.base import Instrument

IMPROVED = "improved (≥ MIC)"
WORSE = "worse (≥ MIC)"
NO_IMPORTANT_CHANGE = "no important change"
NO_PREVIOUS = "no previous score"
NO_CURRENT = "no current score"
BETTER_NO_MIC = "better (no MIC defined)"
WORSE_NO_MIC = "worse (no MIC defined)"
UNCHANGED = "unchanged"

HIGHER_IS_BETTER = frozenset({Instrument.PSFS})


@dataclass(frozen=True)
class Mic:
    points: Decimal
    percent_of_previous: Decimal | None = None

    def reached_by(self, delta: Decimal, previous: Decimal) -> bool:
        size = abs(delta)
        if size >= self.points:
            return True
        if self.percent_of_previous is None or previous <= 0:
            return False
        return size * 100 >= self.percent_of_previous * previous


MICS = {
    Instrument.NPRS: Mic(Decimal(2), percent_of_previous=Decimal(30)),
    Instrument.ODI: Mic(Decimal(10)),
    Instrument.PSFS: Mic(Decimal(2)),
}


@dataclass(frozen=True)
class Change:
    delta: Decimal | None
    label: str


def compare(
    instrument: Instrument | str, previous: Decimal | None, current: Decimal | None
) -> Change:
    kind = Instrument(instrument)
    if current is None:
        return Change(None, NO_CURRENT)
    if previous is None:
        return Change(None, NO_PREVIOUS)
    delta = current - previous
    better = delta > 0 if kind in HIGHER_IS_BETTER else delta < 0
    mic = MICS.get(kind)
    if mic is None:
        if delta == 0:
            return Change(delta, UNCHANGED)
        return Change(delta, BETTER_NO_MIC if better else WORSE_NO_MIC)
    if not mic.reached_by(delta, previous):
        return Change(delta, NO_IMPORTANT_CHANGE)
    return Change(delta, IMPROVED if better else WORSE)
