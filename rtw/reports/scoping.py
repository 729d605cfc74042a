"""Which reports a user may reach: the one chokepoint for every report view.

A physiotherapist reaches the reports of their clinic's patients (through
``visible_patients``). An employer viewer reaches a report only while all of these hold:
it is ready and was shared with them, it was made for their employer, and the worker's
consent with that employer is still open and still covers reports; a withdrawal takes
effect on the next request. Anything else is a 404.
"""

from uuid import UUID

from django.db.models import QuerySet

from patients.employer.snapshot import viewer_consents
from patients.scoping import visible_patients
from rtw import audit
from rtw.models import Report, ReportStatus, User


def visible_reports(user: User) -> QuerySet[Report]:
    if user.is_clinician:
        return Report.objects.filter(patient__in=visible_patients(user))
    if user.is_employer_viewer and user.employer_id is not None:
        consenting = viewer_consents(user).filter(share_reports=True).values("patient_id")
        return Report.objects.filter(
            patient__in=consenting,
            employer_id=user.employer_id,
            recipients=user,
            status=ReportStatus.READY,
            shared_at__isnull=False,
        )
    return Report.objects.none()


def get_report_for(user: User, report_uuid: UUID, *, with_pdf: bool = False) -> Report:
    reports = visible_reports(user).select_related("patient")
    if not with_pdf:
        reports = reports.defer("pdf", "data")
    tenant = "employer_id" if user.is_employer_viewer else "patient__clinic_id"
    return audit.get_or_404(reports, user=user, tenant=tenant, uuid=report_uuid)
