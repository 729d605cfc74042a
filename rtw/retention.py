"""The data retention policy (README, "Data retention"): what is due for deletion on a
given day, and deleting it.

The ``due_*`` functions only compute, given ``today`` (or ``now``); nothing here reads the
clock. ``apply`` deletes what is due, or with ``dry_run`` only counts it. The Celery task
``retention.apply`` (``rtw.tasks``) runs it daily; ``manage.py apply_retention`` by hand.

Periods come from settings (``RETENTION_*``, from the environment).
"""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from assessments.models import Assessment
from patients.export import PATIENT_TABLES, rows_of
from patients.models import Patient, PatientStatus
from programs.models import Program, SessionLog
from rtw import audit
from rtw.models import AccessEvent, AuditEvent, Invitation, Report

logger = logging.getLogger(__name__)

# The audit event written for each patient the policy deletes: ids only.
DELETED = "patient.deleted_by_retention"


@dataclass(frozen=True)
class Policy:
    clinical_years: int
    audit_years: int
    invitation_days: int

    @classmethod
    def from_settings(cls) -> "Policy":
        policy = cls(
            clinical_years=settings.RETENTION_CLINICAL_YEARS,
            audit_years=settings.RETENTION_AUDIT_YEARS,
            invitation_days=settings.RETENTION_INVITATION_DAYS,
        )
        if min(policy.clinical_years, policy.audit_years, policy.invitation_days) < 1:
            raise ImproperlyConfigured("Every RETENTION_* period must be at least 1.")
        return policy


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _latest(model: type[models.Model], column: str, to_patient: str) -> Subquery:
    rows = model._default_manager.filter(**{to_patient: OuterRef("pk")}).order_by(f"-{column}")
    return Subquery(rows.values(column)[:1], output_field=DateTimeField())


def due_patients(today: date, policy: Policy) -> QuerySet[Patient]:
    """Discharged patients whose record has not changed for ``clinical_years``.

    There is no separate discharge date: discharging saves the record, so its last change
    is the discharge or later. The latest assessment, program change, session and report
    count too, so a record is never deleted sooner than the policy says.
    """
    cutoff = start_of(years_before(today, policy.clinical_years))
    last_change = Greatest(
        F("updated_at"),
        *(
            Coalesce(_latest(model, column, lookup), F("updated_at"))
            for model, column, lookup in (
                (Assessment, "updated_at", "patient"),
                (Program, "updated_at", "patient"),
                (SessionLog, "created_at", "week__program__patient"),
                (Report, "created_at", "patient"),
            )
        ),
    )
    return (
        Patient.objects.filter(status=PatientStatus.DISCHARGED)
        .annotate(last_change=last_change)
        .filter(last_change__lt=cutoff)
    )


def due_invitations(now: datetime, policy: Policy) -> QuerySet[Invitation]:
    """Invitations never accepted, expired more than ``invitation_days`` ago."""
    return Invitation.objects.filter(
        used_at__isnull=True, expires_at__lt=now - timedelta(days=policy.invitation_days)
    )


def sessions_in_database() -> bool:
    return settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    )


def due_sessions(now: datetime) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lt=now)


# --- audit and access events: kept, then purged by the operator ------------------------

# The append-only triggers of migration rtw.0003, which refuse any UPDATE or DELETE.
AUDIT_TABLES = ("rtw_auditevent", "rtw_accessevent")


@dataclass(frozen=True)
class AuditBatch:
    """The audit trail of one patient deleted more than ``audit_years`` ago."""

    audit: Q
    access: Q


def _batch(event: Mapping[str, Any]) -> AuditBatch:
    """Everything stamped with the patient's uuid, the deletion's own row, and (written
    before the trail carried the uuid) the events whose target was one of the records."""
    legacy = Q()
    for label, ids in event["after"].get("deleted", {}).items():
        legacy |= Q(target_type=label, target_id__in=[str(i) for i in ids])
    audit = Q(pk=event["pk"])
    if legacy:  # an empty Q() would match every event without a uuid
        audit |= Q(patient_uuid__isnull=True) & legacy
    access = Q(pk__in=[])
    if event["patient_uuid"] is not None:
        audit |= Q(patient_uuid=event["patient_uuid"])
        access = Q(patient_uuid=event["patient_uuid"])
    return AuditBatch(audit=audit, access=access)


def due_audit_batches(today: date, policy: Policy) -> list[AuditBatch]:
    """For each patient deleted more than ``audit_years`` ago, their audit and access
    events: one batch each."""
    cutoff = start_of(years_before(today, policy.audit_years))
    gone = AuditEvent.objects.filter(action=DELETED, created_at__lt=cutoff).order_by("pk")
    return [_batch(event) for event in gone.values("pk", "after", "patient_uuid")]


def _rows(model: type[models.Model], match: Q) -> QuerySet[Any]:
    # A plain QuerySet: the models' own querysets refuse delete() so that no code path
    # removes history by accident. The database triggers refuse it too, unless lifted.
    rows: QuerySet[Any] = models.QuerySet(model=model)
    return rows.filter(match)


