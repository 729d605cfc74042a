"""Field checks shared by the dataclasses' ``__post_init__``: each raises the specific
``EngineInputError`` subclass with a message that names the field."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from .errors import (
    CapOutOfRangeError,
    DoseOutOfRangeError,
    EngineInputError,
    IncrementError,
    InvalidValueError,
    ScoreOutOfRangeError,
)
from .quantities import CONTEXT, fmt

MIN_CAP = Decimal("0.10")
MAX_CAP = Decimal("0.20")
MAX_PLACES = 6
# Sanity bounds: beyond these a value is a typing slip, not a prescription.
MAX_SETS = 50
MAX_REPS = 1000
MAX_QUANTITY = Decimal(100_000)

E = TypeVar("E", bound=StrEnum)


def check_int(
    value: object,
    field: str,
    lo: int,
    hi: int,
    error: type[EngineInputError] = DoseOutOfRangeError,
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(field, f"must be a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise error(field, f"must be between {lo} and {hi}, got {value}")


def check_score(value: object, field: str) -> None:
    check_int(value, field, 0, 10, ScoreOutOfRangeError)


def check_optional_score(value: object, field: str) -> None:
    if value is not None:
        check_score(value, field)


def check_decimal(
    value: object,
    field: str,
    *,
    positive: bool = False,
    hi: Decimal | None = MAX_QUANTITY,
    allow_negative: bool = False,
    error: type[EngineInputError] = DoseOutOfRangeError,
) -> None:
    if not isinstance(value, Decimal):
        hint = " (floats are not accepted: pass Decimal('…'))" if isinstance(value, float) else ""
        raise InvalidValueError(field, f"must be a Decimal, got {value!r}{hint}")
    if not value.is_finite():
        raise InvalidValueError(field, f"must be a finite number, got {value}")
    # The checks below read only the number (5.0 and 5.00 alike), and planning checks the
    # same few values again and again: remember the ones that passed.
    seen = (value, positive, hi, allow_negative)
    if seen in _PASSED:
        return
    _check_number(
        value, field, positive=positive, hi=hi, allow_negative=allow_negative, error=error
    )
    if len(_PASSED) > 100_000:
        _PASSED.clear()
    _PASSED.add(seen)


_PASSED: set[tuple[Decimal, bool, Decimal | None, bool]] = set()


def _check_number(
    value: Decimal,
    field: str,
    *,
    positive: bool,
    hi: Decimal | None,
    allow_negative: bool,
    error: type[EngineInputError],
) -> None:
    exponent = value.normalize(CONTEXT).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise InvalidValueError(field, f"has more than {MAX_PLACES} decimal places: {value}")
    if positive and value <= 0:
        raise error(field, f"must be greater than 0, got {fmt(value)}")
    if not allow_negative and value < 0:
        raise error(field, f"must not be negative, got {fmt(value)}")
    if hi is not None and abs(value) > hi:
        raise error(field, f"must be at most {fmt(hi)}, got {fmt(value)}")


def check_quantity(value: object, field: str) -> None:
    check_decimal(value, field)


def check_increment(value: object, field: str = "increment") -> None:
    check_decimal(value, field, positive=True, error=IncrementError)


def check_cap(value: object, field: str = "cap") -> None:
    check_decimal(value, field, error=CapOutOfRangeError)
    if isinstance(value, Decimal) and not MIN_CAP <= value <= MAX_CAP:
        raise CapOutOfRangeError(
            field, f"must be between 0.10 and 0.20 (10-20 % a week), got {fmt(value)}"
        )


def check_date(value: object, field: str) -> None:
    # datetime is a date subclass; a timestamp here would smuggle a clock and a timezone in.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValueError(field, f"must be a date, got {value!r}")


def check_optional_date(value: object, field: str) -> None:
    if value is not None:
        check_date(value, field)


def check_key(value: object, field: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field, f"must be a non-empty string, got {value!r}")


def check_bool(value: object, field: str) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError(field, f"must be True or False, got {value!r}")


def coerce_enum(value: object, enum: type[E], field: str) -> E:
    """Accept the enum member or its stored string value ('progress')."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    choices = ", ".join(member.value for member in enum)
    raise InvalidValueError(field, f"must be one of {choices}, got {value!r}")


def check_tuple(value: object, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(field, f"must be a tuple, got {type(value).__name__}")
