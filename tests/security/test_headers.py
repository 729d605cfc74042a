"""Security headers: every page carries a strict Content-Security-Policy, no page relies on
what that policy forbids (inline script or style, event-handler attributes, ``hx-on``),
production answers with HSTS, and ``check --deploy`` has nothing to say about production.

The markup walk visits every GET case of the access matrix that some persona may open.
"""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.access import Case, all_cases
from tests.conftest import PERSONAS, World, client_for

ROOT = Path(__file__).resolve().parents[2]
HTMX = {"HX-Request": "true"}


def _pages() -> list[Case]:
    return [c for c in all_cases() if c.method == "get" and 200 in c.expected.values()]


def directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


def assert_strict_policy(response) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    policy = directives(header)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert "'unsafe-hashes'" not in header


class InlineCode(HTMLParser):
    """What in a page the policy would block or that needs it relaxed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> (event handler)")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=…> (hx-on)")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.found.append("<script> without src (inline script)")
        if tag == "style":
            self.found.append("<style> element (inline style)")
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            href = attributes.get("href") or ""
            if not href.startswith("/static/"):
                self.found.append(f"stylesheet from elsewhere: {href}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def _persona(case: Case) -> str:
    return next(p for p in PERSONAS if case.expected.get(p) == 200)


@pytest.mark.parametrize("case", _pages(), ids=lambda c: c.id)
def test_every_page_carries_the_strict_policy_and_no_inline_script_or_style(
    world: World, case: Case
) -> None:
    client = client_for(world.user(_persona(case)))
    headers = HTMX if case.htmx else {}
    response = client.get(case.path(world), case.data(world), headers=headers)
    assert response.status_code == 200, response.content[:300]
    assert_strict_policy(response)
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert not inline_code(response.content.decode()), inline_code(response.content.decode())


def test_the_walk_covers_every_role_and_htmx_fragments() -> None:
    pages = _pages()
    assert {_persona(c) for c in pages} >= {"anonymous", "physio", "admin", "viewer"}
    assert any(c.htmx for c in pages)


def test_an_htmx_fragment_of_the_caseload_carries_the_policy(world: World) -> None:
    response = client_for(world.physio).get("/patients/", {"q": "a"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert_strict_policy(response)
    assert not inline_code(page)


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("anonymous", "/accounts/login/", 200),
        ("viewer", "/patients/", 403),
        ("physio", "/patients/00000000-0000-0000-0000-000000000000/", 404),
        ("anonymous", "/patients/", 302),
    ],
)
def test_refusals_and_redirects_carry_the_policy_too(
    world: World, persona: str, path: str, status: int
) -> None:
    response = client_for(world.user(persona)).get(path)
    assert response.status_code == status
    assert_strict_policy(response)


def test_the_detector_finds_what_the_policy_would_block() -> None:
    page = (
        '<p style="color:red">x</p><button onclick="go()">b</button><div hx-on:click="x">'
        "<script>alert(1)</script><style>p{}</style>"
        '<a href="javascript:void(0)">a</a><script src="/static/a.js"></script>'
    )
    found = inline_code(page)
    assert len(found) == 6
    assert not inline_code('<script src="/static/x.js" defer></script><svg fill="#fff"></svg>')


def test_base_page_loads_htmx_as_a_file_and_tells_it_to_need_no_eval_or_inline_style(
    world: World,
) -> None:
    page = client_for(world.physio).get("/patients/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    meta = '<meta name="htmx-config" content=\''
    start = page.index(meta) + len(meta)
    config = json.loads(page[start : page.index("'", start)])
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False


@override_settings(DEBUG=True)
def test_in_debug_django_htmx_adds_only_script_files(world: World) -> None:
    page = client_for(world.physio).get("/patients/").content.decode()
    assert 'src="/static/django_htmx/django-htmx.js"' in page
    assert not inline_code(page)


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_a_secure_request_in_production_is_told_to_use_https_for_a_year(world: World) -> None:
    response = Client().get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert_strict_policy(response)


def _production_env(tmp_path: Path) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DEBUG="0",
        RTW_TESTING="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="rtw.example",
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'check.sqlite3'}"),
        DJANGO_SETTINGS_MODULE="rtw.settings",
    )
    return env


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_force_https_and_keep_the_policy(tmp_path: Path) -> None:
    script = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'redirect': s.SECURE_SSL_REDIRECT, 'cookie': s.SESSION_COOKIE_SECURE,"
        "'csrf': s.CSRF_COOKIE_SECURE, 'debug': s.DEBUG,"
        "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
    )
    result = _run(["-c", script], tmp_path)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert production["debug"] is False
    assert production["hsts"] >= 31_536_000 and production["sub"] is True
    assert production["redirect"] and production["cookie"] and production["csrf"]
    assert production["csp"] == settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
