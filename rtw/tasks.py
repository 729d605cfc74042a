"""Periodic tasks of the ``rtw`` app (found by Celery's autodiscovery)."""

from celery import shared_task
from django.utils import timezone

from rtw import retention


@shared_task(name="retention.apply", acks_late=True)
def apply_retention() -> list[str]:
    """Delete what the retention policy says is due today (CELERY_BEAT_SCHEDULE: daily).

    Safe to run twice: a second run finds nothing more due.
    """
    now = timezone.now()
    outcome = retention.apply(today=timezone.localdate(now), now=now)
    return outcome.lines()
