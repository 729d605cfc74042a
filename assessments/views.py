"""Recording, editing and reading assessments. Reached only through the patient."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments import services
from assessments.conflicts import differences, values_of
from assessments.forms import AssessmentForm, answer_rows
from assessments.models import Assessment, AssessmentKind
from assessments.panel import capacity_table, history_of, job_tasks_of
from assessments.summary import flag_view, grip_lines, measure_lines, score_lines
from patients.models import Patient
from patients.scoping import get_patient_for
from rtw import audit
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

FORM_TEMPLATE = "assessments/assessment_form.html"


def _form(
    request: AuthedRequest, patient: Patient, initial: dict[str, Any], data: Any = None
) -> AssessmentForm:
    if data is None and request.method == "POST":
        data = request.POST
    return AssessmentForm(
        data,
        patient=patient,
        today=timezone.localdate(),
        validate_url=request.path,
        initial=initial,
    )


def _field_check(request: AuthedRequest, form: AssessmentForm) -> HttpResponse | None:
    """An htmx check of one field as the user leaves it: that field's fragment, nothing saved.

    The field is the input that fired the request (``HX-Trigger-Name``), or ``_validate``.
    """
    if request.method != "POST" or not request.htmx:
        return None
    name = request.POST.get("_validate") or request.htmx.trigger_name
    if not name or name not in form.fields:
        return None
    form.is_valid()
    return render(request, f"{FORM_TEMPLATE}#field", {"field": form[name]})


@role_required(CLINICIAN_ROLES)
def new_assessment(request: AuthedRequest, patient_uuid: UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    first = not Assessment.objects.filter(patient=patient).exists()
    kind = AssessmentKind.BASELINE if first else AssessmentKind.PROGRESS
    form = _form(request, patient, {"kind": kind, "assessed_on": timezone.localdate()})
    if (fragment := _field_check(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(
                acting_user=request.user, patient=patient, values=form.to_values()
            )
        except ServiceError as error:
            form.attach(error)
        else:
            messages.success(request, "Assessment recorded.")
            return redirect("assessments:detail", patient.uuid, assessment.uuid)
    return render(request, FORM_TEMPLATE, {"form": form, "patient": patient})


@role_required(CLINICIAN_ROLES)
def edit_assessment(
    request: AuthedRequest, patient_uuid: UUID, assessment_uuid: UUID
) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    assessments = Assessment.objects.filter(patient=patient).prefetch_related("questionnaires")
    assessment = audit.get_or_404(assessments, tenant="patient__clinic_id", uuid=assessment_uuid)
    form = _form(request, patient, AssessmentForm.initial_for(assessment))
    if (fragment := _field_check(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_assessment(
                acting_user=request.user,
                assessment=assessment,
                values=form.to_values(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except services.ConflictError as error:
            conflict = differences(values_of(error.current), form.to_values())
            # The form now carries the newer version: saving again is a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = str(error.current.version)
            form = _form(request, patient, {}, data)
            form.is_valid()
            form.attach(error)
        except ServiceError as error:
            form.attach(error)
        else:
            messages.success(request, "Assessment updated.")
            return redirect("assessments:detail", patient.uuid, assessment.uuid)
    context = {"form": form, "patient": patient, "assessment": assessment, "conflict": conflict}
    return render(request, FORM_TEMPLATE, context)


@role_required(CLINICIAN_ROLES)
def assessment_detail(
    request: AuthedRequest, patient_uuid: UUID, assessment_uuid: UUID
) -> HttpResponse:
    patient = get_patient_for(request.user, patient_uuid)
    history = list(history_of(patient))
    index = next((i for i, a in enumerate(history) if a.uuid == assessment_uuid), None)
    if index is None:
        audit.refused(
            Assessment,
            user=request.user,
            tenant="patient__clinic_id",
            lookup={"uuid": assessment_uuid},
        )
        raise Http404("No such assessment for this patient.")
    assessment = history[index]
    context = {
        "patient": patient,
        "assessment": assessment,
        "flag": flag_view(assessment),
        "scores": score_lines(assessment, history[:index]),
        "answers": answer_rows(assessment),
        "grip": grip_lines(assessment, patient),
        "measures": measure_lines(assessment),
        "capacity": capacity_table(history[: index + 1], job_tasks_of(patient)),
        "is_latest": index == len(history) - 1,
    }
    return render(request, "assessments/assessment_detail.html", context)
