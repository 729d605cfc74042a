import importlib
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from patients import services
from patients.models import JobDemandProfile, JobTask
from rtw.errors import ServiceError
from rtw.models import AuditEvent
from tests import factories
from tests.conftest import World, client_for

HTMX = {"HX-Request": "true"}
TEMPLATE_TITLES = ["Care worker", "Labourer", "Warehouse picker"]


def _template(w: World, title: str = "Warehouse picker") -> JobDemandProfile:
    return JobDemandProfile.objects.get(clinic=w.clinic, is_template=True, job_title=title)


def _task_post(**changes: Any) -> dict[str, Any]:
    post: dict[str, Any] = {
        "task_type": "lift_floor_to_waist",
        "description": "Lift boxes of tins",
        "load": "20",
        "load_unit": "kg",
        "frequency": "occasional",
        "height_from_cm": "0",
        "height_to_cm": "90",
        "distance_m": "",
        "duration_min": "",
    }
    post.update(changes)
    return post


# --- Clinic templates ------------------------------------------------------------


def test_every_new_clinic_starts_with_the_three_templates_and_their_tasks(db: None) -> None:
    clinic = factories.make_clinic("Brand New Physio")
    templates = JobDemandProfile.objects.filter(clinic=clinic, is_template=True)
    assert sorted(t.job_title for t in templates) == TEMPLATE_TITLES
    assert all(t.employer is None for t in templates)
    assert all(t.tasks.count() >= 5 for t in templates)
    assert (
        AuditEvent.objects.filter(clinic=clinic, action="job_profile.template_seeded").count() == 3
    )


def test_ensure_clinic_templates_is_idempotent_and_restores_a_missing_one(world: World) -> None:
    assert services.ensure_clinic_templates(world.clinic) == []
    _template(world, "Labourer").delete()
    restored = services.ensure_clinic_templates(world.clinic)
    assert [p.job_title for p in restored] == ["Labourer"]
    assert JobDemandProfile.objects.filter(clinic=world.clinic, is_template=True).count() == 3


def test_the_data_migration_gives_existing_clinics_their_templates(world: World) -> None:
    JobDemandProfile.objects.filter(is_template=True).delete()
    migration = importlib.import_module("patients.migrations.0004_clinic_job_templates")
    migration.seed_templates(apps, None)
    for clinic in (world.clinic, world.other_clinic):
        titles = clinic.job_profiles.filter(is_template=True).values_list("job_title", flat=True)
        assert sorted(titles) == TEMPLATE_TITLES


def test_template_levels_are_computed_from_their_tasks(world: World) -> None:
    levels = {
        t.job_title: t.demand_level.label
        for t in JobDemandProfile.objects.filter(clinic=world.clinic, is_template=True)
        if t.demand_level is not None
    }
    # 15 kg floor-to-waist lift frequently is 33 lb > 25 lb: heavy.
    assert levels == {"Warehouse picker": "Heavy", "Care worker": "Medium", "Labourer": "Heavy"}


def test_starting_from_a_template_copies_it_and_its_tasks_for_our_employer(
    world: World, physio_client: Client
) -> None:
    template = _template(world)
    url = f"/jobs/templates/{template.pk}/use/"
    assert "Warehouse picker" in physio_client.get(url).content.decode()
    response = physio_client.post(url, {"employer": world.employer.pk, "job_title": "Night picker"})
    profile = JobDemandProfile.objects.get(job_title="Night picker")
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{profile.pk}/"
    assert profile.employer == world.employer
    assert profile.is_template is False
    assert profile.hazards == template.hazards
    copied = [(t.task_type, t.load_kg, t.frequency) for t in profile.tasks.all()]
    assert copied == [(t.task_type, t.load_kg, t.frequency) for t in template.tasks.all()]
    assert template.tasks.count() == 5  # the template itself is untouched
    page = physio_client.get(response["Location"]).content.decode()
    assert "Physical demand level (US DOT):\n    <strong>Heavy</strong>" in page
    assert AuditEvent.objects.filter(action="job_profile.created_from_template").count() == 1


def test_a_template_cannot_be_copied_for_another_clinics_employer(
    world: World, physio_client: Client
) -> None:
    url = f"/jobs/templates/{_template(world).pk}/use/"
    response = physio_client.post(url, {"employer": world.other_employer.pk, "job_title": "X"})
    assert response.status_code == 200
    assert "employer" in response.context["form"].errors
    assert not JobDemandProfile.objects.filter(job_title="X").exists()


