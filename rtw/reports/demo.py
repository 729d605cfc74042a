"""A demo report: Jamie Carter's first progress report, rendered and shared with Acme's
viewer, so that both the physiotherapist's and the employer's pages have one. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from patients.models import Patient
from rtw.demo import DemoOrgs
from rtw.errors import ServiceError
from rtw.models import Report
from rtw.reports import services


def seed_reports(orgs: DemoOrgs) -> None:
    jamie = Patient.objects.filter(
        clinic=orgs.clinics["riverside"], first_name="Jamie", last_name="Carter"
    ).first()
    if jamie is None or Report.objects.filter(patient=jamie).exists():
        return
    today = timezone.localdate()
    try:
        report = services.request_report(
            acting_user=jamie.physiotherapist,
            patient=jamie,
            period_from=today - timedelta(days=27),
            period_to=today,
            today=today,
        )
    except ServiceError:
        return  # no consent or nothing to report: the demo simply has no report
    # Rendered here so that it can be shared at once; the queued job then finds it ready.
    services.render(report.pk)
    report.refresh_from_db()
    if report.status == "ready":
        services.share_report(acting_user=jamie.physiotherapist, report=report)
