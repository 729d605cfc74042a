"""A lookup refused because the object belongs to another clinic or employer is a warning
in the security log (``rtw.security``), with ids only; an id that exists nowhere is not."""

import logging

import pytest
from django.test import Client

from assessments.models import Assessment
from patients.models import JobTask
from programs import services
from programs.models import Prescription, WeekItem
from tests.access_reports import make_report
from tests.assessments.helpers import make_assessment
from tests.audit.conftest import Record
from tests.conftest import World, client_for
from tests.factories import make_job_profile, make_program
from tests.programs.helpers import MONDAY, physio_of, plan

MISSING = "00000000-0000-0000-0000-000000000000"


def warnings(log: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in log.records
        if r.name == "rtw.security" and r.levelno == logging.WARNING
    ]


def _one_warning(log: pytest.LogCaptureFixture, *parts: str) -> str:
    (message,) = warnings(log)
    assert message.startswith("cross-tenant lookup refused")
    for part in parts:
        assert part in message, message
    return message


def test_another_clinics_patient_is_logged_with_ids_only(world: World, security_log) -> None:
    other = client_for(world.other_physio)
    assert other.get(f"/patients/{world.patient.uuid}/").status_code == 404
    message = _one_warning(
        security_log,
        f"user={world.other_physio.pk}",
        "role=physiotherapist",
        f"clinic={world.other_clinic.pk}",
        "object=patients.patient",
        f"uuid={world.patient.uuid}",
        f"owner={world.clinic.pk}",
        f"path=/patients/{world.patient.uuid}/",
    )
    assert world.patient.last_name not in message
    assert world.patient.diagnosis not in message


def test_a_patient_that_exists_nowhere_is_not_a_cross_tenant_attempt(
    world: World, security_log
) -> None:
    other = client_for(world.other_physio)
    assert other.get(f"/patients/{MISSING}/").status_code == 404
    assert warnings(security_log) == []
    assert any("lookup refused (missing)" in r.getMessage() for r in security_log.records)


def test_another_clinics_program_is_logged(world: World, security_log) -> None:
    program = make_program(world.patient)
    assert client_for(world.other_physio).get(f"/programs/{program.uuid}/").status_code == 404
    _one_warning(security_log, "object=programs.program", f"uuid={program.uuid}")


def test_another_clinics_job_profile_is_logged(world: World, security_log) -> None:
    profile = make_job_profile(world.clinic, world.employer)
    assert client_for(world.other_physio).get(f"/jobs/{profile.pk}/").status_code == 404
    _one_warning(security_log, "object=patients.jobdemandprofile", f"pk={profile.pk}")


def test_another_clinics_job_task_reached_by_id_is_logged(world: World, security_log) -> None:
    ours = make_job_profile(world.clinic, world.employer)
    theirs = make_job_profile(world.other_clinic, world.other_employer)
    task = JobTask.objects.filter(profile=ours).first()
    assert task is not None
    url = f"/jobs/{theirs.pk}/tasks/{task.pk}/edit/"
    assert client_for(world.other_physio).get(url).status_code == 404
    _one_warning(security_log, "object=patients.jobtask", f"pk={task.pk}")


def test_another_clinics_consent_reached_by_id_is_logged(world: World, security_log) -> None:
    ours = world.patient.consents.get()
    url = f"/patients/{world.other_patient.uuid}/consent/{ours.pk}/withdraw/"
    assert client_for(world.other_physio).get(url).status_code == 404
    _one_warning(security_log, "object=patients.consent", f"pk={ours.pk}")


def test_another_clinics_assessment_is_logged(world: World, security_log) -> None:
    ours = make_assessment(world.patient)
    url = f"/patients/{world.other_patient.uuid}/assessments/{ours.uuid}/"
    assert client_for(world.other_physio).get(url).status_code == 404
    _one_warning(security_log, "object=assessments.assessment", f"uuid={ours.uuid}")
    assert Assessment.objects.filter(uuid=ours.uuid).exists()


def test_another_clinics_report_is_logged(world: World, security_log) -> None:
    report = make_report(world)
    url = f"/reports/{report.uuid}/download/"
    assert client_for(world.other_physio).get(url).status_code == 404
    _one_warning(security_log, "object=rtw.report", f"uuid={report.uuid}")


def test_another_employers_report_is_logged_against_the_employer(
    world: World, security_log
) -> None:
    report = make_report(world)
    url = f"/reports/{report.uuid}/download/"
    assert client_for(world.other_viewer).get(url).status_code == 404
    _one_warning(
        security_log,
        "role=employer_viewer",
        f"employer={world.other_employer.pk}",
        f"owner={world.employer.pk}",
    )


def test_another_employers_worker_is_logged(world: World, security_log) -> None:
    url = f"/employer/workers/{world.patient.uuid}/"
    assert client_for(world.other_viewer).get(url).status_code == 404
    _one_warning(security_log, "object=patients.patient", f"owner={world.employer.pk}")


def test_our_own_worker_without_consent_is_not_a_cross_tenant_attempt(
    world: World, security_log
) -> None:
    world.patient.consents.update(withdrawn_on=world.patient.consents.get().given_on)
    url = f"/employer/workers/{world.patient.uuid}/"
    assert client_for(world.viewer).get(url).status_code == 404
    assert warnings(security_log) == []


def test_another_clinics_staff_account_is_logged(world: World, security_log) -> None:
    url = f"/staff/{world.physio.uuid}/role/"
    response: Client = client_for(world.other_admin)
    assert response.post(url, {"role": "clinic_admin"}).status_code == 404
    _one_warning(security_log, "object=rtw.user", f"uuid={world.physio.uuid}")


def test_another_clinics_prescription_and_week_item_by_id_are_logged(
    world: World, record: Record, security_log
) -> None:
    draft = make_program(world.other_patient)
    theirs = services.activate(acting_user=physio_of(draft), program=draft, today=MONDAY)
    week = plan(theirs, MONDAY).week
    other = client_for(world.other_physio)
    prescription = Prescription.objects.filter(phase__program=record.program).first()
    item = WeekItem.objects.filter(week=record.week).first()
    assert prescription is not None and item is not None
    base = f"/programs/{theirs.uuid}/"
    assert other.get(f"{base}prescriptions/{prescription.pk}/").status_code == 404
    assert other.get(f"{base}weeks/{week.index}/items/{item.pk}/").status_code == 404
    first, second = warnings(security_log)
    assert f"object=programs.prescription pk={prescription.pk}" in first
    assert f"object=programs.weekitem pk={item.pk}" in second


def test_the_security_log_has_its_own_handler_and_stays_out_of_the_general_log() -> None:
    logger = logging.getLogger("rtw.security")
    assert logger.handlers
    assert logger.propagate is False
