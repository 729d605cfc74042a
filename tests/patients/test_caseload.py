import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from patients.models import Patient, PatientStatus
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("today")

HTMX = {"HX-Request": "true"}


def _names(response) -> list[str]:
    return [p.full_name for p in response.context["page"].object_list]


def test_caseload_defaults_to_my_active_patients(world: World, physio_client: Client) -> None:
    mine = factories.make_patient(world.physio, first_name="Mine", last_name="Active")
    factories.make_patient(world.physio, last_name="Gone", status=PatientStatus.DISCHARGED)
    factories.make_patient(world.colleague, first_name="Colleagues", last_name="Patient")
    response = physio_client.get("/patients/")
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted([mine.full_name, world.patient.full_name])
    assert "<h1" in response.content.decode()
    assert re.search(r"<h1[^>]*>My caseload</h1>", response.content.decode())


def test_all_physiotherapists_shows_colleagues_patients_but_never_another_clinics(
    world: World, physio_client: Client
) -> None:
    theirs = factories.make_patient(world.colleague, last_name="Colleague")
    response = physio_client.get("/patients/?physio=all")
    names = _names(response)
    assert theirs.full_name in names
    assert world.other_patient.full_name not in names
    assert re.search(r"<h1[^>]*>Caseload</h1>", response.content.decode())


def test_search_by_name_matches_first_and_last_names(world: World, physio_client: Client) -> None:
    factories.make_patient(world.physio, first_name="Aisha", last_name="Khan")
    factories.make_patient(world.physio, first_name="Jamie", last_name="Carter")
    assert _names(physio_client.get("/patients/?q=kha")) == ["Aisha Khan"]
    assert _names(physio_client.get("/patients/?q=jamie+CART")) == ["Jamie Carter"]
    assert _names(physio_client.get("/patients/?q=nobody")) == []


def test_filters_by_status_physio_and_employer(world: World, physio_client: Client) -> None:
    second = factories.make_employer(world.clinic, name="Brightcare Homes")
    carer = factories.make_patient(world.colleague, employer=second, last_name="Carer")
    gone = factories.make_patient(world.physio, last_name="Gone", status=PatientStatus.DISCHARGED)
    assert _names(physio_client.get("/patients/?status=discharged")) == [gone.full_name]
    assert gone.full_name in _names(physio_client.get("/patients/?status=all"))
    by_colleague = physio_client.get(f"/patients/?physio={world.colleague.pk}")
    assert _names(by_colleague) == [carer.full_name]
    by_employer = physio_client.get(f"/patients/?physio=all&employer={second.pk}")
    assert _names(by_employer) == [carer.full_name]


def test_red_flags_filter_and_come_first_with_their_action(
    world: World, physio_client: Client
) -> None:
    factories.make_patient(world.physio, last_name="Aardvark")
    urgent = factories.make_patient(world.physio, last_name="Zed", red_flag_tier="urgent")
    emergency = factories.make_patient(world.physio, last_name="Young", red_flag_tier="emergency")
    amber = factories.make_patient(world.physio, last_name="Xu", red_flag_tier="amber")
    response = physio_client.get("/patients/")
    assert _names(response)[:3] == [emergency.full_name, urgent.full_name, amber.full_name]
    html = response.content.decode()
    assert "Urgent medical assessment now" in html
    assert "Same-day medical review; program paused" in html
    assert "Program paused for clinician review" in html
    flagged = _names(physio_client.get("/patients/?flag=flagged"))
    assert flagged == [emergency.full_name, urgent.full_name, amber.full_name]
    assert _names(physio_client.get("/patients/?flag=amber")) == [amber.full_name]
    unflagged = _names(physio_client.get("/patients/?flag=none"))
    assert emergency.full_name not in unflagged
    assert "Worker Aardvark" in unflagged


def test_pages_of_25(world: World, physio_client: Client) -> None:
    for n in range(30):
        factories.make_patient(world.physio, last_name=f"Many{n:02d}")
    first = physio_client.get("/patients/")
    assert len(first.context["page"].object_list) == 25
    assert "page 1 of 2" in first.content.decode()
    assert "Next page" in first.content.decode()
    second = physio_client.get("/patients/?page=2")
    assert len(second.context["page"].object_list) == 6
    assert set(_names(first)).isdisjoint(_names(second))


@pytest.mark.parametrize(
    "query",
    ["page=999", "page=abc", "page=-1", "status=bogus", "physio=999999", "employer=x", "flag=red"],
)
def test_bad_filter_values_never_500(world: World, physio_client: Client, query: str) -> None:
    response = physio_client.get(f"/patients/?{query}")
    assert response.status_code == 200
    assert _names(response) == [world.patient.full_name]


def test_a_physio_of_another_clinic_in_the_filter_is_an_error_and_ignored(
    world: World, physio_client: Client
) -> None:
    response = physio_client.get(f"/patients/?physio={world.other_physio.pk}")
    assert "physio" in response.context["form"].errors
    assert world.other_patient.full_name not in response.content.decode()
    assert _names(response) == [world.patient.full_name]


def test_an_employer_of_another_clinic_in_the_filter_is_ignored(
    world: World, physio_client: Client
) -> None:
    response = physio_client.get(f"/patients/?physio=all&employer={world.other_employer.pk}")
    assert "employer" in response.context["form"].errors
    assert world.other_patient.full_name not in _names(response)


def test_htmx_filter_returns_only_the_results_and_the_heading(
    world: World, physio_client: Client
) -> None:
    response = physio_client.get("/patients/?physio=all", headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="caseload-results"' in html
    assert 'hx-swap-oob="true">Caseload</h1>' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(world: World, physio_client: Client) -> None:
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = physio_client.get("/patients/?physio=all", headers=headers).content.decode()
    assert "<html" in html


def test_the_filter_form_works_without_javascript(world: World, physio_client: Client) -> None:
    html = physio_client.get("/patients/").content.decode()
    assert '<form method="get" action="/patients/"' in html
    assert 'name="q"' in html
    assert "Apply filters" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/patients/", "/patients/?physio=all&status=all&flag=flagged"])
def test_caseload_runs_the_same_queries_for_1_or_50_patients(
    world: World, physio_client: Client, url: str
) -> None:
    Patient.objects.filter(pk=world.patient.pk).update(red_flag_tier="amber")
    physio_client.get(url)  # warm the session
    one = _queries(physio_client, url)
    second = factories.make_employer(world.clinic)
    for n in range(49):
        factories.make_patient(
            world.physio if n % 2 else world.colleague,
            employer=second if n % 3 else world.employer,
            red_flag_tier="emergency" if n % 5 == 0 else "",
        )
    assert _queries(physio_client, url) == one
    assert _queries(physio_client, url + "&page=2" if "?" in url else url + "?page=2") == one
