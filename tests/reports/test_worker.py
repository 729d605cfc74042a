"""A real Celery worker, started as its own process against the real broker and the test
database, renders a real PDF requested through the page's service.

In CI (``RTW_REQUIRE_SERVICES=1``, PostgreSQL and Redis) it must run. On a plain checkout
(SQLite in memory, no broker) no other process can see the database, so the same flow runs
in-process instead, still rendering and checking a real PDF.
"""

import io
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from rtw.celery import app as celery_app
from rtw.models import Report, ReportStatus
from rtw.reports import services
from tests.conftest import World
from tests.employer.builders import TODAY, make_worker
from tests.reports.conftest import celery_broker

REQUIRED = os.environ.get("RTW_REQUIRE_SERVICES") == "1"
ROOT = Path(settings.BASE_DIR)


def _real_worker_possible() -> bool:
    return bool(settings.CELERY_BROKER_URL) and connection.vendor == "postgresql"


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def _route_reports_to(queue: str) -> None:
    celery_app.conf.task_routes = {"reports.*": {"queue": queue}}
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """A queue of this test's own, so that no stray message from elsewhere reaches it."""
    queue = f"pdf-test-{uuid.uuid4().hex[:10]}"
    before = celery_app.conf.task_routes
    _route_reports_to(queue)
    yield queue
    _route_reports_to_default(before)


def _route_reports_to_default(routes: object) -> None:
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture
def celery_worker(worker_queue: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "RTW_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "rtw.settings",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "rtw",
        "worker",
        "--queues",
        worker_queue,
        "--pool",
        "solo",
        "--hostname",
        f"{worker_queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    log_path = tmp_path / "celery-worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        yield process
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    print(log_path.read_text()[-4000:])  # pytest shows it when the test fails


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
    if not _real_worker_possible():
        if REQUIRED:
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
