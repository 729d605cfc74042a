"""A real Celery worker for a test: its own process, its own queue, the test's database and
the real broker (CI: ``RTW_REQUIRE_SERVICES=1``, PostgreSQL and Redis). A plain checkout
(SQLite in memory, no broker) cannot start one: no other process sees the database."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from rtw.celery import app as celery_app

REQUIRED = os.environ.get("RTW_REQUIRE_SERVICES") == "1"
ROOT = Path(settings.BASE_DIR)


def possible() -> bool:
    return bool(settings.CELERY_BROKER_URL) and connection.vendor == "postgresql"


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def _route(routes: object) -> None:
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@contextmanager
def queue_for(pattern: str, prefix: str) -> Iterator[str]:
    """A queue of the test's own for the tasks named by ``pattern`` (``reports.*``), so that
    no stray message from elsewhere reaches its worker."""
    queue = f"{prefix}-{uuid.uuid4().hex[:10]}"
    before = celery_app.conf.task_routes
    _route({pattern: {"queue": queue}})
    try:
        yield queue
    finally:
        _route(before)


@contextmanager
def worker(queue: str, log_path: Path, *, processes: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """A worker consuming ``queue`` only: one process (solo pool) or ``processes`` forked."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "RTW_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "rtw.settings",
    }
    pool = ["--pool", "solo"] if processes == 1 else ["--concurrency", str(processes)]
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "rtw",
        "worker",
        "--queues",
        queue,
        *pool,
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    print(log_path.read_text()[-4000:])  # pytest shows it when the test fails
