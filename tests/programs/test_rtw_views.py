"""The return-to-work plan pages: a physiotherapist writes a plan from a ramp template, sees
the cap warning, saves; bad input is refused beside its field and saves nothing; the row
buttons work with htmx and without JavaScript; stale forms show the newer plan; and the
pages run a fixed number of queries whatever the plan's size."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program, ProgramStatus, RtwPlan
from tests.access_rtw import RAMP_4_6_8, plan_post
from tests.assessments.helpers import make_assessment
from tests.conftest import client_for

HTMX = {"HX-Request": "true"}
WARNING_4_TO_6 = "Week 3: hours a day rise from 4 to 6 (+50 %), more than the program&#x27;s"


def url(program: Program, rest: str = "") -> str:
    return f"/programs/{program.uuid}/return-to-work/{rest}"


@pytest.fixture
def physio(world):
    world.physio.registration_number = "HCPC PH123456"
    world.physio.save(update_fields=["registration_number"])
    return world.physio


@pytest.fixture
def client(physio):
    return client_for(physio)


def saved(program: Program) -> RtwPlan:
    return RtwPlan.objects.prefetch_related("steps", "restrictions").get(program=program)


# --- writing a plan ----------------------------------------------------------------------------


def test_the_program_page_links_to_its_return_to_work_plan(draft, client):
    page = client.get(f"/programs/{draft.uuid}/").content.decode()
    assert f'href="{url(draft)}"' in page


def test_a_program_without_a_plan_offers_to_write_one(draft, client):
    page = client.get(url(draft)).content.decode()
    assert "No return-to-work plan yet" in page
    assert "Write the return-to-work plan" in page


def test_a_new_plan_starts_from_the_job_demands_not_yet_met(draft, client, world, at):
    make_assessment(world.patient)  # floor-to-waist lift 15 kg; the job asks 20 kg frequently
    with at(date(2026, 11, 2)):
        page = client.get(url(draft, "edit/")).content.decode()
    assert 'value="lift_floor_to_waist" selected' in page
    assert 'name="restrictions-0-max_kg" value="15"' in page
    assert (
        "The employer reads: “Up to 15.0 kg (33.1 lb), frequently (1/3 to 2/3 of the shift)”"
        in (page)
    )
    assert 'name="valid_from" value="2026-11-02"' in page
    assert 'name="version" value="0"' in page


def test_a_ramp_template_fills_the_steps_and_warns_about_the_cap_without_saving(draft, client):
    data = plan_post(steps=[], ramp="half_three_quarter_full")
    page = client.post(url(draft, "edit/steps/ramp/"), data).content.decode()
    assert "<html" in page  # without JavaScript the whole page comes back
    assert 'name="steps-2-hours_per_day" value="8"' in page
    assert WARNING_4_TO_6 in page
    assert "Warnings only: the plan can be saved as it is." in page
    assert not RtwPlan.objects.exists()


def test_with_htmx_the_ramp_swaps_only_the_schedule_and_announces_it(draft, client):
    data = plan_post(steps=[], ramp="half_days_full_days")
    page = client.post(url(draft, "edit/steps/ramp/"), data, headers=HTMX).content.decode()
    assert "<html" not in page
    assert page.strip().startswith('<section id="schedule"')
    assert 'name="steps-1-hours_per_day" value="8"' in page
    assert "+100 %" in page
    assert "1 warning to check below.</p>" in page  # said aloud through the status region
    assert '<p id="rtw-status" hx-swap-oob="innerHTML">Steps filled from “4 → 8 hours a day' in (
        page
    )
    assert "autofocus" in page


def test_saving_the_plan_shows_it_with_its_warning_and_signature(draft, client, physio):
    data = plan_post(
        restrictions=[
            {"task_type": "lift_floor_to_waist", "max_kg": "10", "frequency": "occasional"},
            {"task_type": "stooping", "max_minutes": "10"},
        ]
    )
    response = client.post(url(draft, "edit/"), data)
    assert response.status_code == 302
    assert response["Location"] == url(draft)
    page = client.get(url(draft)).content.decode()
    assert "Return-to-work plan saved." in page
    assert "May be fit for work with: phased return to work, altered hours" in page
    assert WARNING_4_TO_6 in page
    assert "Up to 10.0 kg (22.0 lb), occasionally (up to 1/3 of the shift)" in page
    assert "At most 10 min at a time" in page
    assert "16 Nov – 29 Nov 2026" in page  # weeks 3-4 from Monday 2 November
    assert f"{physio.display_name}, registration number HCPC PH123456" in page
    assert saved(draft).steps.count() == 3


def test_an_empty_new_row_is_left_out_when_the_plan_is_saved(draft, client):
    data = plan_post(steps=[*RAMP_4_6_8, ("", "", "", "", "")])  # type: ignore[list-item]
    assert client.post(url(draft, "edit/"), data).status_code == 302
    assert saved(draft).steps.count() == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"steps-1-hours_per_day": "13"}, "steps-1-hours_per_day", "13 is out of range"),
        ({"steps-1-hours_per_day": "0"}, "steps-1-hours_per_day", "0 is out of range"),
        ({"steps-0-days_per_week": "8"}, "steps-0-days_per_week", "8 is out of range"),
        ({"steps-1-week_from": "2"}, "steps-1-week_from", "Step 2 starts in week 2"),
        ({"steps-0-week_to": "x"}, "steps-0-week_to", "Enter a whole number."),
        ({"valid_to": "2026-11-01"}, "valid_to", "cannot end (2026-11-01) before it starts"),
        ({"next_review": "2026-10-30"}, "next_review", "is before the statement starts"),
        ({"fitness": "not_fit"}, "fitness", "takes no adjustments"),
        ({"valid_from": "31/02/2026"}, "valid_from", "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    draft, client, changes, field, message
):
    response = client.post(url(draft, "edit/"), plan_post(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    error = page[page.index(f'id="id_{field}_error"') :][:400]
    assert message in error.replace("&#x27;", "'")
    assert not RtwPlan.objects.exists()


def test_a_restriction_without_a_limit_is_refused_beside_it(draft, client):
    data = plan_post(restrictions=[{"task_type": "push", "max_kg": "12"}])
    page = client.post(url(draft, "edit/"), data).content.decode()
    assert "Say how often the weight may be handled." in page
    assert not RtwPlan.objects.exists()


def test_a_tampered_row_count_gets_a_message_not_an_error_page(draft, client):
    response = client.post(url(draft, "edit/"), {**plan_post(), "steps-TOTAL_FORMS": "lots"})
    assert response.status_code == 200
    assert "ManagementForm data is missing or has been tampered with" in response.content.decode()
    assert not RtwPlan.objects.exists()


# --- the row buttons --------------------------------------------------------------------------


def test_adding_a_step_without_javascript_continues_after_the_last_and_saves_nothing(draft, client):
    page = client.post(url(draft, "edit/steps/add/"), plan_post()).content.decode()
    assert "<html" in page
    assert 'name="steps-3-week_from" value="7"' in page
    assert 'name="steps-3-days_per_week" value="5"' in page
    assert "Step 4 added." in page
    assert not RtwPlan.objects.exists()


def test_removing_a_step_with_htmx_renumbers_the_rest(draft, client):
    data = {**plan_post(), "row": "1"}
    page = client.post(url(draft, "edit/steps/remove/"), data, headers=HTMX).content.decode()
    assert "<html" not in page
    assert "Step 2 removed." in page
    assert 'name="steps-TOTAL_FORMS" value="2"' in page
    assert 'name="steps-1-hours_per_day" value="8"' in page
    assert "Remove step 3" not in page


def test_removing_a_row_that_is_not_there_changes_nothing(draft, client):
    data = {**plan_post(), "row": "7"}
    page = client.post(url(draft, "edit/steps/remove/"), data).content.decode()
    assert "There is no such step to remove." in page
    assert 'name="steps-TOTAL_FORMS" value="3"' in page


def test_an_unknown_ramp_template_is_a_message(draft, client):
    data = plan_post(ramp="ten_to_twenty")
    page = client.post(url(draft, "edit/steps/ramp/"), data).content.decode()
    assert "Choose a ramp template from the list." in page


def test_restrictions_are_added_and_removed_with_htmx(draft, client):
    data = plan_post(restrictions=[{"task_type": "stooping", "max_minutes": "10"}])
    page = client.post(url(draft, "edit/restrictions/add/"), data, headers=HTMX).content.decode()
    assert page.strip().startswith('<section id="restrictions"')
    assert "Restriction 2 added." in page
    assert 'name="restrictions-TOTAL_FORMS" value="2"' in page
    data = {**data, "row": "0"}
    page = client.post(url(draft, "edit/restrictions/remove/"), data, headers=HTMX).content.decode()
    assert 'name="restrictions-TOTAL_FORMS" value="0"' in page
    assert "No restricted tasks." in page


def test_the_unmet_job_demands_are_added_once(draft, client, world):
    make_assessment(world.patient)
    data = plan_post(restrictions=[])
    page = client.post(url(draft, "edit/restrictions/unmet/"), data).content.decode()
    assert "1 restriction added from the job demands." in page
    again = plan_post(
        restrictions=[{"task_type": "lift_floor_to_waist", "max_kg": "15", "frequency": "frequent"}]
    )
    page = client.post(url(draft, "edit/restrictions/unmet/"), again).content.decode()
    assert "Every job demand not yet met is already listed." in page


# --- htmx checks as a field is left -----------------------------------------------------------


def test_leaving_an_hours_field_checks_it_and_refreshes_the_warnings(draft, client):
    data = {**plan_post(), "steps-1-hours_per_day": "5", "_validate": "steps-1-hours_per_day"}
    page = client.post(url(draft, "edit/"), data, headers=HTMX).content.decode()
    assert page.strip().startswith('<div class="field" id="id_steps-1-hours_per_day_wrap"')
    assert 'id="schedule-warnings" aria-live="polite" hx-swap-oob="innerHTML"' in page
    assert "Week 3: hours a day rise from 4 to 5 (+25 %)" in page
    assert "Week 5: hours a day rise from 5 to 8 (+60 %)" in page
    data["steps-1-hours_per_day"] = "13"
    page = client.post(url(draft, "edit/"), data, headers=HTMX).content.decode()
    assert "Hours a day must be from 0.5 to 12; 13 is out of range." in page
    # no warning worked out without step 2 (it would claim a gap and a 4 → 8 rise)
    assert "no step covers" not in page
    assert "once every step's values are valid" in page
    assert not RtwPlan.objects.exists()


def test_leaving_a_restriction_field_shows_how_the_employer_will_read_it(draft, client):
    data = {
        **plan_post(
            restrictions=[{"task_type": "carry", "max_kg": "7.5", "frequency": "frequent"}]
        ),
        "_validate": "restrictions-0-max_kg",
    }
    page = client.post(url(draft, "edit/"), data, headers=HTMX).content.decode()
    assert 'id="restrictions-0-preview" class="rtw-preview" hx-swap-oob="true"' in page
    assert "Up to 7.5 kg (16.5 lb), frequently" in page


def test_checking_a_field_that_does_not_exist_is_a_bad_request(draft, client):
    data = {**plan_post(), "_validate": "steps-9-hours_per_day"}
    response = client.post(url(draft, "edit/"), data, headers=HTMX)
    assert response.status_code == 400
    assert not RtwPlan.objects.exists()


# --- editing and conflicts --------------------------------------------------------------------


def test_editing_shows_the_saved_plan_in_the_form(draft, client):
    client.post(url(draft, "edit/"), plan_post())
    page = client.get(url(draft, "edit/")).content.decode()
    assert 'name="version" value="1"' in page
    assert 'name="steps-0-duties" value="Packing bench only"' in page
    assert 'name="steps-1-hours_per_day" value="6"' in page


def test_a_stale_form_shows_the_newer_plan_and_saving_again_keeps_yours(draft, client, world):
    client.post(url(draft, "edit/"), plan_post())
    colleague = client_for(world.colleague)
    theirs = plan_post(version=1, steps=[(1, 4, "5", 4, "Colleague's duties")])
    assert colleague.post(url(draft, "edit/"), theirs).status_code == 302
    mine = plan_post(version=1, steps=[(1, 2, "3", 5, "My duties")])
    response = client.post(url(draft, "edit/"), mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved by someone else while you were editing" in page
    assert "Colleague&#x27;s duties" in page  # the plan saved now
    assert 'name="steps-0-duties" value="My duties"' in page  # the form keeps mine
    assert 'name="version" value="2"' in page
    assert saved(draft).steps.get().duties == "Colleague's duties"
    again = plan_post(version=2, steps=[(1, 2, "3", 5, "My duties")])
    assert client.post(url(draft, "edit/"), again).status_code == 302
    assert saved(draft).steps.get().duties == "My duties"


def test_a_completed_programs_plan_can_be_read_but_not_changed(draft, client):
    client.post(url(draft, "edit/"), plan_post())
    Program.objects.filter(pk=draft.pk).update(status=ProgramStatus.COMPLETED)
    page = client.get(url(draft)).content.decode()
    assert "Edit the plan" not in page
    response = client.get(url(draft, "edit/"), follow=True)
    assert "its return-to-work plan is kept as it was" in response.content.decode()
    response = client.post(url(draft, "edit/steps/add/"), plan_post())
    assert response.status_code == 302
    assert saved(draft).version == 1


def test_a_physio_without_a_registration_number_is_told_before_signing(draft, world):
    page = client_for(world.colleague).get(url(draft, "edit/")).content.decode()
    assert "Your account has no professional registration number" in page


# --- queries ---------------------------------------------------------------------------------


def _with_rows(program: Program, client, n: int) -> None:
    steps = [(2 * i + 1, 2 * i + 2, "4", 5, f"Duties {i}") for i in range(n)]
    restrictions = [{"task_type": "stooping", "max_minutes": str(10 + i)} for i in range(n)]
    RtwPlan.objects.filter(program=program).delete()
    response = client.post(url(program, "edit/"), plan_post(steps=steps, restrictions=restrictions))
    assert response.status_code == 302, response.content.decode()[:2000]


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["", "edit/"])
def test_the_plan_pages_run_the_same_queries_for_one_row_or_twenty(draft, client, page):
    _with_rows(draft, client, 1)
    one = _count(client, url(draft, page))
    _with_rows(draft, client, 20)
    assert _count(client, url(draft, page)) == one


def test_the_plan_page_reads_the_plan_and_its_rows_in_three_queries(
    draft, client, django_assert_num_queries
):
    _with_rows(draft, client, 5)
    # session, user with their clinic, verified second-factor device, program; the access
    # event (rtw.audit); plan, steps, restrictions
    with django_assert_num_queries(8):
        client.get(url(draft))


def test_hours_are_stored_exactly(draft, client):
    client.post(url(draft, "edit/"), plan_post(steps=[(1, 2, "4.5", 5, "")]))
    assert saved(draft).steps.get().hours_per_day == Decimal("4.5")
