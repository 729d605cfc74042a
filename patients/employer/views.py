"""The employer viewer's read-only pages: the dashboard of consenting workers, and one
worker's page with the capacity-against-demand chart. Both read only the snapshot."""

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from patients.employer import snapshot
from rtw import page_cache
from rtw.http import AuthedRequest, role_required
from rtw.models import Role
from rtw.reports.document import lift_chart_svg


@require_safe
@role_required([Role.EMPLOYER_VIEWER])
def dashboard(request: AuthedRequest) -> HttpResponse:
    page, rows = snapshot.viewer_page(request.user, number=request.GET.get("page"))
    today = timezone.localdate()

    def context() -> dict[str, Any]:
        workers = snapshot.snapshots(rows, viewer=request.user, today=today)
        return {"workers": workers, "page": page, "employer_name": request.user.organisation_name}

    where = f"{page.number}/{page.paginator.num_pages}"
    body = page_cache.body(
        request,
        "employer/dashboard_body.html",
        patients=[row.uuid for row in rows],
        extra=f"{request.user.pk}:{today}:{where}",
        context=context,
    )
    return render(request, "employer/dashboard.html", {"body": body})


@require_safe
@role_required([Role.EMPLOYER_VIEWER])
def worker(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    row = snapshot.worker_row(request.user, patient_uuid)
    today = timezone.localdate()

    def context() -> dict[str, Any]:
        w = snapshot.worker_for_viewer(row, viewer=request.user, today=today)
        return {"w": w, "chart_svg": lift_chart_svg(w)}

    body = page_cache.body(
        request,
        "employer/worker_body.html",
        patients=[row.uuid],
        extra=f"{request.user.pk}:{today}",
        context=context,
    )
    return render(request, "employer/worker.html", {"name": row.name, "body": body})
