"""Stored XSS: script-shaped text in every user-editable text field renders inert.

A worker's whole record (job profile and tasks, assessments, a program with logged weeks,
a return-to-work plan, consent, report) is built, then every free-text field of every model
in patients, assessments, programs and rtw is overwritten with a payload carrying a
per-field tag. Then everything a person can open is rendered: every GET page of the access
matrix as each persona allowed there, plainly and as an htmx fragment (charts are inline
SVG in those pages), form re-renders after a post, the employer PDF report and the emails.
No payload markup may survive raw; where a field is shown, its escaped form is there; the
PDF shows the text literally and its renderer fetched nothing but its own print assets.
"""

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from patients.models import Patient
from programs.models import Prescription, Program, ProgramStatus
from programs.services.rtw import save_plan
from rtw.accounts import services as accounts
from rtw.celery import app as celery_app
from rtw.models import Report, Role, User
from rtw.pdf import AssetsOnlyFetcher, asset_path
from rtw.reports import services as reports
from tests.access import Case, all_cases
from tests.access_reports import make_report
from tests.conftest import PERSONAS, World, client_for
from tests.employer.builders import TODAY, make_worker
from tests.programs.test_rtw_services import values as plan_values
from tests.security.forms import ALLOWED, page_holding

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</title><svg onload=alert(1)>",
    "{{7*7}}",
    "' onmouseover='x",
]
SHORT = "<script>alert(1)"  # for fields of 20 characters
# Markup that only exists when a payload was written out unescaped.
RAW = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "onmouseover='x",
    '"><img',
    "</title><svg",
]
JS_URL = re.compile(
    r"""(?:href|src|action|formaction|hx-get|hx-post|xlink:href)\s*=\s*["']?\s*javascript:""",
    re.IGNORECASE,
)
# Not free text a person types: secrets, hashes, the system's own bookkeeping; the audit
# tables are append-only (their reasons are copied from fields that are poisoned here).
SKIP_MODELS = {"AuditEvent", "AccessEvent"}
SKIP_FIELDS = {"password", "token_hash", "pdf_sha256", "error"}

# Fields that a page, fragment, PDF or email must show (escaped), so that the absence of
# raw markup proves escaping rather than the field simply not being displayed.
MUST_SHOW = {
    "Patient.first_name",
    "Patient.last_name",
    "Patient.job_title",
    "Patient.diagnosis",
    "Patient.injury_mechanism",
    "JobDemandProfile.job_title",
    "JobDemandProfile.notes",
    "JobTask.description",
    "Assessment.notes",
    "Exercise.name",
    "Program.name",
    "Phase.name",
    "Phase.goals",
    "Phase.exit_criteria",
    "RtwPlan.accommodation_notes",
    "RtwPlan.functional_comments",
    "RtwStep.duties",
    "RtwRestriction.description",
    "Clinic.name",
    "Employer.name",
    "User.first_name",
    "User.last_name",
}