def test_another_clinics_template_is_404(world: World) -> None:
    theirs = JobDemandProfile.objects.filter(clinic=world.other_clinic, is_template=True).first()
    assert theirs is not None
    response = client_for(world.physio).post(
        f"/jobs/templates/{theirs.pk}/use/", {"employer": world.employer.pk, "job_title": "X"}
    )
    assert response.status_code == 404


def test_an_employer_profile_is_not_a_template_to_copy(world: World, physio_client: Client) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    assert physio_client.get(f"/jobs/templates/{profile.pk}/use/").status_code == 404
    with pytest.raises(ServiceError):
        services.copy_template(
            acting_user=world.physio, template=profile, employer=world.employer, job_title="X"
        )


# --- Profiles ----------------------------------------------------------------------


def test_the_list_shows_our_profiles_with_levels_and_our_templates(
    world: World, physio_client: Client
) -> None:
    factories.make_job_profile(world.clinic, world.employer, job_title="Forklift driver")
    factories.make_job_profile(world.other_clinic, world.other_employer, job_title="Docker")
    response = physio_client.get("/jobs/")
    html = response.content.decode()
    assert "Forklift driver" in html
    assert "Docker" not in html
    assert [p.job_title for p in response.context["templates"]] == TEMPLATE_TITLES
    assert all(p.clinic == world.clinic for p in response.context["templates"])
    assert "Use template" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_list_runs_the_same_queries_for_1_or_30_profiles(
    world: World, physio_client: Client
) -> None:
    factories.make_job_profile(world.clinic, world.employer)
    physio_client.get("/jobs/")
    one = _queries(physio_client, "/jobs/")
    for n in range(29):
        profile = factories.make_job_profile(world.clinic, world.employer, job_title=f"Job {n}")
        factories.make_patient(world.physio, employer=world.employer, job_profile=profile)
    assert _queries(physio_client, "/jobs/") == one


