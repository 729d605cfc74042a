"""Job-demand profiles: the clinic's list and templates, a profile and its critical tasks.

Tasks are added, edited and deleted one at a time. With htmx the tasks section is
swapped in place; without JavaScript each action is a plain form and a redirect.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from patients import services
from patients.demand_levels import job_level
from patients.job_forms import FromTemplateForm, JobProfileForm, JobTaskForm, NewJobProfileForm
from patients.models import JobDemandProfile, JobTask
from patients.scoping import get_job_profile_for, visible_job_profiles
from patients.services.jobs import PROFILE_FIELDS, TASK_FIELDS
from patients.views.common import attach, field_fragment, newer_values, wants_fragment
from rtw import audit
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.models.users import CLINICIAN_ROLES

TASK_LABELS = {
    "task_type": "Task",
    "description": "Description",
    "load_kg": "Load or force (kg)",
    "frequency": "Frequency",
    "height_from_cm": "Height from (cm)",
    "height_to_cm": "Height to (cm)",
    "distance_m": "Distance (m)",
    "duration_min": "Duration (min)",
}


def _profile(request: AuthedRequest, profile_id: int) -> JobDemandProfile:
    profiles = visible_job_profiles(request.user).select_related("employer")
    return get_job_profile_for(request.user, profile_id, profiles)


def _task(profile: JobDemandProfile, task_id: int) -> JobTask:
    tasks = JobTask.objects.filter(profile=profile)
    task = audit.get_or_404(tasks, tenant="profile__clinic_id", pk=task_id)
    task.profile = profile
    return task


def _tasks_context(
    profile: JobDemandProfile, task_form: JobTaskForm | None = None, *, refocus: bool = False
) -> dict[str, Any]:
    tasks = list(JobTask.objects.filter(profile=profile))
    if task_form is None:
        task_form = JobTaskForm(profile=profile)
        if refocus:
            # The control that was used is gone after the swap; continue at the add form.
            task_form.fields["task_type"].widget.attrs["autofocus"] = True
    return {
        "profile": profile,
        "tasks": tasks,
        "level": job_level((t.load_kg, t.frequency) for t in tasks),
        "task_form": task_form,
        "task_add_url": reverse("jobs:task_add", args=[profile.pk]),
    }


def _tasks_section(request: AuthedRequest, profile: JobDemandProfile) -> HttpResponse:
    """After a change: the whole tasks section (fresh levels) in place of what was asked."""
    response = render(request, "jobs/detail.html#tasks", _tasks_context(profile, refocus=True))
    return reswap(retarget(response, "#tasks"), "outerHTML")


@role_required(CLINICIAN_ROLES)
def profile_list(request: AuthedRequest) -> HttpResponse:
    profiles = (
        visible_job_profiles(request.user)
        .select_related("employer")
        .prefetch_related("tasks")
        .annotate(worker_count=Count("workers"))
        .order_by("employer__name", "job_title", "pk")
    )
    context = {
        "profiles": [p for p in profiles if not p.is_template],
        "templates": [p for p in profiles if p.is_template],
    }
    return render(request, "jobs/list.html", context)


@role_required(CLINICIAN_ROLES)
def create(request: AuthedRequest) -> HttpResponse:
    form = NewJobProfileForm(request.POST or None, user=request.user)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            profile = services.create_job_profile(
                acting_user=request.user, employer=data.pop("employer"), data=data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, "Profile created: now add its critical tasks.")
            return redirect("jobs:detail", profile.pk)
    return render(request, "jobs/form.html", {"form": form})


@role_required(CLINICIAN_ROLES)
def from_template(request: AuthedRequest, template_id: int) -> HttpResponse:
    templates = visible_job_profiles(request.user).filter(is_template=True)
    template = get_job_profile_for(request.user, template_id, templates.prefetch_related("tasks"))
    form = FromTemplateForm(request.POST or None, user=request.user, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.copy_template(
                acting_user=request.user, template=template, **form.cleaned_data
            )
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(
                request, f"Copied from the “{template.job_title}” template: adjust it to this job."
            )
            return redirect("jobs:detail", profile.pk)
    return render(request, "jobs/from_template.html", {"form": form, "template": template})


@role_required(CLINICIAN_ROLES)
def detail(request: AuthedRequest, profile_id: int) -> HttpResponse:
    profile = _profile(request, profile_id)
    template = "jobs/detail.html"
    # htmx asks for the tasks section alone, e.g. to cancel an inline task edit.
    partial = f"{template}#tasks" if wants_fragment(request) else template
    return render(request, partial, _tasks_context(profile))


@role_required(CLINICIAN_ROLES)
def edit(request: AuthedRequest, profile_id: int) -> HttpResponse:
    profile = _profile(request, profile_id)
    form = JobProfileForm(request.POST or None, instance=profile)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_job_profile(
                acting_user=request.user,
                profile=profile,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            labels = {name: form.fields[name].label for name in PROFILE_FIELDS}
            conflict = newer_values(stale.current, form.cleaned_data, labels, PROFILE_FIELDS)
            form = _rebased(request, JobProfileForm, stale, instance=stale.current)
        except ServiceError as error:
            attach(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("jobs:detail", profile.pk)
    context = {"form": form, "profile": profile, "conflict": conflict}
    return render(request, "jobs/form.html", context)


def _rebased(
    request: AuthedRequest, form_class: Any, stale: services.StaleEdit, **kwargs: Any
) -> Any:
    """The user's values again on the newer version, so that saving again keeps them."""
    data = request.POST.copy()
    data["version"] = str(getattr(stale.current, "version", ""))
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, stale.message)
    return form


