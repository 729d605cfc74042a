"""The employer viewer's read-only pages: the dashboard of consenting workers, and one
worker's page with the capacity-against-demand chart. Both read only the snapshot."""

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from patients.employer import snapshot
from rtw.http import AuthedRequest, role_required
from rtw.models import Role
from rtw.reports.document import lift_chart_svg


@require_safe
@role_required([Role.EMPLOYER_VIEWER])
def dashboard(request: AuthedRequest) -> HttpResponse:
    page, workers = snapshot.page_for_viewer(
        request.user, today=timezone.localdate(), number=request.GET.get("page")
    )
    context = {"workers": workers, "page": page, "employer_name": request.user.organisation_name}
    return render(request, "employer/dashboard.html", context)


@require_safe
@role_required([Role.EMPLOYER_VIEWER])
def worker(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    w = snapshot.worker_for_viewer(request.user, patient_uuid, today=timezone.localdate())
    return render(request, "employer/worker.html", {"w": w, "chart_svg": lift_chart_svg(w)})
