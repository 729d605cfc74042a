"""Per-item values for each kind of week. Every proposal is measured from the item's base
(rules 1 and 2) and none can exceed base x (1 + cap), in load or in weekly volume."""

from dataclasses import dataclass
from decimal import Decimal

from .cap import cap_limit, next_quantity
from .deload import deload_dose, deload_quantity
from .enums import ReasonCode
from .history import Dose
from .quantities import ONE, fmt, pct
from .types import PlannedItem, Prescription, Reason


@dataclass(frozen=True)
class Item:
    """One prescription with the base its cap is measured from."""

    prescription: Prescription
    base: Dose | None  # the completed, tolerated values of the base week (rule 1)
    cap: Decimal

    @property
    def planned(self) -> Dose:
        p = self.prescription
        return Dose(p.sets, p.reps, p.quantity)

    @property
    def start(self) -> Dose:
        p = self.prescription
        return Dose(p.start_sets, p.start_reps, p.start_quantity)

    def label(self) -> str:
        return self.prescription.name or self.prescription.key

    def unit(self, value: Decimal) -> str:
        unit = self.prescription.unit
        return f"{fmt(value)} {unit}" if unit else fmt(value)

    def reason(self, code: ReasonCode, text: str) -> Reason:
        return Reason(code, f"{self.label()}: {text}", self.prescription.key)

    def output(self, dose: Dose) -> PlannedItem:
        """The planned item, clamped to the target, with the limit the web layer enforces
        (no base yet: the proposal itself is the most that may be stored)."""
        target = self.prescription.target
        quantity = dose.quantity if target is None else min(dose.quantity, target)
        if self.base is None:
            return PlannedItem(
                self.prescription.key, dose.sets, dose.reps, quantity, None, quantity
            )
        base = self.base
        limit = cap_limit(base.quantity, self.cap, target)
        key = self.prescription.key
        return PlannedItem(
            key, dose.sets, dose.reps, quantity, base.quantity, limit, base.sets, base.reps
        )


def lower(a: Dose, b: Dose) -> Dose:
    return Dose(min(a.sets, b.sets), min(a.reps, b.reps), min(a.quantity, b.quantity))


def hold(item: Item) -> Dose:
    """Stay where the worker is: the prescribed values, but never above what was completed."""
    return item.planned if item.base is None else lower(item.planned, item.base)


def resume(item: Item) -> Dose:
    """The pre-deload base: the completed-and-tolerated values of the last non-deload week."""
    return item.planned if item.base is None else item.base


def deload(item: Item) -> Dose:
    return deload_dose(resume(item), item.prescription.increment)


def regress(item: Item) -> tuple[Dose, Reason | None]:
    """Back to the last tolerated week's values. With no tolerated week at all, 10 % below the
    phase's starting values (our choice: the starting level itself was not tolerated)."""
    if item.base is not None:
        return item.base, None
    start = lower(item.start, item.planned)
    dose = Dose(
        start.sets, start.reps, deload_quantity(start.quantity, item.prescription.increment)
    )
    return dose, item.reason(
        ReasonCode.NO_TOLERATED_WEEK,
        f"no week has been tolerated yet, so 10 % below the starting values "
        f"({item.unit(dose.quantity)}); review the starting values",
    )


def after_gap(item: Item, source: Dose | None) -> Dose:
    """90 % of the last completed (and tolerated) values, rounded down to the increment."""
    dose = source if source is not None else item.planned
    return Dose(dose.sets, dose.reps, deload_quantity(dose.quantity, item.prescription.increment))


def restart_after_emergency(item: Item) -> Dose:
    """The phase's starting values - but never above the last tolerated values, so the cap
    holds even if the phase started higher than the worker has since tolerated."""
    return item.start if item.base is None else lower(item.start, item.base)


def progress(item: Item) -> tuple[Dose, Reason, bool]:
    """The largest step the cap allows (rules 1 and 2); returns (dose, reason, increased)."""
    if item.base is None:  # callers hold these first; kept total for safety
        reason = item.reason(ReasonCode.NO_COMPLETED_DATA, "held: nothing completed yet")
        return hold(item), reason, False
    base = item.base
    p = item.prescription
    sets, reps = min(p.sets, base.sets), min(p.reps, base.reps)
    if p.target is not None and base.quantity >= p.target:
        text = f"held at the phase target {item.unit(p.target)}"
        return Dose(sets, reps, p.target), item.reason(ReasonCode.TARGET_REACHED, text), False
    quantity = next_quantity(base.quantity, item.cap, p.increment, p.target)
    if quantity > base.quantity:
        return Dose(sets, reps, quantity), _increase_reason(item, base.quantity, quantity), True
    return _reps_or_sets(item, base, sets, reps)


def _increase_reason(item: Item, before: Decimal, after: Decimal) -> Reason:
    target = item.prescription.target
    if target is not None and after == target:
        return item.reason(
            ReasonCode.CLAMPED_TO_TARGET,
            f"{fmt(before)} → {item.unit(after)}, clamped to the phase target",
        )
    limit = before * (ONE + item.cap)
    rounded = (
        ""
        if after == limit
        else f", rounded down to {item.unit(item.prescription.increment)} steps"
    )
    return item.reason(
        ReasonCode.QUANTITY_INCREASED,
        f"{fmt(before)} → {item.unit(after)}, within the {pct(item.cap)} cap "
        f"(at most {item.unit(limit)}{rounded})",
    )


def _reps_or_sets(item: Item, base: Dose, sets: int, reps: int) -> tuple[Dose, Reason, bool]:
    """Rounding leaves no load increase: add reps, else a set, within the volume cap."""
    p = item.prescription
    why = (
        f"a {item.unit(p.increment)} step on {item.unit(base.quantity)} does not fit the "
        f"{pct(item.cap)} cap"
    )
    allowed = _allowed_work(base, item.cap)
    per_rep = Decimal(sets) * (base.quantity if base.quantity else ONE)
    best_reps = min(p.max_reps, int(allowed // per_rep))
    if best_reps > reps:
        dose = Dose(sets, best_reps, base.quantity)
        text = f"{why}, so reps go {reps} → {best_reps} instead"
        return dose, item.reason(ReasonCode.REPS_INCREASED_INSTEAD, text), True
    per_set = Decimal(reps) * (base.quantity if base.quantity else ONE)
    if sets < p.max_sets and Decimal(sets + 1) * per_set <= allowed:
        dose = Dose(sets + 1, reps, base.quantity)
        text = f"{why}, so sets go {sets} → {sets + 1} instead"
        return dose, item.reason(ReasonCode.SETS_INCREASED_INSTEAD, text), True
    text = f"held: {why}, and no extra rep or set fits the volume cap; consider a smaller increment"
    return Dose(sets, reps, base.quantity), item.reason(ReasonCode.NO_INCREASE_FITS, text), False


def _allowed_work(base: Dose, cap: Decimal) -> Decimal:
    """The weekly volume cap; for body-weight work (quantity 0) counted as sets x reps."""
    work = base.volume if base.quantity else Decimal(base.sets * base.reps)
    return work * (ONE + cap)