@role_required(CLINICIAN_ROLES)
def task_add(request: AuthedRequest, profile_id: int) -> HttpResponse:
    profile = _profile(request, profile_id)
    form = JobTaskForm(request.POST or None, profile=profile)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "POST" and form.is_valid():
        try:
            task = services.add_task(acting_user=request.user, profile=profile, data=form.task_data)
        except ServiceError as error:
            attach(form, error)
        else:
            if wants_fragment(request):
                return _tasks_section(request, profile)
            messages.success(request, f"{task} added.")
            return redirect("jobs:detail", profile.pk)
    if wants_fragment(request):
        return render(request, "jobs/detail.html#tasks", _tasks_context(profile, form))
    return render(request, "jobs/task_form.html", {"form": form, "profile": profile})


@role_required(CLINICIAN_ROLES)
def task_edit(request: AuthedRequest, profile_id: int, task_id: int) -> HttpResponse:
    profile = _profile(request, profile_id)
    task = _task(profile, task_id)
    # Its own ids: the inline editor shares the page with the add-task form.
    kwargs: dict[str, Any] = {"profile": profile, "auto_id": f"id_task{task.pk}_%s"}
    form = JobTaskForm(request.POST or None, task=task, **kwargs)
    if (fragment := field_fragment(request, form)) is not None:
        return fragment
    if request.method == "GET" and wants_fragment(request):
        form.fields["task_type"].widget.attrs["autofocus"] = True
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(
                acting_user=request.user,
                task=task,
                data=form.task_data,
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            conflict = newer_values(stale.current, form.task_data, TASK_LABELS, TASK_FIELDS)
            form = _rebased(request, JobTaskForm, stale, **kwargs)
        except ServiceError as error:
            attach(form, error)
        else:
            if wants_fragment(request):
                return _tasks_section(request, profile)
            messages.success(request, f"{task} saved.")
            return redirect("jobs:detail", profile.pk)
    context = {"form": form, "profile": profile, "task": task, "conflict": conflict}
    template = "jobs/task_form.html"
    return render(
        request, f"{template}#task-editor" if wants_fragment(request) else template, context
    )


@require_POST
@role_required(CLINICIAN_ROLES)
def task_delete(request: AuthedRequest, profile_id: int, task_id: int) -> HttpResponse:
    profile = _profile(request, profile_id)
    task = _task(profile, task_id)
    try:
        services.delete_task(acting_user=request.user, task=task)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("jobs:detail", profile.pk)
    if wants_fragment(request):
        return _tasks_section(request, profile)
    messages.success(request, f"{task} removed.")
    return redirect("jobs:detail", profile.pk)
