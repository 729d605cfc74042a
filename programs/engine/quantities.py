"""Exact decimal helpers. Every computation runs in one fixed context so that the caller's
decimal settings (precision, rounding) can never change a plan."""

from collections.abc import Callable
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import wraps
from typing import ParamSpec, TypeVar

from .errors import IncrementError, InvalidValueError

CONTEXT = Context(prec=34, traps=[InvalidOperation, DivisionByZero, Overflow])

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

P = ParamSpec("P")
R = TypeVar("R")


def exact(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in the engine's own decimal context."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(CONTEXT):
            return func(*args, **kwargs)

    return wrapper


@exact
def round_down(value: Decimal, increment: Decimal) -> Decimal:
    """The largest multiple of ``increment`` that is <= ``value`` (22.9 kg, 0.5 kg -> 22.5 kg).

    Integer division is exact in ``decimal``, so the result can never be nudged upwards by a
    rounded quotient.
    """
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidValueError("value", f"must be a finite Decimal, got {value!r}")
    if not isinstance(increment, Decimal) or not increment.is_finite():
        raise InvalidValueError("increment", f"must be a finite Decimal, got {increment!r}")
    if increment <= 0:
        raise IncrementError("increment", f"must be greater than 0, got {fmt(increment)}")
    steps = value // increment
    if steps * increment > value:  # // truncates towards zero; floor for negative values
        steps -= 1
    return steps * increment


@exact
def scale_sets(sets: int, factor: Decimal) -> int:
    """``sets x factor`` rounded half up, at least 1 (the deload keeps at least one set)."""
    scaled = (Decimal(sets) * factor).to_integral_value(rounding=ROUND_HALF_UP)
    return max(1, int(scaled))


def fmt(value: Decimal) -> str:
    """Plain text for a quantity: 57.5, 21, 0.25 - no exponent, no trailing zeros."""
    return f"{value.normalize(CONTEXT):f}"


def pct(ratio: Decimal) -> str:
    """0.15 -> '15 %'."""
    return f"{fmt(CONTEXT.multiply(ratio, HUNDRED))} %"
