"""Exporting everything held about one patient: a ZIP with ``patient.json`` and the
report PDFs, for a physiotherapist of the patient's clinic, recorded in the audit trail."""

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, QuestionnaireResponse
from patients import export
from patients.models import Consent, Patient
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
from rtw.models import AuditEvent, Report
from tests import factories
from tests.conftest import World, client_for
from tests.employer.builders import TODAY
from tests.rights.builders import add_report, full_record

TODAY_NOON = datetime(2026, 10, 30, 12, tzinfo=UTC)


@pytest.fixture
def alpha(world: World, at: Any) -> Patient:
    with at(TODAY):
        return full_record(world.physio, world.employer, last_name="Alphacentauri")


@pytest.fixture
def others(world: World, at: Any) -> list[Patient]:
    """A patient of the same clinic and employer, and one of another clinic."""
    with at(TODAY):
        return [
            full_record(world.physio, world.employer, last_name="Bravissimo"),
            full_record(world.other_physio, world.other_employer, last_name="Charlemagne"),
        ]


def _download(world: World, patient: Patient) -> tuple[Any, zipfile.ZipFile]:
    response = client_for(world.physio).post(f"/patients/{patient.uuid}/export/")
    assert response.status_code == 200, response.content[:300]
    return response, zipfile.ZipFile(io.BytesIO(response.content))


def _ids(rows: list[dict[str, Any]]) -> set[int]:
    return {row["id"] for row in rows}


def _all(data: dict[str, Any]) -> dict[type[Model], set[int]]:
    """Every record id in the file, by the table it comes from."""
    programs = data["programs"]
    phases = [ph for p in programs for ph in p["phases"]]
    weeks = [w for p in programs for w in p["weeks"]]
    sessions = [s for w in weeks for s in w["sessions"]]
    plans = [p["rtw_plan"] for p in programs if p["rtw_plan"]]
    return {
        Patient: {data["patient"]["id"]},
        Consent: _ids(data["consents"]),
        Assessment: _ids(data["assessments"]),
        QuestionnaireResponse: _ids([q for a in data["assessments"] for q in a["questionnaires"]]),
        Program: _ids(programs),
        Phase: _ids(phases),
        Prescription: _ids([rx for ph in phases for rx in ph["prescriptions"]]),
        Week: _ids(weeks),
        WeekItem: _ids([i for w in weeks for i in w["items"]]),
        SessionLog: _ids(sessions),
        SessionItem: _ids([i for s in sessions for i in s["items"]]),
        RtwPlan: _ids(plans),
        RtwStep: _ids([s for p in plans for s in p["steps"]]),
        RtwRestriction: _ids([r for p in plans for r in p["restrictions"]]),
        Report: _ids(data["reports"]),
        ProgramCarry: _ids([p["planning_carry"] for p in programs if p["planning_carry"]]),
    }


def _held(patient: Patient) -> dict[type[Model], set[int]]:
    """What the database holds for ``patient``, table by table."""
    return {
        model: set(export.rows_of(model, [patient.pk]).values_list("pk", flat=True))
        for model, _ in export.PATIENT_TABLES
    }


def test_the_export_holds_every_record_of_the_patient_and_nothing_of_anyone_else(
    world: World, alpha: Patient, others: list[Patient]
) -> None:
    _, archive = _download(world, alpha)
    text = archive.read("patient.json").decode()
    data = json.loads(text)

    assert data["schema"] == "rtw.patient-export" and data["schema_version"] == 1
    assert data["generated_at"]
    assert data["patient"]["uuid"] == str(alpha.uuid)
    assert data["patient"]["last_name"] == "Alphacentauri"
    assert data["patient"]["diagnosis"] == alpha.diagnosis
    assert data["job_profile"]["id"] == alpha.job_profile_id
    assert len(data["job_profile"]["tasks"]) == 3
    held = _held(alpha)
    assert all(held.values()), "the builder leaves no table empty"
    assert _all(data) == held
    assert [c["withdrawn_on"] for c in data["consents"]] == ["2026-08-20", None]
    assert data["assessments"][0]["questionnaires"][0]["responses"]["q1"] == 2
    plan = data["programs"][0]["rtw_plan"]
    assert plan["capability_statement"].startswith("May be fit for work")
    assert plan["accommodations"] == ["Micro-breaks"]

    # Nothing of the other patients: no uuid, name or record of theirs.
    for other in others:
        assert str(other.uuid) not in text
        assert other.last_name not in text
        for program in Program.objects.filter(patient=other):
            assert str(program.uuid) not in text
        for report in Report.objects.filter(patient=other):
            assert str(report.uuid) not in text
        theirs = _held(other)
        mine = _all(data)
        assert all(not (mine[model] & ids) for model, ids in theirs.items())


