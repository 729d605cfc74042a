"""Recording and withdrawing the worker's consent to share with their employer."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from patients import services
from patients.forms import ConsentForm, WithdrawConsentForm
from patients.scoping import get_patient_for
from patients.views.common import attach, field_fragment
from rtw import audit
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES


@role_required(CLINICIAN_ROLES)
def record(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    form = ConsentForm(request.POST or None, patient=patient)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(acting_user=request.user, patient=patient, **form.cleaned_data)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("patients:detail", patient.uuid)
    open_consent = patient.consents.filter(withdrawn_on__isnull=True).first()
    context = {"form": form, "patient": patient, "open_consent": open_consent}
    return render(request, "patients/consent_form.html", context)


@role_required(CLINICIAN_ROLES)
def withdraw(request: AuthedRequest, patient_uuid: UUID, consent_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    consents = patient.consents.select_related("employer")
    consent = audit.get_or_404(consents, tenant="patient__clinic_id", pk=consent_id)
    form = WithdrawConsentForm(request.POST or None, given_on=consent.given_on)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                acting_user=request.user, consent=consent, **form.cleaned_data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(
                request, "Consent withdrawn. Nothing more is shared with the employer."
            )
            return redirect("patients:detail", patient.uuid)
    context = {"form": form, "patient": patient, "consent": consent}
    return render(request, "patients/consent_withdraw.html", context)
