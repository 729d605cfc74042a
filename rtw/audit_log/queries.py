"""The audit log's rows: change and action events and access events of one clinic, newest
first, 50 a page, in a fixed number of queries whatever the page holds.

A pure clinic admin sees who did what to which record, the names of the fields changed,
and who looked at whose data, but not clinical values or the clinical reasons given for
an override (the design: admins do not read clinical detail unless also physiotherapists).
Account records (staff, invitations) are theirs to manage, so those values show.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, F, QuerySet, Value
from django.utils import timezone
from django.utils.text import capfirst

from patients.models import Patient
from rtw.audit_log.forms import SYSTEM
from rtw.models import AccessEvent, AuditEvent, EventKind, Role, User

PER_PAGE = 50
ACCESS = "access"
# Records a clinic admin manages: their values are shown to admins.
ACCOUNT_TYPES = frozenset({"rtw.user", "rtw.invitation", "rtw.employer", "rtw.clinic"})
HIDDEN = "hidden"

# What a page or download that logged an access shows, in words.
WHAT = {
    "patients:detail": "Patient page",
    "patients:edit": "Patient edit form",
    "patients:consent_record": "Consent form",
    "patients:consent_withdraw": "Consent withdrawal form",
    "patients:export": "Export of the patient's data",
    "patients:restrict_sharing": "Sharing restriction form",
    "assessments:new": "New assessment form",
    "assessments:detail": "Assessment",
    "assessments:edit": "Assessment edit form",
    "programs:patient_programs": "Programs list",
    "programs:create": "New program form",
    "programs:detail": "Program page",
    "programs:settings": "Program settings",
    "programs:plan": "Week plan",
    "programs:phase_edit": "Phase",
    "programs:prescription_add": "New prescription form",
    "programs:prescription_edit": "Prescription",
    "programs:item_edit": "Week item",
    "programs:log_session": "Session log form",
    "programs:phase_change": "Phase change",
    "programs:rtw": "Return-to-work plan",
    "programs:rtw_edit": "Return-to-work plan edit form",
    "reports:patient_reports": "Reports list",
    "reports:download": "Report download (PDF)",
    "employer:dashboard": "Employer dashboard",
    "employer:worker": "Employer's worker page",
    "audit:patient_access": "Who saw this patient's data",
    "audit:patient_access_csv": "Who saw this patient's data (CSV)",
}
ACTIONS = {"create": "Created", "update": "Changed", "delete": "Deleted"}
# How the ORM wrote a change, when it was not one record saved on its own.
METHODS = {
    "save": "",
    "update": "by a query update",
    "bulk_update": "by a bulk update",
    "bulk_create": "by a bulk create",
    "delete": "",
    "cascade": "with the record it belonged to",
    "raw": "loaded from a fixture",
}


def what_label(code: str) -> str:
    return WHAT.get(code, code)


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    actor: str = ""
    action: str = ""
    target: str = ""
    patient: UUID | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_cleaned(cls, cleaned: Mapping[str, Any]) -> "Filters":
        patient = cleaned.get("patient") or None
        return cls(
            kind=cleaned.get("kind") or "",
            actor=cleaned.get("actor") or "",
            action=(cleaned.get("action") or "").strip(),
            target=cleaned.get("target") or "",
            patient=UUID(patient) if patient else None,
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
        )


def _clinic(user: User) -> int:
    """The user's clinic (clinic staff always have one; 0 matches nothing)."""
    return user.clinic_id or 0


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _dated(events: QuerySet[Any], filters: Filters) -> QuerySet[Any]:
    if filters.date_from:
        events = events.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events