@pytest.fixture(autouse=True)
def in_process_tasks() -> Iterator[None]:
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def text_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every free-text column a person can type into, in the four apps."""
    found: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
    for label in ("patients", "assessments", "programs", "rtw"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in SKIP_MODELS:
                continue
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and not isinstance(field, models.EmailField)
                    and field.editable
                    and not field.choices
                    and field.name not in SKIP_FIELDS
                ):
                    found.append((model, field))
    return found


def poison() -> dict[str, str]:
    """Overwrite every free-text field of every row with a tagged payload: field → value."""
    planted: dict[str, str] = {}
    for i, (model, field) in enumerate(text_fields()):
        payload = PAYLOADS[i % len(PAYLOADS)]
        value = f"{payload}~{i}."
        if field.max_length is not None and len(value) > field.max_length - 6:
            value = SHORT[: field.max_length - 6]
        # The row's pk follows, for unique names (exercises, templates).
        model._default_manager.update(
            **{field.name: Concat(Value(value), Cast("pk", output_field=models.CharField()))}
        )
        planted[f"{model.__name__}.{field.name}"] = value
    return planted


def inert(body: str, where: str) -> None:
    for raw in RAW:
        assert raw not in body, f"{where}: raw {raw!r} near …{_near(body, raw)}…"
    assert not JS_URL.search(body), f"{where}: javascript: URL in an attribute"


def _near(body: str, needle: str) -> str:
    at = body.find(needle)
    return body[max(0, at - 80) : at + 80]


def escaped_forms(value: str) -> list[str]:
    """How an escaped value looks: Django's escape, or an XML writer's (pygal) that leaves
    quotes alone."""
    xml = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return [str(escape(value)), xml, xml.replace('"', "&#34;").replace("'", "&#39;")]


def _rich_world(world: World) -> Program:
    """Our patient becomes a worker weeks into a program, with a return-to-work plan."""
    world.physio.registration_number = "PH12345"
    world.physio.save(update_fields=["registration_number"])
    world.patient = make_worker(world.physio, world.employer)
    program = Program.objects.get(patient=world.patient, status=ProgramStatus.ACTIVE)
    # Key prescriptions are charted: their exercise names become the charts' titles.
    Prescription.objects.filter(phase__program=program).update(is_key=True)
    save_plan(acting_user=world.physio, program=program, values=plan_values(), version=0)
    return program


def _pages(world: World) -> list[tuple[Case, str, str]]:
    """Every (case, persona, url) of the matrix's GET pages a persona may open; the URLs
    are made before the poisoning (making them creates records with known names)."""
    out = []
    for case in all_cases():
        if case.method != "get":
            continue
        url = case.path(world)
        for persona in PERSONAS:
            if case.expected.get(persona) == 200:
                out.append((case, persona, url))
    return out


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _seen(planted: dict[str, str], shown: dict[str, set[str]], body: str, where: str) -> None:
    inert(body, where)
    charts = "".join(SVG.findall(body))
    for name, value in planted.items():
        forms = escaped_forms(value)
        if any(form in body for form in forms):
            shown.setdefault(name, set()).add(where)
        if any(form in charts for form in forms):
            shown.setdefault(name, set()).add("chart")


def test_script_in_any_text_field_renders_inert_in_every_page_and_fragment(world: World) -> None:
    program = _rich_world(world)
    pages = _pages(world)
    # The program that holds the sessions and the return-to-work plan (the matrix makes
    # fresh programs of its own).
    extra = Case("rich program", lambda w: "", {"physio": 200})
    for rest in ("", "return-to-work/", "return-to-work/edit/"):
        pages.append((extra, "physio", f"/programs/{program.uuid}/{rest}"))
    posts = [(c, c.path(world)) for c in all_cases() if c.method == "post"]
    planted = poison()
    assert len(planted) >= 30, sorted(planted)
    shown: dict[str, set[str]] = {}
    clients: dict[str, Client] = {}

    for case, persona, url in pages:
        client = clients.setdefault(persona, client_for(world.user(persona)))
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code in ALLOWED, (case.id, persona, response.status_code)
            kind = response["Content-Type"].split(";")[0]
            if kind not in ("text/html", "image/svg+xml"):
                # Files (the report PDF, CSV exports) carry text as data: they must be
                # downloads that no browser renders as a page.
                disposition = response.get("Content-Disposition", "")
                assert response.get("X-Content-Type-Options") == "nosniff", (case.id, kind)
                inert = kind in ("application/json", "text/plain")
                assert inert or disposition.startswith("attachment"), (
                    case.id,
                    kind,
                )
                continue
            where = f"{case.id} as {persona}{' (htmx)' if headers else ''}"
            _seen(planted, shown, response.content.decode(), where)

    # Forms re-rendered after a post that carries a payload in every field they hold.
    for case, url in posts:
        poster = next((p for p in PERSONAS if case.expected.get(p) in ALLOWED), None)
        if poster is None:
            continue
        client = clients.setdefault(poster, client_for(world.user(poster)))
        fields = {**page_holding(client, url).values, **case.data(world)}
        data = {k: (v if k == "_validate" else PAYLOADS[1]) for k, v in fields.items()}
        headers = {"HX-Request": "true"} if case.htmx else {}
        response = client.post(url, data, headers=headers)
        assert response.status_code < 500
        _seen(planted, shown, response.content.decode(), f"{case.id} re-rendered")

    missing = sorted(name for name in MUST_SHOW if not shown.get(name))
    assert not missing, f"never shown (escaped) on any page: {missing}"
    # The load charts' titles and labels are user text (exercise names), drawn escaped.
    assert "chart" in shown["Exercise.name"], "no chart carried an exercise name"


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text + str(reader.metadata)


PDF_SHOWS = [
    "Patient.first_name",
    "Patient.last_name",
    "Patient.job_title",
    "Employer.name",
    "Clinic.name",
    "User.first_name",
    "User.last_name",
    "JobTask.description",
    "RtwStep.duties",
    "RtwPlan.accommodation_notes",
    "RtwPlan.functional_comments",
    "RtwPlan.clinician_name",
    "RtwRestriction.description",
]


def test_the_pdf_report_prints_markup_as_text_and_fetches_only_its_print_assets(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rich_world(world)
    planted = poison()
    fetched: list[str] = []
    original_fetch = AssetsOnlyFetcher.fetch

    def recording_fetch(self: AssetsOnlyFetcher, url: str, headers: Any = None) -> Any:
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(AssetsOnlyFetcher, "fetch", recording_fetch)
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.request_report(
            acting_user=User.objects.get(pk=world.physio.pk),
            patient=Patient.objects.get(pk=world.patient.pk),
            period_from=date(2026, 10, 1),
            period_to=TODAY,
            today=TODAY,
        )
    report = Report.objects.get(pk=report.pk)
    assert report.pdf is not None, report.error
    text = _pdf_text(bytes(report.pdf))
    flat = " ".join(text.split())
    missing = [name for name in PDF_SHOWS if planted[name] not in flat]
    assert not missing, f"not printed literally: {[(n, planted[n]) for n in missing]}"
    assert fetched, "the print stylesheet was not even asked for"
    assert all(url.startswith("file:") and asset_path(url) for url in fetched), fetched
    # The physio's download is that file, as an attachment whose name carries no markup.
    response = client_for(world.physio).get(f"/reports/{report.uuid}/download/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    inert(response["Content-Disposition"], "download file name")


def test_emails_carry_names_with_markup_as_plain_text(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    planted = poison()
    report = make_report(world, shared=False)
    with django_capture_on_commit_callbacks(execute=True):
        reports.share_report(acting_user=User.objects.get(pk=world.physio.pk), report=report)
        accounts.invite_user(
            acting_user=User.objects.get(pk=world.admin.pk),
            email="newcomer@example.test",
            first_name=PAYLOADS[0],
            last_name=PAYLOADS[1],
            role=Role.PHYSIOTHERAPIST,
        )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        # Plain text only: no HTML part in which a name could run.
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", None)
        assert "\n" not in message.subject
    shared, invitation = mail.outbox
    assert planted["Patient.last_name"] in shared.body
    assert planted["Patient.last_name"] in shared.subject
    assert PAYLOADS[0] in invitation.body and planted["Clinic.name"] in invitation.body
