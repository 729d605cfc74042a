"""The assessment pages: recording, bad input, htmx field checks, editing, reading."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import Assessment, QuestionnaireResponse
from tests.assessments.helpers import form_data, make_assessment, values
from tests.conftest import World, client_for
from tests.factories import make_patient


def _new(world: World) -> str:
    return f"/patients/{world.patient.uuid}/assessments/new/"


def _field_block(html: str, name: str) -> str:
    """The markup of one field's wrapper (its label, input and errors)."""
    match = re.search(
        rf'<(div|fieldset) class="field" id="field-{re.escape(name)}".*?</\1>', html, re.S
    )
    assert match, f"no field {name}"
    return match.group(0)


def test_physio_records_an_assessment_and_sees_its_scores(
    world: World, physio_client: Client
) -> None:
    response = physio_client.post(_new(world), form_data())
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/"
    )
    page = physio_client.get(response["Location"]).content.decode()
    assert "Baseline assessment, 1 Oct 2026" in page
    assert "37.8 %" in page and "moderate disability" in page
    assert "medium risk" in page
    assert "6 / 10" in page
    assert "15.0 kg (33.1 lb)" in page
    assert assessment.assessor == world.physio


def test_loads_typed_in_pounds_are_stored_in_kilograms(world: World, physio_client: Client) -> None:
    physio_client.post(
        _new(world), form_data(load_unit="lb", lift_floor_to_waist_kg="44.1", push_kg="50")
    )
    assessment = Assessment.objects.get()
    assert assessment.lift_floor_to_waist_kg == Decimal("20.00")
    assert assessment.push_kg == Decimal("22.68")
    # Grip trials follow the same unit: 38 lb is 17.24 kg.
    assert assessment.grip_left_1 == Decimal("17.24")


