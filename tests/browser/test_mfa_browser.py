import re
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from rtw.models import Role
from tests import factories
from tests.browser.conftest import check_a11y, shot
from tests.conftest import World
from tests.factories import PASSWORD


def _password(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_new_user_sets_up_an_app_then_logs_in_with_a_backup_code_once(
    page: Page, live_server, world: World
) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    _password(page, live_server, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.get_by_text("Cannot scan it? Type this key instead").click()
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    check_a11y(page)
    shot(page, "mfa-setup")

    code = TOTP(b32decode(secret.replace(" ", ""))).token()
    page.get_by_label("6-digit code from your app").fill(f"{code:06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.get_by_text("They will not be shown again")).to_be_visible()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    check_a11y(page)
    shot(page, "mfa-backup-codes")
    page.get_by_role("button", name=re.compile("I have stored my backup codes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("You have 10 unused backup codes")).to_be_visible()
    check_a11y(page)
    shot(page, "account")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    _password(page, live_server, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    check_a11y(page)
    shot(page, "mfa-verify")
    page.get_by_label(re.compile("Code from your authenticator app")).fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.locator(".messages")).to_contain_text("You used a backup code; 9 left")

    page.get_by_role("button", name="Log out").click()
    _password(page, live_server, user.email)
    page.get_by_label(re.compile("Code from your authenticator app")).fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    check_a11y(page)
    shot(page, "mfa-verify-used-code")
    page.goto(f"{live_server}/patients/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
