import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from patients.models import JobDemandProfile, Patient
from tests import factories
from tests.browser.conftest import check_a11y, login, shot
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_physio_adds_a_patient_and_a_job_profile_from_a_template_and_sees_its_level(
    page: Page, live_server, world: World
) -> None:
    today = timezone.localdate()
    login(page, live_server, world.physio)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    check_a11y(page)
    shot(page, "patients-caseload")

    # A new patient; a date of birth in the future is flagged as the user leaves it.
    page.get_by_role("button", name="Add patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a patient")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Petrova")
    page.get_by_label("Date of birth").fill((today + timedelta(days=3)).isoformat())
    page.get_by_label("Sex (for strength norms)").select_option("F")
    expect(page.locator("#id_date_of_birth_error")).to_contain_text("cannot be in the future")
    check_a11y(page)
    shot(page, "patients-new-field-error")
    page.get_by_label("Date of birth").fill("1990-04-12")
    page.get_by_label("Employer").select_option(label=world.employer.name)
    expect(page.locator("#id_date_of_birth_error")).to_have_count(0)
    page.get_by_label("Job title", exact=True).fill("Order picker")
    page.get_by_label("Injury onset").fill((today - timedelta(days=20)).isoformat())
    page.get_by_label("Mechanism of injury").fill("Lifted a crate from the floor")
    page.get_by_label("Smoker").check()
    page.get_by_role("button", name="Add patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nadia Petrova")
    expect(page.get_by_role("status")).to_contain_text("Nadia Petrova added to the caseload")
    check_a11y(page)
    shot(page, "patients-detail")

    # A job-demand profile started from the clinic's warehouse picker template.
    page.goto(f"{live_server}/jobs/")
    check_a11y(page)
    shot(page, "jobs-list")
    page.get_by_role("button", name="Use template Warehouse picker").click()
    page.get_by_label("Employer", exact=True).select_option(label=world.employer.name)
    page.get_by_label("Job title at this employer").fill("Order picker")
    check_a11y(page)
    page.get_by_role("button", name="Create profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Order picker")
    expect(page.locator("#job-level")).to_contain_text("Heavy")
    check_a11y(page)

    # Add a task in lb with htmx: shown in kg and lb with its own level.
    page.get_by_text("Add a critical task").click()
    page.get_by_label("Task", exact=True).select_option(label="Carry")
    page.get_by_label("Description").fill("Carry water bottles")
    page.get_by_label("Load or force").fill("50")
    page.get_by_label("Unit").select_option("lb")
    page.get_by_label("Frequency").select_option("occasional")
    page.get_by_role("button", name="Add task").click()
    row = page.get_by_role("row", name=re.compile("Carry water bottles"))
    expect(row).to_contain_text("22.7 kg (50.0 lb)")
    expect(row).to_contain_text("Medium")
    check_a11y(page)
    shot(page, "jobs-profile-from-template")

    # A load past 200 kg is refused beside the field; nothing is added.
    page.get_by_text("Add a critical task").click()
    page.get_by_label("Load or force").fill("900")
    page.get_by_label("Description").click()
    expect(page.locator("#id_load_error")).to_contain_text("more than any task can demand")
    check_a11y(page)
    shot(page, "jobs-task-load-error")

    # Link the patient to the new profile: the patient page shows the job's level.
    page.goto(f"{live_server}/patients/?q=petrova")
    page.get_by_role("link", name="Petrova, Nadia").click()
    page.get_by_role("button", name="Edit patient").click()
    page.get_by_label("Job-demand profile").select_option(
        label=f"Order picker — {world.employer.name}"
    )
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("link", name="Order picker")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Order picker — Heavy work")
    check_a11y(page)

    profile = JobDemandProfile.objects.get(job_title="Order picker", employer=world.employer)
    assert profile.tasks.count() == 6
    patient = Patient.objects.get(last_name="Petrova")
    assert patient.smoker is True
    assert patient.physiotherapist == world.physio
    assert patient.job_profile == profile


def test_caseload_filters_swap_the_results_and_keep_the_url(
    page: Page, live_server, world: World
) -> None:
    factories.make_patient(world.colleague, first_name="Aisha", last_name="Khan")
    factories.make_patient(world.physio, first_name="Jamie", last_name="Carter")
    login(page, live_server, world.physio)
    results = page.locator("#caseload-results")
    expect(results).not_to_contain_text("Khan, Aisha")
    page.get_by_label("Physiotherapist").select_option("all")
    expect(results).to_contain_text("Khan, Aisha")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    expect(page).to_have_url(re.compile(r"physio=all"))
    page.get_by_label("Search by name").fill("kha")
    expect(results).not_to_contain_text("Carter, Jamie")
    expect(results).to_contain_text("1 patient")
    check_a11y(page)
    shot(page, "patients-caseload-filtered")


def test_consent_red_flags_and_the_inline_task_editor_are_accessible(
    page: Page, live_server, world: World
) -> None:
    Patient.objects.filter(pk=world.patient.pk).update(
        red_flag_tier="emergency", red_flag_since=timezone.localdate()
    )
    factories.make_patient(world.physio, last_name="Amber", red_flag_tier="amber")
    profile = factories.make_job_profile(world.clinic, world.employer)
    login(page, live_server, world.physio)
    expect(page.locator("#caseload-results")).to_contain_text("Urgent medical assessment now")
    check_a11y(page)
    shot(page, "patients-caseload-red-flags")

    page.get_by_role("link", name=f"{world.patient.last_name}, {world.patient.first_name}").click()
    expect(page.get_by_role("alert").first).to_contain_text("Emergency red flag since")
    check_a11y(page)
    shot(page, "patients-detail-red-flag")

    # Withdraw the open consent, then record a new one with a narrower scope.
    page.get_by_role("button", name="Withdraw consent").click()
    check_a11y(page)
    page.get_by_role("button", name="Withdraw consent").click()
    expect(page.get_by_role("status")).to_contain_text("Consent withdrawn")
    page.get_by_role("button", name="Record consent").click()
    page.get_by_role("button", name="Record consent").click()  # nothing ticked
    expect(page.locator("#id_scope_error")).to_contain_text("Choose at least one")
    check_a11y(page)
    page.get_by_label("status and phase").check()
    page.get_by_role("button", name="Record consent").click()
    history = page.get_by_role("table", name="Consent history")
    expect(history.get_by_role("row")).to_have_count(3)
    check_a11y(page)
    shot(page, "patients-consent-history")

    # Edit a task in place with htmx.
    page.goto(f"{live_server}/jobs/{profile.pk}/")
    page.get_by_role("link", name=re.compile("^Edit Floor-to-waist lift")).click()
    editor = page.get_by_role("form", name="Edit task Floor-to-waist lift")
    expect(editor.get_by_label("Task", exact=True)).to_be_focused()
    editor.get_by_label("Load or force").fill("10")
    check_a11y(page)
    shot(page, "jobs-task-inline-edit")
    editor.get_by_role("button", name="Save task").click()
    row = page.get_by_role("row", name=re.compile("Floor-to-waist lift"))
    expect(row).to_contain_text("10.0 kg (22.0 lb)")
    expect(row).to_contain_text("Medium")
    expect(page.locator("#job-level")).to_contain_text("Medium")
