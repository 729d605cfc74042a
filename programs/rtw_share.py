"""What an employer may see of a worker's return-to-work plan: an explicit allowlist.

The return-to-work plan work fills ``rtw_share_for``; the employer portal and the
PDF report read only these dataclasses, never the models.

Only plain values written *for the employer* are copied: the schedule, the restrictions
as plain words, the accommodations, the capability statement and who signed it. Nothing
clinical (diagnosis, pain, questionnaire scores, session notes, red flags) is read at
all. Consent is the caller's to check: pass only the ids of workers whose open consent
covers "restrictions and return schedule".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from programs.models import Program, RtwPlan, RtwRestriction, RtwStep
from programs.queries import current_programs
from programs.rtw_page import step_dates


@dataclass(frozen=True)
class ScheduleStep:
    week_from: int
    week_to: int
    hours_per_day: Decimal
    days_per_week: int
    duties: str
    starts_on: date | None = None  # when the plan gives week 1 a date
    ends_on: date | None = None


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
    starts_on: date | None = None  # the date week 1 of the schedule starts, when agreed
    updated_on: date | None = None  # the day the plan was last saved


def _plan(program: Program) -> RtwPlan | None:
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    plan: RtwPlan | None = getattr(program, "rtw_plan", None)
    return plan


def _step(row: RtwStep, starts_on: date | None) -> ScheduleStep:
    first, last = step_dates(starts_on, row.values)
    return ScheduleStep(
        week_from=row.week_from,
        week_to=row.week_to,
        hours_per_day=Decimal(row.hours_per_day),
        days_per_week=row.days_per_week,
        duties=row.duties,
        starts_on=first,
        ends_on=last,
    )


def _share(plan: RtwPlan, steps: list[RtwStep], limits: list[RtwRestriction]) -> RtwShare:
    accommodations = list(plan.accommodation_labels)
    if plan.accommodation_notes.strip():
        accommodations.append(plan.accommodation_notes.strip())
    return RtwShare(
        schedule=tuple(_step(row, plan.starts_on) for row in steps),
        restrictions=tuple(Restriction(r.task_text, r.limit_text) for r in limits),
        accommodations=tuple(accommodations),
        capability=plan.capability_text,
        functional_comments=plan.functional_comments,
        valid_from=plan.valid_from,
        valid_to=plan.valid_to,
        next_review=plan.next_review,
        clinician_name=plan.clinician_name,
        registration_number=plan.registration_number,
        starts_on=plan.starts_on,
        updated_on=timezone.localdate(plan.updated_at),
    )


def rtw_share_for(patient_ids: Iterable[int]) -> dict[int, RtwShare]:
    """The current return-to-work plan of each patient that has one, in three queries
    whatever the number of patients."""
    ids = list(patient_ids)
    if not ids:
        return {}
    plans = {
        patient_id: plan
        for patient_id, program in current_programs(ids, "rtw_plan").items()
        if (plan := _plan(program)) is not None
    }
    plan_ids = [plan.pk for plan in plans.values()]
    steps: dict[int, list[RtwStep]] = {pk: [] for pk in plan_ids}
    limits: dict[int, list[RtwRestriction]] = {pk: [] for pk in plan_ids}
    if plan_ids:
        for step in RtwStep.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order"):
            steps[step.plan_id].append(step)
        for limit in RtwRestriction.objects.filter(plan_id__in=plan_ids).order_by(
            "plan_id", "order"
        ):
            limits[limit.plan_id].append(limit)
    return {
        patient_id: _share(plan, steps[plan.pk], limits[plan.pk])
        for patient_id, plan in plans.items()
    }
