"""Every create, update and delete of a tracked record is in the audit trail with its values
before and after, however the ORM did it: instance save, queryset update, bulk_update,
bulk_create, instance or queryset delete and the cascades they set off."""

import json
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patients.models import Patient
from programs.models import Week, WeekItem, WeekStatus
from rtw import audit
from rtw.audit_tracking import PARENT, ROOTS
from rtw.models import AuditEvent, EventKind, User
from tests.audit.conftest import LABELS, Record, changes_of
from tests.conftest import World
from tests.factories import make_job_profile

TRACKED = sorted({*PARENT, *ROOTS})

# For each tracked model: a field to change and its new value.
CHANGE: dict[str, tuple[str, Any]] = {
    "patients.patient": ("job_title", "Forklift driver"),
    "patients.consent": ("share_reports", False),
    "assessments.assessment": ("notes", "Reassess in two weeks."),
    "assessments.questionnaireresponse": ("band", "changed band"),
    "programs.program": ("description", "Now with a carry drill."),
    "programs.phase": ("goals", "Posture and core"),
    "programs.prescription": ("tempo", "2-0-2"),
    "programs.week": ("planned_sessions", 4),
    "programs.weekitem": ("override_reason", "Sore after the weekend"),
    "programs.sessionlog": ("notes", "Felt strong"),
    "programs.sessionitem": ("reps", 9),
    "programs.rtwplan": ("accommodation_notes", "A trolley for cartons."),
    "programs.rtwstep": ("duties", "Packing only"),
    "programs.rtwrestriction": ("note", "No pallets"),
    "rtw.report": ("error", "Printer on fire"),
    "rtw.user": ("first_name", "Renamed"),
    "rtw.invitation": ("used_at", timezone.now()),
}

# Children first: deleting a model's row needs the rows that protect it gone before.
DELETE_ORDER = [
    "rtw.report",
    "programs.sessionitem",
    "programs.sessionlog",
    "programs.weekitem",
    "programs.week",
    "programs.rtwstep",
    "programs.rtwrestriction",
    "programs.rtwplan",
    "programs.prescription",
    "programs.phase",
    "programs.program",
    "assessments.questionnaireresponse",
    "assessments.assessment",
    "patients.consent",
    "patients.patient",
    "rtw.invitation",
    "rtw.user",
]


def model_of(obj: Any) -> type[models.Model]:
    return type(obj)


