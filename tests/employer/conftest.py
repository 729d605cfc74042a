from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rtw.celery import app as celery_app


@pytest.fixture
def at() -> Any:
    """Move the clock (views read ``timezone.localdate()``): ``with at(date): ...``."""

    def travel(day: date) -> Any:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London"))
        return time_machine.travel(noon, tick=False)

    return travel


@pytest.fixture(autouse=True)
def in_process_tasks() -> Iterator[None]:
    """Reports render in-process here (the real worker has its own test), so that a
    broker configured in CI never collects messages that no worker will take."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
