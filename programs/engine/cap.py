"""The weekly cap (DESIGN.md rules 1 and 2): one rule for the engine and for every validator
in the web layer (forms, htmx edits, admin, imports), so there is exactly one definition."""

from dataclasses import dataclass
from decimal import Decimal

from .errors import CapExceededError
from .quantities import ONE, exact, fmt, pct, round_down
from .validate import MAX_REPS, MAX_SETS, check_cap, check_decimal, check_increment, check_int

RISK_CAP = Decimal("0.10")
NO_RISK_CAP = Decimal("0.20")


def default_cap(
    *,
    previous_same_site_injury: bool,
    smoker: bool,
    diabetes: bool,
    orebro_high: bool,
    high_kinesiophobia: bool,
) -> Decimal:
    """10 % with any risk factor (ÖMPSQ-SF > 50 is ``orebro_high``), else 20 %."""
    risks = (previous_same_site_injury, smoker, diabetes, orebro_high, high_kinesiophobia)
    return RISK_CAP if any(risks) else NO_RISK_CAP


@exact
def cap_limit(base: Decimal, cap: Decimal, target: Decimal | None) -> Decimal:
    """The most next week's quantity may be: base x (1 + cap), clamped to the phase target."""
    check_decimal(base, "base")
    check_cap(cap)
    if target is not None:
        check_decimal(target, "target", positive=True)
    limit = base * (ONE + cap)
    return limit if target is None else min(limit, target)


@exact
def next_quantity(
    base: Decimal, cap: Decimal, increment: Decimal, target: Decimal | None
) -> Decimal:
    """The largest practical quantity within the cap: rounded down to the increment, never
    above base x (1 + cap), never above the target.

    Where the target itself fits under the cap it is used as is, even off the increment grid:
    a job demand of 22.7 kg must be reachable, not stuck at 22.5 kg. A base off the grid is
    never lowered by rounding (17.3 kg stays 17.3 kg when the next step would not fit).
    """
    limit = cap_limit(base, cap, target)
    check_increment(increment)
    if target is not None and limit == target:
        return target
    return max(round_down(limit, increment), base)


def weekly_volume(sets: int, reps: int, quantity: Decimal) -> Decimal:
    """sets x reps x quantity, per unit (kg, minutes, metres)."""
    return Decimal(sets) * Decimal(reps) * quantity


@dataclass(frozen=True)
class CapViolation:
    field: str
    message: str


@exact
def cap_violations(
    *,
    base_sets: int,
    base_reps: int,
    base_quantity: Decimal,
    sets: int,
    reps: int,
    quantity: Decimal,
    cap: Decimal,
    target: Decimal | None,
    unit: str = "",
) -> tuple[CapViolation, ...]:
    """Every way the entered values break the cap, measured from the base (the completed and
    tolerated values of the last non-deload week). Empty when they are allowed.

    The volume check counts sets x reps x quantity; for a quantity of zero (body weight) it
    counts sets x reps, so the reps route cannot grow without bound.
    """
    check_int(base_sets, "base_sets", 1, MAX_SETS)
    check_int(base_reps, "base_reps", 1, MAX_REPS)
    check_int(sets, "sets", 1, MAX_SETS)
    check_int(reps, "reps", 1, MAX_REPS)
    check_decimal(quantity, "quantity")
    limit = cap_limit(base_quantity, cap, target)
    suffix = f" {unit}" if unit else ""
    found: list[CapViolation] = []
    if target is not None and quantity > target:
        found.append(
            CapViolation(
                "quantity",
                f"{fmt(quantity)}{suffix} is above the phase target {fmt(target)}{suffix}",
            )
        )
    elif quantity > limit:
        found.append(
            CapViolation(
                "quantity",
                f"{fmt(quantity)}{suffix} is above the cap: at most {fmt(limit)}{suffix} "
                f"({fmt(base_quantity)}{suffix} + {pct(cap)})",
            )
        )
    if base_quantity == 0 and quantity == 0:
        work, base_work, what = sets * reps, base_sets * base_reps, "sets x reps"
        new, allowed = Decimal(work), Decimal(base_work) * (ONE + cap)
    else:
        what = "weekly volume (sets x reps x quantity)"
        new = weekly_volume(sets, reps, quantity)
        allowed = weekly_volume(base_sets, base_reps, base_quantity) * (ONE + cap)
    if new > allowed:
        found.append(
            CapViolation(
                "volume",
                f"{what} {fmt(new)} is above the cap: at most {fmt(allowed)} (+{pct(cap)})",
            )
        )
    return tuple(found)


def check_within_cap(
    *,
    base_sets: int,
    base_reps: int,
    base_quantity: Decimal,
    sets: int,
    reps: int,
    quantity: Decimal,
    cap: Decimal,
    target: Decimal | None,
    unit: str = "",
) -> None:
    """Raise ``CapExceededError`` (field 'quantity' or 'volume') when the values break the cap."""
    found = cap_violations(
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
    if found:
        raise CapExceededError(found[0].field, "; ".join(v.message for v in found))
