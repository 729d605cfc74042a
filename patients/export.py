"""Everything held about one patient, as machine-readable JSON plus their report PDFs
(GDPR art. 15 and 20).

Built from ``.values()`` reads: one query per table whatever the number of rows, each
filtered by the one patient, so nothing of another patient can enter the file (staff and
employers appear by id with their names only). The caller
(``patients.services.rights.export_patient``) checks who asks and writes the audit event.

``PATIENT_TABLES`` is the one list of the tables that hold a patient's records; the
retention task deletes through it in the same order.
"""

import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import Consent, JobDemandProfile, JobTask, Patient
from programs import rtw_rules
from programs.models import (
    Phase,
    Prescription,
    Program,
    ProgramCarry,
    RtwPlan,
    RtwRestriction,
    RtwStep,
    SessionItem,
    SessionLog,
    Week,
    WeekItem,
)
from rtw.models import AccessEvent, AuditEvent, Employer, Report, User

SCHEMA = "rtw.patient-export"
SCHEMA_VERSION = 1

# Every table holding a patient's records, children before parents (so that deleting in
# this order never meets a PROTECT), with the lookup from a row to its patient's id.
PATIENT_TABLES: tuple[tuple[type[models.Model], str], ...] = (
    (ProgramCarry, "program__patient_id"),
    (Report, "patient_id"),
    (SessionItem, "session__week__program__patient_id"),
    (SessionLog, "week__program__patient_id"),
    (WeekItem, "week__program__patient_id"),
    (Week, "program__patient_id"),
    (RtwStep, "plan__program__patient_id"),
    (RtwRestriction, "plan__program__patient_id"),
    (RtwPlan, "program__patient_id"),
    (Prescription, "phase__program__patient_id"),
    (Phase, "program__patient_id"),
    (Program, "patient_id"),
    (QuestionnaireResponse, "assessment__patient_id"),
    (Assessment, "patient_id"),
    (Consent, "patient_id"),
    (Patient, "pk"),
)


def rows_of(model: type[models.Model], patient_ids: Iterable[int]) -> QuerySet[Any]:
    """The rows of ``model`` that belong to these patients."""
    lookup = dict(PATIENT_TABLES)[model]
    return model._default_manager.filter(**{f"{lookup}__in": list(patient_ids)})


def audit_events_about(patient_ids: Sequence[int]) -> QuerySet[AuditEvent]:
    """Audit events about these patients' records: those stamped with a patient's uuid,
    and (for events written before the trail carried it) those whose target is one of
    their records. One query; the ids are matched inside the database."""
    uuids = Patient.objects.filter(pk__in=list(patient_ids)).values("uuid")
    match = Q(patient_uuid__in=uuids)
    for model, _ in PATIENT_TABLES:
        ids = rows_of(model, patient_ids).annotate(_id=Cast("pk", CharField())).values("_id")
        match |= Q(target_type=model._meta.label_lower, target_id__in=ids)
    return AuditEvent.objects.filter(match)


@dataclass(frozen=True)
class ReportFile:
    path: str
    content: bytes


