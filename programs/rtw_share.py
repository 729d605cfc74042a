"""What an employer may see of a worker's return-to-work plan: an explicit allowlist.

The return-to-work plan work fills ``rtw_share_for``; the employer portal and the
PDF report read only these dataclasses, never the models.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ScheduleStep:
    week_from: int
    week_to: int
    hours_per_day: Decimal
    days_per_week: int
    duties: str


@dataclass(frozen=True)
class Restriction:
    task: str
    limit: str  # plain words, e.g. "up to 15 kg, occasionally"


@dataclass(frozen=True)
class RtwShare:
    schedule: tuple[ScheduleStep, ...]
    restrictions: tuple[Restriction, ...]
    accommodations: tuple[str, ...]
    capability: str  # e.g. "May be fit for work with: phased return, amended duties"
    functional_comments: str
    valid_from: date | None
    valid_to: date | None
    next_review: date | None
    clinician_name: str
    registration_number: str


def rtw_share_for(patient_ids: Iterable[int]) -> dict[int, RtwShare]:
    """The current return-to-work plan of each patient that has one, in constant queries."""
    return {}
