"""Restricting what the employer sees, at the worker's request (GDPR art. 18): while the
restriction holds the employer sees nothing of the worker and nothing new is shared; the
consent and its history stay; lifting it brings sharing back as the consent says."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from patients.models import Consent, Patient
from patients.services import rights
from rtw.errors import ServiceError
from rtw.models import AuditEvent, Report
from rtw.reports import services as reports
from tests.access_reports import make_report
from tests.conftest import World, client_for
from tests.employer.builders import TODAY, make_worker

REASON = "The worker contests the accuracy of their capacity results."


def _restrict(client: Client, patient: Patient, reason: str = REASON, **extra: Any) -> Any:
    return client.post(f"/patients/{patient.uuid}/sharing/restrict/", {"reason": reason}, **extra)


def _restricted(patient: Patient) -> bool:
    patient.refresh_from_db()
    return patient.sharing_restricted


def test_a_clinician_restricts_sharing_from_the_consent_panel_with_a_reason(
    world: World,
) -> None:
    physio = client_for(world.physio)
    page = physio.get(f"/patients/{world.patient.uuid}/").content.decode()
    assert f'href="/patients/{world.patient.uuid}/sharing/restrict/"' in page
    form = physio.get(f"/patients/{world.patient.uuid}/sharing/restrict/").content.decode()
    assert "Reason for the restriction" in form

    response = _restrict(physio, world.patient, follow=True)

    assert _restricted(world.patient)
    assert world.patient.sharing_restriction_reason == REASON
    page = response.content.decode()
    assert "the employer sees nothing of" in page  # the success message
    assert "Employer sharing restricted" in page and REASON in page
    assert f'action="/patients/{world.patient.uuid}/sharing/lift/"' in page
    assert "sharing/restrict/" not in page
    event = AuditEvent.objects.get(action="patient.sharing_restricted")
    assert (event.actor, event.target_id, event.reason) == (
        world.physio,
        str(world.patient.pk),
        REASON,
    )


def test_the_consent_and_its_history_are_kept_while_restricted(world: World) -> None:
    consent = world.patient.consents.get()
    _restrict(client_for(world.physio), world.patient)
    assert list(world.patient.consents.all()) == [consent]
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    page = client_for(world.physio).get(f"/patients/{world.patient.uuid}/").content.decode()
    assert "Consent history" in page and "Restricted" in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_restriction_without_a_reason_is_refused_and_nothing_changes(
    world: World, reason: str
) -> None:
    response = _restrict(client_for(world.physio), world.patient, reason)
    assert response.status_code == 200
    assert "Give the reason for the restriction." in response.content.decode()
    assert not _restricted(world.patient)
    assert not AuditEvent.objects.filter(action="patient.sharing_restricted").exists()


def test_the_reason_is_checked_as_the_field_is_left(world: World) -> None:
    response = client_for(world.physio).post(
        f"/patients/{world.patient.uuid}/sharing/restrict/",
        {"reason": "", "_validate": "reason"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason" in fragment and "<html" not in fragment
    assert not _restricted(world.patient)


def test_while_restricted_the_employer_sees_nothing_of_the_worker(world: World, at: Any) -> None:
    with at(TODAY):
        worker = make_worker(world.physio, world.employer, last_name="Okonjo")
    report = make_report(world)
    Report.objects.filter(pk=report.pk).update(patient=worker)
    viewer = client_for(world.viewer)
    worker_url = f"/employer/workers/{worker.uuid}/"
    download = f"/reports/{report.uuid}/download/"
    with at(TODAY):
        assert "Worker Okonjo" in viewer.get("/employer/").content.decode()
        assert viewer.get(worker_url).status_code == 200
        assert viewer.get(download).status_code == 200

        _restrict(client_for(world.physio), worker)

        assert "Worker Okonjo" not in viewer.get("/employer/").content.decode()
        assert viewer.get(worker_url).status_code == 404
        assert viewer.get(download).status_code == 404
        # The clinic keeps its record and its copy of the report.
        assert client_for(world.physio).get(download).status_code == 200

        client_for(world.physio).post(f"/patients/{worker.uuid}/sharing/lift/")

        assert "Worker Okonjo" in viewer.get("/employer/").content.decode()
        assert viewer.get(worker_url).status_code == 200
        assert viewer.get(download).status_code == 200


def test_while_restricted_no_report_can_be_made_or_shared(world: World, at: Any) -> None:
    with at(TODAY):
        worker = make_worker(world.physio, world.employer, last_name="Okonjo")
    ready = make_report(world, shared=False)
    Report.objects.filter(pk=ready.pk).update(patient=worker)
    rights.restrict_sharing(acting_user=world.physio, patient=worker, reason=REASON)
    physio = client_for(world.physio)

    response = physio.post(f"/reports/{ready.uuid}/share/", follow=True)
    assert (
        "no report can be made or shared until the restriction is lifted"
        in response.content.decode()
    )
    assert not Report.objects.get(pk=ready.pk).recipients.exists() and not mail.outbox

    with at(TODAY):
        response = physio.post(
            f"/patients/{worker.uuid}/reports/new/",
            {"period_from": "2026-10-01", "period_to": "2026-10-30"},
        )
    assert response.status_code == 200
    assert "no report can be made or shared" in response.content.decode()
    assert Report.objects.filter(patient=worker).count() == 1
    with pytest.raises(ServiceError, match="restricted"):
        reports.share_report(acting_user=world.physio, report=Report.objects.get(pk=ready.pk))


def test_lifting_the_restriction_is_audited_and_sharing_follows_the_consent_again(
    world: World,
) -> None:
    rights.restrict_sharing(acting_user=world.physio, patient=world.patient, reason=REASON)
    response = client_for(world.physio).post(
        f"/patients/{world.patient.uuid}/sharing/lift/", follow=True
    )
    assert "Restriction lifted" in response.content.decode()
    assert not _restricted(world.patient)
    assert world.patient.sharing_restriction_reason == ""
    event = AuditEvent.objects.get(action="patient.sharing_restriction_lifted")
    assert event.before["sharing_restriction_reason"] == REASON
    assert event.actor == world.physio


def test_restricting_twice_or_lifting_nothing_is_refused_with_a_message(world: World) -> None:
    physio = client_for(world.physio)
    response = physio.post(f"/patients/{world.patient.uuid}/sharing/lift/", follow=True)
    assert "Sharing with the employer is not restricted." in response.content.decode()
    rights.restrict_sharing(acting_user=world.physio, patient=world.patient, reason=REASON)
    with pytest.raises(ServiceError, match="already restricted"):
        rights.restrict_sharing(acting_user=world.physio, patient=world.patient, reason="Again")
    assert AuditEvent.objects.filter(action="patient.sharing_restricted").count() == 1


def test_services_refuse_a_physiotherapist_of_another_clinic(world: World) -> None:
    with pytest.raises(ServiceError):
        rights.restrict_sharing(acting_user=world.other_physio, patient=world.patient, reason="x")
    rights.restrict_sharing(acting_user=world.physio, patient=world.patient, reason=REASON)
    with pytest.raises(ServiceError):
        rights.lift_restriction(acting_user=world.other_physio, patient=world.patient)
    with pytest.raises(ServiceError):
        rights.export_patient(acting_user=world.other_physio, patient=world.patient)
    assert _restricted(world.patient)
