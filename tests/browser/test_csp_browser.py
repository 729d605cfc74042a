"""Under the Content-Security-Policy every page works, asks no other origin for anything and
breaks no rule of the policy: the physiotherapist's, the clinic admin's and the employer
viewer's main pages, htmx swaps included, with the browser recording every request and
every violation report."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import ConsoleMessage, Page, Request, expect

from assessments.models import Assessment
from programs.models import Prescription, Program
from tests.browser.conftest import login, shot
from tests.conftest import World
from tests.employer.builders import TODAY, make_worker

MORNING = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=ZoneInfo("Europe/London"))

# Registered before any page script runs; the browser fires this event for each blocked
# resource, inline script or style, eval and so on.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`
  );
});
"""


@dataclass
class Watch:
    """What the browser asked for and what the policy refused, across page loads."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def collect(self, page: Page, name: str) -> None:
        """Gather this document's violations (the array lives as long as the document)."""
        self.violations += [f"{name}: {v}" for v in page.evaluate("window.__cspViolations")]
        self.visited.append(name)
        shot(page, f"csp-{name}")

    def foreign(self) -> list[str]:
        def origin(url: str) -> str:
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"

        return [u for u in self.requests if not u.startswith("data:") and origin(u) != self.origin]


@pytest.fixture
def watch(page: Page, live_server) -> Watch:
    watch = Watch(origin=str(live_server).rstrip("/"))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.on("request", watch.on_request)
    page.on("console", watch.on_console)
    return watch


def assert_clean(watch: Watch) -> None:
    assert watch.requests, "no request was recorded"
    assert not watch.foreign(), f"requests to other origins: {watch.foreign()}"
    assert not watch.violations, "CSP violations:\n" + "\n".join(watch.violations)
    assert not watch.console, "CSP console messages:\n" + "\n".join(watch.console)


@pytest.mark.browser
def test_physio_pages_load_only_from_this_site_and_htmx_swaps_work_under_the_policy(
    page: Page, live_server, world: World, watch: Watch
) -> None:
    worker = make_worker(world.physio, world.employer, first_name="Jamie", last_name="Carter")
    program = Program.objects.get(patient=worker, is_template=False)
    # A key prescription is charted over the weeks already run.
    Prescription.objects.filter(
        phase__program=program, phase__order=1, exercise__name="Goblet squat"
    ).update(is_key=True)
    assessment = Assessment.objects.filter(patient=worker).latest("assessed_on")
    base = str(live_server)
    with time_machine.travel(MORNING, tick=True):
        login(page, live_server, world.physio)

        # The caseload filter swaps the results table in place (htmx, no inline script).
        results = page.locator("#caseload-results")
        expect(results).to_contain_text("Carter, Jamie")
        page.get_by_label("Search by name").fill("zzz")
        expect(results).not_to_contain_text("Carter, Jamie")
        expect(page).to_have_url(re.compile(r"q=zzz"))
        watch.collect(page, "caseload-filtered")

        page.goto(f"{base}/patients/{worker.uuid}/")
        expect(page.get_by_role("img", name=re.compile("pain", re.I)).first).to_be_visible()
        watch.collect(page, "patient")

        page.goto(f"{base}/patients/{worker.uuid}/assessments/{assessment.uuid}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        watch.collect(page, "assessment")

        page.goto(f"{base}/programs/{program.uuid}/")
        expect(page.get_by_role("img", name=re.compile("Goblet squat"))).to_be_visible()
        watch.collect(page, "program")

        # Phase 2 has job-demand targets, which the projection needs; the what-if select
        # swaps the projection in place.
        Program.objects.filter(pk=program.pk).update(current_phase=program.phases.get(order=2))
        page.reload()
        select = page.get_by_label("What if the weekly cap were")
        own = select.input_value()
        other = next(
            v
            for v in select.locator("option").evaluate_all("os => os.map(o => o.value)")
            if v != own
        )
        select.select_option(other)
        expect(page.locator("#projection")).to_contain_text("what-if")
        watch.collect(page, "program-what-if")

        page.goto(f"{base}/programs/{program.uuid}/plan/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        watch.collect(page, "plan-review")

        page.goto(f"{base}/programs/{program.uuid}/return-to-work/edit/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Return-to-work plan")
        watch.collect(page, "rtw-plan")

        page.goto(f"{base}/patients/{worker.uuid}/reports/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Employer reports")
        watch.collect(page, "reports")
    assert_clean(watch)


@pytest.mark.browser
def test_admin_staff_page_loads_only_from_this_site_under_the_policy(
    page: Page, live_server, world: World, watch: Watch
) -> None:
    login(page, live_server, world.admin)
    response = page.goto(f"{live_server}/staff/")
    assert response is not None
    assert "object-src 'none'" in response.headers["content-security-policy"]
    expect(page.get_by_role("row", name=re.compile(world.colleague.display_name))).to_be_visible()
    watch.collect(page, "staff")
    assert_clean(watch)

    # The watch does see a violation: a style element added by script is refused.
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert "style-src" in page.evaluate("window.__cspViolations[0]")


@pytest.mark.browser
def test_employer_pages_show_the_chart_and_load_only_from_this_site_under_the_policy(
    page: Page, live_server, world: World, watch: Watch
) -> None:
    worker = make_worker(world.physio, world.employer, first_name="Jamie", last_name="Carter")
    with time_machine.travel(MORNING, tick=True):
        login(page, live_server, world.viewer)
        expect(page.get_by_role("row", name=re.compile("Jamie Carter"))).to_be_visible()
        watch.collect(page, "employer-dashboard")
        page.goto(f"{live_server}/employer/workers/{worker.uuid}/")
        expect(page.get_by_role("img", name=re.compile("Floor-to-waist lift"))).to_be_visible()
        watch.collect(page, "employer-worker")
    assert_clean(watch)
