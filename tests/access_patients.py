"""Patients, consent and job-demand profiles: clinical pages, physiotherapists only.

A clinic admin who is not a physiotherapist and employer viewers get 403 (role); the
other clinic's physiotherapist gets 404 for our patients, consents, profiles and tasks.
"""

from patients.models import JobDemandProfile
from tests.access import CLINICIAN_PAGE, Case, expect
from tests.conftest import World
from tests.factories import make_job_profile

OURS = expect(403, physio=200, other_physio=404)
OURS_REDIRECT = expect(403, physio=302, other_physio=404)
POST_ONLY = expect(405)


def _patient(w: World, rest: str = "") -> str:
    return f"/patients/{w.patient.uuid}/{rest}"


def _consent_withdraw(w: World) -> str:
    consent = w.patient.consents.get()
    return _patient(w, f"consent/{consent.pk}/withdraw/")


def _profile(w: World, rest: str = "") -> str:
    return f"/jobs/{make_job_profile(w.clinic, w.employer).pk}/{rest}"


def _task(w: World, action: str) -> str:
    profile = make_job_profile(w.clinic, w.employer)
    return f"/jobs/{profile.pk}/tasks/{profile.tasks.get().pk}/{action}/"


def _template(w: World) -> str:
    template = JobDemandProfile.objects.filter(clinic=w.clinic, is_template=True).first()
    assert template is not None
    return f"/jobs/templates/{template.pk}/use/"


def _validate(field: str) -> dict[str, str]:
    return {"_validate": field}


PATIENT_CASES: list[Case] = [
    Case("patients:caseload", lambda w: "/patients/", CLINICIAN_PAGE),
    Case("patients:caseload", lambda w: "/patients/?status=all", CLINICIAN_PAGE, htmx=True),
    Case("patients:create", lambda w: "/patients/new/", CLINICIAN_PAGE),
    # An empty form is re-rendered with its errors; nothing is saved.
    Case("patients:create", lambda w: "/patients/new/", CLINICIAN_PAGE, method="post"),
    Case(
        "patients:create",
        lambda w: "/patients/new/",
        CLINICIAN_PAGE,
        method="post",
        data=lambda w: _validate("date_of_birth"),
        htmx=True,
    ),
    Case("patients:detail", _patient, OURS),
    Case("patients:edit", lambda w: _patient(w, "edit/"), OURS),
    Case("patients:edit", lambda w: _patient(w, "edit/"), OURS, method="post"),
    Case(
        "patients:edit",
        lambda w: _patient(w, "edit/"),
        OURS,
        method="post",
        data=lambda w: _validate("injury_onset"),
        htmx=True,
    ),
    Case("patients:discharge", lambda w: _patient(w, "discharge/"), OURS_REDIRECT, method="post"),
    Case("patients:consent_record", lambda w: _patient(w, "consent/new/"), OURS),
    Case("patients:consent_record", lambda w: _patient(w, "consent/new/"), OURS, method="post"),
    Case("patients:consent_withdraw", _consent_withdraw, OURS),
    Case("patients:consent_withdraw", _consent_withdraw, OURS, method="post"),
    # Data rights. The export is a POST (it is recorded); a GET is refused by method.
    Case("patients:export", lambda w: _patient(w, "export/"), OURS, method="post"),
    Case("patients:export", lambda w: _patient(w, "export/"), POST_ONLY),
    Case("patients:restrict_sharing", lambda w: _patient(w, "sharing/restrict/"), OURS),
    # Without a reason the form comes back with its error: nothing changes.
    Case(
        "patients:restrict_sharing",
        lambda w: _patient(w, "sharing/restrict/"),
        OURS,
        method="post",
    ),
    Case(
        "patients:restrict_sharing",
        lambda w: _patient(w, "sharing/restrict/"),
        OURS,
        method="post",
        data=lambda w: _validate("reason"),
        htmx=True,
    ),
    # Nothing to lift: refused with a message, back to the patient.
    Case(
        "patients:lift_restriction",
        lambda w: _patient(w, "sharing/lift/"),
        OURS_REDIRECT,
        method="post",
    ),
    Case("patients:lift_restriction", lambda w: _patient(w, "sharing/lift/"), POST_ONLY),
    Case("jobs:list", lambda w: "/jobs/", CLINICIAN_PAGE),
    Case("jobs:create", lambda w: "/jobs/new/", CLINICIAN_PAGE),
    Case("jobs:create", lambda w: "/jobs/new/", CLINICIAN_PAGE, method="post"),
    Case("jobs:from_template", _template, OURS),
    Case("jobs:from_template", _template, OURS, method="post"),
    Case("jobs:detail", _profile, OURS),
    Case("jobs:detail", _profile, OURS, htmx=True),
    Case("jobs:edit", lambda w: _profile(w, "edit/"), OURS),
    Case("jobs:edit", lambda w: _profile(w, "edit/"), OURS, method="post"),
    Case("jobs:task_add", lambda w: _profile(w, "tasks/new/"), OURS),
    Case("jobs:task_add", lambda w: _profile(w, "tasks/new/"), OURS, method="post"),
    Case(
        "jobs:task_add",
        lambda w: _profile(w, "tasks/new/"),
        OURS,
        method="post",
        data=lambda w: _validate("load"),
        htmx=True,
    ),
    Case("jobs:task_edit", lambda w: _task(w, "edit"), OURS),
    Case("jobs:task_edit", lambda w: _task(w, "edit"), OURS, htmx=True),
    Case("jobs:task_edit", lambda w: _task(w, "edit"), OURS, method="post"),
    Case("jobs:task_delete", lambda w: _task(w, "delete"), OURS_REDIRECT, method="post"),
    Case("jobs:task_delete", lambda w: _task(w, "delete"), OURS, method="post", htmx=True),
]
