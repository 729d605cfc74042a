"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so ``executable_path`` points at
/usr/bin/chromium (``make chromium`` installs it). A missing browser fails the run.
Every page a test visits can be checked with axe-core (installed from npm), and
screenshots land in artifacts/screenshots/ for a person to look at.
"""

import os
import re
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from rtw.models import User
from tests.conftest import totp_code, totp_device_for
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# under one unless told it is safe (the live server is a separate thread anyway).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "artifacts" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One live server and browser per xdist worker is plenty on two cores.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (browser tests never skip).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# A field's check answers once the form's earlier checks have (htmx queues them): with
# both test processes busy that can take more than expect's default 5 s.
expect.set_options(timeout=15_000)


def htmx_ready(page: Page, url: str | None = None) -> None:
    """Wait until htmx listens to what is on the page. After a click that opens ``url`` (a
    glob): until that page has loaded (htmx binds on DOMContentLoaded); after a swap: until
    the new content has settled (htmx binds it then, ~20 ms later, dropping its
    ``htmx-added`` class). Playwright acts within milliseconds: a field changed before then
    sends no check, and a button submits its form without htmx."""
    if url is not None:
        page.wait_for_url(url, wait_until="load")
    page.wait_for_function(
        "() => window.htmx !== undefined"
        " && !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping')"
    )


def login(page: Page, live_server: object, user: User, password: str = PASSWORD) -> None:
    """Log in with the password, then the code the user's authenticator app shows now
    (a confirmed app is given to users who have none)."""
    device = totp_device_for(user)
    page.goto(f"{live_server}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    if "/account/two-factor/" not in page.url:
        return  # a wrong password stays on the login page
    # A code already used in this 30 s step is refused as a replay; a person would
    # wait for the next one, a test forgets the last step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    page.get_by_label(re.compile("Code from your authenticator app")).fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("networkidle")


def set_up_authenticator(page: Page) -> list[str]:
    """On the set-up page: read the key as a person would type it into their app, enter
    the app's code, and return the backup codes then shown."""
    secret = (page.locator("#totp-secret").text_content() or "").replace(" ", "")
    code = TOTP(b32decode(secret)).token()
    page.get_by_label("6-digit code from your app").fill(f"{code:06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state("networkidle")
    return page.locator(".backup-codes code").all_inner_texts()


def check_a11y(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; fail on serious or critical."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    ]
    assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(details)


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
