"""Employer reports: a patient's reports page, generating, status, retry and sharing are
clinical (physiotherapists of the clinic; the other clinic's gets 404). The download is for
the physiotherapist and for the viewers a report was shared with (the other employer's
viewer gets 404); a clinic admin who is not a physiotherapist gets 403 everywhere."""

from django.utils import timezone

from rtw.models import Report, ReportStatus
from tests.access import Case, expect
from tests.conftest import World

OURS = expect(403, physio=200, other_physio=404)
OURS_REDIRECT = expect(403, physio=302, other_physio=404)
POST_ONLY = expect(405)
# A viewer's unsafe method is refused before any view (patients.employer.readonly).
GET_ONLY = expect(405, viewer=403, other_viewer=403)
DOWNLOAD = expect(403, physio=200, other_physio=404, viewer=200, other_viewer=404)


def make_report(w: World, *, status: str = ReportStatus.READY, shared: bool = True) -> Report:
    """A report row for our patient (no rendering: the access matrix is about who, not how)."""
    ready = status == ReportStatus.READY
    report = Report.objects.create(
        patient=w.patient,
        employer=w.employer,
        number=Report.objects.filter(patient=w.patient).count() + 1,
        period_from=timezone.localdate(),
        period_to=timezone.localdate(),
        author=w.physio,
        status=status,
        pdf=b"%PDF-1.7 matrix" if ready else None,
        rendered_at=timezone.now() if ready else None,
        shared_at=timezone.now() if shared else None,
    )
    if shared:
        report.recipients.add(w.viewer)
    return report


def _patient(w: World, rest: str = "") -> str:
    return f"/patients/{w.patient.uuid}/reports/{rest}"


def _report(w: World, rest: str) -> str:
    return f"/reports/{make_report(w).uuid}/{rest}"


REPORT_CASES: list[Case] = [
    Case("reports:patient_reports", _patient, OURS),
    # An empty form comes back with its errors: nothing is made or queued.
    Case("reports:generate", lambda w: _patient(w, "new/"), OURS, method="post"),
    Case(
        "reports:generate",
        lambda w: _patient(w, "new/"),
        OURS,
        method="post",
        data=lambda w: {"_validate": "period_to", "period_to": "2999-01-01"},
        htmx=True,
    ),
    Case("reports:generate", lambda w: _patient(w, "new/"), POST_ONLY),
    Case("reports:status", lambda w: _report(w, "status/"), OURS, htmx=True),
    Case("reports:status", lambda w: _report(w, "status/"), OURS_REDIRECT),
    # A ready report cannot be retried: refused with a message, back to the list.
    Case("reports:retry", lambda w: _report(w, "retry/"), OURS_REDIRECT, method="post"),
    Case("reports:share", lambda w: _report(w, "share/"), OURS_REDIRECT, method="post"),
    Case("reports:share", lambda w: _report(w, "share/"), POST_ONLY),
    Case("reports:download", lambda w: _report(w, "download/"), DOWNLOAD),
    Case("reports:download", lambda w: _report(w, "download/"), GET_ONLY, method="post"),
]
