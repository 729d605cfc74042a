"""What the program page and the employer pages read from a whole program history, and the
body they render from it, is cached per patient revision (``rtw.revisions``,
``rtw.page_cache``): a second visit skips the history and shows the same thing; any change
to the patient's records, or to the shared records the page names, shows on the next visit;
a change that is rolled back is never what a page remembers; a cache that is down costs
only time; a form on a body from the cache carries the viewer's own CSRF token.

These tests commit (``transactional_db``): inside a test's usual rolled-back transaction
every change is uncommitted, and nothing derived from uncommitted rows is ever stored."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs import page, services
from programs.models import Exercise, Program, Week
from programs.services.batch import propose_next_weeks
from programs.services.flags import halt
from rtw import revisions
from tests.conftest import World, client_for
from tests.employer.builders import TODAY, make_worker
from tests.programs.helpers import (
    MONDAY,
    busy_program,
    end_of,
    log_week,
    physio_of,
    plan,
    session_values,
)

pytestmark = pytest.mark.usefixtures("transactional_db")
DAY = MONDAY + timedelta(days=2)
# Served from the cache, the program page runs only the request's own queries (session,
# the user with their clinic, second factor), the access check and the access event.
CACHED_QUERIES = 5


def _visit(client: Client, url: str, at: Any, day: Any = DAY) -> tuple[Any, int]:
    with at(day), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _body(response: Any) -> str:
    """What the page shows inside ``<main>`` (each response masks its CSRF token anew)."""
    html: str = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r"\1", main)


def _from_the_cache(client: Client, url: str, at: Any) -> tuple[Any, int]:
    """A first visit, then a second served from the cache: the same page, fewer queries."""
    first, first_queries = _visit(client, url, at)
    second, second_queries = _visit(client, url, at)
    assert _body(second) == _body(first)
    assert second_queries < first_queries
    return second, second_queries


def _completed_this_week(response: Any) -> str:
    """The chart table's "completed" cell of week 1."""
    found = re.search(
        r'<figure class="chart".*?<tbody><tr><th scope="row">[^<]*</th><td>[^<]*</td>'
        r"<td>([^<]*)</td>",
        _body(response),
        re.S,
    )
    assert found, "the program has a charted prescription"
    return str(found.group(1))


def _log_one_session(program: Program, week: Week) -> None:
    services.log_session(
        acting_user=physio_of(program),
        program=program,
        week_index=week.index,
        values=session_values(week, week.start_date),
        today=DAY,
    )


@pytest.fixture
def week_one(program: Program) -> Week:
    """Week 1 open, in phase 2, whose floor-to-waist lift is charted against its target."""
    Program.objects.filter(pk=program.pk).update(current_phase=program.phases.get(order=2))
    program.refresh_from_db()
    return plan(program, MONDAY).week


