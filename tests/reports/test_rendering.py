"""The rendering task: a real PDF whose text says what DESIGN.md asks, made once however
often the job runs, retried only on transient errors, fetching nothing but its own print
stylesheet even when text fields carry markup and internal URLs."""

import io
import logging
import socket
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError
from pypdf import PdfReader

from programs.rtw_share import Restriction, RtwShare, ScheduleStep
from rtw.celery import app as celery_app
from rtw.models import AuditEvent, Report, ReportStatus
from rtw.pdf import ASSETS, AssetsOnlyFetcher, asset_path
from rtw.reports import document, services
from rtw.reports.rules import GAVE_UP, MAX_ATTEMPTS, NOT_MADE
from rtw.reports.tasks import render_report
from tests.conftest import World
from tests.employer.builders import TODAY, make_job_profile, make_worker

MALICIOUS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://127.0.0.1:8000/admin/",
    "http://169.254.169.254/latest/meta-data/",
    '<style>@import url("http://127.0.0.1/x.css");</style>',
    "@import url(http://169.254.169.254/evil.css);",
    '<iframe src="http://127.0.0.1/"></iframe><object data="file:///etc/shadow"></object>',
]
HOSTILE = " ".join(MALICIOUS)


def _request(world: World, worker, capture) -> Report:
    with capture(execute=True):
        report = services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=date(2026, 10, 1),
            period_to=TODAY,
            today=TODAY,
        )
    report.refresh_from_db()
    return report


def _text(report: Report) -> str:
    assert report.pdf is not None
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _events(report: Report, action: str) -> int:
    return AuditEvent.objects.filter(action=action, target_id=str(report.pk)).count()


SHARE = RtwShare(
    schedule=(ScheduleStep(1, 2, Decimal("4"), 5, "Packing bench"),),
    restrictions=(Restriction("Overhead lift", "avoid for now"),),
    accommodations=("Micro-breaks",),
    capability="May be fit for work with: phased return to work",
    functional_comments="",
    valid_from=date(2026, 10, 26),
    valid_to=date(2026, 11, 22),
    next_review=date(2026, 11, 9),
    clinician_name="Priya Shah",
    registration_number="PH123456",
)


def test_the_pdf_says_in_plain_words_what_the_employer_may_know(
    world: World, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr(
        "patients.employer.snapshot.rtw_share_for", lambda ids: dict.fromkeys(ids, SHARE)
    )
    worker = make_worker(world.physio, world.employer, last_name="Okonjo")
    report = _request(world, worker, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.READY
    text = _text(report)
    for expected in (
        "Worker Okonjo",
        "Acme Logistics",
        "Return-to-work progress report 1".upper(),
        "On track",
        "Phase 1: Foundation",
        "Job demands against current capacity",
        "Cartons onto pallets",
        "80 %",
        "100 %",
        "Lift capacity against the job demand",  # the chart, drawn as vectors with its text
        "9 of 9",
        "May be fit for work with: phased return to work",
        "Packing bench",
        "avoid for now",
        "Micro-breaks",
        "9 Nov 2026",
        "Priya Shah",
        "PH123456",
    ):
        assert expected in text, expected
    assert report.pdf_sha256 and report.rendered_at is not None


def test_running_the_same_job_twice_makes_one_file_and_one_status_change(
    world: World, django_capture_on_commit_callbacks
) -> None:
    worker = make_worker(world.physio, world.employer)
    report = _request(world, worker, django_capture_on_commit_callbacks)
    rendered_at, digest = report.rendered_at, report.pdf_sha256
    assert render_report.apply(args=(report.pk,)).get() == "skipped"
    report.refresh_from_db()
    assert (report.rendered_at, report.pdf_sha256, report.attempts) == (rendered_at, digest, 1)
    assert _events(report, "report.rendering") == 1
    assert _events(report, "report.ready") == 1


def test_a_job_left_rendering_by_a_killed_worker_completes_once_when_run_again(
    world: World, django_capture_on_commit_callbacks
) -> None:
    worker = make_worker(world.physio, world.employer)
    with django_capture_on_commit_callbacks(execute=False):  # queued, never delivered
        report = services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=date(2026, 10, 1),
            period_to=TODAY,
            today=TODAY,
        )
    # The worker took the job, marked it rendering, and died before committing its PDF.
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=1)
    assert render_report.apply(args=(report.pk,)).get() == "ready"  # the redelivered job
    assert render_report.apply(args=(report.pk,)).get() == "skipped"  # and a duplicate
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 2
    assert _events(report, "report.ready") == 1
    assert _events(report, "report.rendering") == 0  # no second change into rendering


def _queued(world: World, worker, capture) -> Report:
    """A report requested but not delivered to any worker yet."""
    with capture(execute=False):
        return services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=date(2026, 10, 1),
            period_to=TODAY,
            today=TODAY,
        )


def _flaky(monkeypatch, failures: int) -> list[int]:
    real = document.render
    calls: list[int] = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(document, "render", flaky)
    return calls


