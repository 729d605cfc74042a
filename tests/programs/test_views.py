"""The program pages: bad input gets a clear message beside its field and saves nothing,
htmx edits go through the same rules, and every page runs a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment
from programs.models import Exercise, Program, ProgramStatus, SessionLog, Week, WeekStatus
from tests.conftest import client_for
from tests.factories import make_program
from tests.programs.helpers import MONDAY, busy_program, end_of, item, log_week, physio_of, plan

HTMX = {"HX-Request": "true"}
CAP_MESSAGE = "Refused: 24 kg is above this week&#x27;s cap of 23 kg (base 20 kg + 15 %)."


def _session_post(week: Week, **overrides: str) -> dict[str, str]:
    data = {
        "date": str(week.start_date),
        "pain_during": "2",
        "pain_next_morning": "0",
        "pain_at_rest": "",
        "soreness": "3",
        "fatigue": "3",
        "rpe": "5",
        "notes": "",
        "adverse_events": "",
    }
    for it in week.items.all():
        data[f"item_{it.pk}_sets"] = str(it.sets)
        data[f"item_{it.pk}_reps"] = str(it.reps)
        data[f"item_{it.pk}_quantity"] = str(it.quantity)
    data.update(overrides)
    return data


def _settings_post(program: Program, **overrides: str) -> dict[str, str]:
    data = {
        "name": program.name,
        "cap_percent": "15",
        "deload_every": "4",
        "mode": "pain_contingent",
        "target_date": "",
        "baseline_morning_pain": "0",
        "sessions_per_week": "3",
        "version": str(program.version),
    }
    data.update(overrides)
    return data


# --- building ------------------------------------------------------------------------------


def test_a_program_is_created_from_a_template_as_a_draft(world, physio_client):
    profile = make_program(world.patient).job_profile
    template = Program.objects.get(is_template=True, name="Patient handling")
    response = physio_client.post(
        f"/patients/{world.patient.uuid}/programs/new/",
        {"template": template.pk, "job_profile": profile.pk, "name": ""},
    )
    program = Program.objects.filter(patient=world.patient, name="Patient handling").get()
    assert response.status_code == 302 and response["Location"] == f"/programs/{program.uuid}/"
    page = physio_client.get(response["Location"]).content.decode()
    assert "Draft" in page and "Activate the program" in page
    assert "Phase 3: Work simulation" in page


def test_a_program_needs_a_job_profile(world, physio_client):
    response = physio_client.post(
        f"/patients/{world.patient.uuid}/programs/new/", {"template": "", "job_profile": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Program.objects.filter(patient=world.patient).exists()


def test_a_cap_of_25_percent_is_refused_beside_its_field(program, physio_client):
    response = physio_client.post(
        f"/programs/{program.uuid}/settings/", _settings_post(program, cap_percent="25")
    )
    assert response.status_code == 200
    assert "The weekly cap must be from 10 to 20 %; 25 % is not." in response.content.decode()
    program.refresh_from_db()
    assert program.cap == Decimal("0.20")


def test_a_cap_of_15_percent_is_saved(program, physio_client):
    response = physio_client.post(f"/programs/{program.uuid}/settings/", _settings_post(program))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.cap == Decimal("0.15")


def test_time_contingent_mode_needs_a_target_date(program, physio_client):
    response = physio_client.post(
        f"/programs/{program.uuid}/settings/", _settings_post(program, mode="time_contingent")
    )
    assert "Time-contingent mode needs a target date." in response.content.decode()


def test_a_stale_settings_form_shows_the_newer_values_and_saves_nothing(program, world):
    opened = _settings_post(program, cap_percent="12")
    client_for(world.colleague).post(
        f"/programs/{program.uuid}/settings/", _settings_post(program, cap_percent="17.5")
    )
    response = client_for(world.physio).post(f"/programs/{program.uuid}/settings/", opened)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved by someone else while you were editing" in page
    assert "0.175" in page
    program.refresh_from_db()
    assert program.cap == Decimal("0.175")


def test_the_htmx_field_check_returns_just_the_field_with_its_error(program, physio_client):
    response = physio_client.post(
        f"/programs/{program.uuid}/settings/",
        {**_settings_post(program, cap_percent="9"), "_validate": "cap_percent"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "9 % is not" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("increment", "0", "The increment must be greater than 0 (e.g. 0.5 kg); 0 is not."),
        ("increment", "-1", "The increment must be greater than 0"),
        ("sets", "0", "Starting sets must be from 1 to 10; 0 is out of range."),
        ("reps", "1000", "Starting reps must be from 1 to 100; 1000 is out of range."),
        ("quantity", "-5", "Starting quantity cannot be negative (-5)."),
    ],
)
def test_impossible_prescription_values_get_a_clear_message(
    draft, physio_client, field, value, message
):
    prescription = draft.current_phase.prescriptions.get(exercise__name="Goblet squat")
    data = {
        "sets": "3",
        "reps": "10",
        "quantity": "8",
        "tempo": "",
        "rest_seconds": "90",
        "increment": "1",
        "target": "",
        "version": "1",
        field: value,
    }
    response = physio_client.post(f"/programs/{draft.uuid}/prescriptions/{prescription.pk}/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    prescription.refresh_from_db()
    assert prescription.version == 1


def test_an_exercise_is_added_to_the_clinics_library_only(world, physio_client):
    data = {
        "name": "Trolley push",
        "category": "task_simulation",
        "task_type": "push",
        "quantity_kind": "load",
        "increment": "2.5",
        "description": "",
    }
    assert physio_client.post("/programs/exercises/", data).status_code == 302
    exercise = Exercise.objects.get(name="Trolley push")
    assert exercise.clinic == world.clinic
    assert (
        "Trolley push"
        not in client_for(world.other_physio).get("/programs/exercises/").content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"increment": "0"}, "The increment must be greater than 0"),
        ({"task_type": ""}, "A functional task simulation needs the job task it mirrors."),
        ({"name": "Sled push"}, "The shared library already has “Sled push”"),
    ],
)
def test_a_bad_exercise_is_refused_with_a_message(physio_client, world, changes, message):
    data = {
        "name": "Trolley push",
        "category": "task_simulation",
        "task_type": "push",
        "quantity_kind": "load",
        "increment": "2.5",
        "description": "",
        **changes,
    }
    response = physio_client.post("/programs/exercises/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Exercise.objects.filter(clinic=world.clinic).exists()


def test_unreadable_exit_criteria_are_refused_beside_the_field(draft, physio_client):
    response = physio_client.post(
        f"/programs/{draft.uuid}/phases/1/",
        {
            "name": "Foundation",
            "goals": "",
            "planned_weeks": "2",
            "exit_criteria": "nprs <= 3\nlift_floor_to_waist >= 80 demand",
            "version": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "a percentage needs &#x27;demand&#x27; and &#x27;demand&#x27; needs a percentage" in page
    draft.current_phase.refresh_from_db()
    assert draft.current_phase.exit_criteria == "nprs <= 4"


def test_an_unknown_measure_in_the_exit_criteria_is_refused(draft, physio_client):
    response = physio_client.post(
        f"/programs/{draft.uuid}/phases/1/",
        {
            "name": "F",
            "goals": "",
            "planned_weeks": "2",
            "exit_criteria": "lift >= 20",
            "version": "1",
        },
    )
    assert "&#x27;lift&#x27; is not a measure we record" in response.content.decode()


# --- the weekly loop -------------------------------------------------------------------------


def test_plan_review_and_accept_through_the_pages(program, physio_client, at):
    with at(MONDAY):
        response = physio_client.post(f"/programs/{program.uuid}/plan/")
        assert response["Location"] == f"/programs/{program.uuid}/plan/"
        page = physio_client.get(response["Location"]).content.decode()
        assert "Week 1: review the plan" in page
        assert "first week: the prescribed starting values" in page
        week = Week.objects.get(program=program)
        response = physio_client.post(
            f"/programs/{program.uuid}/weeks/1/accept/", {"version": str(week.version)}
        )
        assert response.status_code == 302
    week.refresh_from_db()
    assert week.status == WeekStatus.OPEN


def test_planning_while_paused_says_why_and_saves_nothing(program, physio_client, at):
    week = plan(program, MONDAY).week
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.PAUSED)
    with at(end_of(week)):
        response = physio_client.post(f"/programs/{program.uuid}/plan/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The program is paused: no week can be planned" in page
    assert Week.objects.filter(program=program).count() == 1


def test_a_pain_score_of_12_is_refused_and_nothing_is_logged(program, physio_client, at):
    week = plan(program, MONDAY).week
    with at(MONDAY):
        response = physio_client.post(
            f"/programs/{program.uuid}/weeks/1/log/", _session_post(week, pain_during="12")
        )
    assert response.status_code == 200
    assert (
        "Pain during (NPRS 0-10) is scored 0 to 10; 12 is not on the scale."
        in response.content.decode()
    )
    assert not SessionLog.objects.exists()


def test_a_session_is_logged_from_the_form(program, physio_client, at):
    week = plan(program, MONDAY).week
    with at(MONDAY + timedelta(days=1)):
        response = physio_client.post(
            f"/programs/{program.uuid}/weeks/1/log/", _session_post(week, pain_during="3")
        )
    assert response.status_code == 302
    session = SessionLog.objects.get()
    assert session.pain_during == 3 and session.items.count() == 4


def test_a_red_flag_ticked_in_the_session_pauses_the_program_visibly(program, physio_client, at):
    week = plan(program, MONDAY).week
    with at(MONDAY):
        response = physio_client.post(
            f"/programs/{program.uuid}/weeks/1/log/",
            {**_session_post(week), "red_flags": ["new_swelling"]},
            follow=True,
        )
    page = response.content.decode()
    assert "Session logged with an amber red flag: the program is now paused." in page
    assert "Program paused" in page and "Record a reassessment" in page


def test_the_log_page_of_a_week_that_does_not_exist_says_so(program, physio_client, at):
    plan(program, MONDAY)
    with at(MONDAY):
        response = physio_client.get(f"/programs/{program.uuid}/weeks/9/log/")
        post = physio_client.post(f"/programs/{program.uuid}/weeks/9/log/", {"pain_during": "3"})
    assert response.status_code == 404 and post.status_code == 404
    assert "Week 9 does not exist in this program. Sessions go in the open week (week 1)." in (
        response.content.decode()
    )
    assert not SessionLog.objects.exists()


def test_the_log_page_of_a_closed_week_says_so(program, physio_client, at):
    week = plan(program, MONDAY).week
    log_week(program, week)
    plan(program, end_of(week))
    with at(end_of(week)):
        response = physio_client.post(f"/programs/{program.uuid}/weeks/1/log/", _session_post(week))
    assert response.status_code == 200
    assert "Week 1 is closed: no more sessions can be logged in it." in response.content.decode()
    assert SessionLog.objects.count() == 3


def test_an_htmx_edit_above_the_cap_is_refused_in_the_row(squat_20, physio_client):
    program, week = squat_20
    squat = item(week, "Goblet squat")
    url = f"/programs/{program.uuid}/weeks/{week.index}/items/{squat.pk}/"
    response = physio_client.post(
        url,
        {"sets": "3", "reps": "10", "quantity": "24", "reason": "keen", "version": "1"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="item-{squat.pk}">')
    assert CAP_MESSAGE in page
    squat.refresh_from_db()
    assert squat.quantity == Decimal("23")


def test_an_htmx_lowering_returns_the_row_and_the_weeks_new_version(squat_20, physio_client):
    program, week = squat_20
    squat = item(week, "Goblet squat")
    response = physio_client.post(
        f"/programs/{program.uuid}/weeks/{week.index}/items/{squat.pk}/",
        {"sets": "3", "reps": "10", "quantity": "21", "reason": "sore calves", "version": "1"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert "3 × 10 × 21 kg" in page and "Lowered: sore calves" in page
    assert 'id="accept-version" value="2" hx-swap-oob="true"' in page


def test_the_item_form_works_without_javascript(squat_20, physio_client):
    program, week = squat_20
    squat = item(week, "Goblet squat")
    url = f"/programs/{program.uuid}/weeks/{week.index}/items/{squat.pk}/"
    assert "<html" in physio_client.get(url).content.decode()
    response = physio_client.post(
        url, {"sets": "3", "reps": "10", "quantity": "24", "reason": "x", "version": "1"}
    )
    assert response.status_code == 200 and CAP_MESSAGE in response.content.decode()
    response = physio_client.post(
        url, {"sets": "3", "reps": "10", "quantity": "22", "reason": "tired", "version": "1"}
    )
    assert response["Location"] == f"/programs/{program.uuid}/plan/"


def test_a_stale_item_form_shows_the_newer_values(squat_20, world):
    program, week = squat_20
    squat = item(week, "Goblet squat")
    url = f"/programs/{program.uuid}/weeks/{week.index}/items/{squat.pk}/"
    client_for(world.colleague).post(
        url, {"sets": "3", "reps": "10", "quantity": "22", "reason": "colleague", "version": "1"}
    )
    response = client_for(world.physio).post(
        url, {"sets": "3", "reps": "10", "quantity": "21", "reason": "mine", "version": "1"}
    )
    page = response.content.decode()
    assert "Saved by someone else while you were editing" in page
    assert "colleague" in page
    assert item(week, "Goblet squat").quantity == Decimal("22")


def test_accepting_a_stale_plan_shows_the_conflict_and_the_newer_values(squat_20, world):
    program, week = squat_20
    squat = item(week, "Goblet squat")
    client_for(world.colleague).post(
        f"/programs/{program.uuid}/weeks/{week.index}/items/{squat.pk}/",
        {"sets": "3", "reps": "10", "quantity": "22", "reason": "colleague", "version": "1"},
    )
    response = client_for(world.physio).post(
        f"/programs/{program.uuid}/weeks/{week.index}/accept/", {"version": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this after you opened the form" in page
    assert "3 × 10 × 22 kg" in page and "Lowered: colleague" in page
    week.refresh_from_db()
    assert week.status == WeekStatus.PLANNED


def test_the_what_if_swaps_the_projection_for_another_cap(world, physio_client, at):
    program = make_program(world.patient, activate_on=MONDAY)
    # The projection needs job-demand targets: phase 2 has the floor-to-waist lift.
    Program.objects.filter(pk=program.pk).update(current_phase=program.phases.get(order=2))
    with at(MONDAY):
        response = physio_client.get(f"/programs/{program.uuid}/?cap=0.1", headers=HTMX)
        normal = physio_client.get(f"/programs/{program.uuid}/")
        nonsense = physio_client.get(f"/programs/{program.uuid}/?cap=lots")
    page = response.content.decode()
    assert "<html" not in page and page.lstrip().startswith('<section id="projection"')
    assert "Under a 10 % cap (what-if; the program's own cap is 20 %)" in page
    assert "Floor-to-waist lift (crate)" in page
    assert "Under a 20 % cap" in normal.content.decode()
    assert nonsense.status_code == 200
    assert "Under a 20 % cap:" in nonsense.content.decode()


@pytest.mark.parametrize("cap", ["lots", "0.99", "-1", "NaN", "1e999"])
def test_a_what_if_cap_out_of_range_says_so_and_shows_the_programs_own(
    world, physio_client, at, cap
):
    program = make_program(world.patient, activate_on=MONDAY)
    Program.objects.filter(pk=program.pk).update(current_phase=program.phases.get(order=2))
    with at(MONDAY):
        response = physio_client.get(f"/programs/{program.uuid}/?cap={cap}", headers=HTMX)
        fine = physio_client.get(f"/programs/{program.uuid}/?cap=0.15", headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "A what-if cap must be a number from 10 % to 20 %" in page
    assert "Under a 20 % cap:" in page
    assert "A what-if cap must be" not in fine.content.decode()


def test_the_program_page_offers_resume_once_a_reassessment_is_recorded(program, physio_client, at):
    week = plan(program, MONDAY).week
    with at(MONDAY):
        physio_client.post(
            f"/programs/{program.uuid}/weeks/1/log/",
            {**_session_post(week), "red_flags": ["new_swelling"]},
        )
        before = physio_client.get(f"/programs/{program.uuid}/").content.decode()
    assert "Paused: amber red flag on 2026-10-05" in before
    assert "Resume the program" not in before
    Assessment.objects.create(
        patient=program.patient,
        kind="progress",
        assessed_on=MONDAY + timedelta(days=1),
        assessor=physio_of(program),
    )
    with at(MONDAY + timedelta(days=1)):
        after = physio_client.get(f"/programs/{program.uuid}/").content.decode()
        response = physio_client.post(f"/programs/{program.uuid}/resume/")
    assert "cleared by the reassessment of 2026-10-06" in after
    assert "Resume the program" in after
    assert response["Location"] == f"/programs/{program.uuid}/plan/"
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE


def test_the_phase_change_is_confirmed_on_its_own_page(program, physio_client, at):
    week = plan(program, MONDAY).week
    log_week(program, week)
    Assessment.objects.create(
        patient=program.patient,
        kind="progress",
        assessed_on=MONDAY + timedelta(days=4),
        assessor=physio_of(program),
        nprs=2,
    )
    proposed = plan(program, end_of(week), accept=False).week
    url = f"/programs/{program.uuid}/weeks/{proposed.index}/phase-change/"
    with at(end_of(week)):
        page = physio_client.get(url).content.decode()
        assert "Advance to Phase 2: Capacity?" in page
        assert "nprs &lt;= 4: 2 against ≤ 4, met" in page
        response = physio_client.post(
            url, {"version": str(proposed.version), "decision": "confirm"}
        )
    assert response["Location"] == f"/programs/{program.uuid}/plan/"
    program.refresh_from_db()
    assert program.current_phase.order == 2


def test_a_phase_change_page_without_a_proposal_is_404(program, physio_client):
    plan(program, MONDAY)
    assert physio_client.get(f"/programs/{program.uuid}/weeks/1/phase-change/").status_code == 404


def test_the_history_shows_each_decision_and_its_reasons_in_plain_words(program, physio_client, at):
    week = plan(program, MONDAY).week
    log_week(program, week, pain_during=4)
    week = plan(program, end_of(week)).week
    with at(end_of(week)):
        page = physio_client.get(f"/programs/{program.uuid}/").content.decode()
    assert "Week 1 · 5 Oct 2026" in page
    assert "first week: the prescribed starting values" in page
    assert "held: pain during exercise 4/10" in page


# --- query counts --------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["", "plan/", "weeks/{index}/log/", "settings/"])
def test_pages_run_the_same_queries_for_one_week_or_six(world, physio_client, at, page):
    small = busy_program(world, weeks=1, extra_prescriptions=0)
    big = busy_program(world, weeks=6, extra_prescriptions=3)
    last = {p.pk: Week.objects.filter(program=p).count() for p in (small, big)}
    with at(MONDAY + timedelta(weeks=6)):
        counts = [
            _count(physio_client, f"/programs/{p.uuid}/{page.format(index=last[p.pk])}")
            for p in (small, big)
        ]
    assert counts[0] == counts[1]


def test_the_patients_programs_page_runs_the_same_queries_for_one_or_three(world, physio_client):
    make_program(world.patient)
    one = _count(physio_client, f"/patients/{world.patient.uuid}/programs/")
    make_program(world.patient)
    make_program(world.patient)
    assert _count(physio_client, f"/patients/{world.patient.uuid}/programs/") == one


def test_the_exercise_library_runs_a_fixed_number_of_queries(world, physio_client):
    first = _count(physio_client, "/programs/exercises/")
    Exercise.objects.create(
        clinic=world.clinic,
        name="Farmer walk",
        category="free_weight",
        quantity_kind="load",
        increment=Decimal("2"),
    )
    assert _count(physio_client, "/programs/exercises/") == first


def test_dates_are_today_in_the_clinics_time_zone(program, physio_client, at):
    plan(program, MONDAY)
    with at(date(2026, 10, 7)):
        page = physio_client.get(f"/programs/{program.uuid}/weeks/1/log/").content.decode()
    assert 'value="2026-10-07"' in page