def test_the_profile_page_runs_the_same_queries_for_1_or_20_tasks(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    url = f"/jobs/{profile.pk}/"
    physio_client.get(url)
    one = _queries(physio_client, url)
    for _ in range(19):
        profile.tasks.create(task_type="carry", load_kg=Decimal("12.5"), frequency="frequent")
    assert _queries(physio_client, url) == one


def test_physio_creates_a_profile_for_our_employer(world: World, physio_client: Client) -> None:
    post = {
        "employer": world.employer.pk,
        "job_title": "Delivery driver",
        "shift_hours": "10",
        "breaks": "45 min",
        "hazards": "Driving",
        "notes": "",
    }
    response = physio_client.post("/jobs/new/", post)
    profile = JobDemandProfile.objects.get(job_title="Delivery driver")
    assert response["Location"] == f"/jobs/{profile.pk}/"
    assert profile.clinic == world.clinic
    assert profile.shift_hours == Decimal("10")
    assert "not rated" in physio_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"employer": "other"}, "employer"),
        ({"shift_hours": "0"}, "shift_hours"),
        ({"shift_hours": "17"}, "shift_hours"),
        ({"shift_hours": "eight"}, "shift_hours"),
        ({"job_title": ""}, "job_title"),
    ],
)
def test_bad_profile_input_is_a_field_error(
    world: World, physio_client: Client, changes: dict[str, str], field: str
) -> None:
    post = {"employer": world.employer.pk, "job_title": "Driver", "shift_hours": "8", **changes}
    if post["employer"] == "other":
        post["employer"] = world.other_employer.pk
    response = physio_client.post("/jobs/new/", post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not JobDemandProfile.objects.filter(is_template=False, clinic=world.clinic).exists()


def test_editing_a_profile_keeps_its_employer_and_refuses_a_stale_save(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    url = f"/jobs/{profile.pk}/edit/"
    post = {"job_title": "Picker (nights)", "shift_hours": "12", "breaks": "", "hazards": ""}
    response = physio_client.post(url, {**post, "notes": "", "version": 1})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.job_title, profile.shift_hours, profile.version) == (
        "Picker (nights)",
        Decimal("12"),
        2,
    )
    stale = physio_client.post(url, {**post, "job_title": "Mine", "notes": "", "version": 1})
    assert "Someone else saved this record" in stale.content.decode()
    assert ("Job title", "Picker (nights)") in stale.context["conflict"]
    profile.refresh_from_db()
    assert profile.job_title == "Picker (nights)"


def test_a_shift_shorter_than_a_task_is_refused(world: World, physio_client: Client) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    profile.tasks.create(task_type="standing", frequency="constant", duration_min=400)
    post = {"job_title": "Picker", "shift_hours": "6", "version": 1}
    response = physio_client.post(f"/jobs/{profile.pk}/edit/", post)
    assert "400 min" in response.context["form"].errors["shift_hours"][0]


def test_the_other_clinics_physio_gets_404_for_our_profile_and_its_tasks(world: World) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    task = profile.tasks.get()
    client = client_for(world.other_physio)
    assert client.get(f"/jobs/{profile.pk}/").status_code == 404
    assert client.post(f"/jobs/{profile.pk}/tasks/new/", _task_post()).status_code == 404
    assert client.post(f"/jobs/{profile.pk}/tasks/{task.pk}/delete/").status_code == 404
    assert profile.tasks.count() == 1


def test_a_task_of_another_profile_is_404_under_ours(world: World, physio_client: Client) -> None:
    ours = factories.make_job_profile(world.clinic, world.employer)
    theirs = factories.make_job_profile(world.other_clinic, world.other_employer)
    task = theirs.tasks.get()
    assert physio_client.get(f"/jobs/{ours.pk}/tasks/{task.pk}/edit/").status_code == 404
    assert physio_client.post(f"/jobs/{ours.pk}/tasks/{task.pk}/delete/").status_code == 404
    assert JobTask.objects.filter(pk=task.pk).exists()


# --- Tasks ---------------------------------------------------------------------------


@pytest.fixture
def profile(world: World) -> JobDemandProfile:
    return JobDemandProfile.objects.create(
        clinic=world.clinic, employer=world.employer, job_title="Packer"
    )


@pytest.mark.parametrize(
    ("load", "unit", "frequency", "stored", "shown", "level"),
    [
        ("22.68", "kg", "occasional", "22.68", "22.7 kg (50.0 lb)", "Medium"),
        ("50", "lb", "occasional", "22.68", "22.7 kg (50.0 lb)", "Medium"),
        ("22.69", "kg", "occasional", "22.69", "22.7 kg (50.0 lb)", "Heavy"),
        ("50.1", "lb", "occasional", "22.72", "22.7 kg (50.1 lb)", "Heavy"),
        ("4.5", "kg", "occasional", "4.50", "4.5 kg (9.9 lb)", "Sedentary"),
        ("11.34", "kg", "frequent", "11.34", "11.3 kg (25.0 lb)", "Medium"),
        ("25", "lb", "frequent", "11.34", "11.3 kg (25.0 lb)", "Medium"),
        ("9.07", "kg", "constant", "9.07", "9.1 kg (20.0 lb)", "Heavy"),
        ("100", "lb", "occasional", "45.36", "45.4 kg (100.0 lb)", "Heavy"),
        ("101", "lb", "occasional", "45.81", "45.8 kg (101.0 lb)", "Very heavy"),
        ("200", "kg", "occasional", "200.00", "200.0 kg (440.9 lb)", "Very heavy"),
    ],
)
def test_a_task_is_stored_in_kg_shown_in_kg_and_lb_with_its_dot_level(
    world: World,
    physio_client: Client,
    profile: JobDemandProfile,
    load: str,
    unit: str,
    frequency: str,
    stored: str,
    shown: str,
    level: str,
) -> None:
    post = _task_post(load=load, load_unit=unit, frequency=frequency)
    response = physio_client.post(f"/jobs/{profile.pk}/tasks/new/", post)
    assert response.status_code == 302
    task = profile.tasks.get()
    assert task.load_kg == Decimal(stored)
    html = physio_client.get(f"/jobs/{profile.pk}/").content.decode()
    assert f"<td>{shown}</td>" in html
    assert f"<td>{level}</td>" in html
    assert f"<strong>{level}</strong> — the highest level of its tasks" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"load": "900"}, "load", "900.0 kg (1984.2 lb) is more than any task can demand"),
        ({"load": "441", "load_unit": "lb"}, "load", "200.0 kg (441.0 lb) is more"),
        ({"load": "0"}, "load", "Enter a load above 0"),
        ({"load": "-5"}, "load", "cannot be negative"),
        ({"load": "0.05"}, "load", "at least 0.1 kg"),
        ({"load": ""}, "load", "needs its load or force"),
        ({"load": "", "task_type": "carry"}, "load", "A carry needs its load"),
        ({"load": "abc"}, "load", "Enter a number"),
        ({"load": "1e30"}, "load", "far beyond"),
        ({"load": "NaN"}, "load", "Enter a number"),
        ({"load_unit": "stone"}, "load_unit", "valid choice"),
        ({"task_type": "juggling"}, "task_type", "valid choice"),
        ({"frequency": "sometimes"}, "frequency", "valid choice"),
        ({"duration_min": "481"}, "duration_min", "8-hour shift (480 min)"),
        ({"duration_min": "0"}, "duration_min", "at least 1 minute"),
        ({"distance_m": "0"}, "distance_m", "above 0"),
        ({"distance_m": "25000"}, "distance_m", "at most 20,000 m"),
        ({"height_to_cm": "400"}, "height_to_cm", "between 0 and 250"),
        ({"height_from_cm": "-10"}, "height_from_cm", "between 0 and 250"),
    ],
)
def test_bad_task_input_is_a_field_error_and_nothing_is_saved(
    physio_client: Client,
    profile: JobDemandProfile,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = physio_client.post(f"/jobs/{profile.pk}/tasks/new/", _task_post(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert not profile.tasks.exists()


def test_a_task_without_a_load_is_fine_for_standing(
    physio_client: Client, profile: JobDemandProfile
) -> None:
    post = _task_post(task_type="standing", load="", frequency="constant", duration_min="240")
    assert physio_client.post(f"/jobs/{profile.pk}/tasks/new/", post).status_code == 302
    task = profile.tasks.get()
    assert task.load_kg is None
    assert task.demand_level.label == "Sedentary"


def test_the_service_refuses_a_bad_load_that_bypasses_the_form(
    world: World, profile: JobDemandProfile
) -> None:
    data = {
        "task_type": "lift_overhead",
        "description": "",
        "load_kg": Decimal("900"),
        "frequency": "occasional",
        "height_from_cm": None,
        "height_to_cm": None,
        "distance_m": None,
        "duration_min": None,
    }
    with pytest.raises(ServiceError) as caught:
        services.add_task(acting_user=world.physio, profile=profile, data=data)
    assert caught.value.field == "load"
    assert not profile.tasks.exists()


def test_adding_a_task_with_htmx_swaps_in_the_tasks_with_the_new_level(
    physio_client: Client, profile: JobDemandProfile
) -> None:
    response = physio_client.post(
        f"/jobs/{profile.pk}/tasks/new/", _task_post(load="50", load_unit="lb"), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#tasks"
    assert html.lstrip().startswith('<section id="tasks"')
    assert "22.7 kg (50.0 lb)" in html
    assert "<strong>Medium</strong>" in html
    assert AuditEvent.objects.filter(action="job_task.added").count() == 1


def test_an_invalid_htmx_task_shows_its_errors_in_the_tasks_section(
    physio_client: Client, profile: JobDemandProfile
) -> None:
    response = physio_client.post(
        f"/jobs/{profile.pk}/tasks/new/", _task_post(load="900"), headers=HTMX
    )
    html = response.content.decode()
    assert "is more than any task can demand" in html
    assert "<details open>" in html
    assert not profile.tasks.exists()


def test_htmx_validates_the_load_as_the_user_leaves_it(
    physio_client: Client, profile: JobDemandProfile
) -> None:
    post = {**_task_post(load="441", load_unit="lb"), "_validate": "load"}
    response = physio_client.post(f"/jobs/{profile.pk}/tasks/new/", post, headers=HTMX)
    html = response.content.decode()
    assert html.strip().startswith('<div class="field" id="id_load_wrap"')
    assert "441.0 lb" in html
    assert not profile.tasks.exists()


def test_editing_a_task_changes_its_level_and_a_stale_edit_is_refused(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    task = profile.tasks.get()  # 20 kg floor-to-waist, frequent: heavy
    url = f"/jobs/{profile.pk}/tasks/{task.pk}/edit/"
    response = physio_client.post(url, _task_post(load="10", frequency="frequent", version=1))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.load_kg, task.version, task.demand_level.label) == (Decimal("10.00"), 2, "Medium")
    stale = physio_client.post(url, _task_post(load="30", version=1))
    assert "Someone else saved this record" in stale.content.decode()
    assert ("Load or force (kg)", "10.00") in stale.context["conflict"]
    task.refresh_from_db()
    assert task.load_kg == Decimal("10.00")


def test_the_inline_task_editor_has_its_own_ids(world: World, physio_client: Client) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    task = profile.tasks.get()
    html = physio_client.get(
        f"/jobs/{profile.pk}/tasks/{task.pk}/edit/", headers=HTMX
    ).content.decode()
    assert html.lstrip().startswith(f'<tr id="task-{task.pk}">')
    assert f'id="id_task{task.pk}_load"' in html
    assert 'value="20.00"' in html


def test_deleting_a_task_is_audited_and_the_level_follows(
    world: World, physio_client: Client
) -> None:
    profile = factories.make_job_profile(world.clinic, world.employer)
    task = profile.tasks.get()
    response = physio_client.post(f"/jobs/{profile.pk}/tasks/{task.pk}/delete/", headers=HTMX)
    assert "not rated" in response.content.decode()
    assert not profile.tasks.exists()
    event = AuditEvent.objects.get(action="job_task.deleted")
    assert event.before["load_kg"] == "20.00"
