"""Questionnaire scoring, change against the MIC, grip norms and red flags.

Pure Python (no Django): responses in, Decimal scores out. Each instrument module
holds its items as data and a ``score(responses)``; ``SCORERS`` finds them by key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from assessments.scoring import nprs, odi, ompsq_sf, pcs, psfs, start_back, tsk11, tsk17
from assessments.scoring.base import (
    Instrument,
    Item,
    ResponseError,
    Responses,
    ScoreResult,
)

__all__ = [
    "SCORERS",
    "Instrument",
    "Item",
    "ResponseError",
    "Responses",
    "ScoreResult",
    "Scorer",
    "score",
]


@dataclass(frozen=True)
class Scorer:
    instrument: Instrument
    name: str
    items: tuple[Item, ...]
    score: Callable[[Responses], ScoreResult]


SCORERS: Mapping[Instrument, Scorer] = MappingProxyType(
    {
        Instrument.NPRS: Scorer(Instrument.NPRS, nprs.NAME, nprs.ITEMS, nprs.score),
        Instrument.ODI: Scorer(Instrument.ODI, odi.NAME, odi.ITEMS, odi.score),
        Instrument.TSK17: Scorer(Instrument.TSK17, tsk17.NAME, tsk17.ITEMS, tsk17.score),
        Instrument.TSK11: Scorer(Instrument.TSK11, tsk11.NAME, tsk11.ITEMS, tsk11.score),
        Instrument.PCS: Scorer(Instrument.PCS, pcs.NAME, pcs.ITEMS, pcs.score),
        Instrument.OMPSQ_SF: Scorer(
            Instrument.OMPSQ_SF, ompsq_sf.NAME, ompsq_sf.ITEMS, ompsq_sf.score
        ),
        Instrument.START_BACK: Scorer(
            Instrument.START_BACK, start_back.NAME, start_back.ITEMS, start_back.score
        ),
        Instrument.PSFS: Scorer(Instrument.PSFS, psfs.NAME, psfs.ITEMS, psfs.score),
    }
)


def score(instrument: Instrument | str, responses: Responses) -> ScoreResult:
    return SCORERS[Instrument(instrument)].score(responses)
