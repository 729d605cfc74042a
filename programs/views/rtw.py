"""A program's return-to-work plan: the plan page, and the form that writes it.

The row buttons (add or remove a step or a restriction, fill the steps from a ramp
template, add the unmet job demands) post the whole form to their own URL, which shows
it again changed and saves nothing: with htmx only their section is swapped; without
JavaScript the page comes back whole. Only "Save the plan" saves.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from programs import rtw_page, rtw_rules
from programs.forms_rtw import (
    LIMIT_FIELDS,
    STEP_FIELDS,
    PlanDraft,
    last_week,
    limit_row,
    raw_plan,
    raw_rows,
    step_row,
)
from programs.models import Program
from programs.rtw_rules import MAX_RESTRICTIONS, MAX_STEPS
from programs.scoping import get_program_for
from programs.services import StaleEdit
from programs.services.rtw import save_plan
from programs.views.common import FIELD_PARTIAL, today, wants_fragment
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

EDIT = "programs/rtw/edit.html"
Rows = list[dict[str, Any]]
# A change to one list of rows: (program, rows, posted data) → (rows, what happened, row to focus).
Change = Callable[[Program, Rows, QueryDict], tuple[Rows, str, int | None]]


@role_required(CLINICIAN_ROLES)
def plan(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    saved = rtw_page.plan_of(program)
    context = {
        "program": program,
        "patient": program.patient,
        "view": rtw_page.plan_view(saved, program) if saved is not None else None,
    }
    return render(request, "programs/rtw/plan.html", context)


def _context(program: Program, draft: PlanDraft, **extra: Any) -> dict[str, Any]:
    shift = rtw_page.shift_hours(program)
    steps = draft.step_values()
    return {
        "edit_url": reverse("programs:rtw_edit", args=[program.uuid]),
        "program": program,
        "patient": program.patient,
        "draft": draft,
        "form": draft.form,
        "warnings": rtw_rules.cap_warnings(steps, program.cap, shift) if steps else [],
        "warnings_pending": steps is None,
        "ramps": rtw_rules.ramp_choices(shift),
        "shift": rtw_rules.fmt(shift),
        **extra,
    }


def _refuse_ended(request: AuthedRequest, program: Program) -> HttpResponse | None:
    if not program.is_ended:
        return None
    messages.error(
        request,
        f"This program is {program.get_status_display().lower()}: its return-to-work plan "
        "is kept as it was.",
    )
    return redirect("programs:rtw", program.uuid)


@role_required(CLINICIAN_ROLES)
def edit(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    if (refusal := _refuse_ended(request, program)) is not None:
        return refusal
    if request.method != "POST":
        saved = rtw_page.plan_of(program)
        draft = (
            PlanDraft.of_plan(saved)
            if saved is not None
            else PlanDraft.new(today(), rtw_page.unmet_limits(program))
        )
        return render(request, EDIT, _context(program, draft))
    draft = PlanDraft.bound(request.POST)
    if "_validate" in request.POST and wants_fragment(request):
        return _field_check(request, program, draft, request.POST["_validate"])
    if not draft.is_valid():
        return render(request, EDIT, _context(program, draft))
    return _save(request, program, draft)


def _save(request: AuthedRequest, program: Program, draft: PlanDraft) -> HttpResponse:
    try:
        save_plan(
            acting_user=request.user, program=program, values=draft.values(), version=draft.version
        )
    except StaleEdit as stale:
        newer = rtw_page.plan_of(program)
        draft = draft.rebased(stale.version)
        draft.form.add_error(None, stale.message)
        view = rtw_page.plan_view(newer, program) if newer is not None else None
        return render(request, EDIT, _context(program, draft, newer=view))
    except ServiceError as error:
        draft.form.add_error(None, error.message)
        return render(request, EDIT, _context(program, draft))
    messages.success(request, "Return-to-work plan saved.")
    return redirect("programs:rtw", program.uuid)


def _field_check(
    request: AuthedRequest, program: Program, draft: PlanDraft, name: str
) -> HttpResponse:
    """htmx, as the user leaves a field: that field with its errors, and what depends on it
    (the schedule's warnings; a restriction's wording). Nothing is saved."""
    field = draft.field(name)
    if field is None:
        return HttpResponseBadRequest("No such field in the plan.")
    draft.is_valid()
    context = _context(program, draft, field=field, validate_url=request.path)
    html = render_to_string(FIELD_PARTIAL, context, request)
    if name.startswith("steps-"):
        html += render_to_string(f"{EDIT}#warnings-oob", context, request)
    if name.startswith("restrictions-"):
        previews = {id(form): text for form, text in draft.restriction_rows()}
        preview = {
            "preview": previews[id(field.form)],
            "preview_id": f"{field.form.prefix}-preview",
        }
        html += render_to_string(f"{EDIT}#preview-oob", preview, request)
    return HttpResponse(html)


def _redraw(
    request: AuthedRequest, program_uuid: UUID, section: str, change: Change
) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    if (refusal := _refuse_ended(request, program)) is not None:
        return refusal
    data = request.POST
    steps = raw_rows(data, "steps", STEP_FIELDS, MAX_STEPS)
    limits = raw_rows(data, "restrictions", LIMIT_FIELDS, MAX_RESTRICTIONS)
    if section == "schedule":
        steps, said, focus = change(program, steps, data)
    else:
        limits, said, focus = change(program, limits, data)
    draft = PlanDraft.shown(raw_plan(data), steps, limits)
    draft.focus(section, focus)
    fragment = wants_fragment(request)
    context = _context(
        program,
        draft,
        said=said,
        focus=focus,
        focus_section=section,
        fragment=fragment,
        ramp_chosen=data.get("ramp", ""),
    )
    if section == "schedule" and (warned := len(context["warnings"])):
        context["said"] = f"{said} {warned} warning{'s' if warned > 1 else ''} to check below."
    return render(request, f"{EDIT}#{section}" if fragment else EDIT, context)


def _row(data: QueryDict, rows: Rows) -> int | None:
    try:
        index = int(data.get("row", ""))
    except ValueError:
        return None
    return index if 0 <= index < len(rows) else None


def _add_step(program: Program, rows: Rows, data: QueryDict) -> tuple[Rows, str, int | None]:
    if len(rows) >= MAX_STEPS:
        return rows, f"At most {MAX_STEPS} steps.", None
    last = last_week(rows)
    new: dict[str, Any] = {name: "" for name in STEP_FIELDS}
    if last is not None:
        new.update(week_from=last + 1, week_to=last + 2, days_per_week=rows[-1]["days_per_week"])
    return [*rows, new], f"Step {len(rows) + 1} added.", len(rows)


def _remove(label: str) -> Change:
    def remove(program: Program, rows: Rows, data: QueryDict) -> tuple[Rows, str, int | None]:
        index = _row(data, rows)
        if index is None:
            return rows, f"There is no such {label.lower()} to remove.", None
        return rows[:index] + rows[index + 1 :], f"{label} {index + 1} removed.", None

    return remove


def _ramp(program: Program, rows: Rows, data: QueryDict) -> tuple[Rows, str, int | None]:
    ramp = rtw_rules.RAMPS_BY_KEY.get(data.get("ramp", ""))
    if ramp is None:
        return rows, "Choose a ramp template from the list.", None
    shift = rtw_page.shift_hours(program)
    steps = [step_row(step) for step in ramp.steps(shift)]
    said = f"Steps filled from “{ramp.label(shift)}”: check them, then save the plan."
    return steps, said, 0


def _add_restriction(program: Program, rows: Rows, data: QueryDict) -> tuple[Rows, str, int | None]:
    if len(rows) >= MAX_RESTRICTIONS:
        return rows, f"At most {MAX_RESTRICTIONS} restrictions.", None
    new: dict[str, Any] = {name: "" for name in LIMIT_FIELDS}
    new["avoid"] = False
    return [*rows, new], f"Restriction {len(rows) + 1} added.", len(rows)


def _add_unmet(program: Program, rows: Rows, data: QueryDict) -> tuple[Rows, str, int | None]:
    listed = {(row["task_type"], row["description"]) for row in rows}
    new = [
        limit_row(limit)
        for limit in rtw_page.unmet_limits(program)
        if (limit.task_type, limit.description) not in listed
    ][: MAX_RESTRICTIONS - len(rows)]
    if not new:
        return rows, "Every job demand not yet met is already listed.", None
    said = f"{len(new)} restriction{'s' if len(new) > 1 else ''} added from the job demands."
    return [*rows, *new], said, len(rows)


def _row_view(section: str, change: Change) -> Callable[[AuthedRequest, UUID], HttpResponse]:
    @require_POST
    @role_required(CLINICIAN_ROLES)
    def view(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
        return _redraw(request, program_uuid, section, change)

    return view


add_step = _row_view("schedule", _add_step)
remove_step = _row_view("schedule", _remove("Step"))
apply_ramp = _row_view("schedule", _ramp)
add_restriction = _row_view("restrictions", _add_restriction)
remove_restriction = _row_view("restrictions", _remove("Restriction"))
add_unmet = _row_view("restrictions", _add_unmet)