BAD_INPUT = [
    ({"nprs": "11"}, "nprs", "Pain is rated from 0 (none) to 10"),
    ({"nprs": "-1"}, "nprs", "Pain is rated from 0 (none) to 10"),
    ({"rest_pain": "seven"}, "rest_pain", "Enter a whole number"),
    ({"odi__lifting": "9"}, "odi__lifting", "choose an answer from 0 to 5; 9 is not one"),
    ({"start_back__bothersomeness": "5"}, "start_back__bothersomeness", "from 0 to 4"),
    ({"lift_floor_to_waist_kg": "900"}, "lift_floor_to_waist_kg", "between 0.5 and 300 kg"),
    ({"lift_floor_to_waist_kg": "0"}, "lift_floor_to_waist_kg", "between 0.5 and 300 kg"),
    ({"push_kg": "-20"}, "push_kg", "between 0.5 and 300 kg"),
    ({"carry_kg": "12kg"}, "carry_kg", "Enter a number"),
    # 900 lb is 408 kg: a kg figure typed with "lb" chosen, or an absurd load either way.
    ({"load_unit": "lb", "lift_overhead_kg": "900"}, "lift_overhead_kg", "900 lb is 408.23 kg"),
    ({"grip_right_3": ""}, "grip_right_3", "Enter all three trials for this hand, or none"),
    ({"grip_left_1": "300"}, "grip_left_1", "between 0.5 and 120 kg"),
    ({"walking_distance_m": "50000"}, "walking_distance_m", "0 to 20000"),
    ({"assessed_on": "2026-08-01"}, "assessed_on", "before the injury onset (1 Sep 2026)"),
    ({"assessed_on": "not a date"}, "assessed_on", "Enter a valid date"),
    ({"kind": "weekly"}, "kind", "Select a valid choice"),
    ({"psfs__activity_2__name": ""}, "psfs__activity_2__name", "Name the activity you rated"),
    ({"psfs__activity_4__name": "Running"}, "psfs__activity_4", "Rate this activity"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_gets_an_error_beside_its_field_and_nothing_is_saved(
    world: World, physio_client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = physio_client.post(_new(world), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in _field_block(html, field)
    assert 'aria-invalid="true"' in _field_block(html, field)
    assert "Nothing was saved" in html
    assert not Assessment.objects.exists()
    assert not QuestionnaireResponse.objects.exists()


def test_an_assessment_dated_in_the_future_is_refused(world: World, physio_client: Client) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = physio_client.post(_new(world), form_data(assessed_on=tomorrow))
    assert "cannot be in the future" in _field_block(response.content.decode(), "assessed_on")
    assert not Assessment.objects.exists()


def test_the_typed_values_survive_a_refused_post(world: World, physio_client: Client) -> None:
    response = physio_client.post(_new(world), form_data(nprs="11", push_kg="21.5"))
    assert 'value="21.5"' in _field_block(response.content.decode(), "push_kg")


def test_a_questionnaire_with_too_few_answers_is_saved_and_says_why(
    world: World, physio_client: Client
) -> None:
    data = form_data(odi__personal_care="", odi__walking="", odi__sleeping="", odi__social_life="")
    response = physio_client.post(_new(world), data, follow=True)
    page = response.content.decode()
    assert "not scorable: 5 of 10 sections answered; at least 8 needed" in page
    assert Assessment.objects.get().questionnaires.get(instrument="odi").score is None


def test_the_form_lists_every_questionnaire_item_by_item(
    world: World, physio_client: Client
) -> None:
    page = physio_client.get(_new(world)).content.decode()
    assert page.count('name="odi__') == 10
    assert page.count('name="tsk17__') == 17
    assert page.count('name="pcs__') == 13
    assert page.count('name="ompsq_sf__') == 10
    assert page.count('name="start_back__') == 9
    assert "<legend>Tampa Scale for Kinesiophobia (TSK-11)</legend>" in page
    assert "Emergency: if any is present, urgent medical assessment now" in page


def test_the_first_assessment_defaults_to_baseline_then_progress(
    world: World, physio_client: Client
) -> None:
    page = physio_client.get(_new(world)).content.decode()
    assert '<option value="baseline" selected>' in page
    make_assessment(world.patient)
    page = physio_client.get(_new(world)).content.decode()
    assert '<option value="progress" selected>' in page


def test_htmx_checks_one_field_and_answers_with_its_fragment(
    world: World, physio_client: Client
) -> None:
    response = physio_client.post(
        _new(world),
        form_data(nprs="11"),
        headers={"HX-Request": "true", "HX-Trigger-Name": "nprs"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="field" id="field-nprs"')
    assert "Pain is rated from 0 (none) to 10" in html
    assert "<html" not in html
    assert not Assessment.objects.exists()


def test_htmx_check_of_a_valid_field_shows_no_error_and_saves_nothing(
    world: World, physio_client: Client
) -> None:
    response = physio_client.post(
        _new(world), form_data(), headers={"HX-Request": "true", "HX-Trigger-Name": "push_kg"}
    )
    assert "field-error" not in response.content.decode()
    assert not Assessment.objects.exists()


def test_every_input_asks_htmx_to_check_it_on_change(world: World, physio_client: Client) -> None:
    html = physio_client.get(_new(world)).content.decode()
    block = _field_block(html, "lift_floor_to_waist_kg")
    assert f'hx-post="{_new(world)}"' in block
    assert 'hx-trigger="change"' in block


def test_physio_of_another_clinic_gets_404_for_our_patients_assessment_pages(
    world: World,
) -> None:
    assessment = make_assessment(world.patient)
    client = client_for(world.other_physio)
    base = f"/patients/{world.patient.uuid}/assessments"
    assert client.get(f"{base}/new/").status_code == 404
    assert client.post(f"{base}/new/", form_data()).status_code == 404
    assert client.get(f"{base}/{assessment.uuid}/").status_code == 404
    assert client.post(f"{base}/{assessment.uuid}/edit/", form_data(version="1")).status_code == 404
    assert Assessment.objects.count() == 1


def test_an_assessment_is_not_found_under_another_patients_address(
    world: World, physio_client: Client
) -> None:
    other = make_patient(world.physio)
    assessment = make_assessment(other)
    response = physio_client.get(f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/")
    assert response.status_code == 404


def test_a_clinic_admin_who_is_not_a_physio_is_refused(world: World) -> None:
    response = client_for(world.admin).get(_new(world))
    assert response.status_code == 403


def test_editing_shows_the_stored_values_in_kg(world: World, physio_client: Client) -> None:
    assessment = make_assessment(world.patient)
    page = physio_client.get(
        f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/edit/"
    ).content.decode()
    assert 'value="15"' in _field_block(page, "lift_floor_to_waist_kg")
    assert 'name="version" value="1"' in page
    assert '<option value="4" selected>4 – ' not in page  # ODI has no anchor at 4
    assert re.search(r'name="odi__lifting"[^>]*>.*?<option value="4" selected>', page, re.S)


def test_an_edit_is_saved_with_a_new_version(world: World, physio_client: Client) -> None:
    assessment = make_assessment(world.patient)
    url = f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/edit/"
    response = physio_client.post(url, form_data(version="1", nprs="3"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.nprs, assessment.version) == (3, 2)


def test_a_stale_edit_shows_the_newer_values_and_saves_nothing(
    world: World, physio_client: Client
) -> None:
    assessment = make_assessment(world.patient)
    url = f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/edit/"
    # A colleague saves first...
    client_for(world.colleague).post(url, form_data(version="1", nprs="4", push_kg="22"))
    # ...then this physio saves the page they opened at version 1.
    response = physio_client.post(url, form_data(version="1", nprs="9"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in html
    assert re.search(r"Pain now \(NPRS 0–10\)</th><td>4/10</td><td>9/10</td>", html)
    assert re.search(r"Push force</th><td>22.0 kg \(48.5 lb\)</td><td>20.0 kg", html)
    assessment.refresh_from_db()
    assert (assessment.nprs, assessment.version) == (4, 2)
    # The form now carries the newer version: saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in html
    assert physio_client.post(url, form_data(version="2", nprs="9")).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.nprs, assessment.version) == (9, 3)


def test_detail_labels_change_against_the_minimal_important_change(
    world: World, physio_client: Client
) -> None:
    make_assessment(world.patient)
    later = make_assessment(
        world.patient,
        kind="progress",
        assessed_on=world.patient.injury_onset + timedelta(days=60),
        measures={"nprs": 3},
        questionnaires={
            "odi": {
                "pain_intensity": 1,
                "lifting": 2,
                "walking": 0,
                "sitting": 1,
                "standing": 1,
                "sleeping": 0,
                "personal_care": 0,
                "social_life": 1,
                "travelling": 0,
                "sex_life": None,
            }
        },
    )
    page = physio_client.get(
        f"/patients/{world.patient.uuid}/assessments/{later.uuid}/"
    ).content.decode()
    # NPRS 6 → 3: 3 points, past the 2-point MIC.
    assert "−3 since 1 Oct 2026: improved (≥ MIC of 2 points or 30 %)" in page
    # ODI 37.8 → 13.3 %: −24.5 points, past the 10-point MIC.
    assert "−24.5 since 1 Oct 2026: improved (≥ MIC of 10 points)" in page
    assert "0 since 1 Oct 2026: no important change (MIC 2 points)" in page  # PSFS


def test_detail_shows_grip_against_age_and_sex_norms(world: World, physio_client: Client) -> None:
    trials = {"grip_left_1": Decimal(38), "grip_left_2": Decimal(40), "grip_left_3": Decimal(39)}
    assessment = make_assessment(world.patient, measures=trials)
    page = physio_client.get(
        f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/"
    ).content.decode()
    # A 41-year-old man's left hand: Mathiowetz 112.8 ± 18.7 lb = 51.2 ± 8.5 kg.
    assert "<strong>39.0 kg</strong>" in page
    assert "76 % of the norm 51.2 ± 8.5 kg (age 40-44): below norm" in page


def test_detail_puts_the_emergency_action_first(world: World, physio_client: Client) -> None:
    assessment = make_assessment(world.patient, red_flags=frozenset({"saddle_numbness"}))
    page = physio_client.get(
        f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/"
    ).content.decode()
    assert "Emergency red flag: urgent medical assessment now" in page
    assert "Saddle numbness" in page
    assert page.index("urgent medical assessment now") < page.index("Pain and questionnaire")


def test_detail_shows_capacity_as_of_that_assessment(world: World, physio_client: Client) -> None:
    from tests.factories import make_job_profile

    world.patient.job_profile = make_job_profile(world.clinic, world.employer)
    world.patient.save(update_fields=["job_profile"])
    first = make_assessment(world.patient)
    make_assessment(
        world.patient,
        assessed_on=world.patient.injury_onset + timedelta(days=60),
        measures={"lift_floor_to_waist_kg": Decimal(20)},
    )
    page = physio_client.get(
        f"/patients/{world.patient.uuid}/assessments/{first.uuid}/"
    ).content.decode()
    # The 20 kg floor-to-waist demand against the 15 kg lifted then, not the later 20 kg.
    assert "75 %" in page
    assert "5.0 kg (11.0 lb)" in page


def test_the_detail_page_runs_the_same_queries_for_1_or_12_assessments(
    world: World, physio_client: Client, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_assessment(world.patient)
    url = f"/patients/{world.patient.uuid}/assessments/{first.uuid}/"
    with CaptureQueriesContext(connection) as one:
        physio_client.get(url)
    for week in range(1, 12):
        make_assessment(
            world.patient,
            kind="progress",
            assessed_on=first.assessed_on + timedelta(weeks=week),
            questionnaires={"tsk17": {f"q{n}": 2 for n in range(1, 18)}},
        )
    with CaptureQueriesContext(connection) as many:
        physio_client.get(url)
    assert len(many) == len(one)


def test_values_helper_matches_the_form_post(world: World, physio_client: Client) -> None:
    physio_client.post(_new(world), form_data())
    by_form = Assessment.objects.get()
    by_service = make_assessment(make_patient(world.physio), assessed_on=by_form.assessed_on)
    assert by_form.lift_floor_to_waist_kg == by_service.lift_floor_to_waist_kg
    assert values().kind == by_form.kind
