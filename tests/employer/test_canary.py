"""The canary: one unique string in every clinical field of a worker's record never reaches
anything an employer viewer can open: pages, htmx fragments, PDF reports, or the stored
snapshot a report is made from."""

import io
import json
import re
from urllib.parse import urljoin, urlsplit

from django.test import Client
from pypdf import PdfReader

from rtw.models import Report
from rtw.reports import services
from tests.conftest import World, client_for
from tests.employer.builders import CANARY, TODAY, make_worker, plant_canary

LINK = re.compile(r'(?:href|hx-get|src|action)="([^"#]+)"')


def _crawl(client: Client, start: str) -> dict[str, str]:
    """Every page reachable from ``start`` by following links on our own site, each fetched
    plainly and as an htmx request; PDFs as their text."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen or url.startswith(("/static/", "/accounts/logout")):
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            if response["Content-Type"] == "application/pdf":
                reader = PdfReader(io.BytesIO(response.content))
                body = "\n".join(page.extract_text() for page in reader.pages)
                body += str(reader.metadata)
            else:
                body = response.content.decode()
            seen[url + (" (htmx)" if headers else "")] = body
        seen[url] = body
        for link in LINK.findall(seen[url]):
            target = urljoin(url, link)
            if not urlsplit(target).netloc:
                queue.append(urlsplit(target).path)
    return seen


def test_no_clinical_field_reaches_anything_an_employer_viewer_can_open(
    world: World, at, django_capture_on_commit_callbacks
) -> None:
    worker = make_worker(world.physio, world.employer, last_name="Canary")
    plant_canary(worker)
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            acting_user=world.physio,
            patient=worker,
            period_from=TODAY.replace(day=1),
            period_to=TODAY,
            today=TODAY,
        )
    report.refresh_from_db()
    services.share_report(acting_user=world.physio, report=report)

    # The canary really is in the clinical record: the physiotherapist sees it.
    physio_page = client_for(world.physio).get(f"/patients/{worker.uuid}/").content.decode()
    assert CANARY in physio_page

    assert CANARY not in json.dumps(Report.objects.get(pk=report.pk).data)
    with at(TODAY):
        pages = _crawl(client_for(world.viewer), "/employer/")
    assert f"/employer/workers/{worker.uuid}/" in pages
    assert f"/reports/{report.uuid}/download/" in pages
    assert "Worker Canary" in pages[f"/reports/{report.uuid}/download/"]
    leaks = [url for url, body in pages.items() if CANARY in body]
    assert leaks == []


def test_the_worker_page_leaks_nothing_while_the_program_is_paused_by_a_flag(
    world: World, at
) -> None:
    from programs.models import Program, ProgramStatus

    worker = make_worker(world.physio, world.employer)
    plant_canary(worker)
    Program.objects.filter(patient=worker).update(status=ProgramStatus.SUSPENDED)
    with at(TODAY):
        pages = _crawl(client_for(world.viewer), f"/employer/workers/{worker.uuid}/")
    assert all(CANARY not in body for body in pages.values())
    assert "Paused for clinical review" in pages[f"/employer/workers/{worker.uuid}/"]
