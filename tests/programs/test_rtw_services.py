"""Saving a return-to-work plan: signed by the saver, audited before and after, stale
forms refused, and nothing saved when anything is wrong."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from programs.models import Program, ProgramStatus, RtwPlan, RtwRestriction, RtwStep
from programs.rtw_rules import Limit, Step
from programs.services import StaleEdit
from programs.services.rtw import PlanValues, save_plan
from rtw.errors import ServiceError
from rtw.models import AuditEvent, Role
from tests.factories import make_user

D = Decimal
STEPS = (
    Step(1, 2, D("4"), 5, "Packing bench only"),
    Step(3, 4, D("6"), 5, "Packing and light picking"),
    Step(5, 6, D("8"), 5, "Usual duties within the restrictions"),
)
LIMITS = (
    Limit("lift_floor_to_waist", "Cartons from pallet", max_kg=D("10"), frequency="occasional"),
    Limit("stooping", max_minutes=10),
)


def values(**changes: object) -> PlanValues:
    fields: dict[str, object] = {
        "starts_on": date(2026, 11, 2),
        "equipment": False,
        "modified_duty": True,
        "flexible_hours": False,
        "micro_breaks": True,
        "accommodation_notes": "A sit-stand stool at the packing bench.",
        "fitness": "may_be_fit",
        "phased_return": True,
        "amended_duties": True,
        "altered_hours": True,
        "workplace_adaptations": False,
        "functional_comments": "Can pack and pick light items; no pallet work yet.",
        "valid_from": date(2026, 11, 2),
        "valid_to": date(2026, 11, 29),
        "next_review": date(2026, 11, 16),
        "steps": STEPS,
        "restrictions": LIMITS,
    }
    fields.update(changes)
    return PlanValues(**fields)  # type: ignore[arg-type]


@pytest.fixture
def physio(world):
    world.physio.registration_number = "PH12345"
    world.physio.save(update_fields=["registration_number"])
    return world.physio


def test_a_new_plan_is_saved_with_its_rows_and_signed_by_the_physio(draft, physio):
    plan = save_plan(acting_user=physio, program=draft, values=values(), version=0)
    assert plan.version == 1
    assert plan.clinician_name == physio.display_name
    assert plan.registration_number == "PH12345"
    assert [s.values for s in plan.steps.all()] == list(STEPS)
    assert [r.limit_text for r in plan.restrictions.all()] == [
        "Up to 10.0 kg (22.0 lb), occasionally (up to 1/3 of the shift)",
        "At most 10 min at a time",
    ]
    assert plan.capability_text == (
        "May be fit for work with: phased return to work, amended duties, altered hours"
    )


def test_saving_records_the_whole_plan_before_and_after_in_the_audit_log(draft, physio):
    plan = save_plan(acting_user=physio, program=draft, values=values(), version=0)
    fewer = values(steps=STEPS[:1], restrictions=(), micro_breaks=False)
    save_plan(acting_user=physio, program=draft, values=fewer, version=plan.version)
    created, updated = AuditEvent.objects.filter(
        kind="action", target_type="programs.rtwplan"
    ).order_by("id")
    assert created.action == "rtw_plan.created"
    assert created.before == {}
    assert len(created.after["steps"]) == 3
    assert updated.action == "rtw_plan.updated"
    assert updated.before["micro_breaks"] is True
    assert len(updated.before["steps"]) == 3
    assert updated.before["restrictions"][0]["max_kg"] == "10.00"
    assert updated.after["micro_breaks"] is False
    assert updated.after["steps"] == [
        {
            "week_from": 1,
            "week_to": 2,
            "hours_per_day": "4.00",
            "days_per_week": 5,
            "duties": "Packing bench only",
        }
    ]
    assert updated.after["restrictions"] == []
    assert updated.clinic_id == draft.clinic_id


def test_saving_again_replaces_the_rows_and_a_colleague_who_saves_signs_it(draft, physio, world):
    plan = save_plan(acting_user=physio, program=draft, values=values(), version=0)
    again = save_plan(
        acting_user=world.colleague, program=draft, values=values(steps=STEPS[1:]), version=1
    )
    assert again.pk == plan.pk
    assert again.version == 2
    assert again.clinician_name == world.colleague.display_name
    assert again.registration_number == ""
    assert RtwStep.objects.filter(plan=plan).count() == 2
    assert RtwRestriction.objects.filter(plan=plan).count() == 2


def test_a_stale_version_is_refused_and_nothing_changes(draft, physio, world):
    save_plan(acting_user=physio, program=draft, values=values(), version=0)
    save_plan(acting_user=world.colleague, program=draft, values=values(), version=1)
    with pytest.raises(StaleEdit) as refused:
        save_plan(acting_user=physio, program=draft, values=values(steps=()), version=1)
    assert refused.value.version == 2
    assert RtwStep.objects.filter(plan__program=draft).count() == 3


def test_two_people_writing_the_first_plan_at_once_cannot_both_create_it(draft, physio, world):
    save_plan(acting_user=world.colleague, program=draft, values=values(), version=0)
    with pytest.raises(StaleEdit):
        save_plan(acting_user=physio, program=draft, values=values(steps=()), version=0)
    assert RtwPlan.objects.filter(program=draft).count() == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"steps": (Step(1, 2, D("13"), 5),)}, "Step 1: Hours a day must be from 0.5 to 12"),
        ({"steps": (Step(1, 2, D("4"), 9),)}, "Days a week must be from 1 to 7"),
        (
            {"steps": (Step(1, 3, D("4"), 5), Step(2, 4, D("6"), 5))},
            "Step 2: Step 2 starts in week 2",
        ),
        ({"valid_to": date(2026, 11, 1)}, "cannot end"),
        ({"next_review": date(2026, 10, 1)}, "before the statement starts"),
        ({"fitness": "not_fit"}, "takes no adjustments"),
        ({"restrictions": (Limit("push", max_kg=D("12")),)}, "Restriction 1: Say how often"),
        ({"restrictions": (Limit("stooping"),)}, "Give a limit"),
        ({"functional_comments": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message_and_nothing_is_saved(
    draft, physio, changes, words
):
    with pytest.raises(ServiceError) as refused:
        save_plan(acting_user=physio, program=draft, values=values(**changes), version=0)
    assert words in refused.value.message
    assert not RtwPlan.objects.filter(program=draft).exists()
    assert not AuditEvent.objects.filter(target_type="programs.rtwplan").exists()


def test_a_bad_row_leaves_the_saved_plan_as_it_was(draft, physio):
    save_plan(acting_user=physio, program=draft, values=values(), version=0)
    bad = values(steps=(Step(1, 2, D("4"), 5), Step(2, 3, D("6"), 5)))
    with pytest.raises(ServiceError):
        save_plan(acting_user=physio, program=draft, values=bad, version=1)
    plan = RtwPlan.objects.get(program=draft)
    assert plan.version == 1
    assert plan.steps.count() == 3


def test_the_physio_of_another_clinic_and_a_clinic_admin_cannot_save_a_plan(draft, world):
    for outsider in (world.other_physio, world.admin):
        with pytest.raises(ServiceError):
            save_plan(acting_user=outsider, program=draft, values=values(), version=0)
    assert not RtwPlan.objects.exists()


def test_an_admin_who_is_also_a_physio_of_the_clinic_may_save(draft, world):
    both = make_user(Role.ADMIN_PHYSIOTHERAPIST, clinic=world.clinic)
    plan = save_plan(acting_user=both, program=draft, values=values(), version=0)
    assert plan.clinician == both


def test_a_completed_programs_plan_is_kept_as_it_was(draft, physio):
    save_plan(acting_user=physio, program=draft, values=values(), version=0)
    Program.objects.filter(pk=draft.pk).update(status=ProgramStatus.COMPLETED)
    with pytest.raises(ServiceError, match="completed"):
        save_plan(acting_user=physio, program=draft, values=values(steps=()), version=1)


def test_a_plan_without_steps_or_restrictions_is_a_valid_not_fit_statement(draft, physio):
    not_fit = values(
        fitness="not_fit",
        phased_return=False,
        amended_duties=False,
        altered_hours=False,
        steps=(),
        restrictions=(),
    )
    plan = save_plan(acting_user=physio, program=draft, values=not_fit, version=0)
    assert plan.capability_text == "Not fit for work"


def test_the_database_refuses_a_step_whose_weeks_run_backwards(draft, physio):
    plan = save_plan(acting_user=physio, program=draft, values=values(), version=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        RtwStep.objects.create(
            plan=plan, order=9, week_from=9, week_to=8, hours_per_day=D("4"), days_per_week=5
        )
