"""A physiotherapist makes an employer report, watches it become ready, shares it with the
employer's viewers (who get an email with a link) and everyone allowed downloads it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from patients.models import Consent
from rtw.models import AuditEvent, Report, ReportStatus, Role
from rtw.reports import services
from rtw.reports.rules import NOT_QUEUED
from tests import factories
from tests.access_reports import make_report
from tests.conftest import World, client_for
from tests.employer.builders import TODAY, make_worker, set_scope
from tests.reports.conftest import celery_broker

PERIOD = {"period_from": "2026-10-01", "period_to": "2026-10-30"}


@pytest.fixture
def worker(world: World):
    return make_worker(world.physio, world.employer, last_name="Okonjo")


def _generate(client: Client, worker, at, capture, data=None):
    """Post the form (the task runs in-process once the transaction commits), then show
    the page the user is sent back to; a refused form comes back as it is."""
    with at(TODAY):
        with capture(execute=True):
            response = client.post(f"/patients/{worker.uuid}/reports/new/", data or PERIOD)
        if response.status_code != 302:
            return response
        return client.get(response["Location"])


def test_a_report_is_made_ready_and_listed_with_its_number_and_period(
    world: World, worker, at, django_capture_on_commit_callbacks
) -> None:
    physio = client_for(world.physio)
    response = _generate(physio, worker, at, django_capture_on_commit_callbacks)
    report = Report.objects.get(patient=worker)
    assert report.status == ReportStatus.READY
    assert report.number == 1 and report.attempts == 1
    assert (str(report.period_from), str(report.period_to)) == ("2026-10-01", "2026-10-30")
    assert report.pdf is not None and bytes(report.pdf).startswith(b"%PDF")
    page = response.content.decode()
    assert "Report 1" in page and "1 Oct 2026 – 30 Oct 2026" in page and "Ready" in page
    assert f"/reports/{report.uuid}/download/" in page
    assert 'hx-trigger="every 2s"' not in page  # final: nothing to poll


def test_reports_are_versioned_per_patient(
    world: World, worker, at, django_capture_on_commit_callbacks
) -> None:
    physio = client_for(world.physio)
    for _ in range(3):
        _generate(physio, worker, at, django_capture_on_commit_callbacks)
    assert list(
        Report.objects.filter(patient=worker).order_by("number").values_list("number", flat=True)
    ) == [1, 2, 3]
    other = make_worker(world.physio, world.employer)
    _generate(physio, other, at, django_capture_on_commit_callbacks)
    assert Report.objects.get(patient=other).number == 1


def test_the_snapshot_stored_on_the_report_is_the_employer_allowlist(
    world: World, worker, at, django_capture_on_commit_callbacks
) -> None:
    _generate(client_for(world.physio), worker, at, django_capture_on_commit_callbacks)
    data = Report.objects.get(patient=worker).data
    assert set(data) == {"snapshot", "prepared_by", "clinic"}
    snapshot = data["snapshot"]
    assert snapshot["status"] == "on track"
    assert "diagnosis" not in str(snapshot).lower()
    assert not {"diagnosis", "notes", "pain", "red_flags", "nprs"} & set(snapshot)


def test_without_consent_to_share_reports_the_physio_gets_a_clear_refusal(
    world: World, worker, at, django_capture_on_commit_callbacks
) -> None:
    set_scope(worker, share_reports=False)
    physio = client_for(world.physio)
    response = _generate(physio, worker, at, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "no open consent to share progress reports" in response.content.decode()
    assert not Report.objects.filter(patient=worker).exists()
    Consent.objects.filter(patient=worker).update(withdrawn_on=TODAY)
    response = _generate(physio, worker, at, django_capture_on_commit_callbacks)
    assert "no open consent to share progress reports" in response.content.decode()
    assert not Report.objects.exists()


def test_with_nothing_to_report_the_physio_is_told_so(
    world: World, at, django_capture_on_commit_callbacks
) -> None:
    response = _generate(
        client_for(world.physio), world.patient, at, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "nothing to report yet" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_from": "2026-10-01", "period_to": "2026-11-30"}, "have not happened yet"),
        ({"period_from": "2026-10-30", "period_to": "2026-10-01"}, "start on or before"),
        ({"period_from": "2024-01-01", "period_to": "2026-10-30"}, "at most 366 days"),
        ({"period_from": "yesterday", "period_to": ""}, "Enter a valid date"),
    ],
)
def test_a_bad_period_is_refused_beside_its_field_and_nothing_is_made(
    world: World, worker, at, django_capture_on_commit_callbacks, data, message
) -> None:
    response = _generate(
        client_for(world.physio), worker, at, django_capture_on_commit_callbacks, data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_period_is_checked_as_the_field_is_left(world: World, worker, at) -> None:
    with at(TODAY):
        response = client_for(world.physio).post(
            f"/patients/{worker.uuid}/reports/new/",
            {"_validate": "period_to", "period_from": "2026-10-01", "period_to": "2027-01-01"},
            headers={"HX-Request": "true"},
        )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "have not happened yet" in fragment and "<html" not in fragment
    assert not Report.objects.exists()


def test_a_report_being_made_is_polled_until_it_is_final(world: World, worker) -> None:
    report = make_report(world, status=ReportStatus.QUEUED, shared=False)
    Report.objects.filter(pk=report.pk).update(patient=worker)
    physio = client_for(world.physio)
    row = physio.get(f"/reports/{report.uuid}/status/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in row.content.decode() and "Queued" in row.content.decode()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING)
    row = physio.get(f"/reports/{report.uuid}/status/", headers={"HX-Request": "true"})
    assert "Rendering" in row.content.decode() and "every 2s" in row.content.decode()
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, error="The PDF could not be made."
    )
    row = physio.get(f"/reports/{report.uuid}/status/", headers={"HX-Request": "true"})
    text = row.content.decode()
    assert "every 2s" not in text and "Failed" in text and "Try again" in text
    page = physio.get(f"/reports/{report.uuid}/status/")
    assert page.status_code == 302  # without htmx: the reports page


def test_a_failed_report_can_be_tried_again_and_becomes_ready(
    world: World, worker, at, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr("rtw.reports.document.render", _broken)
    physio = client_for(world.physio)
    _generate(physio, worker, at, django_capture_on_commit_callbacks)
    report = Report.objects.get(patient=worker)
    assert report.status == ReportStatus.FAILED and "could not be made" in report.error
    monkeypatch.undo()
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = physio.post(f"/reports/{report.uuid}/retry/", follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.error == ""
    assert "queued again" in response.content.decode()


def _broken(*args, **kwargs):
    raise ValueError("a bug in the template")


def test_a_report_that_is_not_failed_cannot_be_retried(world: World) -> None:
    report = make_report(world)
    response = client_for(world.physio).post(f"/reports/{report.uuid}/retry/", follow=True)
    assert "Only a report that failed can be tried again." in response.content.decode()


def test_sharing_emails_each_active_viewer_of_the_employer_a_link(
    world: World, worker, at, django_capture_on_commit_callbacks
) -> None:
    second = factories.make_user(Role.EMPLOYER_VIEWER, employer=world.employer, clinic=world.clinic)
    invited = factories.make_user(
        Role.EMPLOYER_VIEWER, employer=world.employer, clinic=world.clinic, is_active=False
    )
    physio = client_for(world.physio)
    _generate(physio, worker, at, django_capture_on_commit_callbacks)
    report = Report.objects.get(patient=worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = physio.post(f"/reports/{report.uuid}/share/", follow=True)
    assert "shared with" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.viewer.email, second.email])
    assert all(len(m.to) == 1 for m in mail.outbox)
    body = str(mail.outbox[0].body)
    assert f"/reports/{report.uuid}/download/" in body and "Worker Okonjo" in body
    assert set(report.recipients.all()) == {world.viewer, second}
    assert invited not in report.recipients.all()
    assert AuditEvent.objects.filter(action="report.shared", target_id=str(report.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = physio.post(f"/reports/{report.uuid}/share/", follow=True)
    assert "already shared with every viewer" in again.content.decode()
    assert len(mail.outbox) == 2


def test_a_report_that_is_not_ready_cannot_be_shared(world: World) -> None:
    report = make_report(world, status=ReportStatus.QUEUED, shared=False)
    response = client_for(world.physio).post(f"/reports/{report.uuid}/share/", follow=True)
    assert "Only a ready report can be shared." in response.content.decode()
    assert not mail.outbox


def test_sharing_after_consent_was_withdrawn_is_refused(world: World) -> None:
    report = make_report(world, shared=False)
    Consent.objects.filter(patient=world.patient).update(withdrawn_on=TODAY)
    response = client_for(world.physio).post(f"/reports/{report.uuid}/share/", follow=True)
    assert "no open consent to share progress reports" in response.content.decode()
    assert not report.recipients.exists() and not mail.outbox


def test_an_employer_without_viewers_is_named_in_the_refusal(world: World) -> None:
    report = make_report(world, shared=False)
    world.viewer.delete()
    response = client_for(world.physio).post(f"/reports/{report.uuid}/share/", follow=True)
    assert "Acme Logistics has no active viewer account yet" in response.content.decode()


def test_the_download_is_an_uncached_attachment(world: World) -> None:
    report = make_report(world)
    for user in (world.physio, world.viewer):
        response = client_for(user).get(f"/reports/{report.uuid}/download/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"progress-report-{report.number}-" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]


def test_a_viewer_downloads_only_reports_shared_with_them_while_consent_lasts(
    world: World,
) -> None:
    report = make_report(world)
    colleague = factories.make_user(
        Role.EMPLOYER_VIEWER, employer=world.employer, clinic=world.clinic
    )
    url = f"/reports/{report.uuid}/download/"
    assert client_for(world.viewer).get(url).status_code == 200
    assert client_for(colleague).get(url).status_code == 404  # not shared with them
    assert client_for(world.other_viewer).get(url).status_code == 404
    Consent.objects.filter(patient=world.patient).update(share_reports=False)
    assert client_for(world.viewer).get(url).status_code == 404
    Consent.objects.filter(patient=world.patient).update(share_reports=True, withdrawn_on=TODAY)
    assert client_for(world.viewer).get(url).status_code == 404
    assert client_for(world.physio).get(url).status_code == 200  # the clinic keeps its record


def test_a_report_not_yet_ready_has_no_download(world: World) -> None:
    report = make_report(world, status=ReportStatus.RENDERING, shared=False)
    assert client_for(world.physio).get(f"/reports/{report.uuid}/download/").status_code == 404


def test_shared_reports_are_listed_for_the_viewer_newest_first(world: World, at) -> None:
    first, second = make_report(world), make_report(world)
    make_report(world, shared=False)  # the third is not shared
    with at(TODAY + timedelta(days=1)):
        page = client_for(world.viewer).get(f"/employer/workers/{world.patient.uuid}/")
    text = page.content.decode()
    assert text.index(f"/reports/{second.uuid}/") < text.index(f"/reports/{first.uuid}/")
    assert "Report 3" not in text


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_page_says_it_could_not_be_queued_and_nothing_is_left_queued(
    world: World, worker, at
) -> None:
    with at(TODAY), celery_broker("redis://127.0.0.1:1/0", eager=False):
        response = client_for(world.physio).post(
            f"/patients/{worker.uuid}/reports/new/", PERIOD, follow=True
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be queued" in page and "try again" in page
    report = Report.objects.get(patient=worker)
    assert report.status == ReportStatus.FAILED and report.error == NOT_QUEUED
    assert not Report.objects.filter(status__in=["queued", "rendering"]).exists()
    assert "Try again" in page  # the retry button on the failed row


def test_services_refuse_a_physio_of_another_clinic(world: World, worker) -> None:
    from rtw.errors import ServiceError

    with pytest.raises(ServiceError, match="physiotherapist of the worker's clinic"):
        services.request_report(
            acting_user=world.other_physio,
            patient=worker,
            period_from=TODAY - timedelta(days=7),
            period_to=TODAY,
            today=TODAY,
        )
