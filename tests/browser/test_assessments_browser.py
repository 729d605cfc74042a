import re

from playwright.sync_api import Page, expect

from assessments.models import Assessment
from tests.browser.conftest import check_a11y, htmx_ready, login, shot
from tests.conftest import World
from tests.factories import make_job_profile

ODI = {
    "1. Pain intensity": "3",
    "2. Personal care": "1",
    "3. Lifting": "4",
    "4. Walking": "1",
    "5. Sitting": "2",
    "6. Standing": "2",
    "7. Sleeping": "1",
    "9. Social life": "2",
    "10. Travelling": "1",
}


def test_physio_records_a_baseline_and_sees_scores_capacity_and_a_chart(
    page: Page, live_server, world: World
) -> None:
    patient = world.patient
    patient.job_profile = make_job_profile(world.clinic, world.employer)
    patient.save(update_fields=["job_profile"])
    login(page, live_server, world.physio)
    page.goto(f"{live_server}/patients/{patient.uuid}/")
    page.get_by_role("button", name="Record an assessment").click()
    htmx_ready(page, "**/assessments/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New assessment")
    expect(page.get_by_label("Kind of assessment")).to_have_value("baseline")
    check_a11y(page)

    # A pain of 11 is caught as the physio leaves the field, before any submit.
    pain = page.get_by_label("Pain now (NPRS 0–10)")
    pain.fill("11")
    pain.press("Tab")
    error = page.locator("#field-nprs .field-error")
    expect(error).to_have_text("Pain is rated from 0 (none) to 10 (worst).")
    expect(page.get_by_label("Pain now (NPRS 0–10)")).to_have_attribute("aria-invalid", "true")
    shot(page, "assessment-field-error")
    htmx_ready(page)
    page.get_by_label("Pain now (NPRS 0–10)").fill("6")
    page.get_by_label("Pain now (NPRS 0–10)").press("Tab")
    expect(error).to_have_count(0)

    page.get_by_label("Pain at rest (NPRS 0–10)").fill("3")
    for n, kg in enumerate(("38", "40", "39"), start=1):
        page.get_by_label(f"Left hand, trial {n}").fill(kg)
    page.get_by_label("Floor-to-waist lift").fill("15")
    page.get_by_label("Push force").fill("20")

    odi = page.locator("details", has_text="Oswestry Disability Index")
    odi.locator("summary").click()
    for label, answer in ODI.items():
        odi.get_by_label(label, exact=True).select_option(answer)
    check_a11y(page)
    shot(page, "assessment-form")
    page.get_by_role("button", name="Save assessment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Baseline assessment")
    expect(page.get_by_role("status")).to_contain_text("Assessment recorded.")
    scores = page.get_by_role("row", name=re.compile("Oswestry Disability Index"))
    expect(scores).to_contain_text("37.8 %")
    expect(scores).to_contain_text("moderate disability")
    expect(page.get_by_role("row", name=re.compile(r"^Left"))).to_contain_text("39.0 kg")
    lift = page.get_by_role("row", name=re.compile("Floor-to-waist lift"))
    expect(lift.last).to_contain_text("75 %")
    check_a11y(page)
    shot(page, "assessment-detail")

    page.get_by_role("link", name=patient.full_name).click()
    chart = page.locator("#chart-lift svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile("Floor-to-waist lift: 15 kg"))
    expect(page.locator("#chart-pain svg[role=img]")).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Latest capacity")).to_contain_text("75 %")
    check_a11y(page)
    shot(page, "patient-page-assessments")
    assert Assessment.objects.filter(patient=patient, nprs=6).count() == 1