def json_value(value: Any) -> Any:
    """A value as the event's JSON holds it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_every_model_named_in_the_issue_is_tracked() -> None:
    assert set(TRACKED) == set(LABELS) == set(CHANGE)


def test_an_instance_save_records_only_the_changed_fields_before_and_after(record: Record):
    consent = record.consent
    consent.share_capacity = False
    consent.save()
    event = changes_of(consent, "update")[-1]
    assert (event.before, event.after, event.method) == (
        {"share_capacity": True},
        {"share_capacity": False},
        "save",
    )


def test_a_save_that_changes_nothing_writes_no_event(record: Record):
    events = AuditEvent.objects.count()
    record.patient.save()
    assert AuditEvent.objects.count() == events


def test_creating_a_row_records_all_its_values(world: World):
    patient = world.patient
    created = changes_of(patient, "create")
    assert len(created) == 1
    assert created[0].after["job_title"] == patient.job_title
    assert created[0].patient_uuid == patient.uuid
    assert created[0].clinic_id == world.clinic.pk


@pytest.mark.parametrize("label", TRACKED)
def test_a_queryset_update_is_recorded_with_before_and_after(record: Record, label: str):
    obj = record.row(label)
    name, new = CHANGE[label]
    old = getattr(obj, name)
    model_of(obj).objects.filter(pk=obj.pk).update(**{name: new})  # type: ignore[attr-defined]
    event = changes_of(obj, "update")[-1]
    assert event.method == "update"
    assert event.before == {name: json_value(old)}
    assert event.after == {name: json_value(new)}
    assert event.clinic_id == record.patient.clinic_id


@pytest.mark.parametrize("label", TRACKED)
def test_a_bulk_update_is_recorded_with_before_and_after(record: Record, label: str):
    obj = record.row(label)
    name, new = CHANGE[label]
    old = getattr(obj, name)
    setattr(obj, name, new)
    model_of(obj).objects.bulk_update([obj], [name])  # type: ignore[attr-defined]
    event = changes_of(obj, "update")[-1]
    assert event.method == "bulk_update"
    assert event.before == {name: json_value(old)}
    assert name in event.after


@pytest.mark.parametrize("label", TRACKED)
def test_a_queryset_delete_is_recorded_with_the_values_before(record: Record, label: str):
    for earlier in DELETE_ORDER[: DELETE_ORDER.index(label)]:
        row = record.row(earlier)
        model_of(row).objects.filter(pk=row.pk).delete()  # type: ignore[attr-defined]
    obj = record.row(label)
    name, _ = CHANGE[label]
    model_of(obj).objects.filter(pk=obj.pk).delete()  # type: ignore[attr-defined]
    assert not model_of(obj).objects.filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
    (event,) = changes_of(obj, "delete")
    assert event.before[name] == json_value(getattr(obj, name))
    assert event.after == {}


def _fresh_copy(record: Record, label: str) -> Any:
    """An unsaved row like the record's, with its unique values made unique."""
    obj = record.row(label)
    model = model_of(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    values.pop("id")
    for f in model._meta.concrete_fields:
        if f.name == "uuid":
            values["uuid"] = uuid4()
    extra: dict[str, dict[str, Any]] = {
        "patients.consent": {"withdrawn_on": values.get("given_on")},
        "programs.phase": {"order": 99},
        "programs.prescription": {"phase_id": record.phase.pk, "order": 99},
        "programs.week": {"index": 99, "status": WeekStatus.CLOSED},
        "programs.rtwstep": {"order": 99},
        "programs.rtwrestriction": {"order": 99},
        "rtw.report": {"number": 99},
        "rtw.user": {"email": "copy@example.test"},
        "rtw.invitation": {"token_hash": "0" * 64},
    }
    values.update(extra.get(label, {}))
    return model(**values)


BULK_CREATABLE = [
    label
    for label in TRACKED
    # One row per parent (a plan per program), or one per pair: copied elsewhere below.
    if label
    not in {
        "programs.rtwplan",
        "programs.prescription",
        "programs.weekitem",
        "programs.sessionitem",
        "assessments.questionnaireresponse",
    }
]


@pytest.mark.parametrize("label", BULK_CREATABLE)
def test_a_bulk_create_is_recorded_with_the_new_values(record: Record, label: str):
    copy = _fresh_copy(record, label)
    (created,) = model_of(copy).objects.bulk_create([copy])  # type: ignore[attr-defined]
    (event,) = changes_of(created, "create")
    assert event.method == "bulk_create"
    assert event.before == {}
    name, _ = CHANGE[label]
    assert name in event.after
    assert event.clinic_id == record.patient.clinic_id


def test_bulk_created_weeks_and_items_carry_their_patient(record: Record):
    week = _fresh_copy(record, "programs.week")
    (created,) = Week.objects.bulk_create([week])
    item = WeekItem(
        **{
            f.attname: getattr(record.week_item, f.attname)
            for f in WeekItem._meta.concrete_fields
            if f.name != "id"
        }
    )
    item.week = created
    WeekItem.objects.bulk_create([item])
    for row in (created, item):
        (event,) = changes_of(row, "create")
        assert event.patient_uuid == record.patient.uuid


def _weeks(record: Record, n: int, start: int) -> list[Week]:
    weeks = []
    for i in range(n):
        week = _fresh_copy(record, "programs.week")
        week.index = start + i
        week.start_date = record.week.start_date + timedelta(days=7 * (start + i))
        weeks.append(week)
    return weeks


def test_a_bulk_create_of_many_rows_writes_its_audit_in_one_insert(record: Record):
    with CaptureQueriesContext(connection) as one:
        Week.objects.bulk_create(_weeks(record, 1, 100))
    # 40: few enough that Django sends each table's rows in one statement on SQLite too.
    with CaptureQueriesContext(connection) as many:
        Week.objects.bulk_create(_weeks(record, 40, 200))
    assert len(many) == len(one)
    inserts = [q for q in many.captured_queries if "rtw_auditevent" in q["sql"]]
    assert len(inserts) == 1
    assert AuditEvent.objects.filter(target_type="programs.week", action="create").count() >= 41


def test_a_queryset_update_takes_one_select_one_update_and_one_insert(record: Record):
    weeks = Week.objects.bulk_create(_weeks(record, 30, 100))
    with CaptureQueriesContext(connection) as queries:
        Week.objects.filter(pk__in=[w.pk for w in weeks]).update(status=WeekStatus.CANCELLED)
    kinds = [q["sql"].split()[0] for q in queries.captured_queries]
    assert kinds == ["SELECT", "UPDATE", "INSERT"]
    events = AuditEvent.objects.filter(method="update", target_type="programs.week")
    assert events.count() == 30
    assert {e.after["status"] for e in events} == {"cancelled"}


def test_a_queryset_delete_with_cascades_writes_one_insert(record: Record):
    week = record.week
    items = list(WeekItem.objects.filter(week=week).values_list("pk", flat=True))
    record.session.delete()  # session items protect the week items
    with CaptureQueriesContext(connection) as queries:
        Week.objects.filter(pk=week.pk).delete()
    inserts = [q for q in queries.captured_queries if "rtw_auditevent" in q["sql"]]
    assert len(inserts) == 1
    deleted = AuditEvent.objects.filter(action="delete", target_type="programs.weekitem")
    assert sorted(int(e.target_id) for e in deleted) == sorted(items)
    assert {e.patient_uuid for e in deleted} == {record.patient.uuid}


def test_an_expression_update_records_the_value_it_stored(record: Record):
    Week.objects.filter(pk=record.week.pk).update(planned_sessions=F("planned_sessions") + 1)
    event = changes_of(record.week, "update")[-1]
    assert event.after["planned_sessions"] == event.before["planned_sessions"] + 1


def test_a_set_null_cascade_is_recorded(world: World):
    profile = make_job_profile(world.clinic, world.employer)
    Patient.objects.filter(pk=world.patient.pk).update(job_profile=profile)
    profile_id = profile.pk
    profile.delete()
    event = changes_of(world.patient, "update")[-1]
    assert (event.before, event.after) == ({"job_profile": profile_id}, {"job_profile": None})


def test_actor_and_reason_come_from_the_acting_context(record: Record, world: World):
    with audit.acting(world.physio, reason="Worker asked for fewer sessions"):
        Week.objects.filter(pk=record.week.pk).update(planned_sessions=2)
    event = changes_of(record.week, "update")[-1]
    assert event.actor_id == world.physio.pk
    assert event.actor_role == "physiotherapist"
    assert event.reason == "Worker asked for fewer sessions"


def test_a_celery_task_writes_as_the_system_with_the_task_name(record: Record):
    from celery import shared_task

    @shared_task(name="tests.audit.rename")
    def rename(pk: int) -> None:
        User.objects.filter(pk=pk).update(first_name="Task")

    rename.apply(args=(record.user.pk,))
    event = changes_of(record.user, "update")[-1]
    assert event.actor_id is None
    assert event.source == "task tests.audit.rename"


def test_the_named_event_and_the_row_changes_of_one_operation_share_it(record: Record, world):
    with audit.acting(world.physio):
        record.rtw_step.duties = "Packing and light picking"
        record.rtw_step.save()
        audit.record(actor=world.physio, action="rtw_plan.saved", target=record.rtw_plan)
    named = AuditEvent.objects.get(action="rtw_plan.saved")
    row = changes_of(record.rtw_step, "update")[-1]
    assert named.operation == row.operation is not None
    assert named.kind == EventKind.ACTION
    assert named.patient_uuid == row.patient_uuid == record.patient.uuid


def test_a_locked_queryset_update_is_recorded(record: Record):
    from django.db import transaction

    from programs.models import Program

    with transaction.atomic():
        rows = Program.objects.select_for_update().filter(pk=record.program.pk)
        rows.update(description="Locked while changed")
    assert changes_of(record.program, "update")[-1].after == {"description": "Locked while changed"}
