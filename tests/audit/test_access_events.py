"""Every page that shows a patient's data, and every report download, writes exactly one
access event naming the patient: proved over the whole access matrix."""

import pytest
from django.test import Client

from rtw.models import AccessEvent
from tests.access import Case, all_cases
from tests.conftest import World, client_for

VIEWERS = ("physio", "viewer", "admin")
# URL names whose pages are about one patient (or, for the employer dashboard, each
# consenting worker shown on it). Not the caseload or job profiles: lists of the clinic's
# own work, not a look at one person's record.
PATIENT_NAMESPACES = ("patients:", "assessments:", "programs:", "employer:", "audit:patient")
NOT_ABOUT_A_PATIENT = {"patients:caseload", "patients:create", "programs:exercises"}


def _about_a_patient(case: Case) -> bool:
    if case.name in NOT_ABOUT_A_PATIENT:
        return False
    return case.name.startswith(PATIENT_NAMESPACES) or case.name in (
        "reports:patient_reports",
        "reports:download",
    )


WALK = [
    (case, persona)
    for case in all_cases()
    if case.method == "get" and _about_a_patient(case)
    for persona in VIEWERS
    if case.expected.get(persona) == 200
]
PAGES = [pytest.param(case, persona, id=f"{case.id} as {persona}") for case, persona in WALK]


def test_the_walk_covers_clinical_pages_the_employer_portal_and_downloads() -> None:
    names = {case.name for case, _ in WALK}
    assert {
        "patients:detail",
        "assessments:detail",
        "programs:detail",
        "employer:worker",
        "employer:dashboard",
        "reports:download",
        "audit:patient_access",
    } <= names


@pytest.mark.parametrize(("case", "persona"), PAGES)
def test_a_page_showing_a_patients_data_writes_one_access_event(
    world: World, case: Case, persona: str
) -> None:
    user = world.user(persona)
    client: Client = client_for(user)
    path = case.path(world)
    last = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = client.get(path, case.data(world), headers=headers)
    assert response.status_code == 200
    (event,) = AccessEvent.objects.filter(id__gt=last)
    assert event.patient_uuid == world.patient.uuid
    assert event.patient_clinic_id == world.clinic.pk
    assert event.actor == user
    assert user is not None and event.actor_role == user.role
    assert event.what == case.name


def test_the_caseload_is_not_an_access_to_each_patient(world: World) -> None:
    assert client_for(world.physio).get("/patients/").status_code == 200
    assert not AccessEvent.objects.exists()


def test_a_refused_page_writes_no_access_event(world: World) -> None:
    response = client_for(world.other_physio).get(f"/patients/{world.patient.uuid}/")
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_saving_a_form_is_in_the_change_trail_not_an_access_event(world: World) -> None:
    client_for(world.physio).post(f"/patients/{world.patient.uuid}/discharge/")
    assert not AccessEvent.objects.exists()


def test_an_employer_viewer_access_names_their_employer(world: World) -> None:
    client_for(world.viewer).get(f"/employer/workers/{world.patient.uuid}/")
    event = AccessEvent.objects.get()
    assert (event.actor_employer_id, event.actor_clinic_id) == (world.employer.pk, None)


def test_each_page_view_is_its_own_event(world: World) -> None:
    client = client_for(world.physio)
    for _ in range(2):
        client.get(f"/patients/{world.patient.uuid}/")
    assert AccessEvent.objects.filter(what="patients:detail").count() == 2
