"""Forms take only ids of the user's own clinic and employers. A foreign clinic's (or a
foreign employer's) id in any field that names a record is refused beside its field and
changes nothing; a ``clinic``, ``patient`` or ``employer`` field a form does not have is
ignored, and never moves a record to another tenant."""

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from assessments.models import Assessment
from patients.models import Consent, JobDemandProfile, Patient
from programs.models import Prescription, Program, SessionItem
from rtw.models import AccessEvent, AuditEvent, Report, Role, User
from tests.access import Case, all_cases
from tests.assessments.helpers import form_data
from tests.conftest import World, client_for
from tests.patients.conftest import patient_post
from tests.security.estates import Estate, estate

INVALID_CHOICE = "Select a valid choice"
TENANT_COLUMNS = ("clinic_id", "managing_clinic_id", "patient_id", "employer_id")


@pytest.fixture
def estates(world: World) -> tuple[Estate, Estate]:
    return estate(world, ours=True), estate(world, ours=False)


def _tenancy() -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row's tenant columns (clinic, patient, employer), table by table."""
    found: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if f.attname in TENANT_COLUMNS]
        if columns:
            rows = model._base_manager.values_list("pk", *columns)
            found[model._meta.label] = {row[0]: row[1:] for row in rows}
    return found


def _their_rows(w: World) -> dict[str, list[tuple[Any, ...]]]:
    """Every value of the other tenant's own rows (clinic, employer, patient columns)."""
    theirs = {
        "clinic_id": w.other_clinic.pk,
        "managing_clinic_id": w.other_clinic.pk,
        "patient_id": w.other_patient.pk,
        "employer_id": w.other_employer.pk,
    }
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        if model in (AccessEvent, AuditEvent):
            continue  # append-only; new rows are checked by _no_tenant_moved
        names = {f.attname for f in model._meta.concrete_fields}
        match = models.Q()
        for column, value in theirs.items():
            if column in names:
                match |= models.Q(**{column: value})
        if match:
            values = model._base_manager.filter(match).order_by("pk").values_list()
            rows[model._meta.label] = list(values)
    rows["patients.Patient(theirs)"] = list(
        Patient.objects.filter(pk=w.other_patient.pk).values_list()
    )
    return rows


def _no_tenant_moved(before: dict[str, dict[Any, tuple[Any, ...]]], w: World) -> None:
    foreign = {w.other_clinic.pk, w.other_patient.pk, w.other_employer.pk}
    columns_of = {
        label: [
            f.attname
            for f in apps.get_model(label)._meta.concrete_fields
            if f.attname in TENANT_COLUMNS
        ]
        for label in before
    }
    after = _tenancy()
    for label, rows in after.items():
        for pk, values in rows.items():
            if pk in before[label]:
                assert values == before[label][pk], f"{label} {pk} moved: {values}"
                continue
            named = dict(zip(columns_of[label], values, strict=True))
            ids = {
                "clinic_id": w.other_clinic.pk,
                "managing_clinic_id": w.other_clinic.pk,
                "patient_id": w.other_patient.pk,
                "employer_id": w.other_employer.pk,
            }
            landed = [c for c, v in named.items() if v is not None and v == ids[c]]
            assert not landed, f"new {label} {pk} in the other tenant: {landed}"
    assert foreign  # (the ids compared above)


