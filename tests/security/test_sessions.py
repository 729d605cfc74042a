"""Sessions end on their own (idle, absolute lifetime), when the password changes, and when
the account is deactivated; logging out clears the browser's copy of the site; no
authenticated answer is cached; production cookies are locked down."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.access_reports import make_report
from tests.conftest import World, client_for, login_via_form
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _later(**delta: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(**delta), tick=False)


# --- idle and absolute lifetime --------------------------------------------------------------


def test_thirty_idle_minutes_log_out_with_a_message_saying_why(world: World) -> None:
    client = client_for(world.physio)
    with _later(minutes=29):
        assert client.get("/patients/").status_code == 200
    with _later(minutes=29 + 31):
        response = client.get("/patients/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fpatients%2F"
        page = client.get(response["Location"]).content.decode()
        assert "logged out after 30 minutes without activity" in page
        # The session is gone, not only refused once.
        assert client.get("/patients/")["Location"].startswith("/accounts/login/")


def test_the_idle_limit_comes_from_the_setting(world: World, settings) -> None:
    settings.SESSION_IDLE_SECONDS = 120
    client = client_for(world.physio)
    with _later(minutes=3):
        response = client.get("/patients/", follow=True)
    assert "logged out after 2 minutes without activity" in response.content.decode()


def test_an_idle_htmx_request_is_told_to_go_to_the_login_page(world: World) -> None:
    client = client_for(world.physio)
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/patients/?q=a"}
    with _later(minutes=31):
        response = client.get("/patients/?q=a&page=2", headers=headers)
    # Back to the page the person was on afterwards, not to the fragment's URL.
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fpatients%2F%3Fq%3Da"
    assert world.patient.last_name not in response.content.decode()


def test_a_busy_session_still_ends_ten_hours_after_login(world: World) -> None:
    client = client_for(world.physio)
    # Every 20 minutes: never idle, and the cookie is renewed each time.
    for step in range(1, 30):
        with _later(minutes=20 * step):
            assert client.get("/patients/").status_code == 200, step
    with _later(minutes=20 * 30 + 1):
        response = client.get("/patients/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "a session lasts at most 10 hours" in response.content.decode()


def test_last_seen_is_written_at_most_once_a_minute(world: World) -> None:
    client = client_for(world.physio)
    client.get("/patients/")

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/patients/").status_code == 200
        return sum(
            "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
            for q in queries.captured_queries
        )

    with _later(seconds=30):
        assert session_writes() == 0
    with _later(seconds=61):
        assert session_writes() == 1
    with _later(seconds=90):
        assert session_writes() == 0


# --- other sessions end ----------------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(world: World) -> None:
    here, elsewhere = Client(), Client()
    assert login_via_form(here, world.physio, PASSWORD)
    assert login_via_form(elsewhere, world.physio, PASSWORD)
    assert elsewhere.get("/patients/").status_code == 200

    new = "a-much-longer-passphrase-42"
    response = here.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == "/account/"

    assert here.get("/patients/").status_code == 200
    gone = elsewhere.get("/patients/")
    assert gone.status_code == 302 and gone["Location"].startswith("/accounts/login/")


def test_a_deactivated_users_open_session_ends_at_their_next_request(world: World) -> None:
    their_browser = client_for(world.colleague)
    assert their_browser.get("/patients/").status_code == 200
    client_for(world.admin).post(f"/staff/{world.colleague.uuid}/deactivate/")
    response = their_browser.get(f"/patients/{world.patient.uuid}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert world.patient.last_name not in response.content.decode()


# --- logout and caching ------------------------------------------------------------------------


def test_logging_out_tells_the_browser_to_clear_the_sites_data(world: World) -> None:
    client = client_for(world.physio)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/patients/")["Location"].startswith("/accounts/login/")


def test_htmx_fragments_and_report_downloads_are_never_cached(world: World) -> None:
    fragment = client_for(world.physio).get("/patients/?q=a", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "no-store" in fragment["Cache-Control"]

    report = make_report(world)
    for user in (world.physio, world.viewer):
        download = client_for(user).get(f"/reports/{report.uuid}/download/")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert "no-store" in download["Cache-Control"]


def test_account_pages_are_never_cached(world: World) -> None:
    client = client_for(world.physio)
    for path in ("/account/", "/account/email/", "/account/password/"):
        assert "no-store" in client.get(path)["Cache-Control"], path


# --- production cookies -----------------------------------------------------------------------

PROBE = """
import json
from django.conf import settings as s
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token

def view(request):
    get_token(request)
    request.session["x"] = 1
    return HttpResponse()

# The cookie flags come from the middlewares; only the store is swapped for one that
# needs no database in this throwaway process.
s.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
request = HttpRequest()
request.META.update(HTTP_HOST="rtw.example", SERVER_PORT="443", REQUEST_METHOD="GET")
response = SessionMiddleware(CsrfViewMiddleware(view))(request)
print(json.dumps({
    "session_name": s.SESSION_COOKIE_NAME, "csrf_name": s.CSRF_COOKIE_NAME,
    "session_domain": s.SESSION_COOKIE_DOMAIN, "csrf_domain": s.CSRF_COOKIE_DOMAIN,
    "cookies": {name: morsel.output() for name, morsel in response.cookies.items()},
}))
"""


def test_production_cookies_are_host_prefixed_secure_httponly_and_same_site() -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "RTW_TESTING": "0",
        "SECRET_KEY": "p" * 20 + "r0duct10n-k3y-f0r-th1s-t3st-0nly-" + "q" * 7,
        "ALLOWED_HOSTS": "rtw.example",
        "DJANGO_SETTINGS_MODULE": "rtw.settings",
    }
    assert len(env["SECRET_KEY"]) == 60
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_name"] == "__Host-sessionid"
    assert values["csrf_name"] == "__Host-csrftoken"
    assert values["session_domain"] is None and values["csrf_domain"] is None
    session = values["cookies"]["__Host-sessionid"]
    csrf = values["cookies"]["__Host-csrftoken"]
    for cookie in (session, csrf):
        assert "; Secure" in cookie and "; Path=/" in cookie and "SameSite=Lax" in cookie
        assert "Domain" not in cookie
    assert "HttpOnly" in session