def change_events(user: User, filters: Filters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(clinic_id=_clinic(user))
    if filters.kind in (EventKind.CHANGE, EventKind.ACTION):
        events = events.filter(kind=filters.kind)
    if filters.actor == SYSTEM:
        events = events.filter(actor__isnull=True)
    elif filters.actor:
        events = events.filter(actor_id=int(filters.actor))
    if filters.action:
        events = events.filter(action__icontains=filters.action)
    if filters.target:
        events = events.filter(target_type=filters.target)
    if filters.patient:
        events = events.filter(patient_uuid=filters.patient)
    return _dated(events, filters)


def access_events(user: User, filters: Filters) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.filter(patient_clinic_id=_clinic(user))
    if filters.actor == SYSTEM or filters.target not in ("", "patients.patient"):
        return events.none()
    if filters.actor:
        events = events.filter(actor_id=int(filters.actor))
    if filters.action:
        events = events.filter(what__icontains=filters.action)
    if filters.patient:
        events = events.filter(patient_uuid=filters.patient)
    return _dated(events, filters)


# Both tables as the same columns, so that one UNION query pages through them.
COLUMNS = ("e_at", "e_id", "e_kind", "e_actor", "e_role", "e_action", "e_type", "e_target",
           "e_patient", "e_reason", "e_operation", "e_method")  # fmt: skip


def _change_columns(events: QuerySet[AuditEvent]) -> QuerySet[Any]:
    return (
        events.annotate(
            e_at=F("created_at"),
            e_id=F("id"),
            e_kind=F("kind"),
            e_actor=F("actor_id"),
            e_role=F("actor_role"),
            e_action=F("action"),
            e_type=F("target_type"),
            e_target=F("target_id"),
            e_patient=F("patient_uuid"),
            e_reason=F("reason"),
            e_operation=F("operation"),
            e_method=F("method"),
        )
        .order_by()
        .values(*COLUMNS)
    )


def _access_columns(events: QuerySet[AccessEvent]) -> QuerySet[Any]:
    text: CharField[Any, Any] = CharField()
    return (
        events.annotate(
            e_at=F("created_at"),
            e_id=F("id"),
            e_kind=Value(ACCESS, output_field=text),
            e_actor=F("actor_id"),
            e_role=F("actor_role"),
            e_action=F("what"),
            e_type=Value("patients.patient", output_field=text),
            e_target=F("object_ref"),
            e_patient=F("patient_uuid"),
            e_reason=Value("", output_field=text),
            e_operation=F("operation"),
            e_method=Value("", output_field=text),
        )
        .order_by()
        .values(*COLUMNS)
    )


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Row:
    at: datetime
    kind: str
    kind_label: str
    actor: User | None
    role: str
    action: str
    target_type: str
    target_label: str
    target_id: str
    patient_uuid: UUID | None
    patient_name: str
    reason: str
    reason_from: str
    method: str
    changes: list[Change] = field(default_factory=list)
    masked: bool = False


@dataclass
class Page:
    rows: list[Row]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(user: User, filters: Filters, number: int) -> Page:
    parts = []
    if filters.kind in ("", EventKind.CHANGE, EventKind.ACTION):
        parts.append(_change_columns(change_events(user, filters)))
    if filters.kind in ("", ACCESS):
        parts.append(_access_columns(access_events(user, filters)))
    events = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    start = (number - 1) * PER_PAGE
    found = list(events.order_by("-e_at", "-e_id")[start : start + PER_PAGE + 1])
    return Page(rows=_rows(user, found[:PER_PAGE]), number=number, has_next=len(found) > PER_PAGE)


def _rows(user: User, found: Sequence[Mapping[str, Any]]) -> list[Row]:
    """The page's rows, with what the union leaves out: one query each for the events'
    values, the people, the reasons given in the same operation and the patients' names."""
    changes = [e["e_id"] for e in found if e["e_kind"] != ACCESS]
    values = {
        pk: (before, after)
        for pk, before, after in AuditEvent.objects.filter(pk__in=changes).values_list(
            "pk", "before", "after"
        )
    }
    actor_ids = {e["e_actor"] for e in found if e["e_actor"] is not None}
    actors = User.objects.select_related("clinic", "employer").in_bulk(actor_ids)
    reasons = _reasons(user, [e for e in found if e["e_kind"] == EventKind.CHANGE])
    patient_ids = {e["e_patient"] for e in found if e["e_patient"] is not None}
    names = {
        p["uuid"]: f"{p['first_name']} {p['last_name']}"
        for p in Patient.objects.filter(clinic_id=_clinic(user), uuid__in=patient_ids).values(
            "uuid", "first_name", "last_name"
        )
    }
    labels: dict[str, str] = {}
    return [_row(user, e, values, actors, reasons, names, labels) for e in found]


def _reasons(
    user: User, changes: Iterable[Mapping[str, Any]]
) -> dict[tuple[Any, ...], tuple[str, str]]:
    """For row changes without a reason of their own: the reason of the named event of the
    same operation, about the same record if there is one, else the operation's only one."""
    operations = {e["e_operation"] for e in changes if not e["e_reason"] and e["e_operation"]}
    named = AuditEvent.objects.filter(
        clinic_id=_clinic(user), kind=EventKind.ACTION, operation__in=operations
    ).exclude(reason="")
    found: dict[tuple[Any, ...], tuple[str, str]] = {}
    per_operation: dict[Any, set[tuple[str, str]]] = {}
    for op, target_type, target_id, action, reason in named.values_list(
        "operation", "target_type", "target_id", "action", "reason"
    ):
        found[(op, target_type, target_id)] = (reason, action)
        per_operation.setdefault(op, set()).add((reason, action))
    for op, given in per_operation.items():
        if len(given) == 1:
            found[(op,)] = next(iter(given))
    return found


def _row(
    user: User,
    e: Mapping[str, Any],
    values: Mapping[int, tuple[Any, Any]],
    actors: Mapping[int, User],
    reasons: Mapping[tuple[Any, ...], tuple[str, str]],
    names: Mapping[UUID, str],
    labels: dict[str, str],
) -> Row:
    kind = e["e_kind"]
    masked = not user.is_clinician and kind != ACCESS and e["e_type"] not in ACCOUNT_TYPES
    reason, reason_from = e["e_reason"], ""
    if kind == EventKind.CHANGE and not reason:
        op = e["e_operation"]
        reason, reason_from = reasons.get(
            (op, e["e_type"], e["e_target"]), reasons.get((op,), ("", ""))
        )
    if masked and reason:
        reason = HIDDEN
    # Access rows come from another table: their ids are not audit events' ids.
    before, after = ({}, {}) if kind == ACCESS else values.get(e["e_id"], ({}, {}))
    return Row(
        at=e["e_at"],
        kind=kind,
        kind_label={"change": "Change", "action": "Action", ACCESS: "Viewed"}.get(kind, kind),
        actor=actors.get(e["e_actor"]) if e["e_actor"] is not None else None,
        role=str(Role(e["e_role"]).label) if e["e_role"] in Role.values else e["e_role"],
        action=what_label(e["e_action"])
        if kind == ACCESS
        else ACTIONS.get(e["e_action"], e["e_action"]),
        target_type=e["e_type"],
        target_label=_model_label(e["e_type"], labels),
        target_id=e["e_target"],
        patient_uuid=e["e_patient"],
        patient_name=names.get(e["e_patient"], "") if e["e_patient"] else "",
        reason=reason,
        reason_from=reason_from,
        method=METHODS.get(e["e_method"], e["e_method"]),
        changes=_changes(e["e_type"], before or {}, after or {}, masked),
        masked=masked,
    )


def _model_label(label: str, labels: dict[str, str]) -> str:
    if label not in labels:
        try:
            labels[label] = str(apps.get_model(label)._meta.verbose_name).capitalize()
        except (LookupError, ValueError):
            labels[label] = label
    return labels[label]


def _changes(
    target_type: str, before: Mapping[str, Any], after: Mapping[str, Any], masked: bool
) -> list[Change]:
    names = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            field=_field_label(target_type, name),
            before=HIDDEN
            if masked and name in before
            else shown(before.get(name, None), name in before),
            after=HIDDEN
            if masked and name in after
            else shown(after.get(name, None), name in after),
        )
        for name in names
    ]


def _field_label(target_type: str, name: str) -> str:
    try:
        return capfirst(str(apps.get_model(target_type)._meta.get_field(name).verbose_name))
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return capfirst(name.replace("_", " "))


def shown(value: Any, present: bool = True) -> str:
    if not present or value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        text = json.dumps(value, default=str, ensure_ascii=False)
        return text if len(text) <= 300 else text[:299] + "…"
    return str(value)
