"""The retention policy: a discharged patient's records go 8 years after discharge, with
an audit event (ids only); the audit events about them go 8 years after that; stale
invitations and expired sessions go; active patients never do. Periods come from
settings; a dry run changes nothing."""

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, models, transaction
from django.test import override_settings
from django.utils import timezone

from assessments.models import Assessment
from patients import export
from patients.models import Patient
from patients.services import discharge_patient
from rtw import retention
from rtw.celery import app as celery_app
from rtw.models import AccessEvent, AuditEvent, Invitation
from rtw.models.invitations import hash_token, new_token
from tests.conftest import World, client_for
from tests.rights.builders import full_record

LONDON = ZoneInfo("Europe/London")
DISCHARGED_ON = date(2026, 10, 30)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


@pytest.fixture
def travel() -> Any:
    def go(day: date) -> Any:
        return time_machine.travel(noon(day), tick=False)

    return go


def _discharged(world: World, travel: Any, name: str, on: date) -> Patient:
    with travel(DISCHARGED_ON):
        patient = full_record(world.physio, world.employer, last_name=name)
    with travel(on):
        discharge_patient(acting_user=world.physio, patient=patient)
    return patient


def _apply(day: date, *, dry_run: bool = False) -> retention.Outcome:
    return retention.apply(today=day, now=noon(day), dry_run=dry_run)


def _held(patient_id: int) -> dict[str, int]:
    return {
        model._meta.label_lower: export.rows_of(model, [patient_id]).count()
        for model, _ in export.PATIENT_TABLES
    }


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


EIGHT_YEARS_AND_A_DAY = date(2034, 10, 31)  # DISCHARGED_ON + 8 years + 1 day


def _ids(patient_id: int) -> dict[str, list[int]]:
    return {
        model._meta.label_lower: sorted(
            export.rows_of(model, [patient_id]).values_list("pk", flat=True)
        )
        for model, _ in export.PATIENT_TABLES
    }


def test_a_patient_discharged_eight_years_and_a_day_ago_is_deleted_with_everything_about_them(
    world: World, travel: Any
) -> None:
    gone = _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    kept = _discharged(world, travel, "Newbury", DISCHARGED_ON + timedelta(days=2))
    kept_before = _held(kept.pk)
    records = _ids(gone.pk)

    with travel(EIGHT_YEARS_AND_A_DAY):
        outcome = _apply(EIGHT_YEARS_AND_A_DAY)

    assert outcome.patients == 1
    assert set(_held(gone.pk).values()) == {0}
    assert _held(kept.pk) == kept_before
    assert outcome.records["rtw.report"] == 2 and outcome.records["programs.week"] == 4
    event = AuditEvent.objects.get(action=retention.DELETED)
    assert (event.actor, event.target_id, event.clinic_id) == (None, str(gone.pk), gone.clinic_id)
    assert event.after["deleted"] == records  # every record, by table: ids only
    text = str(event.after) + event.reason
    assert "Oldfield" not in text and str(gone.uuid) not in text


def test_a_patient_discharged_eight_years_less_a_day_ago_is_kept(world: World, travel: Any) -> None:
    patient = _discharged(world, travel, "Recent", DISCHARGED_ON + timedelta(days=2))
    before = _held(patient.pk)
    with travel(EIGHT_YEARS_AND_A_DAY):
        assert _apply(EIGHT_YEARS_AND_A_DAY).patients == 0
    assert _held(patient.pk) == before


def test_active_patients_are_never_deleted(world: World, travel: Any) -> None:
    with travel(DISCHARGED_ON):
        patient = full_record(world.physio, world.employer, last_name="Active")
    before = _held(patient.pk)
    later = date(2060, 1, 1)
    with travel(later):
        assert _apply(later).patients == 0
    assert _held(patient.pk) == before


def test_a_later_assessment_of_a_discharged_patient_restarts_the_clock(
    world: World, travel: Any
) -> None:
    patient = _discharged(world, travel, "Returning", DISCHARGED_ON)
    with travel(DISCHARGED_ON + timedelta(days=30)):
        assessment = Assessment.objects.filter(patient=patient).first()
        assert assessment is not None
        assessment.save()  # a late correction touches updated_at
    with travel(EIGHT_YEARS_AND_A_DAY):
        assert _apply(EIGHT_YEARS_AND_A_DAY).patients == 0
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_a_dry_run_counts_what_is_due_and_changes_nothing(world: World, travel: Any) -> None:
    _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    _invitation(world, expired_days_ago=31)
    before = _counts()
    out = StringIO()
    with travel(EIGHT_YEARS_AND_A_DAY):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert _counts() == before
    text = out.getvalue()
    assert "dry run" in text
    assert "patients due: 1" in text and "rtw.report due: 2" in text
    assert "invitations due: 1" in text


def test_the_command_without_dry_run_deletes_and_says_so(world: World, travel: Any) -> None:
    gone = _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    out = StringIO()
    with travel(EIGHT_YEARS_AND_A_DAY):
        call_command("apply_retention", stdout=out)
    assert "patients deleted: 1" in out.getvalue()
    assert not Patient.objects.filter(pk=gone.pk).exists()


def _invitation(world: World, *, expired_days_ago: int, used: bool = False) -> Invitation:
    now = noon(EIGHT_YEARS_AND_A_DAY)
    return Invitation.objects.create(
        user=world.colleague,
        token_hash=hash_token(new_token()),
        expires_at=now - timedelta(days=expired_days_ago),
        used_at=now - timedelta(days=400) if used else None,
    )


