"""Editing a program's phases and prescriptions, and the clinic's exercise library."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from programs import services
from programs.forms import AddPrescriptionForm, ExerciseForm, PhaseForm, PrescriptionForm
from programs.measures import MEASURE_LABELS
from programs.models import Phase, Prescription, Program
from programs.scoping import get_program_for
from programs.services.common import PHASE_FIELDS, PRESCRIPTION_FIELDS
from programs.views.common import attach, field_fragment, newer_values, rebased
from rtw import audit
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

PHASE_LABELS = {
    "name": "Name",
    "goals": "Goals",
    "planned_weeks": "Planned weeks",
    "exit_criteria": "Exit criteria",
}
PRESCRIPTION_LABELS = {
    "sets": "Starting sets",
    "reps": "Starting reps",
    "quantity": "Starting quantity",
    "tempo": "Tempo",
    "rest_seconds": "Rest (s)",
    "increment": "Increment",
    "target": "Phase target",
    "is_key": "Key prescription",
}


def _phase(program: Program, order: int) -> Phase:
    return get_object_or_404(Phase.objects.filter(program=program), order=order)


@role_required(CLINICIAN_ROLES)
def phase_edit(request: AuthedRequest, program_uuid: UUID, order: int) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    phase = _phase(program, order)
    initial = {"version": phase.version}
    form = PhaseForm(request.POST or None, instance=phase, initial=initial)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in PHASE_FIELDS}
        try:
            services.update_phase(
                acting_user=request.user,
                phase=phase,
                data=data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            conflict = newer_values(stale.current, data, PHASE_LABELS, PHASE_FIELDS)
            form = rebased(PhaseForm, request, stale.version, instance=stale.current)
            form.add_error(None, stale.message)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{phase} saved.")
            return redirect("programs:detail", program.uuid)
    context = {
        "program": program,
        "patient": program.patient,
        "phase": phase,
        "form": form,
        "conflict": conflict,
        "measures": MEASURE_LABELS.items(),
    }
    return render(request, "programs/phase_form.html", context)


@role_required(CLINICIAN_ROLES)
def prescription_add(request: AuthedRequest, program_uuid: UUID, order: int) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    phase = _phase(program, order)
    exercises = services.exercises_for(request.user).order_by("category", "name")
    form = AddPrescriptionForm(
        request.POST or None, exercises=exercises, initial={"rest_seconds": 90}
    )
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        exercise = data.pop("exercise")
        try:
            services.add_prescription(
                acting_user=request.user, phase=phase, exercise=exercise, data=data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{exercise} added to {phase}.")
            return redirect("programs:detail", program.uuid)
    context = {"program": program, "patient": program.patient, "phase": phase, "form": form}
    return render(request, "programs/prescription_form.html", context)


@role_required(CLINICIAN_ROLES)
def prescription_edit(
    request: AuthedRequest, program_uuid: UUID, prescription_id: int
) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    rows = Prescription.objects.filter(phase__program=program).select_related("exercise", "phase")
    prescription = audit.get_or_404(rows, tenant="phase__program__clinic_id", pk=prescription_id)
    form = PrescriptionForm(
        request.POST or None, initial=PrescriptionForm.initial_for(prescription)
    )
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in PRESCRIPTION_FIELDS}
        try:
            services.update_prescription(
                acting_user=request.user,
                prescription=prescription,
                data=data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            conflict = newer_values(stale.current, data, PRESCRIPTION_LABELS, PRESCRIPTION_FIELDS)
            form = rebased(PrescriptionForm, request, stale.version)
            form.add_error(None, stale.message)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{prescription.exercise} saved.")
            return redirect("programs:detail", program.uuid)
    context: dict[str, Any] = {
        "program": program,
        "patient": program.patient,
        "phase": prescription.phase,
        "prescription": prescription,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "programs/prescription_form.html", context)


@role_required(CLINICIAN_ROLES)
def exercises(request: AuthedRequest) -> HttpResponse:
    """The library: shared exercises and the clinic's own; a clinician adds one here."""
    form = ExerciseForm(request.POST or None)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.create_exercise(acting_user=request.user, data=form.cleaned_data)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, f"{exercise} added to your clinic's library.")
            return redirect("programs:exercises")
    library = services.exercises_for(request.user).order_by("category", "name")
    return render(request, "programs/exercises.html", {"library": library, "form": form})
