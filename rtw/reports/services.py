"""State changes to reports. Each is one transaction that writes its audit event; the PDF
is rendered by the Celery task ``reports.render_report``, enqueued after the commit."""

import hashlib
import logging
from collections.abc import Sequence
from datetime import date
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from patients.employer import snapshot as employer
from patients.models import Consent, Patient
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import Report, ReportStatus, Role, User
from rtw.reports import document
from rtw.reports.rules import (
    GAVE_UP,
    MAX_ATTEMPTS,
    NOT_MADE,
    NOT_QUEUED,
    TOO_SLOW,
    period_problem,
)

logger = logging.getLogger(__name__)

STATE_FIELDS = ("status", "error", "attempts")
# Worth another try with backoff: the database or a connection blinked. Anything else
# (a template or rendering bug) fails the same way again, so it fails the report at once.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def open_consent(patient: Patient) -> Consent | None:
    return (
        Consent.objects.select_related("employer")
        .filter(patient=patient, withdrawn_on__isnull=True)
        .first()
    )


def _require_clinician_of(acting_user: User, patient: Patient) -> None:
    if not acting_user.is_clinician or acting_user.clinic_id != patient.clinic_id:
        raise ServiceError("Only a physiotherapist of the worker's clinic can do this.")


def _reporting_consent(patient: Patient, employer_id: int | None = None) -> Consent:
    # Read from the database, not the instance: a restriction recorded a moment ago holds.
    if Patient.objects.filter(pk=patient.pk, sharing_restricted_at__isnull=False).exists():
        raise ServiceError(
            f"Sharing with the employer is restricted at {patient.full_name}'s request: "
            "no report can be made or shared until the restriction is lifted."
        )
    consent = open_consent(patient)
    if consent is None or not consent.share_reports:
        raise ServiceError(
            f"{patient.full_name} has no open consent to share progress reports with their "
            "employer. Record their consent first."
        )
    if employer_id is not None and consent.employer_id != employer_id:
        raise ServiceError("The worker's consent now names another employer: make a new report.")
    return consent


@transaction.atomic
def request_report(
    *,
    acting_user: User,
    patient: Patient,
    period_from: date,
    period_to: date,
    today: date | None = None,
) -> Report:
    """Make a report's snapshot now and queue its PDF. Refused without consent or data."""
    today = today or timezone.localdate()
    _require_clinician_of(acting_user, patient)
    consent = _reporting_consent(patient)
    if problem := period_problem(period_from, period_to, today):
        raise ServiceError(problem, field="period_from")
    snapshot = employer.for_report(
        consent, period_from=period_from, period_to=period_to, today=today
    )
    if not snapshot.has_data:
        raise ServiceError(
            "There is nothing to report yet within what the worker agreed to share: "
            "record an assessment or start a program first."
        )
    # Numbers are per patient: lock the patient so that two requests cannot take the same.
    Patient.objects.select_for_update(of=("self",)).filter(pk=patient.pk).first()
    last = Report.objects.filter(patient=patient).aggregate(n=Max("number"))["n"] or 0
    report = Report.objects.create(
        patient=patient,
        program_id=_program_id(patient),
        employer=consent.employer,
        number=last + 1,
        period_from=period_from,
        period_to=period_to,
        author=acting_user,
        data=document.data_for(
            snapshot, prepared_by=acting_user.display_name, clinic=patient.clinic.name
        ),
    )
    audit.record(
        actor=acting_user,
        action="report.requested",
        target=report,
        after={
            "number": report.number,
            "period_from": period_from,
            "period_to": period_to,
            "employer": consent.employer.name,
            "status": report.status,
        },
    )
    transaction.on_commit(partial(enqueue, report.pk))
    return report


def _program_id(patient: Patient) -> int | None:
    program = employer.current_programs([patient.pk]).get(patient.pk)
    return program.pk if program else None


@transaction.atomic
def retry_report(*, acting_user: User, report: Report) -> Report:
    _require_clinician_of(acting_user, report.patient)
    locked = _locked(report.pk)
    if locked is None or locked.status != ReportStatus.FAILED:
        raise ServiceError("Only a report that failed can be tried again.")
    _reporting_consent(report.patient, locked.employer_id)
    locked.attempts = 0  # a fresh run of tries; the audit trail keeps the earlier ones
    _set_state(locked, ReportStatus.QUEUED, actor=acting_user, action="report.retried")
    transaction.on_commit(partial(enqueue, locked.pk))
    return locked


@transaction.atomic
def share_report(*, acting_user: User, report: Report) -> list[User]:
    """Share a ready report with every active viewer of its employer; email the new ones.

    Returns the viewers it was newly shared with (none when all already had it).
    """
    _require_clinician_of(acting_user, report.patient)
    locked = _locked(report.pk)
    if locked is None or locked.status != ReportStatus.READY:
        raise ServiceError("Only a ready report can be shared.")
    consent = _reporting_consent(report.patient, locked.employer_id)
    viewers = list(
        User.objects.filter(
            role=Role.EMPLOYER_VIEWER, employer_id=locked.employer_id, is_active=True
        ).order_by("pk")
    )
    if not viewers:
        raise ServiceError(
            f"{consent.employer.name} has no active viewer account yet: ask your clinic admin "
            "to invite one."
        )
    already = set(locked.recipients.values_list("pk", flat=True))
    new = [viewer for viewer in viewers if viewer.pk not in already]
    if not new:
        return []
    locked.recipients.add(*new)
    first_share = locked.shared_at is None
    if first_share:
        locked.shared_at = timezone.now()
        locked.save(update_fields=["shared_at"])
    audit.record(
        actor=acting_user,
        action="report.shared",
        target=locked,
        before={"recipients": sorted(already)},
        after={"recipients": sorted(already | {v.pk for v in new}), "shared_at": locked.shared_at},
    )
    transaction.on_commit(partial(_email_recipients, locked.pk, [v.pk for v in new]))
    return new


