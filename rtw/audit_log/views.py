"""The clinic's audit log (clinic admins), and who saw one patient's data (the clinic's
admins and physiotherapists), as a page and as a CSV file for an access request."""

import csv
from datetime import UTC
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from patients.scoping import get_clinic_patient_for
from rtw.audit_log.forms import AuditFilterForm
from rtw.audit_log.queries import PER_PAGE, Filters, page_of, what_label
from rtw.http import AuthedRequest, role_required
from rtw.models import AccessEvent, Role
from rtw.models.users import ADMIN_ROLES, CLINIC_ROLES

MAX_PAGE = 100_000


def _page_number(request: AuthedRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


@require_safe
@role_required(ADMIN_ROLES)
def log(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, user=request.user)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not cleaned:
        # Keep the valid filters, leave out the invalid ones (each says why).
        cleaned = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    filters = Filters.from_cleaned(cleaned)
    page = page_of(request.user, filters, _page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filters": filters}
    template = "audit/log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _role(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


def organisation(event: AccessEvent) -> str:
    org = event.actor_clinic or event.actor_employer
    return org.name if org else "—"


@require_safe
@role_required(CLINIC_ROLES)
def patient_access(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_clinic_patient_for(request.user, patient_uuid)
    events = AccessEvent.objects.filter(patient_uuid=patient.uuid).select_related(
        "actor", "actor_clinic", "actor_employer"
    )
    page = Paginator(events.order_by("-created_at", "-id"), PER_PAGE, allow_empty_first_page=True)
    current = page.get_page(request.GET.get("page"))
    rows = [
        {
            "at": e.created_at,
            "who": e.actor.display_name,
            "role": _role(e.actor_role),
            "organisation": organisation(e),
            "what": what_label(e.what),
            "object": e.object_ref,
        }
        for e in current
    ]
    context = {"patient": patient, "page": current, "rows": rows}
    return render(request, "audit/patient_access.html", context)


CSV_HEADER = ["when (UTC)", "who", "role", "organisation", "what", "page code", "object"]


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
@role_required(CLINIC_ROLES)
def patient_access_csv(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_clinic_patient_for(request.user, patient_uuid)
    events = (
        AccessEvent.objects.filter(patient_uuid=patient.uuid)
        .select_related("actor", "actor_clinic", "actor_employer")
        .order_by("created_at", "id")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="access-log-{patient.uuid}-{stamp}.csv"'
    )
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for e in events.iterator(chunk_size=500):
        cells = [
            e.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            e.actor.display_name,
            _role(e.actor_role),
            organisation(e),
            what_label(e.what),
            e.what,
            e.object_ref,
        ]
        writer.writerow([_safe(str(c)) for c in cells])
    return response
