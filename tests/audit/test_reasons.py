"""Overrides carry the clinician's reason: on the service's named event, and shown beside
the row changes the same operation made."""

from datetime import timedelta

from assessments.models import Assessment
from programs import services
from programs.models import PhaseProposalStatus, WeekItem
from rtw import audit
from rtw.audit_log.queries import Filters, page_of
from rtw.models import AuditEvent, EventKind, Role
from tests.audit.conftest import Record, changes_of
from tests.conftest import World
from tests.factories import make_program, make_user
from tests.programs.helpers import MONDAY, end_of, log_week, physio_of, plan


def test_lowering_a_proposal_keeps_the_reason_with_the_changed_values(
    world: World, record: Record
) -> None:
    item = WeekItem.objects.get(pk=record.week_item.pk)
    with audit.acting(world.physio):
        services.change_item(
            acting_user=world.physio,
            item=item,
            sets=item.sets,
            reps=item.reps - 1,
            quantity=item.quantity,
            reason="Flare-up after a double shift",
            version=item.version,
        )
    named = AuditEvent.objects.get(action="week_item.lowered")
    change = changes_of(item, "update")[-1]
    assert named.reason == "Flare-up after a double shift"
    assert change.operation == named.operation
    assert change.after["reps"] == item.reps - 1
    assert change.after["override_reason"] == "Flare-up after a double shift"


def test_a_confirmed_phase_change_shows_why_beside_the_programs_new_phase(world: World) -> None:
    draft = make_program(world.patient)
    program = services.activate(acting_user=physio_of(draft), program=draft, today=MONDAY)
    first = plan(program, MONDAY).week
    log_week(program, first)
    Assessment.objects.create(
        patient=world.patient,
        kind="progress",
        assessed_on=MONDAY + timedelta(days=5),
        assessor=world.physio,
        nprs=2,
    )
    proposed = plan(program, end_of(first), accept=False).week
    assert proposed.phase_proposal_status == PhaseProposalStatus.PENDING
    with audit.acting(world.physio):
        services.decide_phase_change(
            acting_user=world.physio,
            week=proposed,
            confirm=True,
            version=proposed.version,
            today=end_of(first),
        )
    named = AuditEvent.objects.get(action="phase_change.confirmed")
    assert named.reason
    clinician_admin = make_user(Role.ADMIN_PHYSIOTHERAPIST, clinic=world.clinic)
    filters = Filters(kind=EventKind.CHANGE, target="programs.program", action="update")
    rows = page_of(clinician_admin, filters, 1).rows
    moved = next(r for r in rows if any(c.field == "Current phase" for c in r.changes))  # newest
    assert moved.reason == named.reason
    assert moved.reason_from == "phase_change.confirmed"


def test_a_row_change_made_for_a_given_reason_carries_it_itself(world: World) -> None:
    with audit.acting(world.physio, reason="Worker moved to the night shift"):
        world.patient.job_title = "Night picker"
        world.patient.save(update_fields=["job_title"])
    change = changes_of(world.patient, "update")[-1]
    assert change.reason == "Worker moved to the night shift"
    assert change.actor_id == world.physio.pk
