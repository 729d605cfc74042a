"""A real Celery worker, started as its own process against the real broker and the test
database, renders a real PDF requested through the page's service.

In CI (``RTW_REQUIRE_SERVICES=1``, PostgreSQL and Redis) it must run. On a plain checkout
(SQLite in memory, no broker) no other process can see the database, so the same flow runs
in-process instead, still rendering and checking a real PDF.
"""

import io
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from rtw.models import Report, ReportStatus
from rtw.reports import services
from tests import real_worker
from tests.conftest import World
from tests.employer.builders import TODAY, make_worker
from tests.reports.conftest import celery_broker


@pytest.fixture
def celery_worker(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with (
        real_worker.queue_for("reports.*", "pdf-test") as queue,
        real_worker.worker(queue, tmp_path / "celery-worker.log") as process,
    ):
        yield process


def _wait_until_final(report: Report, timeout: float = 90) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.is_final:
            return report
        time.sleep(0.5)
    raise AssertionError(f"report still {report.status} after {timeout} s")


def _request(world: World, worker) -> Report:
    return services.request_report(
        acting_user=world.physio,
        patient=worker,
        period_from=date(2026, 10, 1),
        period_to=TODAY,
        today=TODAY,
    )


def _check_pdf(report: Report) -> None:
    assert report.status == ReportStatus.READY, report.error
    assert report.pdf is not None
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Worker Worked" in text
    assert "Job demands against current capacity" in text
    assert "Cartons onto pallets" in text and "80 %" in text


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_requested_report(world: World, request) -> None:
    worker = make_worker(world.physio, world.employer, last_name="Worked")
    if not real_worker.possible():
        if real_worker.REQUIRED:
            pytest.fail("CI must run this against PostgreSQL and a real broker.")
        report = _request(world, worker)  # in-process: rendered as the transaction commits
        report.refresh_from_db()
        _check_pdf(report)
        return
    request.getfixturevalue("celery_worker")
    with celery_broker(settings.CELERY_BROKER_URL, eager=False):
        report = _request(world, worker)  # committed: the worker is handed the id
    report = _wait_until_final(report)
    _check_pdf(report)
    assert report.attempts == 1
