"""The worker's data rights: exporting everything held about them, and restricting (and
lifting the restriction of) what their employer sees."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from patients.scoping import get_patient_for
from patients.services import rights
from patients.views.common import attach, field_fragment
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES


class RestrictSharingForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the restriction",
        max_length=rights.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the worker contests the accuracy of their record.",
        error_messages={"required": "Give the reason for the restriction."},
    )


@require_POST
@role_required(CLINICIAN_ROLES)
def export(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    """A POST, though it changes no record: taking a copy of a whole record is itself
    recorded (an audit event), so it must be a deliberate, CSRF-checked act that no link
    prefetcher, crawler or cross-site image can trigger."""
    patient = get_patient_for(request.user, patient_uuid)
    try:
        exported = rights.export_patient(acting_user=request.user, patient=patient)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("patients:detail", patient.uuid)
    response = HttpResponse(exported.content, content_type="application/zip")
    response["Content-Disposition"] = (
        content_disposition_header(True, exported.filename) or "attachment"
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(CLINICIAN_ROLES)
def restrict(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = RestrictSharingForm(request.POST or None)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            rights.restrict_sharing(
                acting_user=request.user, patient=patient, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(
                request,
                "Sharing is restricted: the employer sees nothing of "
                f"{patient.full_name} until the restriction is lifted.",
            )
            return redirect("patients:detail", patient.uuid)
    return render(request, "patients/restrict_sharing.html", {"form": form, "patient": patient})


@require_POST
@role_required(CLINICIAN_ROLES)
def lift(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    try:
        rights.lift_restriction(acting_user=request.user, patient=patient)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Restriction lifted: sharing follows the worker's consent again.")
    return redirect("patients:detail", patient.uuid)