def test_the_export_holds_the_audit_events_about_the_patients_records_and_no_others(
    world: World, alpha: Patient, others: list[Patient]
) -> None:
    _, archive = _download(world, alpha)
    data = json.loads(archive.read("patient.json"))
    mine = {(model._meta.label_lower, str(pk)) for model, ids in _held(alpha).items() for pk in ids}
    expected = {
        e.pk
        for e in AuditEvent.objects.exclude(action="patient.exported")
        if (e.target_type, e.target_id) in mine
    }
    assert expected, "the builder's services wrote audit events"
    assert {e["id"] for e in data["audit_events"]} == expected


def test_the_export_holds_who_looked_at_the_patients_record_and_nobody_elses(
    world: World, alpha: Patient, others: list[Patient]
) -> None:
    physio = client_for(world.physio)
    for patient in (alpha, others[0], alpha):
        assert physio.get(f"/patients/{patient.uuid}/").status_code == 200
    _, archive = _download(world, alpha)
    access = json.loads(archive.read("patient.json"))["access_events"]
    assert [e["what"] for e in access].count("patients:detail") == 2
    assert {e["patient_uuid"] for e in access} == {str(alpha.uuid)}
    assert {e["actor_id"] for e in access} == {world.physio.pk}


def test_report_pdfs_are_in_the_archive_byte_for_byte(world: World, alpha: Patient) -> None:
    _, archive = _download(world, alpha)
    data = json.loads(archive.read("patient.json"))
    pdfs = [name for name in archive.namelist() if name.startswith("reports/")]
    stored = Report.objects.get(patient=alpha, number=1)
    assert pdfs == ["reports/progress-report-1-2026-10-02.pdf"]
    assert stored.pdf is not None and archive.read(pdfs[0]) == bytes(stored.pdf)
    files = {r["number"]: r["file"] for r in data["reports"]}
    assert files == {1: pdfs[0], 2: None}  # the failed report has no PDF


def test_the_download_is_an_uncached_attachment_and_is_audited(
    world: World, alpha: Patient
) -> None:
    response, _ = _download(world, alpha)
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"patient-export-{alpha.uuid}-" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="patient.exported")
    assert (event.actor, event.target_id) == (world.physio, str(alpha.pk))
    assert event.after["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert event.after["reports"] == 2 and event.after["report_files"] == 1


def test_the_export_reads_a_constant_number_of_queries(world: World, alpha: Patient) -> None:
    bare = factories.make_patient(world.physio, employer=world.employer, consent=True)
    add_report(bare, 1, pdf=b"%PDF-1.7 one")
    with CaptureQueriesContext(connection) as few:
        small = export.build(bare.pk, generated_at=TODAY_NOON)
    with CaptureQueriesContext(connection) as many:
        big = export.build(alpha.pk, generated_at=TODAY_NOON)
    assert len(small.data["programs"]) == 0 and len(big.data["programs"][0]["weeks"]) == 4
    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize(
    ("persona", "status"), [("other_physio", 404), ("admin", 403), ("viewer", 403)]
)
def test_only_a_physiotherapist_of_the_clinic_can_export(
    world: World, persona: str, status: int
) -> None:
    response = client_for(world.user(persona)).post(f"/patients/{world.patient.uuid}/export/")
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action="patient.exported").exists()


def test_a_colleague_of_the_clinic_can_export_and_a_get_is_refused(world: World) -> None:
    url = f"/patients/{world.patient.uuid}/export/"
    assert client_for(world.colleague).post(url).status_code == 200
    assert client_for(world.physio).get(url).status_code == 405


def test_the_patient_page_offers_the_export(world: World) -> None:
    page = client_for(world.physio).get(f"/patients/{world.patient.uuid}/").content.decode()
    assert f'action="/patients/{world.patient.uuid}/export/"' in page
    assert "Export patient data" in page
