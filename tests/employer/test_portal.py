"""The employer viewer's dashboard and worker page: their own consenting workers only,
only what the consent shares, in plain words, read-only, in constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from patients.employer.snapshot import WORKERS_PER_PAGE
from patients.models import Consent
from programs import services as program_services
from programs.models import Program, ProgramStatus
from programs.rtw_share import Restriction, RtwShare, ScheduleStep
from tests import factories
from tests.access import all_cases
from tests.conftest import World, client_for
from tests.employer.builders import TODAY, make_worker, set_scope

SHARE = RtwShare(
    schedule=(
        ScheduleStep(1, 2, Decimal("4"), 5, "Packing bench only"),
        ScheduleStep(3, 4, Decimal("6"), 5, "Packing and light picking"),
    ),
    restrictions=(Restriction("Floor-to-waist lift", "up to 15 kg, occasionally"),),
    accommodations=("Micro-breaks", "Flexible hours"),
    capability="May be fit for work with: phased return to work, amended duties",
    functional_comments="Avoid sustained stooping for now.",
    valid_from=date(2026, 10, 26),
    valid_to=date(2026, 11, 22),
    next_review=date(2026, 11, 9),
    clinician_name="Priya Shah",
    registration_number="PH123456",
)


@pytest.fixture
def share_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every worker asked about has the return-to-work plan above."""
    monkeypatch.setattr(
        "patients.employer.snapshot.rtw_share_for", lambda ids: dict.fromkeys(ids, SHARE)
    )


def _get(client: Client, url: str, at, headers: dict[str, str] | None = None):
    with at(TODAY):
        return client.get(url, headers=headers or {})


def test_dashboard_lists_consenting_workers_with_status_phase_demands_and_attendance(
    world: World, at
) -> None:
    worker = make_worker(world.physio, world.employer, last_name="Okonjo")
    page = _get(client_for(world.viewer), "/employer/", at).content.decode()
    assert "Worker Okonjo" in page
    assert "On track" in page
    assert "Phase 1: Foundation" in page
    assert "1 of 3 job demands met" in page
    assert "9 of 9 sessions" in page  # weeks of 5, 12 and 19 October, three sessions each
    assert f"/employer/workers/{worker.uuid}/" in page


def test_worker_page_shows_each_demand_against_capacity_and_the_chart(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer)
    response = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cartons onto pallets" in page
    assert "20.0 kg (44.1 lb)" in page and "16.0 kg (35.3 lb)" in page and "80 %" in page
    assert "Sustained standing" in page and "50 %" in page
    assert "<svg" in page and 'role="img"' in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Floor-to-waist lift: from 10 kg on 2 Oct 2026 to 16 kg on 19 Oct 2026" in page


def test_the_return_to_work_plan_shows_when_shared(world: World, at, share_plan: None) -> None:
    worker = make_worker(world.physio, world.employer)
    page = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at).content.decode()
    assert "May be fit for work with: phased return to work, amended duties" in page
    assert "Weeks 1–2" in page and "Packing bench only" in page
    assert "up to 15 kg, occasionally" in page
    assert "Micro-breaks" in page
    assert "9 Nov 2026" in page  # next review


def test_without_a_plan_the_page_says_none_is_shared_yet(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer)
    page = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at).content.decode()
    assert "No return-to-work plan shared yet." in page


@pytest.mark.parametrize("status", [ProgramStatus.PAUSED, ProgramStatus.SUSPENDED])
def test_a_halted_program_reads_paused_for_clinical_review_never_why(
    world: World, at, status: str
) -> None:
    worker = make_worker(world.physio, world.employer)
    Program.objects.filter(patient=worker).update(status=status)
    viewer = client_for(world.viewer)
    for url in ("/employer/", f"/employer/workers/{worker.uuid}/"):
        page = _get(viewer, url, at).content.decode()
        assert "Paused for clinical review" in page
        for word in ("Suspended", "red flag", "Red flag", "emergency", "amber", "pain"):
            assert word not in page
    assert "To be confirmed after the clinical review." in page


def test_only_what_the_consent_shares_is_shown(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer)
    set_scope(worker, share_capacity=False, share_restrictions=False, share_reports=False)
    page = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at).content.decode()
    assert "On track" in page
    assert "Cartons onto pallets" not in page and "80 %" not in page and "<svg" not in page
    assert "Full duties" not in page
    assert page.count("Not shared.") == 3