def test_a_transient_error_is_retried_and_then_succeeds(
    world: World, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    calls = _flaky(monkeypatch, failures=1)
    report = _queued(
        world, make_worker(world.physio, world.employer), django_capture_on_commit_callbacks
    )
    # As a worker runs it (errors not propagated): the retry runs the job again.
    render_report.apply(args=(report.pk,), throw=False)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert len(calls) == 2 and report.attempts == 2
    assert _events(report, "report.ready") == 1


@pytest.fixture
def as_a_worker_runs_it() -> Iterator[None]:
    """Errors handled by Celery (retries, on_failure), not raised to the caller, as in a
    worker; eager mode otherwise re-raises from the second retry on."""
    before = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = before


def test_when_the_retries_run_out_the_report_fails_instead_of_staying_queued(
    world: World, django_capture_on_commit_callbacks, monkeypatch, as_a_worker_runs_it
) -> None:
    calls = _flaky(monkeypatch, failures=99)
    report = _queued(
        world, make_worker(world.physio, world.employer), django_capture_on_commit_callbacks
    )
    render_report.apply(args=(report.pk,), throw=False)
    report.refresh_from_db()
    assert len(calls) == (render_report.max_retries or 0) + 1
    assert report.status == ReportStatus.FAILED and report.error == NOT_MADE


def test_any_other_error_fails_the_report_at_once_without_retrying(
    world: World, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    calls: list[int] = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise KeyError("chart")

    monkeypatch.setattr(document, "render", broken)
    worker = make_worker(world.physio, world.employer)
    report = _request(world, worker, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.FAILED and report.error == NOT_MADE
    assert len(calls) == 1 and report.pdf is None


def test_a_job_that_keeps_dying_is_given_up_after_the_last_attempt(
    world: World, django_capture_on_commit_callbacks
) -> None:
    worker = make_worker(world.physio, world.employer)
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=date(2026, 10, 1),
            period_to=TODAY,
            today=TODAY,
        )
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=MAX_ATTEMPTS)
    assert render_report.apply(args=(report.pk,)).get() == "skipped"
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.error == GAVE_UP


def test_the_task_is_routed_to_the_pdf_queue_and_bounded() -> None:
    from rtw.celery import app

    assert render_report.name == "reports.render_report"
    route = app.amqp.router.route({}, render_report.name)
    assert route["queue"].name == "pdf"
    assert render_report.acks_late and render_report.reject_on_worker_lost
    assert (render_report.soft_time_limit, render_report.time_limit) == (60, 90)
    assert set(getattr(render_report, "autoretry_for", ())) == set(services.TRANSIENT)
    assert render_report.max_retries and getattr(render_report, "retry_backoff", None)


def test_a_missing_report_is_skipped(db: None) -> None:
    assert render_report.apply(args=(999999,)).get() == "skipped"


# --- nothing is fetched ----------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any outbound connection attempt is recorded and refused."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network access during a test of the PDF renderer")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def test_malicious_text_renders_as_text_with_no_fetch_no_connection_and_no_attachment(
    world: World, django_capture_on_commit_callbacks, monkeypatch, caplog, no_network
) -> None:
    hostile_share = RtwShare(
        schedule=(ScheduleStep(1, 2, Decimal("4"), 5, HOSTILE),),
        restrictions=(Restriction(HOSTILE, HOSTILE),),
        accommodations=(HOSTILE,),
        capability=HOSTILE,
        functional_comments=HOSTILE,
        valid_from=date(2026, 10, 26),
        valid_to=None,
        next_review=None,
        clinician_name=HOSTILE,
        registration_number=HOSTILE[:50],
    )
    monkeypatch.setattr(
        "patients.employer.snapshot.rtw_share_for", lambda ids: dict.fromkeys(ids, hostile_share)
    )
    fetched: list[str] = []
    real_fetch = AssetsOnlyFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(AssetsOnlyFetcher, "fetch", recording)
    profile = make_job_profile(world.physio, world.employer)
    profile.tasks.filter(order=1).update(description=MALICIOUS[0][:200])
    worker = make_worker(
        world.physio,
        world.employer,
        profile=profile,
        job_title=MALICIOUS[1][:150],
        first_name=MALICIOUS[0][:100],
        last_name="http://169.254.169.254/",
    )
    caplog.set_level(logging.INFO, logger="rtw.pdf")
    report = _request(world, worker, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.READY
    assert fetched == [(ASSETS / "print.css").as_uri()]  # our own stylesheet, nothing else
    assert not [r for r in caplog.records if "refused" in r.getMessage()]
    assert no_network == []
    assert report.pdf is not None
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    root: Any = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in str(root.get("/Names", {}))
    assert not reader.attachments
    for page in reader.pages:
        annotations: Any = page.get("/Annots") or []
        for annotation in annotations:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    text = _text(report).replace("\n", " ")
    assert "file:///etc/passwd" in text and "169.254.169.254" in text and "@import" in text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/font.woff",
        "file:///etc/passwd",
        (ASSETS / ".." / ".." / "rtw" / "settings.py").as_uri(),
        "file://evil.example/" + str(ASSETS / "print.css"),
        "data:text/css,body{}",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_everything_but_our_print_assets(url: str) -> None:
    assert asset_path(url) is None
    with pytest.raises(PermissionError):
        AssetsOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_print_stylesheet() -> None:
    response = AssetsOnlyFetcher().fetch((ASSETS / "print.css").as_uri())
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_markup_that_gets_through_still_fetches_nothing(no_network, caplog) -> None:
    """Even raw HTML (which autoescape never lets through) cannot make WeasyPrint fetch or
    attach anything: the fetcher is the last line."""
    from weasyprint import HTML

    caplog.set_level(logging.WARNING)
    html = "<html><body>" + "".join(MALICIOUS) + "<p>text</p></body></html>"
    pdf = HTML(
        string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=AssetsOnlyFetcher()
    ).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert no_network == []
    refused = [r.getMessage() for r in caplog.records if r.name == "rtw.pdf"]
    assert any("/etc/passwd" in m for m in refused)
    assert any("127.0.0.1" in m for m in refused)
