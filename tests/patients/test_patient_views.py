from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from patients import services
from patients.models import Consent, Patient, PatientStatus
from rtw.models import AuditEvent
from tests import factories
from tests.conftest import World, client_for
from tests.patients.conftest import patient_data, patient_post

pytestmark = pytest.mark.usefixtures("today")

HTMX = {"HX-Request": "true"}


def test_physio_adds_a_patient_and_lands_on_their_page(world: World, physio_client: Client) -> None:
    response = physio_client.post("/patients/new/", patient_post(world))
    patient = Patient.objects.get(last_name="Petrova")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.uuid}/"
    page = physio_client.get(response["Location"]).content.decode()
    assert "Nadia Petrova" in page
    assert "Acme Logistics" in page


def test_the_new_patient_form_offers_only_our_employers_profiles_and_clinicians(
    world: World, physio_client: Client
) -> None:
    factories.make_job_profile(world.other_clinic, world.other_employer, job_title="Docker")
    page = physio_client.get("/patients/new/").content.decode()
    assert world.employer.name in page
    assert world.other_employer.name not in page
    assert "Docker" not in page
    assert world.colleague.display_name in page
    assert world.other_physio.display_name not in page
    assert world.admin.display_name not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": date(2015, 1, 1)}, "date_of_birth", "11 years old"),
        ({"date_of_birth": date(1900, 1, 1)}, "date_of_birth", "126 years old"),
        ({"injury_onset": date(2026, 12, 24)}, "injury_onset", "cannot be in the future"),
        ({"injury_onset": date(1980, 1, 1)}, "injury_onset", "before the date of birth"),
    ],
)
def test_implausible_dates_get_a_field_error_and_nothing_is_saved(
    world: World, physio_client: Client, changes: dict[str, Any], field: str, message: str
) -> None:
    response = physio_client.post("/patients/new/", patient_post(world, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert not Patient.objects.filter(last_name="Petrova").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("date_of_birth", "31/02/1990"), ("date_of_birth", "not a date"), ("injury_onset", "")],
)
def test_malformed_dates_are_field_errors_not_500s(
    world: World, physio_client: Client, field: str, value: str
) -> None:
    post = patient_post(world)
    post[field] = value
    response = physio_client.post("/patients/new/", post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Patient.objects.filter(last_name="Petrova").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda w: {"employer": w.other_employer.pk},
        lambda w: {"physiotherapist": w.other_physio.pk},
        lambda w: {"physiotherapist": w.admin.pk},
        lambda w: {"job_profile": factories.make_job_profile(w.other_clinic, w.other_employer).pk},
        lambda w: {"employer": "999999"},
        lambda w: {"sex": "Q"},
    ],
)
def test_tampered_choices_are_field_errors_and_nothing_is_saved(
    world: World, physio_client: Client, tamper
) -> None:
    changes = tamper(world)
    post = {**patient_post(world), **changes}
    response = physio_client.post("/patients/new/", post)
    assert response.status_code == 200
    [field] = changes
    assert field in response.context["form"].errors
    assert not Patient.objects.filter(last_name="Petrova").exists()


def test_a_profile_of_another_employer_of_our_clinic_is_a_field_error(
    world: World, physio_client: Client
) -> None:
    second = factories.make_employer(world.clinic, name="Brightcare Homes")
    carer = factories.make_job_profile(world.clinic, second, job_title="Care worker")
    response = physio_client.post("/patients/new/", patient_post(world, job_profile=carer))
    assert "another employer" in response.context["form"].errors["job_profile"][0]
    assert not Patient.objects.filter(last_name="Petrova").exists()