def test_a_worker_without_consent_is_not_listed_and_their_page_is_404(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer, consent=False, last_name="Private")
    viewer = client_for(world.viewer)
    assert "Worker Private" not in _get(viewer, "/employer/", at).content.decode()
    assert _get(viewer, f"/employer/workers/{worker.uuid}/", at).status_code == 404


def test_withdrawing_consent_takes_effect_on_the_next_request(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer, last_name="Leaving")
    viewer = client_for(world.viewer)
    assert _get(viewer, f"/employer/workers/{worker.uuid}/", at).status_code == 200
    Consent.objects.filter(patient=worker).update(withdrawn_on=TODAY)
    assert "Worker Leaving" not in _get(viewer, "/employer/", at).content.decode()
    assert _get(viewer, f"/employer/workers/{worker.uuid}/", at).status_code == 404


def test_another_employers_viewer_gets_404_for_our_worker(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer)
    other = client_for(world.other_viewer)
    assert _get(other, f"/employer/workers/{worker.uuid}/", at).status_code == 404
    page = _get(other, "/employer/", at).content.decode()
    assert world.other_patient.full_name in page and worker.full_name not in page


def test_consent_given_to_another_employer_does_not_share_with_ours(world: World, at) -> None:
    worker = make_worker(world.physio, world.employer, consent=False)
    Consent.objects.create(
        patient=worker, employer=world.other_employer, given_on=TODAY, recorded_by=world.physio
    )
    viewer = client_for(world.viewer)
    assert _get(viewer, f"/employer/workers/{worker.uuid}/", at).status_code == 404


def test_an_unknown_worker_is_404(world: World, at) -> None:
    viewer = client_for(world.viewer)
    url = "/employer/workers/00000000-0000-0000-0000-000000000000/"
    assert _get(viewer, url, at).status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_dashboard_runs_the_same_queries_for_1_or_20_workers(world: World, at) -> None:
    Consent.objects.filter(patient=world.patient).delete()  # a worker with nothing yet
    make_worker(world.physio, world.employer, weeks=1)
    viewer = client_for(world.viewer)
    with at(TODAY):
        viewer.get("/employer/")  # warm the session
        one = _queries(viewer, "/employer/")
        for n in range(19):
            make_worker(world.physio if n % 2 else world.colleague, world.employer, weeks=1)
        many = _queries(viewer, "/employer/")
        page = viewer.get("/employer/").content.decode()
    assert page.count("On track") == WORKERS_PER_PAGE  # the first page of the 20
    assert "(20 workers)" in page
    assert many == one


def test_an_employer_viewer_cannot_send_an_unsafe_method_anywhere(world: World) -> None:
    viewer = client_for(world.viewer)
    # Logging out and their own sign-in settings (/account/…) are the viewer's to change.
    every = {case.path(world) for case in all_cases()}
    paths = sorted(p for p in every - {"/accounts/logout/"} if not p.startswith("/account/"))
    assert any(p.startswith("/employer/") for p in paths)
    for path in paths:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(viewer, method)(path)
            assert response.status_code in (403, 405), (method, path, response.status_code)


def test_an_employer_viewer_can_still_log_out(world: World) -> None:
    viewer = client_for(world.viewer)
    response = viewer.post("/accounts/logout/")
    assert response.status_code == 302
    assert viewer.get("/employer/").status_code == 302  # to the login page


def test_clinic_staff_get_403_on_the_employer_pages(world: World) -> None:
    worker_url = f"/employer/workers/{world.patient.uuid}/"
    for user in (world.physio, world.admin):
        client = client_for(user)
        assert client.get("/employer/").status_code == 403
        assert client.get(worker_url).status_code == 403


def test_a_viewer_sees_workers_of_their_employer_from_any_clinic(world: World, at) -> None:
    # The same employer may work with several clinics; its viewer sees every consenting worker.
    world.employer.clinics.add(world.other_clinic)
    make_worker(world.other_physio, world.employer, last_name="Elsewhere")
    page = _get(client_for(world.viewer), "/employer/", at).content.decode()
    assert "Worker Elsewhere" in page


def test_an_inactive_program_is_described_plainly(world: World, at) -> None:
    worker = factories.make_patient(world.physio, employer=world.employer, consent=True)
    program = factories.make_program(worker)
    page = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at)
    assert "Starting soon" in page.content.decode()
    program_services.activate(acting_user=world.physio, program=program, today=TODAY)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.COMPLETED)
    page = _get(client_for(world.viewer), f"/employer/workers/{worker.uuid}/", at)
    assert "Program completed" in page.content.decode()