def _email_recipients(report_id: int, user_ids: Sequence[int]) -> None:
    """One email each, so that no recipient learns the others' addresses."""
    report = (
        Report.objects.defer("pdf", "data")
        .select_related("patient", "employer", "author")
        .get(pk=report_id)
    )
    link = settings.SITE_URL.rstrip("/") + reverse("reports:download", args=[report.uuid])
    messages = []
    for user in User.objects.filter(pk__in=user_ids):
        context = {"user": user, "report": report, "link": link}
        messages.append(
            (
                f"Return-to-work progress report for {report.patient.full_name}",
                render_to_string("reports/email/shared.txt", context),
                None,
                [user.email],
            )
        )
    send_mass_mail(messages, fail_silently=False)


# --- the queue and the task's work ----------------------------------------------------


def enqueue(report_id: int) -> bool:
    """Hand the report to the PDF queue. When the broker does not answer, the report is
    marked failed with a message that says so (it is never left queued for nobody)."""
    from rtw.reports.tasks import render_report

    try:
        render_report.delay(report_id)
    except BrokerError:
        logger.exception("Report %s could not be queued", report_id)
        mark_failed(report_id, NOT_QUEUED)
        return False
    except Exception:
        # Only in-process (eager) mode gets here: the task's own error, re-raised.
        logger.exception("Report %s failed in-process", report_id)
        mark_failed(report_id, NOT_MADE)
        return False
    return True


def _locked(report_id: int) -> Report | None:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(pk=report_id)
        .first()
    )


def _set_state(
    report: Report, status: str, *, actor: User | None, action: str, error: str = ""
) -> None:
    before = audit.snapshot(report, STATE_FIELDS)
    report.status = status
    report.error = error[:300]
    report.save(update_fields=["status", "error", "attempts"])
    audit.record(
        actor=actor,
        action=action,
        target=report,
        before=before,
        after=audit.snapshot(report, STATE_FIELDS),
        clinic_id=report.patient.clinic_id,
    )


@transaction.atomic
def mark_failed(report_id: int, message: str) -> None:
    report = _locked(report_id)
    if report is None or report.status in (ReportStatus.READY, ReportStatus.FAILED):
        return
    _set_state(report, ReportStatus.FAILED, actor=None, action="report.failed", error=message)


@transaction.atomic
def _claim(report_id: int) -> bool:
    """Queued (or left rendering by a worker that died) → rendering; anything else: skip."""
    report = _locked(report_id)
    if report is None or report.status in (ReportStatus.READY, ReportStatus.FAILED):
        return False
    if report.attempts >= MAX_ATTEMPTS:
        _set_state(report, ReportStatus.FAILED, actor=None, action="report.failed", error=GAVE_UP)
        return False
    report.attempts += 1
    if report.status == ReportStatus.RENDERING:
        report.save(update_fields=["attempts"])  # a re-run: no new status change
    else:
        _set_state(report, ReportStatus.RENDERING, actor=None, action="report.rendering")
    return True


def render(report_id: int) -> str:
    """The task's work, idempotent: however often it runs, one PDF and one change to ready.

    The row stays locked while the PDF is made, so a duplicate run waits and then finds
    it ready. A worker killed mid-render leaves it "rendering"; the re-run completes it.
    Transient errors propagate for the task to retry; any other error fails the report.
    """
    if not _claim(report_id):
        return "skipped"
    with transaction.atomic():
        report = _locked(report_id)
        if report is None or report.status != ReportStatus.RENDERING:
            return "skipped"
        meta = document.ReportMeta(
            number=report.number,
            period_from=report.period_from,
            period_to=report.period_to,
            made_on=timezone.localdate(report.created_at),
            prepared_by=str(report.data.get("prepared_by", "")),
            clinic=str(report.data.get("clinic", "")),
        )
        try:
            pdf = document.render(report.data, meta)
        except TRANSIENT:
            raise
        except SoftTimeLimitExceeded:
            _set_state(
                report, ReportStatus.FAILED, actor=None, action="report.failed", error=TOO_SLOW
            )
            return "failed"
        except Exception:
            logger.exception("Report %s could not be rendered", report_id)
            _set_state(
                report, ReportStatus.FAILED, actor=None, action="report.failed", error=NOT_MADE
            )
            return "failed"
        report.pdf = pdf
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.rendered_at = timezone.now()
        report.save(update_fields=["pdf", "pdf_sha256", "rendered_at"])
        _set_state(report, ReportStatus.READY, actor=None, action="report.ready")
    return "ready"
