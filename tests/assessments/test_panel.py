"""The assessments panel of the patient page: flags, scores, capacity, charts, timeline."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.panel import patient_panel_context
from patients.models import Patient
from tests.assessments.helpers import make_assessment
from tests.conftest import World
from tests.factories import make_job_profile


def _render(patient: Patient) -> str:
    patient = Patient.objects.get(pk=patient.pk)
    return render_to_string("assessments/patient_panel.html", patient_panel_context(patient))


def _with_profile(world: World) -> Patient:
    world.patient.job_profile = make_job_profile(world.clinic, world.employer)
    world.patient.save(update_fields=["job_profile"])
    return world.patient


def _weeks(world: World, count: int) -> None:
    start = world.patient.injury_onset + timedelta(days=14)
    for week in range(count):
        make_assessment(
            world.patient,
            kind="baseline" if week == 0 else "progress",
            assessed_on=start + timedelta(weeks=week),
            measures={
                "nprs": max(7 - week // 3, 0),
                "lift_floor_to_waist_kg": Decimal(8 + week),
                "lift_overhead_kg": Decimal(3 + week // 2),
            },
        )


def test_a_patient_without_assessments_sees_an_invitation_to_record_one(world: World) -> None:
    html = _render(world.patient)
    assert "No assessments yet." in html
    assert f"/patients/{world.patient.uuid}/assessments/new/" in html
    assert "<svg" not in html


def test_the_panel_shows_latest_scores_with_their_change(world: World) -> None:
    _weeks(world, 4)
    html = _render(world.patient)
    assert "Latest scores" in html
    assert "<strong>6 / 10</strong>" in html
    assert "−1 since " in html and "no important change (MIC 2 points or 30 %)" in html


def test_the_panel_compares_capacity_with_the_job_demand(world: World) -> None:
    _with_profile(world)
    _weeks(world, 3)
    html = _render(world.patient)
    # Latest floor-to-waist lift 10 kg against the 20 kg frequent demand.
    assert "10.0 kg (22.0 lb)" in html
    assert "50 %" in html
    assert "Job demand level: <strong>Heavy</strong>" in html


def test_without_a_job_profile_the_panel_says_so(world: World) -> None:
    _weeks(world, 1)
    assert "No job profile" in _render(world.patient)


def test_the_panel_charts_pain_odi_and_lift_against_the_demand(world: World) -> None:
    _with_profile(world)
    _weeks(world, 3)
    html = _render(world.patient)
    assert html.count("<svg") == 3
    assert "<script" not in html
    assert 'role="img"' in html
    assert "Demand, floor-to-waist lift: 20 kg" in html
    # Each chart has a sentence and a data table for people who cannot see it.
    assert (
        "Pain (NPRS): from 7/10 on 15 Sep 2026 to 7/10 on 29 Sep 2026, over 3 assessments." in html
    )
    assert "Data for the chart: Pain (NPRS 0–10)" in html
    assert '<th scope="row">22 Sep 2026</th><td>9</td>' in html


def test_the_panel_puts_a_red_flag_first_with_its_action(world: World) -> None:
    make_assessment(world.patient, red_flags=frozenset({"bladder_bowel_dysfunction"}))
    html = _render(world.patient)
    assert "Emergency red flag: urgent medical assessment now" in html
    assert "New bladder or bowel dysfunction" in html
    assert html.index("urgent medical assessment now") < html.index("Latest scores")


def test_the_timeline_lists_assessments_newest_first_with_links(world: World) -> None:
    _weeks(world, 3)
    html = _render(world.patient)
    dates = [
        html.index(d)
        for d in ("29 Sep 2026: Progress", "22 Sep 2026: Progress", "15 Sep 2026: Baseline")
    ]
    assert dates == sorted(dates)
    for assessment in world.patient.assessments.all():
        assert f"/patients/{world.patient.uuid}/assessments/{assessment.uuid}/" in html


def _panel_queries(patient: Patient) -> int:
    patient = Patient.objects.get(pk=patient.pk)
    with CaptureQueriesContext(connection) as queries:
        render_to_string("assessments/patient_panel.html", patient_panel_context(patient))
    return len(queries)


def test_the_panel_runs_the_same_queries_for_1_or_20_assessments(world: World) -> None:
    _with_profile(world)
    _weeks(world, 1)
    one = _panel_queries(world.patient)
    _weeks(world, 20)
    assert _panel_queries(world.patient) == one == 3


def test_the_patient_page_runs_the_same_queries_for_1_or_20_assessments(
    world: World, physio_client: Client
) -> None:
    _with_profile(world)
    _weeks(world, 1)
    url = f"/patients/{world.patient.uuid}/"
    with CaptureQueriesContext(connection) as one:
        assert physio_client.get(url).status_code == 200
    _weeks(world, 20)
    with CaptureQueriesContext(connection) as many:
        response = physio_client.get(url)
    assert response.content.decode().count("<svg") == 3
    assert len(many) == len(one)
