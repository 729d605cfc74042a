"""A physiotherapist makes a progress report, watches a queued one turn ready, and shares it;
the employer's viewer signs in, follows the worker on the dashboard and the worker page,
and downloads the PDF. Reports render in-process here."""

import io
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from rtw.celery import app as celery_app
from rtw.models import Report
from rtw.reports import services
from tests.browser.conftest import check_a11y, login, shot
from tests.conftest import World
from tests.employer.builders import TODAY, make_worker

MORNING = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def in_process_tasks() -> Iterator[None]:
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.browser
def test_physio_makes_and_shares_a_report_and_the_viewer_downloads_it(
    page: Page,
    live_server,
    world: World,
    in_process_tasks: None,
) -> None:
    worker = make_worker(world.physio, world.employer, first_name="Jamie", last_name="Carter")
    with time_machine.travel(MORNING, tick=True):
        login(page, live_server, world.physio)
        page.goto(f"{live_server}/patients/{worker.uuid}/")
        page.get_by_role("button", name="Employer reports").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Employer reports")
        check_a11y(page)
        page.get_by_role("button", name="Make the report").click()
        expect(page.get_by_text("Report 1 is ready.")).to_be_visible()
        row = page.get_by_role("row", name=re.compile("Report 1"))
        expect(row).to_contain_text("Ready")
        check_a11y(page)
        shot(page, "reports-ready")

        row.get_by_role("button", name=re.compile("Share with Acme Logistics")).click()
        expect(page.get_by_text(f"shared with {world.viewer.display_name}")).to_be_visible()
        assert [m.to for m in mail.outbox] == [[world.viewer.email]]

        # A report still queued is polled every 2 s until it is ready.
        second = services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=TODAY.replace(day=1),
            period_to=TODAY,
            today=TODAY,
        )
        Report.objects.filter(pk=second.pk).update(status="queued", pdf=None, rendered_at=None)
        page.reload()
        queued = page.get_by_role("row", name=re.compile("Report 2"))
        expect(queued).to_contain_text("Queued")
        check_a11y(page)
        shot(page, "reports-queued")
        services.render(second.pk)
        expect(queued).to_contain_text("Ready", timeout=8_000)

        page.context.clear_cookies()
        login(page, live_server, world.viewer)
        expect(page.get_by_role("heading", level=1)).to_have_text("Acme Logistics: return to work")
        dashboard = page.get_by_role("row", name=re.compile("Jamie Carter"))
        expect(dashboard).to_contain_text("On track")
        expect(dashboard).to_contain_text("1 of 3 job demands met")
        check_a11y(page)
        shot(page, "employer-dashboard")

        page.get_by_role("link", name="Jamie Carter", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Jamie Carter")
        expect(page.get_by_role("img", name=re.compile("Floor-to-waist lift"))).to_be_visible()
        check_a11y(page)
        shot(page, "employer-worker")

        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile("Report 1:")).click()
        download = info.value
        assert download.suggested_filename.startswith("progress-report-1-")
        path = download.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Jamie Carter" in text and "Job demands against current capacity" in text
