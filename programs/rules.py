"""The one rule, in one place: no stored load above the cap.

``cap_problems`` is what ``WeekItem.clean()`` and ``SessionItem.clean()`` call, so the
forms, the htmx inline edit, Django admin and every service (which always runs
``full_clean()`` before saving) refuse the same values with the same message. The
arithmetic is the engine's own (``engine.cap_violations`` / ``engine.cap_limit``).
"""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS

from programs import engine


def fmt(value: Decimal) -> str:
    """20.00 → "20", 57.50 → "57.5" (never "2E+1")."""
    return f"{value.normalize():f}"


def with_unit(value: Decimal, unit: str) -> str:
    return f"{fmt(value)} {unit}".strip()


def percent(cap: Decimal) -> str:
    return f"{fmt(cap * 100)} %"


def cap_problems(
    *,
    sets: int,
    reps: int,
    quantity: Decimal,
    base_sets: int | None,
    base_reps: int | None,
    base_quantity: Decimal | None,
    max_quantity: Decimal | None,
    cap: Decimal,
    target: Decimal | None,
    unit: str,
) -> dict[str, str]:
    """Field name → refusal, empty when the values may be stored.

    With a base (the completed and tolerated values of the last non-deload week) the cap is
    base × (1 + cap) on the quantity and on the weekly volume; without one (a first week)
    the engine's proposal is the most that may be stored.
    """
    problems: dict[str, str] = {}
    if target is not None and quantity > target:
        problems["quantity"] = (
            f"Refused: {with_unit(quantity, unit)} is above the phase target of "
            f"{with_unit(target, unit)}."
        )
    if base_quantity is None or base_sets is None or base_reps is None:
        if "quantity" not in problems and max_quantity is not None and quantity > max_quantity:
            problems["quantity"] = (
                f"Refused: {with_unit(quantity, unit)} is above this week's maximum of "
                f"{with_unit(max_quantity, unit)} (no completed week to measure a cap from yet, "
                "so the proposal is the limit)."
            )
        return problems
    try:
        violations = engine.cap_violations(
            base_sets=base_sets,
            base_reps=base_reps,
            base_quantity=base_quantity,
            sets=sets,
            reps=reps,
            quantity=quantity,
            cap=cap,
            target=target,
            unit=unit,
        )
    except engine.EngineInputError as error:
        problems.setdefault(NON_FIELD_ERRORS, f"Refused: {error.message}.")
        return problems
    for violation in violations:
        if violation.field == "quantity" and "quantity" not in problems:
            limit = with_unit(engine.cap_limit(base_quantity, cap, None), unit)
            base = with_unit(base_quantity, unit)
            problems["quantity"] = (
                f"Refused: {with_unit(quantity, unit)} is above this week's cap of {limit} "
                f"(base {base} + {percent(cap)})."
            )
        elif violation.field == "volume":
            problems[NON_FIELD_ERRORS] = f"Refused: {violation.message}."
    return problems