def test_htmx_validates_one_field_as_the_user_leaves_it(
    world: World, physio_client: Client
) -> None:
    post = {**patient_post(world, date_of_birth=date(2030, 1, 1)), "_validate": "date_of_birth"}
    response = physio_client.post("/patients/new/", post, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="field" id="id_date_of_birth_wrap"')
    assert "cannot be in the future" in html
    assert 'aria-invalid="true"' in html
    assert "<html" not in html
    assert not Patient.objects.filter(last_name="Petrova").exists()


def test_htmx_validation_of_a_good_field_shows_no_error(
    world: World, physio_client: Client
) -> None:
    post = {**patient_post(world), "_validate": "injury_onset"}
    html = physio_client.post("/patients/new/", post, headers=HTMX).content.decode()
    assert "field-error" not in html
    assert 'value="2026-10-30"' in html


def test_edit_form_saves_and_bumps_the_version(world: World, physio_client: Client) -> None:
    post = patient_post(world, first_name="Renamed", version=1)
    response = physio_client.post(f"/patients/{world.patient.uuid}/edit/", post)
    assert response.status_code == 302
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Renamed"
    assert world.patient.version == 2


def test_a_stale_edit_shows_the_newer_values_and_saving_again_keeps_mine(
    world: World, physio_client: Client
) -> None:
    services.update_patient(
        acting_user=world.colleague,
        patient=world.patient,
        data=patient_data(world, first_name="Theirs", phone="0161 496 0000"),
        version=1,
    )
    url = f"/patients/{world.patient.uuid}/edit/"
    response = physio_client.post(url, patient_post(world, first_name="Mine", version=1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this record" in html
    assert ("First name", "Theirs") in response.context["conflict"]
    assert ("Phone", "0161 496 0000") in response.context["conflict"]
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Theirs"
    # The form now carries the newer version, so a deliberate second save wins.
    assert response.context["form"]["version"].value() == "2"
    physio_client.post(url, patient_post(world, first_name="Mine", version=2))
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Mine"


def test_a_missing_version_is_treated_as_stale(world: World, physio_client: Client) -> None:
    post = patient_post(world, first_name="Mine")
    response = physio_client.post(f"/patients/{world.patient.uuid}/edit/", post)
    assert "Someone else saved this record" in response.content.decode()
    world.patient.refresh_from_db()
    assert world.patient.first_name == "Worker"


def test_physio_of_another_clinic_gets_404_for_our_patient(world: World) -> None:
    client = client_for(world.other_physio)
    for url in ("", "edit/", "consent/new/"):
        assert client.get(f"/patients/{world.patient.uuid}/{url}").status_code == 404
    assert client.post(f"/patients/{world.patient.uuid}/discharge/").status_code == 404
    world.patient.refresh_from_db()
    assert world.patient.status == PatientStatus.ACTIVE


def test_an_unknown_patient_uuid_is_404(physio_client: Client) -> None:
    response = physio_client.get("/patients/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_discharge_from_the_patient_page(world: World, physio_client: Client) -> None:
    response = physio_client.post(f"/patients/{world.patient.uuid}/discharge/", follow=True)
    assert "is discharged" in response.content.decode()
    world.patient.refresh_from_db()
    assert world.patient.status == PatientStatus.DISCHARGED
    again = physio_client.post(f"/patients/{world.patient.uuid}/discharge/", follow=True)
    assert "already discharged" in again.content.decode()
    assert AuditEvent.objects.filter(action="patient.discharged").count() == 1


def test_patient_page_shows_identity_job_injury_risks_and_consent(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    Patient.objects.filter(pk=world.patient.pk).update(
        job_profile=profile, smoker=True, other_comorbidities="Asthma"
    )
    html = physio_client.get(f"/patients/{world.patient.uuid}/").content.decode()
    assert world.patient.full_name in html
    assert "41 years" in html  # born 17 May 1985
    assert "Acme Logistics" in html
    assert "Warehouse picker</a>" in html
    assert "Heavy work" in html  # 20 kg floor-to-waist lift, frequent
    assert "Smoker" in html
    assert "Asthma" in html
    assert "Sharing" in html
    assert "status and phase; capacity against job demands" in html
    assert "Withdraw consent" in html
    assert 'id="assessments-heading"' in html  # the assessments panel is included


@pytest.mark.parametrize(
    ("tier", "action"),
    [
        ("emergency", "Urgent medical assessment now"),
        ("urgent", "Same-day medical review; program paused"),
        ("amber", "Program paused for clinician review"),
    ],
)
def test_a_red_flag_is_shown_on_the_patient_page_with_its_action(
    world: World, physio_client: Client, tier: str, action: str
) -> None:
    Patient.objects.filter(pk=world.patient.pk).update(
        red_flag_tier=tier, red_flag_since=date(2026, 11, 20)
    )
    html = physio_client.get(f"/patients/{world.patient.uuid}/").content.decode()
    assert f"red flag since 20 Nov 2026: {action}." in html
    assert 'role="alert"' in html


def test_patient_page_runs_the_same_queries_with_one_or_many_consents_and_tasks(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    Patient.objects.filter(pk=world.patient.pk).update(job_profile=profile)
    url = f"/patients/{world.patient.uuid}/"
    physio_client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert physio_client.get(url).status_code == 200
    Consent.objects.filter(patient=world.patient).update(withdrawn_on=date(2026, 9, 30))
    for month in range(10, 12):
        consent = Consent.objects.create(
            patient=world.patient,
            employer=world.employer,
            given_on=date(2026, month, 1),
            recorded_by=world.physio,
            withdrawn_on=date(2026, month, 2) if month < 11 else None,
            withdrawal_recorded_by=world.colleague if month < 11 else None,
        )
        assert consent.pk
    for _ in range(10):
        factories.make_job_profile(world.clinic, world.employer)  # noise
        profile.tasks.create(task_type="carry", load_kg=10, frequency="occasional")
    with CaptureQueriesContext(connection) as many:
        assert physio_client.get(url).status_code == 200
    assert len(many) == len(few)
