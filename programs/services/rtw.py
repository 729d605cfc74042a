"""Saving a program's return-to-work plan: one transaction, the acting physiotherapist
signs it, a stale form is refused, and the audit event holds the plan before and after."""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from programs import rtw_rules
from programs.models import Program, RtwPlan, RtwRestriction, RtwStep
from programs.rtw_rules import Limit, Step
from programs.services.common import (
    check_version,
    require_clinician_of,
    validate,
    validation_to_service_error,
)
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

PLAN_FIELDS = (
    "starts_on",
    "equipment",
    "modified_duty",
    "flexible_hours",
    "micro_breaks",
    "accommodation_notes",
    "fitness",
    "phased_return",
    "amended_duties",
    "altered_hours",
    "workplace_adaptations",
    "functional_comments",
    "valid_from",
    "valid_to",
    "next_review",
)
SIGNATURE_FIELDS = ("clinician_name", "registration_number")


@dataclass(frozen=True)
class PlanValues:
    starts_on: date | None
    equipment: bool
    modified_duty: bool
    flexible_hours: bool
    micro_breaks: bool
    accommodation_notes: str
    fitness: str
    phased_return: bool
    amended_duties: bool
    altered_hours: bool
    workplace_adaptations: bool
    functional_comments: str
    valid_from: date
    valid_to: date
    next_review: date | None
    steps: tuple[Step, ...] = ()
    restrictions: tuple[Limit, ...] = ()


def plan_snapshot(plan: RtwPlan | None) -> dict[str, Any]:
    """The whole plan, JSON-ready for the audit log (the encoder handles dates, decimals)."""
    if plan is None:
        return {}
    return {
        **audit.snapshot(plan, (*PLAN_FIELDS, *SIGNATURE_FIELDS)),
        "steps": [asdict(s.values) for s in plan.steps.all()],
        "restrictions": [asdict(r.values) for r in plan.restrictions.all()],
    }


def _check_rows(values: PlanValues) -> tuple[list[RtwStep], list[RtwRestriction]]:
    """The rows as model instances, each validated as the form does (never trusting it)."""
    for problem in rtw_rules.step_problems(values.steps):
        raise ServiceError(f"Step {problem.row + 1}: {problem.message}", field="steps")
    if len(values.restrictions) > rtw_rules.MAX_RESTRICTIONS:
        raise ServiceError(f"At most {rtw_rules.MAX_RESTRICTIONS} restrictions.")
    steps = [RtwStep(order=n, **asdict(step)) for n, step in enumerate(values.steps)]
    limits = [RtwRestriction(order=n, **asdict(r)) for n, r in enumerate(values.restrictions)]
    labelled: list[tuple[str, RtwStep | RtwRestriction]] = [
        *((f"Step {n}", row) for n, row in enumerate(steps, start=1)),
        *((f"Restriction {n}", row) for n, row in enumerate(limits, start=1)),
    ]
    for label, row in labelled:
        try:
            validate_row(row)
        except ServiceError as error:
            raise ServiceError(f"{label}: {error.message}", field=error.field) from error
    return steps, limits


def validate_row(row: RtwStep | RtwRestriction) -> None:
    # The plan is not saved yet, and the order is ours: only the row's own values are checked.
    try:
        row.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise validation_to_service_error(error) from error


@transaction.atomic
def save_plan(
    *, acting_user: User, program: Program, values: PlanValues, version: int | None
) -> RtwPlan:
    """Create or replace the plan. ``version`` is the one the form was opened on (0 for a
    new plan); None skips the check (demo data only)."""
    locked = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    require_clinician_of(acting_user, locked)
    if locked.is_ended:
        raise ServiceError(
            f"This program is {locked.get_status_display().lower()}: its return-to-work plan "
            "is kept as it was."
        )
    current = RtwPlan.objects.filter(program=locked).first()  # the program row lock covers it
    if current is not None:
        check_version(current, version)
    before = plan_snapshot(current)
    plan = current or RtwPlan(program=locked, clinician=acting_user)
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(values, name))
    plan.clinician = acting_user
    plan.clinician_name = acting_user.display_name
    plan.registration_number = acting_user.registration_number
    validate(plan)
    steps, limits = _check_rows(values)
    if current is None:
        plan.save()
    else:
        plan.version += 1
        plan.save(
            update_fields=[
                *PLAN_FIELDS,
                *SIGNATURE_FIELDS,
                "clinician",
                "version",
                "updated_at",
            ]
        )
        RtwStep.objects.filter(plan=plan).delete()
        RtwRestriction.objects.filter(plan=plan).delete()
    for step in steps:
        step.plan = plan
    for limit in limits:
        limit.plan = plan
    RtwStep.objects.bulk_create(steps)
    RtwRestriction.objects.bulk_create(limits)
    audit.record(
        actor=acting_user,
        action="rtw_plan.created" if current is None else "rtw_plan.updated",
        target=plan,
        before=before,
        after=plan_snapshot(plan),
    )
    return plan
