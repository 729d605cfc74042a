"""Phase exit criteria as measurable conditions (DESIGN.md "Phase", rule 7).

Textual form, one condition per line::

    lift_floor_to_waist >= 80% demand     (≥ 80 % of the job demand for that measure)
    nprs <= 3                             (pain ≤ 3/10; "nprs <= 3/10" reads the same)

A measure that was not measured is "not measured", never met.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, cast

from .enums import CriterionStatus
from .errors import CriterionSyntaxError, InvalidValueError
from .quantities import HUNDRED, exact, fmt
from .validate import check_bool, check_decimal

Op = Literal["<=", ">=", "<", ">"]
OPS: tuple[Op, ...] = ("<=", ">=", "<", ">")
_SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}
_MEASURE = re.compile(r"[a-z][a-z0-9_]*\Z")
_CRITERION = re.compile(
    r"""\s*(?P<measure>[A-Za-z][A-Za-z0-9_]*)\s*
        (?P<op><=|>=|≤|≥|<|>)\s*
        (?P<value>-?\d+(?:\.\d+)?)(?:\s*/\s*10)?\s*
        (?P<percent>%)?\s*
        (?P<demand>(?:of\s+)?(?:(?:the\s+)?job\s+)?demand)?\s*\Z""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Criterion:
    """``measure op value``; with ``of_demand`` the value is a percentage of the job demand."""

    measure: str
    op: Op
    value: Decimal
    of_demand: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.measure, str) or not _MEASURE.match(self.measure):
            raise InvalidValueError(
                "measure",
                f"must be a lower-case name like lift_floor_to_waist, got {self.measure!r}",
            )
        if self.op not in OPS:
            raise InvalidValueError("op", f"must be one of {', '.join(OPS)}, got {self.op!r}")
        check_decimal(self.value, "value", allow_negative=not self.of_demand, hi=None)
        check_bool(self.of_demand, "of_demand")


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    status: CriterionStatus
    actual: Decimal | None
    required: Decimal | None
    text: str

    @property
    def met(self) -> bool:
        return self.status is CriterionStatus.MET


def parse_criterion(text: str) -> Criterion:
    """``"lift_floor_to_waist >= 80% demand"`` -> ``Criterion(..., of_demand=True)``."""
    match = _CRITERION.match(text) if isinstance(text, str) else None
    if match is None:
        raise CriterionSyntaxError(
            "criterion",
            f"cannot read {text!r}: write e.g. 'lift_floor_to_waist >= 80% demand' or 'nprs <= 3'",
        )
    op = {"≤": "<=", "≥": ">="}.get(match["op"], match["op"])
    if bool(match["percent"]) != bool(match["demand"]):
        raise CriterionSyntaxError(
            "criterion", f"in {text!r} a percentage needs 'demand' and 'demand' needs a percentage"
        )
    return Criterion(
        measure=match["measure"].lower(),
        op=cast(Op, op),
        value=Decimal(match["value"]),
        of_demand=bool(match["demand"]),
    )


def criterion_text(criterion: Criterion) -> str:
    """The canonical textual form; ``parse_criterion(criterion_text(c)) == c``."""
    value = fmt(criterion.value)
    suffix = "% demand" if criterion.of_demand else ""
    return f"{criterion.measure} {criterion.op} {value}{suffix}"


@exact
def evaluate_exit_criteria(
    criteria: tuple[Criterion, ...],
    measures: Mapping[str, Decimal],
    demands: Mapping[str, Decimal],
) -> tuple[CriterionResult, ...]:
    """Judge each criterion against the latest measures; demands are the job's, by measure."""
    return tuple(_evaluate(criterion, measures, demands) for criterion in criteria)


def all_met(results: tuple[CriterionResult, ...]) -> bool:
    return bool(results) and all(result.met for result in results)


def _evaluate(
    criterion: Criterion, measures: Mapping[str, Decimal], demands: Mapping[str, Decimal]
) -> CriterionResult:
    name = criterion_text(criterion)
    actual = measures.get(criterion.measure)
    if actual is not None:
        check_decimal(actual, f"measures[{criterion.measure}]", allow_negative=True, hi=None)
    required = criterion.value
    if criterion.of_demand:
        demand = demands.get(criterion.measure)
        if demand is None:
            text = f"{name}: no job demand recorded for {criterion.measure}, cannot be judged"
            return CriterionResult(criterion, CriterionStatus.NO_DEMAND, actual, None, text)
        check_decimal(demand, f"demands[{criterion.measure}]", positive=True, hi=None)
        required = demand * criterion.value / HUNDRED
    if actual is None:
        text = f"{name}: not measured"
        return CriterionResult(criterion, CriterionStatus.NOT_MEASURED, None, required, text)
    met = _compare(actual, criterion.op, required)
    status = CriterionStatus.MET if met else CriterionStatus.NOT_MET
    symbol = _SYMBOLS[criterion.op]
    text = f"{name}: {fmt(actual)} against {symbol} {fmt(required)}, {'met' if met else 'not met'}"
    return CriterionResult(criterion, status, actual, required, text)


def _compare(actual: Decimal, op: Op, required: Decimal) -> bool:
    if op == "<=":
        return actual <= required
    if op == ">=":
        return actual >= required
    if op == "<":
        return actual < required
    return actual > required
