"""The employer viewer's read-only pages: the dashboard of consenting workers, and one
worker's page with the capacity-against-demand chart. Both read only the snapshot."""

import hashlib
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
    page, workers = snapshot.page_for_viewer(
        request.user, today=timezone.localdate(), number=request.GET.get("page")
    )
    context = {"workers": workers, "page": page, "employer_name": request.user.organisation_name}
    return render(request, "employer/dashboard.html", context)


@require_safe
@role_required([Role.EMPLOYER_VIEWER])
def worker(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    row = snapshot.worker_row(request.user, patient_uuid)
    today = timezone.localdate()

    def context() -> dict[str, Any]:
        w = snapshot.worker_for_viewer(row, viewer=request.user, today=today)
        return {"w": w, "chart_svg": lift_chart_svg(w)}

    # The row (name, job, physiotherapist, employer, what the consent shares) is read
    # afresh each visit: a body shown under another row is never served.
    fresh = hashlib.sha256(repr(row).encode()).hexdigest()[:16]
    body = page_cache.body(
        request,
        "employer/worker_body.html",
        patient=row.uuid,
        extra=f"{request.user.pk}:{today}:{fresh}",
        context=context,
    )
    return render(request, "employer/worker.html", {"name": row.name, "body": body})
