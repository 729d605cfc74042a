"""The weekly loop's pages: plan and review the next week (accept, or lower an item with a
reason, inline with htmx or on its own page), log a session, confirm a phase change."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from programs import services
from programs.forms import ItemForm, SessionForm, Versioned
from programs.models import Program, Week, WeekItem, WeekStatus
from programs.page import ItemRow
from programs.scoping import get_program_for
from programs.services.weekly import week_for_logging
from programs.views.common import (
    attach,
    field_fragment,
    newer_values,
    rebased,
    today,
    wants_fragment,
)
from rtw import audit, page_cache
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

ITEM_LABELS = {"sets": "Sets", "reps": "Reps", "quantity": "Quantity", "override_reason": "Reason"}


def _current_week(program: Program) -> Week | None:
    return (
        Week.objects.filter(program=program, status__in=[WeekStatus.PLANNED, WeekStatus.OPEN])
        .select_related("phase")
        .first()
    )


def _rows(week: Week | None) -> list[ItemRow]:
    if week is None:
        return []
    items = WeekItem.objects.filter(week=week).select_related("prescription__exercise")
    return [ItemRow(i, i.prescription.exercise.name, i.prescription.exercise.unit) for i in items]


def _plan_page(request: AuthedRequest, program: Program, error: str = "") -> HttpResponse:
    def context() -> dict[str, Any]:
        week = _current_week(program)
        return {
            "program": program,
            "patient": program.patient,
            "week": week,
            "rows": _rows(week),
            "sessions": week.sessions.count() if week is not None else 0,
            "error": error,
            "has_weeks": week is not None or program.weeks.exists(),
            "acwr_held": week is not None
            and any(r.get("code") == "acwr_hold" for r in week.reasons),
        }

    body = page_cache.body(
        request,
        "programs/plan_body.html",
        # A page answering a refused action shows its own message: never cached.
        patients=[program.patient.uuid] if program.patient and not error else None,
        extra=f"{program.pk}:{today()}:{request.path}",
        context=context,
    )
    return render(request, "programs/plan.html", {"program": program, "body": body})


@role_required(CLINICIAN_ROLES)
def plan(request: AuthedRequest, program_uuid: UUID) -> HttpResponse:
    """GET: the week awaiting review, or the button to plan one. POST: plan the next week."""
    program = get_program_for(request.user, program_uuid)
    if request.method != "POST":
        return _plan_page(request, program)
    try:
        outcome = services.plan_next_week(acting_user=request.user, program=program, today=today())
    except ServiceError as error:
        return _plan_page(request, program, error.message)
    if outcome.week is None:
        reasons = " ".join(r.text for r in outcome.plan.reasons)
        messages.error(request, f"Nothing was planned: {reasons}")
        return redirect("programs:detail", program.uuid)
    messages.success(request, f"Week {outcome.week.index} planned: review it, then accept it.")
    return redirect("programs:plan", program.uuid)


def _week(program: Program, index: int) -> Week:
    weeks = Week.objects.filter(program=program).exclude(status=WeekStatus.CANCELLED)
    return get_object_or_404(weeks, index=index)


@require_POST
@role_required(CLINICIAN_ROLES)
def accept(request: AuthedRequest, program_uuid: UUID, index: int) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    week = _week(program, index)
    form = Versioned(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.accept_week(acting_user=request.user, week=week, version=version)
    except services.StaleEdit as stale:
        return _plan_page(
            request, program, f"{stale.message} (The values below are the newer ones.)"
        )
    except ServiceError as error:
        return _plan_page(request, program, error.message)
    messages.success(request, f"Week {week.index} accepted: log its sessions as they happen.")
    return redirect("programs:detail", program.uuid)


def _item(week: Week, item_id: int) -> WeekItem:
    items = WeekItem.objects.filter(week=week).select_related("prescription__exercise", "week")
    return audit.get_or_404(items, tenant="week__program__clinic_id", pk=item_id)


@role_required(CLINICIAN_ROLES)
def item_edit(request: AuthedRequest, program_uuid: UUID, index: int, item_id: int) -> HttpResponse:
    """Lower one item's values with a reason. With htmx the table row becomes this form and
    comes back as the row; without JavaScript it is a page of its own."""
    program = get_program_for(request.user, program_uuid)
    week = _week(program, index)
    item = _item(week, item_id)
    kwargs: dict[str, Any] = {"auto_id": f"id_item{item.pk}_%s"}
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item), **kwargs)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.change_item(
                acting_user=request.user,
                item=item,
                sets=data["sets"],
                reps=data["reps"],
                quantity=data["quantity"],
                reason=data["reason"],
                version=data["version"],
            )
        except services.StaleEdit as stale:
            submitted = {**data, "override_reason": data["reason"]}
            conflict = newer_values(stale.current, submitted, ITEM_LABELS, ITEM_LABELS)
            form = rebased(ItemForm, request, stale.version, **kwargs)
            form.add_error(None, stale.message)
            item = _item(week, item_id)
        except ServiceError as error:
            attach(
                form,
                error if error.field != "reason" else ServiceError(error.message, field="reason"),
            )
        else:
            if wants_fragment(request):
                week.refresh_from_db(fields=["version"])
                row = ItemRow(
                    item, item.prescription.exercise.name, item.prescription.exercise.unit
                )
                context = {"row": row, "program": program, "week": week, "oob_version": True}
                return render(request, "programs/plan_body.html#item-row", context)
            messages.success(
                request,
                f"{item.prescription.exercise}: {item.override_reason or 'back to the proposal'}.",
            )
            return redirect("programs:plan", program.uuid)
    row = ItemRow(item, item.prescription.exercise.name, item.prescription.exercise.unit)
    context = {"program": program, "week": week, "row": row, "form": form, "conflict": conflict}
    if wants_fragment(request):
        return render(request, "programs/plan_body.html#item-form", context)
    return render(request, "programs/item_form.html", context)


@role_required(CLINICIAN_ROLES)
def log_session(request: AuthedRequest, program_uuid: UUID, index: int) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    context: dict[str, Any] = {"program": program, "patient": program.patient, "index": index}
    try:
        week = week_for_logging(program, index)
    except ServiceError as error:
        missing = (
            not Week.objects.filter(program=program, index=index)
            .exclude(status=WeekStatus.CANCELLED)
            .exists()
        )
        return render(
            request,
            "programs/log.html",
            {**context, "error": error.message},
            status=404 if missing else 200,
        )
    items = list(WeekItem.objects.filter(week=week).select_related("prescription__exercise"))
    day = min(max(today(), week.start_date), week.end_date)
    form = SessionForm(request.POST or None, items=items, day=day)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            session = services.log_session(
                acting_user=request.user,
                program=program,
                week_index=index,
                values=form.values(),
                today=today(),
            )
        except ServiceError as error:
            attach(form, error)
        else:
            program.refresh_from_db(fields=["status"])
            if session.red_flag_tier:
                tier = session.red_flag_tier
                messages.error(
                    request,
                    f"Session logged with {_article(tier)} {tier} red flag: the program is now "
                    f"{program.status}. {_flag_action(tier)}",
                )
            else:
                messages.success(request, f"Session of {session.date} logged.")
            return redirect("programs:detail", program.uuid)
    return render(request, "programs/log.html", {**context, "week": week, "form": form})


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _flag_action(tier: str) -> str:
    if tier == "emergency":
        return "Urgent medical assessment now; restart only after a new baseline assessment."
    return "Clinician review: record a reassessment, then resume the program."


@role_required(CLINICIAN_ROLES)
def phase_change(request: AuthedRequest, program_uuid: UUID, index: int) -> HttpResponse:
    program = get_program_for(request.user, program_uuid)
    week = _week(program, index)
    if not week.phase_proposal:
        raise Http404("No phase change was proposed for this week.")
    target = program.phases.filter(order=week.phase_proposal.get("to_order")).first()
    error = ""
    if request.method == "POST":
        form = Versioned(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else None
        confirm = request.POST.get("decision") == "confirm"
        try:
            services.decide_phase_change(
                acting_user=request.user, week=week, confirm=confirm, version=version, today=today()
            )
        except ServiceError as error_:
            error = error_.message
            week.refresh_from_db()
        else:
            if confirm:
                messages.success(request, f"Moved to {target}. The next week is planned in it.")
                return redirect("programs:plan", program.uuid)
            messages.success(request, "Phase change declined: the program stays in its phase.")
            return redirect("programs:detail", program.uuid)
    context = {
        "program": program,
        "patient": program.patient,
        "week": week,
        "target": target,
        "error": error,
    }
    return render(request, "programs/phase_change.html", context)
