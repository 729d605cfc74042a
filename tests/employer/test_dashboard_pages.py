"""The employer dashboard comes in pages of ten workers: a large employer's list opens as
fast as a small one's, and every worker can still be reached."""

from patients.employer.snapshot import WORKERS_PER_PAGE
from patients.models import Consent, Patient
from tests import factories
from tests.conftest import World, client_for
from tests.employer.test_portal import _queries

EXTRA = WORKERS_PER_PAGE + 2


def _many_workers(world: World) -> list[Patient]:
    """Our employer's consenting workers, with nothing recorded yet (quick to make)."""
    return [
        factories.make_patient(world.physio, employer=world.employer, consent=True)
        for _ in range(EXTRA)
    ]


def test_the_dashboard_shows_ten_workers_and_links_to_the_next_page(world: World) -> None:
    _many_workers(world)
    total = Consent.objects.filter(employer=world.employer, withdrawn_on__isnull=True).count()
    viewer = client_for(world.viewer)
    first = viewer.get("/employer/").content.decode()
    assert first.count('href="/employer/workers/') == WORKERS_PER_PAGE
    assert f"Page 1 of 2 ({total} workers)" in first
    assert 'href="?page=2"' in first
    second = viewer.get("/employer/?page=2").content.decode()
    assert second.count('href="/employer/workers/') == total - WORKERS_PER_PAGE
    assert 'href="?page=1"' in second


def test_every_worker_appears_on_exactly_one_page(world: World) -> None:
    workers = _many_workers(world)
    viewer = client_for(world.viewer)
    pages = [viewer.get(f"/employer/?page={n}").content.decode() for n in (1, 2)]
    for worker in [world.patient, *workers]:
        assert sum(str(worker.uuid) in page for page in pages) == 1


def test_a_page_past_the_end_shows_the_last_page(world: World) -> None:
    _many_workers(world)
    viewer = client_for(world.viewer)
    page = viewer.get("/employer/?page=99")
    assert page.status_code == 200
    assert "Page 2 of 2" in page.content.decode()


def test_a_full_page_and_a_short_one_run_the_same_queries(world: World) -> None:
    _many_workers(world)
    viewer = client_for(world.viewer)
    viewer.get("/employer/")  # warm the session
    assert _queries(viewer, "/employer/") == _queries(viewer, "/employer/?page=2")


def test_a_page_that_is_no_number_shows_the_first_and_one_below_1_the_last(world: World) -> None:
    _many_workers(world)
    viewer = client_for(world.viewer)
    for asked, shown in (("abc", "Page 1 of 2"), ("", "Page 1 of 2"), ("0", "Page 2 of 2")):
        page = viewer.get(f"/employer/?page={asked}")
        assert page.status_code == 200
        assert shown in page.content.decode()
