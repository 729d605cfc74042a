"""Reports tests share the employer tests' clock and in-process tasks."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from rtw.celery import app as celery_app
from tests.employer.conftest import at, in_process_tasks

__all__ = ["at", "celery_broker", "in_process_tasks"]


@contextmanager
def celery_broker(url: str, *, eager: bool) -> Iterator[None]:
    """Point Celery's publisher at ``url`` (dropping its cached pools) for the block."""
    conf = celery_app.conf
    before = (conf.broker_url, conf.task_always_eager, os.environ.get("CELERY_BROKER_URL"))
    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    os.environ["CELERY_BROKER_URL"] = url
    conf.update(broker_url=url, task_always_eager=eager)
    _drop_pools()
    try:
        yield
    finally:
        conf.update(broker_url=before[0], task_always_eager=before[1])
        if before[2] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before[2]
        _drop_pools()


def _drop_pools() -> None:
    # Celery caches its connection pools for the URL it first used.
    setattr(celery_app, "_pool", None)  # noqa: B010
    setattr(celery_app.amqp, "_producer_pool", None)  # noqa: B010
