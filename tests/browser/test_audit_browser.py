"""The audit log and the "who saw my data" list in a real browser: filtering swaps the
results in place and keeps the URL, both pages pass axe-core."""

import pytest
from playwright.sync_api import Page, expect

from patients.models import Patient
from rtw import audit
from tests.browser.conftest import check_a11y, login, shot
from tests.conftest import World, client_for

pytestmark = pytest.mark.browser


def _activity(world: World) -> None:
    with audit.acting(world.physio, reason="Worker's new phone"):
        Patient.objects.filter(pk=world.patient.pk).update(phone="0161 496 0123")
    client_for(world.physio).get(f"/patients/{world.patient.uuid}/")
    client_for(world.viewer).get(f"/employer/workers/{world.patient.uuid}/")


def test_the_admin_filters_the_audit_log_in_place(page: Page, live_server, world: World) -> None:
    _activity(world)
    login(page, live_server, world.admin)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    check_a11y(page)
    shot(page, "audit-log")
    page.get_by_label("Kind").select_option("access")
    expect(page).to_have_url(
        f"{live_server}/audit/?kind=access&actor=&action=&target=&patient=&date_from=&date_to="
    )
    expect(page.locator("#audit-results tbody tr")).to_have_count(2)
    expect(page.locator("#audit-results")).to_contain_text("Employer's worker page")
    shot(page, "audit-log-access")


def test_a_physio_sees_who_saw_their_patients_record(page: Page, live_server, world: World) -> None:
    _activity(world)
    login(page, live_server, world.physio)
    page.goto(f"{live_server}/patients/{world.patient.uuid}/")
    page.get_by_role("button", name="Who saw this record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who saw")
    expect(page.locator("tbody")).to_contain_text(world.employer.name)
    check_a11y(page)
    shot(page, "audit-who-saw")
