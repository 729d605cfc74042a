"""In the browser: a physiotherapist restricts employer sharing from the consent panel
(a reason is required), lifts it again, and downloads the patient's data."""

import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_a11y, login, shot
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_physio_restricts_and_lifts_employer_sharing_and_exports_the_record(
    page: Page, live_server: object, world: World
) -> None:
    login(page, live_server, world.physio)
    page.goto(f"{live_server}/patients/{world.patient.uuid}/")
    expect(page.get_by_role("button", name="Export patient data")).to_be_visible()

    page.get_by_role("button", name="Restrict employer sharing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restrict employer sharing")
    page.get_by_role("button", name="Restrict employer sharing").click()
    expect(page.locator("#id_reason_error")).to_contain_text("Give the reason")
    check_a11y(page)
    shot(page, "rights-restrict-reason-required")
    page.get_by_label("Reason for the restriction").fill(
        "The worker contests the accuracy of their capacity results."
    )
    page.get_by_role("button", name="Restrict employer sharing").click()

    expect(page.get_by_role("status")).to_contain_text("the employer sees nothing of")
    panel = page.locator("#sharing-restriction")
    expect(panel).to_contain_text("Employer sharing restricted")
    expect(panel).to_contain_text("contests the accuracy")
    expect(page.get_by_role("link", name="Restrict employer sharing")).to_have_count(0)
    check_a11y(page)
    shot(page, "rights-restricted-consent-panel")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export patient data").click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith(f"patient-export-{world.patient.uuid}")
    assert "patient.json" in zipfile.ZipFile(path).namelist()

    page.get_by_role("button", name="Lift restriction").click()
    expect(page.get_by_role("status")).to_contain_text("Restriction lifted")
    expect(page.locator("#sharing-restriction")).to_have_count(0)
    shot(page, "rights-restriction-lifted")
