"""The audit trail: what was done to which record and why (``AuditEvent``), and who looked
at which patient's data (``AccessEvent``, in ``rtw.models.access``). Both are append-only:
the model, its querysets and Django admin refuse to change or delete a row, and a
database trigger (migration ``rtw.0003``) refuses an UPDATE or DELETE however it is sent."""

from collections.abc import Iterable
from typing import Any, NoReturn, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from rtw import revisions
from rtw.audit_tracking import current

APPEND_ONLY = "Audit records are append-only."

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Rows may be added (``create``, ``bulk_create``), never changed or removed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(APPEND_ONLY)


class EventKind(models.TextChoices):
    # A named use-case event written by a service (``rtw.audit.record``): it carries the
    # clinician's reason for an override.
    ACTION = "action", "Action"
    # One row created, updated or deleted, however the ORM did it (``rtw.audit_tracking``).
    CHANGE = "change", "Record change"


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    def bulk_create(
        self, objs: Iterable["AuditEvent"], *args: Any, **kwargs: Any
    ) -> list["AuditEvent"]:
        """Events made elsewhere (a batch job's) join the current operation too."""
        events = list(objs)
        ctx = current()
        if ctx is not None:
            for event in events:
                event.operation = event.operation or ctx.operation
                event.source = event.source or ctx.source_text()
        created = super().bulk_create(events, *args, **kwargs)
        revisions.changed(revisions.touched(events, self.db), using=self.db)
        return created


class AuditEvent(AppendOnly):
    """Who did what to which record, when, and why. Append-only.

    The named event of a service and the row changes it made share ``operation`` (one per
    request, task or ``audit.acting`` block), which is how the audit log shows a row
    change with the reason given for it.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=8, choices=EventKind.choices, default=EventKind.ACTION)
    actor = models.ForeignKey(
        "rtw.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    # Indexed with created_at (Meta.indexes), which serves lookups by clinic alone too.
    clinic = models.ForeignKey(
        "rtw.Clinic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=64)
    # For a change: how the ORM wrote it (save, update, bulk_create, bulk_update, delete…).
    method = models.CharField(max_length=16, blank=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    # The patient whose record this is, as a plain value: the trail outlives the patient.
    patient_uuid = models.UUIDField(null=True, blank=True)
    before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    operation = models.UUIDField(null=True, blank=True, db_index=True)
    # "web POST programs:item_edit", "task reports.render": never a raw path (tokens).
    source = models.CharField(max_length=120, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Each index is paid on every insert (the weekly batch writes thousands): no second
        # index on the clinic, and none for LIKE on the action (the log filters with ILIKE).
        indexes = [
            models.Index(fields=["action"], name="rtw_audit_action_idx"),
            models.Index(fields=["clinic", "-created_at"]),
            models.Index(fields=["patient_uuid", "-created_at"], name="rtw_audit_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        using = self._state.db or "default"
        revisions.changed(revisions.touched([self], using), using=using)
