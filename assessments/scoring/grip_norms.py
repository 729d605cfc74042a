"""Grip strength against age and sex norms (Mathiowetz et al., Arch Phys Med Rehabil
1985;66:69-74: Jamar dynamometer, second handle position, mean of three trials).

The paper reports pounds for the right and left hand (not dominant/non-dominant);
the table keeps those published numbers and converts to kg at use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring.base import rounded

KG_PER_LB = Decimal("0.45359237")  # the international pound, exact by definition
TRIALS = 3

# Per sex: (first age of the band, right mean, right SD, left mean, left SD) in lb.
# A band runs to the next band's first age; the last is 75 and over.
_NORMS_LB: dict[str, tuple[tuple[int, str, str, str, str], ...]] = {
    "M": (
        (20, "121.0", "20.6", "104.5", "21.8"),
        (25, "120.8", "23.0", "110.5", "16.2"),
        (30, "121.8", "22.4", "110.4", "21.7"),
        (35, "119.7", "24.0", "112.9", "21.7"),
        (40, "116.8", "20.7", "112.8", "18.7"),
        (45, "109.9", "23.0", "100.8", "22.8"),
        (50, "113.6", "18.1", "101.9", "17.0"),
        (55, "101.1", "26.7", "83.2", "23.4"),
        (60, "89.7", "20.4", "76.8", "20.3"),
        (65, "91.1", "20.6", "76.8", "19.8"),
        (70, "75.3", "21.5", "64.8", "18.1"),
        (75, "65.7", "21.0", "55.0", "17.0"),
    ),
    "F": (
        (20, "70.4", "14.5", "61.0", "13.1"),
        (25, "74.5", "13.9", "63.5", "12.2"),
        (30, "78.7", "19.2", "68.0", "17.7"),
        (35, "74.1", "10.8", "66.3", "11.7"),
        (40, "70.4", "13.5", "62.3", "13.8"),
        (45, "62.2", "15.1", "56.0", "12.7"),
        (50, "65.8", "11.6", "57.3", "10.7"),
        (55, "57.3", "12.5", "47.3", "11.9"),
        (60, "55.1", "10.1", "45.7", "10.1"),
        (65, "49.6", "9.7", "41.0", "8.2"),
        (70, "49.6", "11.7", "41.5", "10.2"),
        (75, "42.6", "11.0", "37.6", "8.9"),
    ),
}
YOUNGEST = 20

BELOW = "below norm (more than 1 SD under the mean)"
WITHIN = "within norm (mean ± 1 SD)"
ABOVE = "above norm (more than 1 SD over the mean)"


@dataclass(frozen=True)
class GripNorm:
    mean: Decimal | None  # kg, one decimal
    sd: Decimal | None  # kg, one decimal
    percent_of_norm: Decimal | None  # whole percent
    label: str
    age_band: str | None = None


def mean_of_trials(trials: Sequence[Decimal]) -> Decimal:
    """The mean of exactly three trials in kg, to 0.1 kg (Mathiowetz's protocol)."""
    if len(trials) != TRIALS:
        raise ValueError(f"grip needs exactly {TRIALS} trials, got {len(trials)}")
    for trial in trials:
        if isinstance(trial, bool) or not isinstance(trial, Decimal | int):
            raise ValueError(f"a grip trial must be a Decimal number of kg, got {trial!r}")
        if not trial > 0:
            raise ValueError(f"every grip trial must be more than 0 kg, got {trial}")
    return rounded(Decimal(sum(trials)) / TRIALS, "0.1")


def _row(age: int, sex: str) -> tuple[str, tuple[int, str, str, str, str]]:
    rows = _NORMS_LB[sex]
    index = max(i for i, row in enumerate(rows) if row[0] <= age)
    first = rows[index][0]
    band = f"{first}+" if index == len(rows) - 1 else f"{first}-{rows[index + 1][0] - 1}"
    return band, rows[index]


def grip_vs_norm(kg: Decimal, age: int, sex: str, side: str) -> GripNorm:
    if side not in ("L", "R"):
        raise ValueError(f"side must be 'L' or 'R', got {side!r}")
    if not kg > 0:
        raise ValueError(f"grip strength must be more than 0 kg, got {kg}")
    if sex not in _NORMS_LB:
        return GripNorm(None, None, None, "norms not available: published for women and men only")
    if age < YOUNGEST:
        return GripNorm(None, None, None, f"norms not available: published from age {YOUNGEST}")
    band, (_, right_mean, right_sd, left_mean, left_sd) = _row(age, sex)
    mean_lb, sd_lb = (right_mean, right_sd) if side == "R" else (left_mean, left_sd)
    mean = Decimal(mean_lb) * KG_PER_LB
    sd = Decimal(sd_lb) * KG_PER_LB
    if kg < mean - sd:
        label = BELOW
    elif kg > mean + sd:
        label = ABOVE
    else:
        label = WITHIN
    return GripNorm(
        mean=rounded(mean, "0.1"),
        sd=rounded(sd, "0.1"),
        percent_of_norm=rounded(kg * 100 / mean, "1"),
        label=label,
        age_band=band,
    )
