"""A physiotherapist builds a program from a template, runs a week, plans and accepts the
next one, is refused a load above the cap, and sees a red flag pause the program."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from playwright.sync_api import Page, expect

from programs.models import Program
from tests.browser.conftest import check_a11y, htmx_ready, login, shot
from tests.conftest import World
from tests.factories import make_job_profile

MONDAY_MORNING = datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _log_session(page: Page, pain: str = "2") -> None:
    page.get_by_role("button", name="Log a session").click()
    htmx_ready(page, "**/log/")
    page.get_by_label("Pain during (NPRS 0-10)").fill(pain)
    page.get_by_label("Pain next morning (NPRS 0-10)").fill("0")
    page.get_by_label("Soreness (0-10)").fill("3")
    page.get_by_label("Fatigue (0-10)").fill("3")
    page.get_by_label("Session RPE (Borg CR10, 0-10)").fill("5")


@pytest.fixture
def shared_library(transactional_db: None) -> None:
    """The shared templates and exercise library come from a data migration, which an
    earlier live-server test's flush removes: seed them again (the seed is idempotent)."""
    migration = importlib.import_module("programs.migrations.0002_library_and_templates")
    migration.seed(apps, None)


@pytest.mark.browser
def test_physio_runs_a_week_is_refused_above_the_cap_and_a_red_flag_pauses(
    page: Page, live_server, world: World, shared_library: None
) -> None:
    patient = world.patient
    patient.job_profile = make_job_profile(world.clinic, world.employer)
    patient.save(update_fields=["job_profile"])
    with time_machine.travel(MONDAY_MORNING, tick=True) as clock:
        login(page, live_server, world.physio)
        page.goto(f"{live_server}/patients/{patient.uuid}/programs/")
        page.get_by_role("button", name="New program from a template").click()
        page.get_by_label("Template").select_option(label="Warehouse lifting (shared)")
        check_a11y(page)
        page.get_by_role("button", name="Create the draft program").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Warehouse lifting")
        expect(page.get_by_text("Draft program created with a weekly cap of 20 %")).to_be_visible()
        check_a11y(page)
        shot(page, "program-draft")

        page.get_by_role("button", name="Activate the program").click()
        page.get_by_role("button", name="Plan the first week").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Week 1: review the plan")
        check_a11y(page)
        page.get_by_role("button", name="Accept week 1").click()

        # Week 1: two sessions logged on the worker's behalf, both tolerated.
        for _ in range(2):
            _log_session(page)
            page.get_by_role("button", name="Log the session").click()
            expect(page.get_by_text("logged.")).to_be_visible()

        # A pain score of 12 is caught as the field is left, before any submit.
        _log_session(page, pain="12")
        page.get_by_label("Pain during (NPRS 0-10)").press("Tab")
        expect(page.get_by_text("12 is not on the scale")).to_be_visible()
        check_a11y(page)
        shot(page, "program-log-session-error")
        page.get_by_role("link", name="Cancel").click()

        page.get_by_role("button", name="Plan next week").click()
        page.get_by_role("button", name="Plan next week").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Week 2: review the plan")
        expect(page.get_by_text("Goblet squat: 8 → 9 kg, within the 20 % cap")).to_be_visible()
        check_a11y(page)
        shot(page, "program-plan-review")

        # Raising above the cap is refused in the row, with the cap and its base.
        page.get_by_role("link", name="Lower Goblet squat").click()
        row = page.locator("tr", has=page.get_by_role("button", name="Save Goblet squat"))
        row.get_by_label("Quantity").fill("10")
        row.get_by_label("Reason for lowering").fill("trying more")
        row.get_by_role("button", name="Save Goblet squat").click()
        refusal = "Refused: 10 kg is above this week's cap of 9.6 kg (base 8 kg + 20 %)."
        expect(page.get_by_text(refusal)).to_be_visible()
        check_a11y(page)
        shot(page, "program-cap-refused")

        # Lowering with a reason is kept, and the week can still be accepted.
        row = page.locator("tr", has=page.get_by_role("button", name="Save Goblet squat"))
        row.get_by_label("Quantity").fill("8.5")
        row.get_by_label("Reason for lowering").fill("New boots; a half step")
        row.get_by_role("button", name="Save Goblet squat").click()
        expect(page.get_by_text("Lowered: New boots; a half step")).to_be_visible()
        page.get_by_role("button", name="Accept week 2").click()
        expect(page.get_by_text("Week 2 accepted")).to_be_visible()

        # A week later, a session with a red flag pauses the program at once.
        clock.shift(timedelta(days=7))
        login(page, live_server, world.physio)
        program = Program.objects.get(patient=patient)
        page.goto(f"{live_server}/programs/{program.uuid}/")
        _log_session(page)
        page.get_by_label("New swelling (amber)").check()
        page.get_by_role("button", name="Log the session").click()
        expect(page.get_by_text("the program is now paused")).to_be_visible()
        expect(page.get_by_role("heading", name="Program paused")).to_be_visible()
        expect(page.get_by_role("button", name="Plan next week")).to_have_count(0)
        check_a11y(page)
        shot(page, "program-paused")

        page.goto(f"{live_server}/programs/{program.uuid}/plan/")
        expect(page.get_by_role("heading", name="The program is paused")).to_be_visible()
    program.refresh_from_db()
    assert program.status == "paused"
