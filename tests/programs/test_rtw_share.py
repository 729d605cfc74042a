"""What the employer portal and the PDF report get of a return-to-work plan: plain values
from an allowlist, only the patient's current plan, in a fixed number of queries."""

import dataclasses
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from patients.models import Patient
from programs import services
from programs.models import Program, ProgramStatus
from programs.rtw_rules import Limit, Step
from programs.rtw_share import Restriction, RtwShare, ScheduleStep, rtw_share_for
from programs.services.rtw import PlanValues, save_plan
from tests.assessments.helpers import make_assessment
from tests.factories import make_patient, make_program
from tests.programs.helpers import MONDAY, log_week, physio_of, plan

D = Decimal
CANARY = "CANARY-7f3a"


def plan_values(**changes: object) -> PlanValues:
    fields: dict[str, object] = {
        "starts_on": date(2026, 11, 2),
        "equipment": True,
        "modified_duty": False,
        "flexible_hours": True,
        "micro_breaks": True,
        "accommodation_notes": "Trolley for cartons.",
        "fitness": "may_be_fit",
        "phased_return": True,
        "amended_duties": True,
        "altered_hours": False,
        "workplace_adaptations": False,
        "functional_comments": "Light picking and packing.",
        "valid_from": date(2026, 11, 2),
        "valid_to": date(2026, 11, 29),
        "next_review": date(2026, 11, 16),
        "steps": (Step(1, 2, D("4"), 5, "Packing"), Step(3, 4, D("6"), 5, "Picking")),
        "restrictions": (
            Limit("lift_floor_to_waist", "Cartons", max_kg=D("10"), frequency="occasional"),
            Limit("stooping", max_minutes=10),
        ),
    }
    fields.update(changes)
    return PlanValues(**fields)  # type: ignore[arg-type]


def write_plan(program: Program, **changes: object) -> None:
    physio = physio_of(program)
    physio.registration_number = "PH00042"
    physio.save(update_fields=["registration_number"])
    save_plan(acting_user=physio, program=program, values=plan_values(**changes), version=None)


def test_the_share_holds_the_plan_in_plain_words(draft, world):
    write_plan(draft)
    share = rtw_share_for([world.patient.pk])[world.patient.pk]
    assert share.schedule == (
        ScheduleStep(1, 2, D("4"), 5, "Packing", date(2026, 11, 2), date(2026, 11, 15)),
        ScheduleStep(3, 4, D("6"), 5, "Picking", date(2026, 11, 16), date(2026, 11, 29)),
    )
    assert share.restrictions == (
        Restriction(
            "Floor-to-waist lift (Cartons)",
            "Up to 10.0 kg (22.0 lb), occasionally (up to 1/3 of the shift)",
        ),
        Restriction("Stooping", "At most 10 min at a time"),
    )
    assert share.accommodations == (
        "Equipment",
        "Flexible hours",
        "Micro-breaks",
        "Trolley for cartons.",
    )
    assert share.capability == "May be fit for work with: phased return to work, amended duties"
    assert share.functional_comments == "Light picking and packing."
    assert (share.valid_from, share.valid_to, share.next_review) == (
        date(2026, 11, 2),
        date(2026, 11, 29),
        date(2026, 11, 16),
    )
    assert share.clinician_name == world.physio.display_name
    assert share.registration_number == "PH00042"
    assert share.starts_on == date(2026, 11, 2)


def _plain(value: object) -> bool:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | Decimal | date)


def test_the_share_is_plain_values_with_no_clinical_detail(draft, world):
    """A canary in every clinical field of the worker's record never reaches the share."""
    Patient.objects.filter(pk=world.patient.pk).update(
        diagnosis=CANARY,
        injury_mechanism=CANARY,
        other_comorbidities=CANARY,
        red_flag_tier="amber",
    )
    Program.objects.filter(pk=draft.pk).update(description=CANARY)
    make_assessment(world.patient, notes=CANARY)
    program = Program.objects.get(pk=draft.pk)
    active = services.activate(acting_user=physio_of(program), program=program, today=MONDAY)
    week = plan(active, MONDAY).week
    log_week(active, week, notes=CANARY, adverse_events=CANARY)
    write_plan(active)
    share = rtw_share_for([world.patient.pk])[world.patient.pk]
    assert isinstance(share, RtwShare)
    assert _plain(share)
    assert CANARY not in repr(share)


def test_only_the_current_programs_plan_is_shared(world):
    old = make_program(world.patient)
    write_plan(old, functional_comments="The old plan.")
    Program.objects.filter(pk=old.pk).update(status=ProgramStatus.COMPLETED)
    assert rtw_share_for([world.patient.pk])[world.patient.pk].functional_comments == (
        "The old plan."
    )
    current = make_program(world.patient)  # live, no plan yet: nothing is shared
    assert rtw_share_for([world.patient.pk]) == {}
    write_plan(current, functional_comments="The current plan.")
    assert rtw_share_for([world.patient.pk])[world.patient.pk].functional_comments == (
        "The current plan."
    )


def test_a_worker_without_a_plan_or_a_program_is_left_out(world, draft):
    assert rtw_share_for([world.patient.pk, world.other_patient.pk]) == {}


def test_no_ids_is_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rtw_share_for([]) == {}


def test_three_queries_for_one_worker_or_five(world):
    ids = []
    for n in range(5):
        patient = world.patient if n == 0 else make_patient(world.physio, employer=world.employer)
        write_plan(make_program(patient))
        ids.append(patient.pk)
    with CaptureQueriesContext(connection) as one:
        assert len(rtw_share_for(ids[:1])) == 1
    with CaptureQueriesContext(connection) as five:
        assert len(rtw_share_for(ids)) == 5
    assert len(one) == len(five) == 3