def count_due_audit(today: date, policy: Policy) -> tuple[int, int]:
    audit = access = 0
    for batch in due_audit_batches(today, policy):
        audit += _rows(AuditEvent, batch.audit).count()
        access += _rows(AccessEvent, batch.access).count()
    return audit, access


@contextmanager
def _append_only_lifted() -> Iterator[None]:
    """Inside the caller's transaction, let this connection delete audit rows: on
    PostgreSQL the triggers are disabled (transactional DDL: a rollback restores them, and
    other sessions wait on the table lock until the commit); on SQLite the unlock row that
    ``flush`` uses is held. Needs the table owner's rights on PostgreSQL."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # ALTER TABLE refuses a table with deferred foreign-key checks still pending
            # in this transaction: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        else:
            cursor.execute("INSERT INTO rtw_audit_unlock (flushing) VALUES (1)")
    yield
    with connection.cursor() as cursor:
        if postgres:
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DELETE FROM rtw_audit_unlock")


def purge_audit(today: date, policy: Policy) -> tuple[int, int]:
    """The operator procedure (README, "Data retention"): delete the audit and access
    events that are due, in one transaction. Never run by the daily task."""
    audit = access = 0
    with transaction.atomic(), _append_only_lifted():
        for batch in due_audit_batches(today, policy):
            access += _rows(AccessEvent, batch.access).delete()[0]
            audit += _rows(AuditEvent, batch.audit).delete()[0]
    return audit, access


@dataclass
class Outcome:
    today: date
    dry_run: bool
    patients: int = 0
    records: dict[str, int] = field(default_factory=dict)
    invitations: int = 0
    sessions: int | None = 0
    audit_events_due: int = 0
    access_events_due: int = 0

    def lines(self) -> list[str]:
        verb = "due" if self.dry_run else "deleted"
        lines = [f"Retention on {self.today:%Y-%m-%d} ({'dry run' if self.dry_run else 'applied'})"]
        lines.append(f"patients {verb}: {self.patients}")
        lines.extend(f"  {label} {verb}: {n}" for label, n in sorted(self.records.items()))
        lines.append(f"invitations {verb}: {self.invitations}")
        sessions = "not kept in the database" if self.sessions is None else self.sessions
        lines.append(f"expired sessions {verb}: {sessions}")
        lines.append(
            f"audit events due: {self.audit_events_due}, access events due: "
            f"{self.access_events_due} (append-only: kept until an operator runs "
            "'manage.py apply_retention --purge-audit')"
        )
        return lines


def _record_ids(patient_id: int) -> dict[str, list[int]]:
    return {
        model._meta.label_lower: sorted(rows_of(model, [patient_id]).values_list("pk", flat=True))
        for model, _ in PATIENT_TABLES
    }


def _delete_patient(patient_id: int, today: date, policy: Policy) -> dict[str, list[int]] | None:
    """Delete one patient's records, children first, in one transaction with its audit
    event. None when, once locked, the patient is no longer due (re-admitted, edited)."""
    with transaction.atomic():
        patient = Patient.objects.select_for_update().filter(pk=patient_id).first()
        if patient is None or not due_patients(today, policy).filter(pk=patient_id).exists():
            return None
        deleted = _record_ids(patient_id)
        for model, _ in PATIENT_TABLES:
            rows_of(model, [patient_id]).delete()
        audit.record(
            actor=None,
            action=DELETED,
            target=patient,
            clinic_id=patient.clinic_id,
            after={"deleted": deleted, "policy_years": policy.clinical_years},
        )
        return deleted


def apply(*, today: date, now: datetime, dry_run: bool = False) -> Outcome:
    """Delete (or with ``dry_run`` count) everything the policy says is due."""
    policy = Policy.from_settings()
    outcome = Outcome(today=today, dry_run=dry_run)

    for patient_id in list(due_patients(today, policy).values_list("pk", flat=True)):
        deleted = _record_ids(patient_id) if dry_run else _delete_patient(patient_id, today, policy)
        if deleted is None:
            continue
        outcome.patients += 1
        for label, ids in deleted.items():
            outcome.records[label] = outcome.records.get(label, 0) + len(ids)

    invitations = due_invitations(now, policy)
    outcome.invitations = invitations.count() if dry_run else invitations.delete()[0]

    if not sessions_in_database():
        outcome.sessions = None
        if not dry_run:  # the engine's own sweep, as clearsessions does
            import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    elif dry_run:
        outcome.sessions = due_sessions(now).count()
    else:
        outcome.sessions = due_sessions(now).delete()[0]

    outcome.audit_events_due, outcome.access_events_due = count_due_audit(today, policy)
    if outcome.audit_events_due or outcome.access_events_due:
        logger.info(
            "Retention: %s audit and %s access events are due for the operator's purge.",
            outcome.audit_events_due,
            outcome.access_events_due,
        )
    return outcome
