"""The Celery task that renders a report's PDF. Named ``reports.*`` so that
``CELERY_TASK_ROUTES`` sends it to the ``pdf`` queue, away from quick jobs."""

from typing import Any

from celery import Task, shared_task

from rtw.reports import services
from rtw.reports.rules import NOT_MADE


class ReportTask(Task):  # type: ignore[type-arg]
    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        # Retries used up, or an error the work itself did not catch: never leave the
        # report queued or rendering for nobody.
        report_id = args[0] if args else kwargs.get("report_id")
        if isinstance(report_id, int):
            services.mark_failed(report_id, NOT_MADE)


@shared_task(
    name="reports.render_report",
    base=ReportTask,
    autoretry_for=services.TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=4,
    soft_time_limit=60,
    time_limit=90,
    acks_late=True,
    reject_on_worker_lost=True,
)
def render_report(report_id: int) -> str:
    """Render report ``report_id`` (an id, never an object: the row is read fresh)."""
    return services.render(report_id)
