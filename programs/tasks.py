"""Periodic tasks of the ``programs`` app (found by Celery's autodiscovery)."""

from celery import shared_task
from django.utils import timezone

from programs.services.batch import propose_next_weeks


@shared_task(name="programs.propose_next_weeks", acks_late=True)
def propose_next_weeks_task() -> dict[str, int]:
    """Propose next week for every active program whose week has ended
    (CELERY_BEAT_SCHEDULE: daily). Safe to run twice: a second run plans nothing more."""
    result = propose_next_weeks(timezone.localdate())
    return {"planned": result.planned, "halted": result.halted, "failed": len(result.failed)}