class Watch:
    """Snapshot the tenancy and the other tenant's rows; check both after a request."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.tenancy = _tenancy()
        self.theirs = _their_rows(world)

    def nothing_moved(self) -> None:
        _no_tenant_moved(self.tenancy, self.world)
        assert _their_rows(self.world) == self.theirs


def _errors(response: Any, field: str) -> str:
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return " ".join(str(e) for e in form.errors.get(field, []))


# --- the patient form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("employer", lambda w, e: w.other_employer.pk),
        ("physiotherapist", lambda w, e: w.other_physio.pk),
        ("job_profile", lambda w, e: e[1].profile.pk),
    ],
)
def test_the_patient_form_refuses_another_clinics_employer_physio_or_profile(
    world: World, estates: tuple[Estate, Estate], field: str, foreign: Any
) -> None:
    physio = client_for(world.physio)
    watch = Watch(world)
    patients = Patient.objects.count()
    created = physio.post("/patients/new/", {**patient_post(world), field: foreign(world, estates)})
    assert INVALID_CHOICE in _errors(created, field)
    assert Patient.objects.count() == patients
    edit = f"/patients/{world.patient.uuid}/edit/"
    post = {**patient_post(world, version=world.patient.version), field: foreign(world, estates)}
    assert INVALID_CHOICE in _errors(physio.post(edit, post), field)
    watch.nothing_moved()
    world.patient.refresh_from_db()
    assert world.patient.version == 1


def test_the_patient_form_refuses_a_profile_of_another_of_our_employers(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    from tests import factories

    elsewhere = factories.make_employer(world.clinic, name="Initech")
    profile = factories.make_job_profile(world.clinic, elsewhere)
    response = client_for(world.physio).post(
        "/patients/new/", {**patient_post(world), "job_profile": profile.pk}
    )
    assert "belongs to another employer" in _errors(response, "job_profile")


def test_a_clinic_field_posted_to_the_patient_form_never_moves_the_patient(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    watch = Watch(world)
    tampered = {
        **patient_post(world, version=1, first_name="Renamed"),
        "clinic": world.other_clinic.pk,
        "clinic_id": world.other_clinic.pk,
        "uuid": str(world.other_patient.uuid),
    }
    response = client_for(world.physio).post(f"/patients/{world.patient.uuid}/edit/", tampered)
    assert response.status_code == 302
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Renamed"  # the edit itself went through
    assert world.patient.clinic_id == world.clinic.pk
    watch.nothing_moved()


# --- consent, job profiles, invitations -------------------------------------------------------


def test_consent_is_always_with_the_patients_own_employer_whatever_is_posted(
    world: World,
) -> None:
    Consent.objects.filter(patient=world.patient).update(withdrawn_on=date(2026, 10, 1))
    watch = Watch(world)
    response = client_for(world.physio).post(
        f"/patients/{world.patient.uuid}/consent/new/",
        {
            "given_on": "2026-11-01",
            "scope": ["share_status"],
            "employer": world.other_employer.pk,
            "employer_id": world.other_employer.pk,
            "patient": world.other_patient.pk,
            "patient_id": world.other_patient.pk,
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(patient=world.patient, withdrawn_on__isnull=True)
    assert consent.employer == world.employer
    watch.nothing_moved()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/jobs/new/", {"job_title": "Picker", "shift_hours": "8"}),
        (None, {"job_title": "Picker"}),  # from one of our templates
    ],
)
def test_a_job_profile_is_never_made_for_another_clinics_employer(
    world: World, estates: tuple[Estate, Estate], url: str | None, data: dict[str, str]
) -> None:
    ours, _ = estates
    url = url or f"/jobs/templates/{ours.template.pk}/use/"
    profiles = JobDemandProfile.objects.count()
    watch = Watch(world)
    response = client_for(world.physio).post(url, {**data, "employer": world.other_employer.pk})
    assert INVALID_CHOICE in _errors(response, "employer")
    assert JobDemandProfile.objects.count() == profiles
    watch.nothing_moved()


def test_editing_a_profile_ignores_a_posted_clinic_or_employer(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    ours, _ = estates
    watch = Watch(world)
    response = client_for(world.physio).post(
        f"/jobs/{ours.profile.pk}/edit/",
        {
            "job_title": "Renamed role",
            "shift_hours": "8",
            "version": ours.profile.version,
            "clinic": world.other_clinic.pk,
            "employer": world.other_employer.pk,
            "employer_id": world.other_employer.pk,
        },
    )
    assert response.status_code == 302
    ours.profile.refresh_from_db()
    assert ours.profile.job_title == "Renamed role"
    assert (ours.profile.clinic, ours.profile.employer) == (world.clinic, world.employer)
    watch.nothing_moved()


def test_a_viewer_is_never_invited_for_another_clinics_employer(world: World) -> None:
    users = User.objects.count()
    watch = Watch(world)
    response = client_for(world.admin).post(
        "/staff/invite-viewer/",
        {
            "first_name": "Eve",
            "last_name": "Outsider",
            "email": "eve@example.test",
            "employer": world.other_employer.pk,
        },
    )
    assert INVALID_CHOICE in _errors(response, "employer")
    assert User.objects.count() == users
    watch.nothing_moved()


def test_staff_are_invited_into_the_admins_own_clinic_whatever_is_posted(world: World) -> None:
    watch = Watch(world)
    response = client_for(world.admin).post(
        "/staff/invite/",
        {
            "first_name": "Sam",
            "last_name": "Newhire",
            "email": "sam@example.test",
            "role": Role.PHYSIOTHERAPIST,
            "clinic": world.other_clinic.pk,
            "clinic_id": world.other_clinic.pk,
            "employer": world.other_employer.pk,
        },
    )
    assert response.status_code == 302
    invited = User.objects.get(email="sam@example.test")
    assert (invited.clinic, invited.employer) == (world.clinic, None)
    watch.nothing_moved()


# --- programs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["template", "job_profile"])
def test_a_program_is_never_made_from_another_clinics_template_or_profile(
    world: World, estates: tuple[Estate, Estate], field: str
) -> None:
    ours, theirs = estates
    valid = {"template": ours.program_template.pk, "job_profile": ours.profile.pk}
    foreign = {"template": theirs.program_template.pk, "job_profile": theirs.profile.pk}
    programs = Program.objects.count()
    watch = Watch(world)
    response = client_for(world.physio).post(
        f"/patients/{world.patient.uuid}/programs/new/", {**valid, field: foreign[field]}
    )
    assert INVALID_CHOICE in _errors(response, field)
    assert Program.objects.count() == programs
    watch.nothing_moved()


def test_a_prescription_never_uses_another_clinics_own_exercise(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    ours, theirs = estates
    count = Prescription.objects.count()
    watch = Watch(world)
    response = client_for(world.physio).post(
        f"/programs/{ours.program.uuid}/phases/1/prescriptions/new/",
        {
            "exercise": theirs.exercise.pk,
            "sets": "3",
            "reps": "10",
            "quantity": "5",
            "rest_seconds": "90",
        },
    )
    assert INVALID_CHOICE in _errors(response, "exercise")
    assert Prescription.objects.count() == count
    watch.nothing_moved()


def test_a_session_log_ignores_another_programs_items(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    ours, theirs = estates
    program = ours.program
    from programs import services

    week = services.accept_week(acting_user=world.physio, week=ours.week, version=1)
    url = f"/programs/{program.uuid}/weeks/{week.index}/log/"
    page = client_for(world.physio).get(url)
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update(
        {
            "date": week.start_date.isoformat(),
            "pain_during": "2",
            "soreness": "2",
            "fatigue": "2",
            "rpe": "4",
            f"item_{theirs.item.pk}_sets": "3",
            f"item_{theirs.item.pk}_reps": "10",
            f"item_{theirs.item.pk}_quantity": "99",
            "patient": world.other_patient.pk,
            "program": str(theirs.program.uuid),
        }
    )
    watch = Watch(world)
    client_for(world.physio).post(url, data)
    assert not SessionItem.objects.filter(week_item=theirs.item).exists()
    watch.nothing_moved()


# --- reports and assessments ---------------------------------------------------------------------


def test_sharing_a_report_reaches_only_its_own_employers_viewers_whatever_is_posted(
    world: World, estates: tuple[Estate, Estate]
) -> None:
    ours, _ = estates
    Report.objects.filter(pk=ours.report.pk).update(shared_at=None)
    watch = Watch(world)
    client_for(world.physio).post(
        f"/reports/{ours.report.uuid}/share/",
        {
            "recipients": [world.other_viewer.pk],
            "employer": world.other_employer.pk,
            "employer_id": world.other_employer.pk,
            "patient": world.other_patient.pk,
        },
    )
    report = Report.objects.get(pk=ours.report.pk)
    assert list(report.recipients.all()) == [world.viewer]
    assert report.employer == world.employer
    watch.nothing_moved()


def test_an_assessment_is_recorded_for_the_patient_in_the_url_whatever_is_posted(
    world: World,
) -> None:
    watch = Watch(world)
    response = client_for(world.physio).post(
        f"/patients/{world.patient.uuid}/assessments/new/",
        {
            **form_data(),
            "patient": world.other_patient.pk,
            "patient_id": world.other_patient.pk,
            "patient_uuid": str(world.other_patient.uuid),
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(patient=world.patient).count() == 1
    assert not Assessment.objects.filter(patient=world.other_patient).exists()
    watch.nothing_moved()


# --- every form at once --------------------------------------------------------------------------


def _allowed(case: Case) -> str | None:
    for persona in ("physio", "admin"):
        if case.expected.get(persona) in (200, 302):
            return persona
    return None


POSTS = [c for c in all_cases() if c.method == "post" and _allowed(c)]


@pytest.mark.parametrize("case", POSTS, ids=lambda c: c.id)
def test_no_post_anywhere_moves_a_record_to_another_tenant(world: World, case: Case) -> None:
    """Every form of the matrix, posted with the other tenant's clinic, patient and
    employer ids added (in every spelling), leaves every record where it was."""
    persona = _allowed(case)
    assert persona is not None
    client: Client = client_for(world.user(persona))
    path, data = case.path(world), case.data(world)
    tampered = {
        **data,
        **{
            name: world.other_clinic.pk
            for name in ("clinic", "clinic_id", "managing_clinic", "managing_clinic_id")
        },
        **{name: world.other_patient.pk for name in ("patient", "patient_id")},
        "patient_uuid": str(world.other_patient.uuid),
        **{name: world.other_employer.pk for name in ("employer_id",)},
    }
    if "employer" not in data:
        tampered["employer"] = world.other_employer.pk
    watch = Watch(world)
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = client.post(path, tampered, headers=headers)
    assert response.status_code < 500
    watch.nothing_moved()


def test_the_caseload_filters_ignore_another_clinics_employer_or_physio(world: World) -> None:
    physio = client_for(world.physio)
    for query in (
        f"?status=all&employer={world.other_employer.pk}",
        f"?status=all&physio={world.other_physio.pk}",
    ):
        page = physio.get(f"/patients/{query}").content.decode()
        assert world.other_patient.last_name not in page
        assert world.patient.last_name in page  # the filter fell back to its default
