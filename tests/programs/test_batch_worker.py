"""The daily batch task, sent to a real Celery worker with two processes, asks a second run
to share the work: every due program gets its proposal once, and the two runs' counts add
up to them. In CI (``RTW_REQUIRE_SERVICES=1``) it must run; a plain checkout, with no broker
and SQLite in memory, runs the task in-process (``test_batch.py``) and skips this."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from programs.models import Program, Week, WeekStatus
from programs.tasks import propose_next_weeks_task
from tests import real_worker
from tests.conftest import World
from tests.factories import make_patient, make_program
from tests.programs.helpers import MONDAY, end_of, log_week, plan
from tests.reports.conftest import celery_broker

PROGRAMS = 4


def _due(world: World, program: Program) -> list[Program]:
    programs = [program]
    for _ in range(PROGRAMS - 1):
        patient = make_patient(world.physio, employer=world.employer)
        programs.append(make_program(patient, activate_on=MONDAY))
    for each in programs:
        week = plan(each, MONDAY).week
        log_week(each, week)
        log_week(each, plan(each, end_of(week)).week)  # ended weeks ago: due today
    return programs


def _planned(programs: list[Program]) -> int:
    return Week.objects.filter(program__in=programs, status=WeekStatus.PLANNED).count()


def _shares(log: Path) -> list[int]:
    """What each run logged it planned: the daily run's, then its helpers'."""
    found = re.findall(
        r"Task programs\.(?:propose|share_of)_next_weeks\[[^\]]+\] succeeded in [^:]+: "
        r"\{'planned': (\d+)",
        log.read_text(),
    )
    return [int(n) for n in found]


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
def test_the_daily_task_shares_the_batch_between_two_worker_processes(
    world: World, program: Program, tmp_path: Path
) -> None:
    if not real_worker.possible():
        if real_worker.REQUIRED:
            pytest.fail("CI must run this against PostgreSQL and a real broker.")
        pytest.skip("needs a broker and a database another process can see")
    programs = _due(world, program)
    log = tmp_path / "celery-worker.log"
    with (
        real_worker.queue_for("programs.*", "batch-test") as queue,
        real_worker.worker(queue, log, processes=settings.RTW_BATCH_PROCESSES),
        celery_broker(settings.CELERY_BROKER_URL, eager=False),
    ):
        propose_next_weeks_task.delay()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (
            _planned(programs) < PROGRAMS or len(_shares(log)) < settings.RTW_BATCH_PROCESSES
        ):
            time.sleep(0.5)
    assert _planned(programs) == PROGRAMS
    for each in programs:
        assert Week.objects.filter(program=each, status=WeekStatus.PLANNED).count() == 1
    shares = _shares(log)
    assert len(shares) == settings.RTW_BATCH_PROCESSES  # the daily run's own, and its helper's
    assert sum(shares) == PROGRAMS
