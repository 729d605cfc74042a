"""A patient's employer reports (physiotherapists), each report's live status, retry and
share; and the one download view, for the physiotherapist and the viewers it was shared
with."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from patients.scoping import get_patient_for
from patients.views.common import attach, field_fragment, wants_fragment
from rtw import audit
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models import Report, ReportStatus, Role
from rtw.models.users import CLINICIAN_ROLES
from rtw.reports import services
from rtw.reports.forms import ReportForm
from rtw.reports.scoping import get_report_for

PAGE = "reports/patient_reports.html"


def _page(request: AuthedRequest, patient_uuid: UUID, form: ReportForm) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    reports = (
        Report.objects.filter(patient=patient)
        .defer("pdf", "data")
        .select_related("author", "employer")
        .prefetch_related("recipients")
        .order_by("-number")
    )
    context = {
        "patient": patient,
        "consent": services.open_consent(patient),
        "reports": reports,
        "form": form,
    }
    return render(request, PAGE, context)


@require_safe
@role_required(CLINICIAN_ROLES)
def patient_reports(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    return _page(request, patient_uuid, ReportForm(today=timezone.localdate()))


@require_POST
@role_required(CLINICIAN_ROLES)
def generate(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = ReportForm(request.POST, today=timezone.localdate())
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if form.is_valid():
        try:
            report = services.request_report(
                acting_user=request.user, patient=patient, **form.cleaned_data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            report.refresh_from_db(fields=["status", "error"])
            if report.status == ReportStatus.FAILED:
                messages.error(request, f"Report {report.number}: {report.error}")
            else:
                messages.success(
                    request, f"Report {report.number} is {report.get_status_display().lower()}."
                )
            return redirect("reports:patient_reports", patient.uuid)
    return _page(request, patient_uuid, form)


def _row(request: AuthedRequest, report: Report) -> HttpResponse:
    """The report's table row: the htmx fragment, or back to the list without htmx."""
    if wants_fragment(request):
        return render(request, f"{PAGE}#report-row", {"report": report})
    return redirect("reports:patient_reports", report.patient.uuid)


@require_safe
@role_required(CLINICIAN_ROLES)
def status(request: AuthedRequest, report_uuid: UUID) -> HttpResponse:
    return _row(request, get_report_for(request.user, report_uuid))


@require_POST
@role_required(CLINICIAN_ROLES)
def retry(request: AuthedRequest, report_uuid: UUID) -> HttpResponse:
    report = get_report_for(request.user, report_uuid)
    try:
        services.retry_report(acting_user=request.user, report=report)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        report.refresh_from_db(fields=["status", "error"])
        if report.status == ReportStatus.FAILED:
            messages.error(request, f"Report {report.number}: {report.error}")
        else:
            messages.success(request, f"Report {report.number} is queued again.")
    return redirect("reports:patient_reports", report.patient.uuid)


@require_POST
@role_required(CLINICIAN_ROLES)
def share(request: AuthedRequest, report_uuid: UUID) -> HttpResponse:
    report = get_report_for(request.user, report_uuid)
    try:
        new = services.share_report(acting_user=request.user, report=report)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if new:
            names = ", ".join(viewer.display_name for viewer in new)
            messages.success(request, f"Report {report.number} shared with {names}; emailed.")
        else:
            messages.info(request, f"Report {report.number} is already shared with every viewer.")
    return redirect("reports:patient_reports", report.patient.uuid)


@require_safe
@role_required([*CLINICIAN_ROLES, Role.EMPLOYER_VIEWER])
def download(request: AuthedRequest, report_uuid: UUID) -> HttpResponse:
    report = get_report_for(request.user, report_uuid, with_pdf=True)
    if report.status != ReportStatus.READY or report.pdf is None:
        raise Http404("This report has no PDF yet.")
    patient = report.patient
    audit.accessed(request.user, patient_uuid=patient.uuid, patient_clinic_id=patient.clinic_id)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, report.filename) or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response