@dataclass(frozen=True)
class PatientExport:
    data: dict[str, Any]
    files: tuple[ReportFile, ...]

    def json_bytes(self) -> bytes:
        text = json.dumps(self.data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        return text.encode()

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("patient.json", self.json_bytes())
            for file in self.files:
                archive.writestr(file.path, file.content)
        return buffer.getvalue()


def _fields(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """Every stored column under its attribute name (foreign keys as ``<name>_id``)."""
    skip = set(exclude)
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in skip and f.attname not in skip
    ]


def _values(
    qs: QuerySet[Any], *, exclude: Iterable[str] = (), **extra: str
) -> list[dict[str, Any]]:
    fields = _fields(qs.model, exclude=exclude)
    return [
        {**{k: row[k] for k in fields}, **{name: row[path] for name, path in extra.items()}}
        for row in qs.values(*fields, *extra.values())
    ]


def _grouped(rows: Iterable[Mapping[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(dict(row))
    return groups


def _user_ids(rows: Iterable[Mapping[str, Any]], *keys: str) -> Iterator[int]:
    for row in rows:
        for key in keys:
            if row.get(key) is not None:
                yield int(row[key])


def build(patient_id: int, *, generated_at: datetime) -> PatientExport:
    """The export of one patient. A constant number of queries, however much they hold."""
    ids = [patient_id]
    patient = _values(
        Patient.objects.filter(pk=patient_id),
        clinic_name="clinic__name",
        clinic_uuid="clinic__uuid",
    )[0]

    # Queried even when no profile is linked (matching nothing), so the count is constant.
    profile_id = patient["job_profile_id"]
    profile = _values(JobDemandProfile.objects.filter(pk=profile_id))
    tasks = _values(JobTask.objects.filter(profile_id=profile_id).order_by("order", "pk"))

    consents = _values(rows_of(Consent, ids).order_by("given_on", "pk"))

    assessments = _values(rows_of(Assessment, ids).order_by("assessed_on", "pk"))
    questionnaires = _grouped(
        _values(rows_of(QuestionnaireResponse, ids).order_by("pk")), "assessment_id"
    )
    for assessment in assessments:
        assessment["questionnaires"] = questionnaires.get(assessment["id"], [])

    programs = _programs(ids)
    reports, files = _reports(ids)
    audit = _values(audit_events_about(ids).order_by("created_at", "pk"))
    access = _access_events(patient["uuid"])

    people = _people(
        [
            *_user_ids([patient], "physiotherapist_id"),
            *_user_ids(consents, "recorded_by_id", "withdrawal_recorded_by_id"),
            *_user_ids(assessments, "assessor_id"),
            *_user_ids(reports, "author_id"),
            *(uid for r in reports for uid in r["recipient_ids"]),
            *_user_ids(audit, "actor_id"),
            *_user_ids(access, "actor_id"),
            *_program_user_ids(programs),
        ]
    )
    employers = _employers(
        [
            *_user_ids([patient], "employer_id"),
            *_user_ids(profile, "employer_id"),
            *_user_ids(consents, "employer_id"),
            *_user_ids(reports, "employer_id"),
        ]
    )

    data: dict[str, Any] = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at,
        "patient": patient,
        "job_profile": {**profile[0], "tasks": tasks} if profile else None,
        "consents": consents,
        "assessments": assessments,
        "programs": programs,
        "reports": reports,
        "audit_events": audit,
        "access_events": access,
        "people": people,
        "employers": employers,
    }
    return PatientExport(data=data, files=files)


def _programs(ids: list[int]) -> list[dict[str, Any]]:
    programs = _values(rows_of(Program, ids).order_by("created_at", "pk"))
    phases = _grouped(_values(rows_of(Phase, ids).order_by("order")), "program_id")
    prescriptions = _grouped(
        _values(
            rows_of(Prescription, ids).order_by("order", "pk"),
            exercise_name="exercise__name",
            exercise_quantity_kind="exercise__quantity_kind",
        ),
        "phase_id",
    )
    weeks = _grouped(_values(rows_of(Week, ids).order_by("index", "pk")), "program_id")
    items = _grouped(_values(rows_of(WeekItem, ids).order_by("order", "pk")), "week_id")
    sessions = _grouped(_values(rows_of(SessionLog, ids).order_by("date", "pk")), "week_id")
    done = _grouped(_values(rows_of(SessionItem, ids).order_by("pk")), "session_id")
    plans = {p["program_id"]: p for p in _values(rows_of(RtwPlan, ids))}
    steps = _grouped(_values(rows_of(RtwStep, ids).order_by("order")), "plan_id")
    limits = _grouped(_values(rows_of(RtwRestriction, ids).order_by("order")), "plan_id")
    # The weekly batch's summary of the closed weeks (derived from the weeks above).
    carries = {c["program_id"]: c for c in _values(rows_of(ProgramCarry, ids))}

    for program in programs:
        program["phases"] = phases.get(program["id"], [])
        for phase in program["phases"]:
            phase["prescriptions"] = prescriptions.get(phase["id"], [])
        program["weeks"] = weeks.get(program["id"], [])
        for week in program["weeks"]:
            week["items"] = items.get(week["id"], [])
            week["sessions"] = sessions.get(week["id"], [])
            for session in week["sessions"]:
                session["items"] = done.get(session["id"], [])
        plan = plans.get(program["id"])
        if plan is not None:
            adjustments = [name for name, _ in rtw_rules.ADJUSTMENTS if plan[name]]
            plan["capability_statement"] = rtw_rules.capability_text(plan["fitness"], adjustments)
            plan["accommodations"] = [
                label for name, label in rtw_rules.ACCOMMODATIONS if plan[name]
            ]
            plan["steps"] = steps.get(plan["id"], [])
            plan["restrictions"] = limits.get(plan["id"], [])
        program["rtw_plan"] = plan
        program["planning_carry"] = carries.get(program["id"])
    return programs


def _program_user_ids(programs: list[dict[str, Any]]) -> Iterator[int]:
    for program in programs:
        yield from _user_ids([program], "created_by_id")
        for week in program["weeks"]:
            yield from _user_ids([week], "planned_by_id", "accepted_by_id")
            yield from _user_ids(week["sessions"], "logged_by_id")
        if program["rtw_plan"] is not None:
            yield from _user_ids([program["rtw_plan"]], "clinician_id")


def _reports(ids: list[int]) -> tuple[list[dict[str, Any]], tuple[ReportFile, ...]]:
    reports = _values(rows_of(Report, ids).order_by("number"), exclude=["pdf"])
    recipients = _grouped(
        Report.recipients.through.objects.filter(report__patient_id__in=ids)
        .order_by("user_id")
        .values("report_id", "user_id"),
        "report_id",
    )
    pdfs = dict(rows_of(Report, ids).filter(pdf__isnull=False).values_list("pk", "pdf"))
    files = []
    for report in reports:
        report["recipient_ids"] = [r["user_id"] for r in recipients.get(report["id"], [])]
        pdf = pdfs.get(report["id"])
        report["file"] = None
        if pdf is not None:
            path = f"reports/progress-report-{report['number']}-{report['period_to']:%Y-%m-%d}.pdf"
            report["file"] = path
            files.append(ReportFile(path, bytes(pdf)))
            if not report["pdf_sha256"]:
                report["pdf_sha256"] = hashlib.sha256(bytes(pdf)).hexdigest()
    return reports, tuple(files)


def _access_events(patient_uuid: Any) -> list[dict[str, Any]]:
    """Who looked at the patient's data, and where (pages and report downloads)."""
    events = AccessEvent.objects.filter(patient_uuid=patient_uuid)
    return _values(events.order_by("created_at", "pk"))


def _people(user_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The staff and viewers named in the export, by id: name and role, nothing else."""
    users = User.objects.filter(pk__in=set(user_ids)).order_by("pk")
    return [
        {"id": u["id"], "name": f"{u['first_name']} {u['last_name']}".strip(), "role": u["role"]}
        for u in users.values("id", "first_name", "last_name", "role")
    ]


def _employers(employer_ids: Iterable[int]) -> list[dict[str, Any]]:
    employers = Employer.objects.filter(pk__in=set(employer_ids)).order_by("pk")
    return [dict(row) for row in employers.values("id", "uuid", "name")]
