"""A patient's programs, creating one from a template, the program page and its settings,
activation, resumption after a red flag, ACWR acknowledgement and saving as a template."""

from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from patients.scoping import get_patient_for, visible_job_profiles
from programs import page, services
from programs.forms import CreateProgramForm, SaveTemplateForm, SettingsForm
from programs.models import Program
from programs.models.programs import MAX_CAP, MIN_CAP
from programs.rules import percent
from programs.scoping import get_program_for, visible_programs
from programs.services.common import SETTINGS_FIELDS
from programs.views.common import (
    attach,
    field_fragment,
    newer_values,
    rebased,
    today,
    wants_fragment,
)
from rtw import page_cache
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

SETTINGS_LABELS = {
    "name": "Name",
    "cap": "Weekly cap",
    "deload_every": "Deload every n-th week",
    "mode": "Progression mode",
    "target_date": "Target date",
    "baseline_morning_pain": "Baseline next-morning pain",
    "sessions_per_week": "Planned sessions a week",
}


@role_required(CLINICIAN_ROLES)
def patient_programs(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    programs = (
        visible_programs(request.user)
        .filter(patient=patient)
        .select_related("current_phase", "job_profile")
        .order_by("-created_at", "-id")
    )
    return render(
        request, "programs/patient_programs.html", {"patient": patient, "programs": programs}
    )


@role_required(CLINICIAN_ROLES)
def create(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    profiles = (
        visible_job_profiles(request.user).filter(is_template=False).select_related("employer")
    )
    form = CreateProgramForm(
        request.POST or None,
        templates=services.templates_for(request.user).order_by("name"),
        profiles=profiles,
        initial={"job_profile": patient.job_profile_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                acting_user=request.user, patient=patient, **form.cleaned_data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(
                request,
                f"Draft program created with a weekly cap of {program.cap_percent} %. "
                "Check its phases and prescriptions, then activate it.",
            )
            return redirect("programs:detail", program.uuid)
    return render(request, "programs/create.html", {"patient": patient, "form": form})


def _cap(request: AuthedRequest) -> Decimal | None:
    """The what-if cap from ?cap=0.15, or None (the program's own). Anything outside
    10-20 % or not a number falls back to the program's own cap, which the page says."""
    try:
        value = Decimal(request.GET.get("cap", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or not MIN_CAP <= value <= MAX_CAP:
        return None
    return value.quantize(Decimal("0.001"))


@role_required(CLINICIAN_ROLES)
def detail(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    cap = _cap(request)
    refused = cap is None and bool(request.GET.get("cap"))
    day = today()

    def context() -> dict[str, Any]:
        return {
            "page": page.build(program, day, cap=cap),
            "program": program,
            "patient": program.patient,
            "what_if": cap,
            "cap_refused": refused,
            "cap_range": (percent(MIN_CAP), percent(MAX_CAP)),
        }

    fragment = wants_fragment(request) and "cap" in request.GET
    body = page_cache.body(
        request,
        "programs/detail_body.html#projection" if fragment else "programs/detail_body.html",
        # A halted program's banner reads the history afresh; a template has no worker.
        patients=[program.patient.uuid] if program.patient and not program.is_halted else None,
        extra=f"{program.pk}:{day}:{cap}:{refused}",
        context=context,
    )
    if fragment:
        return HttpResponse(body)
    shell = {"program": program, "patient": program.patient, "body": body}
    return render(request, "programs/detail.html", shell)


@role_required(CLINICIAN_ROLES)
def edit_settings(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_for(program))
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = form.settings_data()
        try:
            services.update_settings(
                acting_user=request.user,
                program=program,
                data=data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            conflict = newer_values(stale.current, data, SETTINGS_LABELS, SETTINGS_FIELDS)
            form = rebased(SettingsForm, request, stale.version)
            form.add_error(None, stale.message)
        except ServiceError as error:
            attach(
                form,
                error if error.field != "cap" else ServiceError(error.message, field="cap_percent"),
            )
        else:
            messages.success(request, "Settings saved.")
            return redirect("programs:detail", program.uuid)
    context = {"program": program, "patient": program.patient, "form": form, "conflict": conflict}
    return render(request, "programs/settings.html", context)


@require_POST
@role_required(CLINICIAN_ROLES)
def activate(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    try:
        services.activate(acting_user=request.user, program=program, today=today())
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("programs:detail", program.uuid)
    messages.success(request, "Program active: plan its first week.")
    return redirect("programs:plan", program.uuid)


@require_POST
@role_required(CLINICIAN_ROLES)
def resume(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    try:
        services.resume(acting_user=request.user, program=program, today=today())
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("programs:detail", program.uuid)
    messages.success(request, "Program resumed: plan the next week.")
    return redirect("programs:plan", program.uuid)


@require_POST
@role_required(CLINICIAN_ROLES)
def acknowledge_acwr(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    try:
        outcome = services.acknowledge_acwr(
            acting_user=request.user, program=program, today=today()
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("programs:detail", program.uuid)
    note = " The planned week was planned again." if outcome is not None else ""
    messages.success(request, f"High ACWR acknowledged: the next increase may go ahead.{note}")
    return redirect("programs:plan", program.uuid)


@role_required(CLINICIAN_ROLES)
def save_template(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    form = SaveTemplateForm(request.POST or None, initial={"name": f"{program.name} (copy)"})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.save_as_template(
                acting_user=request.user, program=program, **form.cleaned_data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"Saved as the clinic template “{template.name}”.")
            return redirect("programs:detail", program.uuid)
    return render(request, "programs/save_template.html", {"program": program, "form": form})


def program_context(program: Program) -> dict[str, object]:
    return {"program": program, "patient": program.patient}
