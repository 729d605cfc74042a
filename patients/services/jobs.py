from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from patients.job_templates import create_missing_templates
from patients.models import JobDemandProfile, JobTask
from patients.rules import task_problems
from patients.services.conflicts import StaleEdit, require_clinician, save_versioned_edit
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import Clinic, Employer, User
from rtw.scoping import employers_visible_to

PROFILE_FIELDS = ("job_title", "shift_hours", "breaks", "hazards", "notes")
TASK_FIELDS = (
    "task_type",
    "description",
    "load_kg",
    "frequency",
    "height_from_cm",
    "height_to_cm",
    "distance_m",
    "duration_min",
)


def _check_employer(acting_user: User, employer: Employer) -> None:
    if not employers_visible_to(acting_user).filter(pk=employer.pk).exists():
        raise ServiceError("Choose an employer your clinic works with.", field="employer")


def _check_profile(acting_user: User, profile: JobDemandProfile) -> None:
    if profile.clinic_id != require_clinician(acting_user):
        raise ServiceError("This job-demand profile belongs to another clinic.")


def _check_profile_data(data: Mapping[str, Any]) -> None:
    if not str(data.get("job_title", "")).strip():
        raise ServiceError("Enter the job title.", field="job_title")


def _check_task(profile: JobDemandProfile, data: Mapping[str, Any]) -> None:
    for field, message in task_problems(data, profile.shift_hours):
        raise ServiceError(message, field=field)


@transaction.atomic
def ensure_clinic_templates(clinic: Clinic) -> list[JobDemandProfile]:
    """Give the clinic each standard template it lacks. Safe to call again."""
    created: list[JobDemandProfile] = create_missing_templates(JobDemandProfile, JobTask, clinic.pk)
    for profile in created:
        audit.record(
            actor=None,
            action="job_profile.template_seeded",
            target=profile,
            after=audit.snapshot(profile, PROFILE_FIELDS),
            clinic_id=clinic.pk,
        )
    return created


@transaction.atomic
def create_job_profile(
    *, acting_user: User, employer: Employer, data: Mapping[str, Any]
) -> JobDemandProfile:
    clinic_id = require_clinician(acting_user)
    _check_employer(acting_user, employer)
    _check_profile_data(data)
    profile = JobDemandProfile.objects.create(
        clinic_id=clinic_id, employer=employer, **{f: data[f] for f in PROFILE_FIELDS}
    )
    audit.record(
        actor=acting_user,
        action="job_profile.created",
        target=profile,
        after={"employer": employer.pk, **audit.snapshot(profile, PROFILE_FIELDS)},
    )
    return profile


@transaction.atomic
def update_job_profile(
    *, acting_user: User, profile: JobDemandProfile, data: Mapping[str, Any], version: int
) -> JobDemandProfile:
    _check_profile(acting_user, profile)
    current = JobDemandProfile.objects.select_for_update().get(pk=profile.pk)
    if current.version != version:
        raise StaleEdit(current)
    _check_profile_data(data)
    longest = current.tasks.aggregate(longest=Max("duration_min"))["longest"]
    shift_hours = data["shift_hours"]
    if longest is not None and longest > shift_hours * 60:
        raise ServiceError(
            f"A task of this profile lasts {longest} min, longer than that shift: "
            "shorten the task first.",
            field="shift_hours",
        )
    return save_versioned_edit(
        current,
        acting_user=acting_user,
        fields=PROFILE_FIELDS,
        data=data,
        action="job_profile.updated",
        also_update=["updated_at"],
    )


@transaction.atomic
def copy_template(
    *, acting_user: User, template: JobDemandProfile, employer: Employer, job_title: str
) -> JobDemandProfile:
    """A new profile for ``employer`` with the template's details and tasks."""
    _check_profile(acting_user, template)
    if not template.is_template:
        raise ServiceError("Only a clinic template can be copied.")
    _check_employer(acting_user, employer)
    _check_profile_data({"job_title": job_title})
    profile = JobDemandProfile.objects.create(
        clinic_id=template.clinic_id,
        employer=employer,
        job_title=job_title.strip(),
        **{f: getattr(template, f) for f in PROFILE_FIELDS if f != "job_title"},
    )
    JobTask.objects.bulk_create(
        JobTask(profile=profile, order=t.order, **{f: getattr(t, f) for f in TASK_FIELDS})
        for t in template.tasks.all()
    )
    audit.record(
        actor=acting_user,
        action="job_profile.created_from_template",
        target=profile,
        after={
            "template": template.pk,
            "employer": employer.pk,
            **audit.snapshot(profile, PROFILE_FIELDS),
        },
    )
    return profile


@transaction.atomic
def add_task(*, acting_user: User, profile: JobDemandProfile, data: Mapping[str, Any]) -> JobTask:
    _check_profile(acting_user, profile)
    locked = JobDemandProfile.objects.select_for_update().get(pk=profile.pk)
    _check_task(locked, data)
    last = locked.tasks.aggregate(last=Max("order"))["last"]
    task = JobTask.objects.create(
        profile=locked,
        order=0 if last is None else last + 1,
        **{f: data[f] for f in TASK_FIELDS},
    )
    audit.record(
        actor=acting_user,
        action="job_task.added",
        target=task,
        after={"profile": locked.pk, **audit.snapshot(task, TASK_FIELDS)},
    )
    return task


@transaction.atomic
def update_task(
    *, acting_user: User, task: JobTask, data: Mapping[str, Any], version: int
) -> JobTask:
    current = (
        JobTask.objects.select_for_update(of=("self",)).select_related("profile").get(pk=task.pk)
    )
    _check_profile(acting_user, current.profile)
    if current.version != version:
        raise StaleEdit(current)
    _check_task(current.profile, data)
    return save_versioned_edit(
        current, acting_user=acting_user, fields=TASK_FIELDS, data=data, action="job_task.updated"
    )


@transaction.atomic
def delete_task(*, acting_user: User, task: JobTask) -> None:
    _check_profile(acting_user, task.profile)
    before = {"profile": task.profile_id, **audit.snapshot(task, TASK_FIELDS)}
    audit.record(actor=acting_user, action="job_task.deleted", target=task, before=before)
    task.delete()
