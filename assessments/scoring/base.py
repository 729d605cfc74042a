"""What every questionnaire module shares: item definitions, the result, validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

Responses = Mapping[str, int | None]


class Instrument(StrEnum):
    NPRS = "nprs"
    ODI = "odi"
    TSK17 = "tsk17"
    TSK11 = "tsk11"
    PCS = "pcs"
    OMPSQ_SF = "ompsq_sf"
    START_BACK = "start_back"
    PSFS = "psfs"


class ResponseError(ValueError):
    """A response the instrument does not allow; ``item_key`` says which field."""

    def __init__(self, message: str, item_key: str | None = None) -> None:
        super().__init__(message)
        self.item_key = item_key


@dataclass(frozen=True)
class Item:
    key: str
    number: int  # position on the published form
    label: str  # our own short wording, not the licensed item text
    low: int
    high: int
    reverse: bool = False
    subscale: str | None = None

    def scored(self, response: int) -> int:
        return self.low + self.high - response if self.reverse else response


@dataclass(frozen=True)
class ScoreResult:
    score: Decimal | None
    band: str | None
    high: bool
    subscales: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    answered: int = 0
    required: int = 0
    not_scorable_reason: str | None = None

    @property
    def scorable(self) -> bool:
        return self.score is not None


def validated(name: str, items: Sequence[Item], responses: Responses) -> dict[str, int]:
    """The answered responses by key; raises ResponseError for anything not allowed."""
    by_key = {item.key: item for item in items}
    for key in responses:
        if key not in by_key:
            raise ResponseError(f"{name}: unknown item {key!r}", item_key=key)
    answered: dict[str, int] = {}
    for item in items:
        value = responses.get(item.key)
        if value is None:
            continue
        where = f"{name} item {item.number} ({item.label})"
        if isinstance(value, bool) or not isinstance(value, int):
            raise ResponseError(f"{where}: {value!r} is not a whole number", item_key=item.key)
        if not item.low <= value <= item.high:
            raise ResponseError(
                f"{where}: {value} is outside {item.low}-{item.high}", item_key=item.key
            )
        answered[item.key] = value
    return answered


def not_scorable(answered: int, required: int, reason: str) -> ScoreResult:
    return ScoreResult(
        score=None,
        band=None,
        high=False,
        answered=answered,
        required=required,
        not_scorable_reason=f"not scorable: {reason}",
    )


def missing_all_required(
    items: Sequence[Item], answered: Mapping[str, int], noun: str = "items"
) -> ScoreResult | None:
    """For instruments with no published prorating rule: any gap makes them unscorable."""
    missing = [str(item.number) for item in items if item.key not in answered]
    if not missing:
        return None
    total = len(items)
    return not_scorable(
        len(answered),
        total,
        f"{len(answered)} of {total} {noun} answered (missing: {', '.join(missing)}); "
        f"all {total} needed",
    )


def band_for(value: Decimal, bands: Sequence[tuple[Decimal, str]]) -> str:
    """The first band whose inclusive upper limit holds the value."""
    for upper, label in bands:
        if value <= upper:
            return label
    raise ValueError(f"{value} is above every band")


def rounded(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), ROUND_HALF_UP)


def frozen(mapping: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return MappingProxyType(dict(mapping))