def test_unaccepted_invitations_are_deleted_thirty_days_after_expiry(world: World) -> None:
    stale = _invitation(world, expired_days_ago=31)
    recent = _invitation(world, expired_days_ago=29)
    accepted = _invitation(world, expired_days_ago=365, used=True)
    assert _apply(EIGHT_YEARS_AND_A_DAY).invitations == 1
    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining and {recent.pk, accepted.pk} <= remaining


def test_expired_sessions_are_cleared(db: None) -> None:
    now = noon(EIGHT_YEARS_AND_A_DAY)
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=now + timedelta(1))
    assert _apply(EIGHT_YEARS_AND_A_DAY).sessions == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_audit_and_access_events_of_a_deleted_patient_are_kept_then_purged_by_the_operator(
    world: World, travel: Any
) -> None:
    gone = _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    with travel(DISCHARGED_ON):
        client_for(world.physio).get(f"/patients/{gone.uuid}/")  # an access event
        client_for(world.physio).get(f"/patients/{world.patient.uuid}/")
    trail = AuditEvent.objects.filter(patient_uuid=gone.uuid)
    seen = AccessEvent.objects.filter(patient_uuid=gone.uuid)
    assert trail.exists() and seen.exists()
    others = set(AuditEvent.objects.exclude(patient_uuid=gone.uuid).values_list("pk", flat=True))
    others_seen = AccessEvent.objects.exclude(patient_uuid=gone.uuid).count()
    with travel(EIGHT_YEARS_AND_A_DAY):
        _apply(EIGHT_YEARS_AND_A_DAY)  # the patient goes; their trail stays
    assert trail.filter(action=retention.DELETED).exists() and seen.exists()

    day_before = date(2042, 10, 30)  # the deletion + 8 years - 1 day
    with travel(day_before):
        outcome = _apply(day_before)
        call_command("apply_retention", "--purge-audit", stdout=StringIO())
    assert (outcome.audit_events_due, outcome.access_events_due) == (0, 0)
    assert trail.exists() and seen.exists()

    due = date(2042, 11, 1)
    with travel(due):
        outcome = _apply(due)
        assert outcome.audit_events_due == trail.count() and outcome.access_events_due == 1
        assert trail.exists(), "the daily task never deletes audit rows"
        out = StringIO()
        call_command("apply_retention", "--purge-audit", stdout=out)
    assert "access events deleted: 1" in out.getvalue()
    assert not trail.exists() and not seen.exists()
    assert others <= set(AuditEvent.objects.values_list("pk", flat=True))
    assert AccessEvent.objects.count() == others_seen
    _refused_to_delete_audit_rows()  # the purge put the triggers back


def _refused_to_delete_audit_rows() -> None:
    plain: Any = models.QuerySet(model=AuditEvent)
    with pytest.raises(DatabaseError), transaction.atomic():
        plain.all().delete()
    assert AuditEvent.objects.exists()


def test_the_append_only_triggers_still_refuse_deletions_outside_the_operator_purge(
    world: World,
) -> None:
    _refused_to_delete_audit_rows()


@override_settings(RETENTION_CLINICAL_YEARS=2)
def test_the_periods_come_from_settings(world: World, travel: Any) -> None:
    gone = _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    with travel(date(2028, 10, 31)):
        assert _apply(date(2028, 10, 31)).patients == 1
    assert not Patient.objects.filter(pk=gone.pk).exists()


@override_settings(RETENTION_AUDIT_YEARS=0)
def test_a_period_below_one_is_refused(db: None) -> None:
    with pytest.raises(Exception, match="at least 1"):
        _apply(EIGHT_YEARS_AND_A_DAY)


def test_the_policy_runs_daily_from_beat_as_a_registered_task(world: World, travel: Any) -> None:
    from django.conf import settings

    entry: dict[str, Any] = settings.CELERY_BEAT_SCHEDULE["retention-daily"]
    assert entry["task"] == "retention.apply"
    assert entry["schedule"].hour == {3}
    celery_app.loader.import_default_modules()
    task = celery_app.tasks["retention.apply"]
    gone = _discharged(world, travel, "Oldfield", DISCHARGED_ON)
    with travel(EIGHT_YEARS_AND_A_DAY):
        lines = task.apply().get()
    assert "patients deleted: 1" in lines
    assert not Patient.objects.filter(pk=gone.pk).exists()


def test_every_table_that_refers_to_a_patient_is_in_the_deletion_order(db: None) -> None:
    """A new model holding a patient's records must be added to PATIENT_TABLES (and so to
    the export and the retention task), or this fails."""
    listed = {model for model, _ in export.PATIENT_TABLES}
    audit_like: set[type[models.Model]] = {AuditEvent, AccessEvent}
    reached: set[type[models.Model]] = set()
    frontier: list[type[models.Model]] = [Patient]
    while frontier:
        model = frontier.pop()
        for rel in model._meta.related_objects:
            child = rel.related_model
            if child in reached or child in audit_like or not isinstance(child, type):
                continue
            reached.add(child)
            frontier.append(child)
    # Programs point to phases and phases to programs; the walk reaches both.
    assert reached - {Patient} <= listed, sorted(str(m) for m in reached - listed)


def test_years_before_handles_the_29th_of_february() -> None:
    assert retention.years_before(date(2028, 2, 29), 8) == date(2020, 2, 29)
    assert retention.years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert timezone.is_aware(retention.start_of(date(2030, 1, 1)))