def test_a_second_visit_shows_the_same_page_without_reading_the_history_again(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    _log_one_session(program, week_one)
    url = f"/programs/{program.uuid}/"
    second, second_queries = _from_the_cache(physio_client, url, at)
    assert "ACWR" in _body(second) and "earliest full-duty date" in _body(second)
    assert second_queries == CACHED_QUERIES


def test_a_logged_session_shows_on_the_next_visit(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    url = f"/programs/{program.uuid}/"
    _visit(physio_client, url, at)
    before, _ = _visit(physio_client, url, at)  # from the cache
    assert _completed_this_week(before) == "—"
    _log_one_session(program, week_one)
    after, _ = _visit(physio_client, url, at)
    assert _completed_this_week(after) != "—"


def test_the_week_the_weekly_batch_proposes_shows_on_the_next_visit(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    """The batch writes with COPY on PostgreSQL, past the ORM: it retires the page caches
    of the patients it wrote for all the same."""
    log_week(program, week_one)
    url = f"/programs/{program.uuid}/"
    day = end_of(week_one) + timedelta(days=1)
    _visit(physio_client, url, at, day)
    before, cached_queries = _visit(physio_client, url, at, day)
    assert cached_queries == CACHED_QUERIES
    assert "Review week 2's plan" not in _body(before)
    assert propose_next_weeks(day).planned == 1
    after, _ = _visit(physio_client, url, at, day)
    assert "Review week 2's plan" in _body(after)


def test_another_day_or_another_cap_is_computed_for_itself(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    _log_one_session(program, week_one)
    url = f"/programs/{program.uuid}/"
    _visit(physio_client, url, at)
    _, later_queries = _visit(physio_client, url, at, DAY + timedelta(days=1))
    _, cached_queries = _visit(physio_client, url, at, DAY + timedelta(days=1))
    assert later_queries > cached_queries == CACHED_QUERIES
    what_if, _ = _visit(physio_client, url + "?cap=0.1", at)
    assert "Under a 10 % cap (what-if" in _body(what_if)
    own, _ = _visit(physio_client, url, at)
    assert "(what-if" not in _body(own)


def test_a_change_rolled_back_is_never_remembered(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    url = f"/programs/{program.uuid}/"
    _visit(physio_client, url, at)

    class Undo(Exception):
        pass

    def log_then_undo() -> None:
        with at(DAY), transaction.atomic():
            _log_one_session(program, week_one)
            program.refresh_from_db()
            inside = page.build(program, DAY)
            assert inside.charts[0].rows[0][2] != "—"  # the uncommitted session counts
            raise Undo

    with pytest.raises(Undo):
        log_then_undo()
    after, _ = _visit(physio_client, url, at)
    assert _completed_this_week(after) == "—"


def test_a_cache_that_is_down_still_gives_the_page(
    program: Program, week_one: Week, physio_client: Client, at: Any, monkeypatch: Any
) -> None:
    url = f"/programs/{program.uuid}/"
    healthy, _ = _visit(physio_client, url, at)

    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache server gone")

    monkeypatch.setattr("rtw.revisions.django_cache.get_many", down)
    monkeypatch.setattr("rtw.revisions.django_cache.delete_many", down)
    broken, _ = _visit(physio_client, url, at)
    assert _body(broken) == _body(healthy)
    _log_one_session(program, week_one)  # retiring fails too: logged, the session is saved
    assert _completed_this_week(_visit(physio_client, url, at)[0]) != "—"


def test_a_renamed_exercise_shows_on_the_next_visit(
    program: Program, week_one: Week, physio_client: Client, at: Any
) -> None:
    url = f"/programs/{program.uuid}/"
    _visit(physio_client, url, at)
    _visit(physio_client, url, at)  # from the cache
    exercise = Exercise.objects.get(
        prescriptions__phase=program.current_phase, prescriptions__order=0
    )
    exercise.name = "Crate lift, floor to bench"
    exercise.save()
    after, queries = _visit(physio_client, url, at)
    assert "Crate lift, floor to bench" in _body(after)
    assert queries > CACHED_QUERIES


def test_a_form_on_a_page_from_the_cache_carries_the_viewers_own_csrf_token(
    draft: Program, at: Any
) -> None:
    physio = physio_of(draft)
    url = f"/programs/{draft.uuid}/"
    _visit(client_for(physio), url, at)  # another browser's visit renders the body
    browser = client_for(physio)
    browser.handler.enforce_csrf_checks = True
    response, queries = _visit(browser, url, at)
    assert queries == CACHED_QUERIES
    main = response.content.decode().split("<main", 1)[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', main)
    assert token is not None
    with at(DAY):
        answer = browser.post(
            f"/programs/{draft.uuid}/activate/", {"csrfmiddlewaretoken": token[1]}
        )
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active"


def test_the_patient_page_from_the_cache_shows_a_renamed_physiotherapist_at_once(
    world: World, physio_client: Client, at: Any
) -> None:
    url = f"/patients/{world.patient.uuid}/"
    _, second_queries = _from_the_cache(physio_client, url, at)
    world.physio.refresh_from_db()
    world.physio.last_login = world.physio.date_joined  # a login changes nothing shown
    world.physio.save(update_fields=["last_login"])
    assert _visit(physio_client, url, at)[1] == second_queries
    world.physio.first_name = "Morwenna"
    world.physio.save()
    after, _ = _visit(physio_client, url, at)
    assert "physiotherapist Morwenna" in _body(after)


def test_the_plan_page_from_the_cache_shows_a_planned_week_at_once(
    program: Program, physio_client: Client, at: Any
) -> None:
    url = f"/programs/{program.uuid}/plan/"
    second, _ = _from_the_cache(physio_client, url, at)
    assert "<h1>Plan next week</h1>" in _body(second)
    with at(MONDAY):
        assert physio_client.post(url).status_code == 302
    after, _ = _visit(physio_client, url, at)
    assert "<h1>Week 1: review the plan</h1>" in _body(after)


def test_the_caseload_from_the_cache_shows_a_change_to_any_patient_of_the_clinic(
    world: World, physio_client: Client, at: Any
) -> None:
    url = "/patients/?status=all&physio=all"
    second, _ = _from_the_cache(physio_client, url, at)
    assert world.patient.last_name in _body(second)
    world.patient.last_name = "Okafor-Reyes"
    world.patient.save()
    after, _ = _visit(physio_client, url, at)
    assert "Okafor-Reyes" in _body(after)
    filtered = physio_client.get(url + "&q=Okafor", HTTP_HX_REQUEST="true")
    assert "Okafor-Reyes" in filtered.content.decode()
    assert 'id="caseload-heading" hx-swap-oob="true"' in filtered.content.decode()


# --- the employer's pages --------------------------------------------------------------


@pytest.fixture
def worker(world: World) -> Any:
    return make_worker(world.physio, world.employer, last_name="Okonjo")


def _employer_visit(world: World, url: str, at: Any) -> tuple[str, int]:
    response, queries = _visit(client_for(world.viewer), url, at, TODAY)
    return response.content.decode(), queries


PAUSED = "To be confirmed after the clinical review."


@pytest.mark.parametrize("url", ["/employer/", "/employer/workers/{uuid}/"])
def test_the_employer_sees_the_same_projection_from_the_cache_until_the_program_changes(
    world: World, worker: Any, at: Any, url: str
) -> None:
    url = url.format(uuid=worker.uuid)
    first, first_queries = _employer_visit(world, url, at)
    second, second_queries = _employer_visit(world, url, at)
    for seen in (first, second):
        assert "Not projected yet." in seen and PAUSED not in seen
    assert second_queries < first_queries
    program = Program.objects.get(patient=worker)
    halt(acting_user=world.physio, program=program, tier="amber", raised_on=TODAY, source="test")
    after, after_queries = _employer_visit(world, url, at)
    assert PAUSED in after and "Not projected yet." not in after
    assert after_queries == first_queries


def test_a_worker_who_starts_sharing_shows_on_the_dashboard_at_once(
    world: World, worker: Any, at: Any
) -> None:
    _employer_visit(world, "/employer/", at)
    before, _ = _employer_visit(world, "/employer/", at)
    assert "Okonjo" in before and "Bellweather" not in before
    make_worker(world.physio, world.employer, last_name="Bellweather")
    after, _ = _employer_visit(world, "/employer/", at)
    assert "Bellweather" in after


def test_the_worker_page_names_a_renamed_physiotherapist_at_once(
    world: World, worker: Any, at: Any
) -> None:
    url = f"/employer/workers/{worker.uuid}/"
    _employer_visit(world, url, at)
    _, cached_queries = _employer_visit(world, url, at)
    world.physio.last_name = "Adeyemi-Hart"
    world.physio.save()
    after, queries = _employer_visit(world, url, at)
    assert "Adeyemi-Hart" in after
    assert queries > cached_queries


def test_revision_tokens_are_retired_when_the_records_change_and_again_on_commit(
    world: World,
) -> None:
    patient = world.patient.uuid
    found = revisions.lookup("probe", {patient: "x"})
    found.store({patient: "value"})
    assert revisions.lookup("probe", {patient: "x"}).found == {patient: "value"}
    with transaction.atomic():
        revisions.changed([patient])
        inside = revisions.lookup("probe", {patient: "x"})
        assert inside.found == {}
        inside.store({patient: "uncommitted"})  # refused: this transaction changed it
        assert revisions.lookup("probe", {patient: "x"}).found == {}
    assert revisions.lookup("probe", {patient: "x"}).found == {}


def test_a_visit_served_from_the_cache_runs_the_same_queries_for_one_week_or_six(
    world: World, physio_client: Client, at: Any
) -> None:
    small = busy_program(world, weeks=1, extra_prescriptions=0)
    big = busy_program(world, weeks=6, extra_prescriptions=3)
    day = MONDAY + timedelta(weeks=6)
    counts = []
    for program in (small, big):
        url = f"/programs/{program.uuid}/"
        _visit(physio_client, url, at, day)
        counts.append(_visit(physio_client, url, at, day)[1])
    assert counts[0] == counts[1]
