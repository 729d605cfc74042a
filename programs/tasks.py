"""Periodic tasks of the ``programs`` app (found by Celery's autodiscovery)."""

from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from programs.services.batch import propose_next_weeks


@shared_task(bind=True, name="programs.propose_next_weeks", acks_late=True)
def propose_next_weeks_task(self: Any) -> dict[str, int]:
    """Propose next week for every active program whose week has ended
    (CELERY_BEAT_SCHEDULE: daily). Safe to run twice: a second run plans nothing more.

    Run by a worker, it first asks ``RTW_BATCH_PROCESSES - 1`` more runs, on the queue it
    came from, to join it on the worker's other processes: each run takes the next chunk of
    due programs that no run holds (a chunk's rows stay locked until it commits, and the
    others skip them), so the work is shared and never done twice. Called in-process (no
    broker, or directly), it runs alone."""
    if not (self.request.called_directly or self.request.is_eager):
        queue = (self.request.delivery_info or {}).get("routing_key")
        options = {"queue": queue} if queue else {}
        for _ in range(settings.RTW_BATCH_PROCESSES - 1):
            share_of_next_weeks_task.apply_async(**options)
    return share_of_next_weeks_task()


@shared_task(name="programs.share_of_next_weeks", acks_late=True)
def share_of_next_weeks_task() -> dict[str, int]:
    """One run's share of the weekly batch: the due programs no other run holds."""
    result = propose_next_weeks(timezone.localdate())
    return {"planned": result.planned, "halted": result.halted, "failed": len(result.failed)}
