"""The caseload, the patient page, and creating, editing and discharging patients."""

import hashlib
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from assessments.panel import patient_panel_context
from patients import services
from patients.forms import CaseloadFilterForm, PatientForm
from patients.models import Consent, JobTask, Patient, RedFlagTier
from patients.rules import age_on
from patients.scoping import get_patient_for, visible_patients
from patients.services.patients import PATIENT_FIELDS
from patients.views.common import attach, field_fragment, newer_values, wants_fragment
from programs.queries import program_status_for
from rtw import page_cache, revisions
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models import User
from rtw.models.users import CLINICIAN_ROLES

PER_PAGE = 25
# Emergency first, then urgent, amber, and the unflagged, each by name.
FLAG_ORDER = Case(
    *(When(red_flag_tier=tier, then=Value(rank)) for rank, tier in enumerate(RedFlagTier)),
    default=Value(len(RedFlagTier)),
    output_field=IntegerField(),
)


def _filters(request: AuthedRequest) -> tuple[dict[str, str], CaseloadFilterForm]:
    """The filters asked for, each falling back to its default when absent or invalid."""
    defaults = CaseloadFilterForm.defaults(request.user)
    data = {**defaults, **{k: str(v) for k, v in request.GET.items() if k in defaults}}
    form = CaseloadFilterForm(data, user=request.user)
    form.is_valid()
    filters = {
        name: str(form.cleaned_data[name]) if name in form.cleaned_data else default
        for name, default in defaults.items()
    }
    return filters, form


def _caseload(user: User, filters: dict[str, str]) -> QuerySet[Patient]:
    patients = visible_patients(user).select_related("employer", "physiotherapist")
    if filters["status"] != "all":
        patients = patients.filter(status=filters["status"])
    if filters["physio"] != "all":
        patients = patients.filter(physiotherapist_id=int(filters["physio"]))
    if filters["employer"]:
        patients = patients.filter(employer_id=int(filters["employer"]))
    if filters["flag"] == "flagged":
        patients = patients.exclude(red_flag_tier="")
    elif filters["flag"] == "none":
        patients = patients.filter(red_flag_tier="")
    elif filters["flag"]:
        patients = patients.filter(red_flag_tier=filters["flag"])
    for word in filters["q"].split():
        patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return patients.order_by(FLAG_ORDER, "last_name", "first_name", "pk")


@role_required(CLINICIAN_ROLES)
def caseload(request: AuthedRequest) -> HttpResponse:
    fragment = wants_fragment(request)

    def context() -> dict[str, Any]:
        filters, form = _filters(request)
        patients = _caseload(request.user, filters)
        page = Paginator(patients, PER_PAGE).get_page(request.GET.get("page"))
        statuses = program_status_for(list(page))
        for p in page:
            p.program_status = statuses.get(p.pk)  # type: ignore[attr-defined]
        return {
            "form": form,
            "page": page,
            "query": urlencode(filters),
            "mine": filters["physio"] == str(request.user.pk),
            # The results swap in place; the heading ("My caseload" or not) follows out of band.
            "oob": fragment,
        }

    asked = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    clinic = request.user.clinic_id
    template = "patients/caseload_body.html" + ("#results" if fragment else "")
    body = page_cache.body(
        request,
        template,
        # Any change to a patient of the clinic retires this list (rtw.revisions).
        patients=[revisions.clinic_records(clinic)] if clinic is not None else None,
        extra=f"{request.user.pk}:{timezone.localdate()}:{asked}",
        context=context,
    )
    if fragment:
        response = HttpResponse(body)
    else:
        # The title's "My" as the filters would read it (an unreadable physio falls back
        # to the default, the user's own caseload).
        mine = request.GET.get("physio", "") in ("", str(request.user.pk))
        response = render(request, "patients/caseload.html", {"body": body, "mine": mine})
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(CLINICIAN_ROLES)
def detail(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(
        request.user,
        patient_uuid,
        refine=lambda patients: patients.select_related(
            "employer", "physiotherapist", "job_profile"
        ),
    )
    today = timezone.localdate()

    def context() -> dict[str, Any]:
        consents = Consent.objects.select_related(
            "employer", "recorded_by", "withdrawal_recorded_by"
        )
        prefetch_related_objects(
            [patient],
            Prefetch("consents", queryset=consents),
            Prefetch("job_profile__tasks", queryset=JobTask.objects.all()),
        )
        history = list(patient.consents.all())
        return {
            "program_status": program_status_for([patient]).get(patient.pk),
            **patient_panel_context(patient),
            "patient": patient,
            "age": age_on(patient.date_of_birth, today),
            "consents": history,
            "open_consent": next((c for c in history if c.is_active), None),
        }

    body = page_cache.body(
        request,
        "patients/detail_body.html",
        patients=[patient.uuid],
        extra=str(today),
        context=context,
    )
    return render(request, "patients/detail.html", {"patient": patient, "body": body})


@role_required(CLINICIAN_ROLES)
def create(request: AuthedRequest) -> HttpResponse:
    initial = {"physiotherapist": request.user.pk}
    form = PatientForm(request.POST or None, user=request.user, initial=initial)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.create_patient(acting_user=request.user, data=form.cleaned_data)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{patient.full_name} added to the caseload.")
            return redirect("patients:detail", patient.uuid)
    return render(request, "patients/form.html", {"form": form})


@role_required(CLINICIAN_ROLES)
def edit(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = PatientForm(request.POST or None, instance=patient, user=request.user)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            patient = services.update_patient(
                acting_user=request.user, patient=patient, data=form.cleaned_data, version=version
            )
        except services.StaleEdit as stale:
            labels = {name: form.fields[name].label for name in PATIENT_FIELDS}
            conflict = newer_values(stale.current, form.cleaned_data, labels, PATIENT_FIELDS)
            form = _rebased(request, stale)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{patient.full_name}'s record is saved.")
            return redirect("patients:detail", patient.uuid)
    context = {"form": form, "patient": patient, "conflict": conflict}
    return render(request, "patients/form.html", context)


def _rebased(request: AuthedRequest, stale: services.StaleEdit) -> PatientForm:
    """The user's values again, now on the newer version: saving again keeps them."""
    current = stale.current
    assert isinstance(current, Patient)  # noqa: S101 - update_patient raises it with one
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = PatientForm(data, instance=current, user=request.user)
    form.is_valid()
    form.add_error(None, stale.message)
    return form


@require_POST
@role_required(CLINICIAN_ROLES)
def discharge(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    try:
        services.discharge_patient(acting_user=request.user, patient=patient)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{patient.full_name} is discharged.")
    return redirect("patients:detail", patient.uuid)
