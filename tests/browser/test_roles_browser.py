import re

from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_a11y, login, set_up_authenticator, shot
from tests.conftest import World


def test_each_role_logs_in_and_lands_on_its_own_home(page: Page, live_server, world: World) -> None:
    homes = [
        (world.physio, "physio-caseload", "My caseload"),
        (world.admin, "admin-staff", f"Staff of {world.clinic.name}"),
        (world.viewer, "viewer-dashboard", f"{world.employer.name}: return to work"),
    ]
    for user, name, heading in homes:
        page.context.clear_cookies()
        login(page, live_server, user)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)
        shot(page, name)


def test_login_page_is_accessible_and_wrong_password_says_so(
    page: Page, live_server, world: World
) -> None:
    page.goto(f"{live_server}/accounts/login/")
    check_a11y(page)
    shot(page, "login")
    login(page, live_server, world.physio, password="not-the-password-at-all")
    expect(page.get_by_role("alert")).to_contain_text("did not match")


def test_admin_invites_a_physio_who_sets_a_password_through_the_link(
    page: Page, live_server, world: World
) -> None:
    login(page, live_server, world.admin)
    page.get_by_role("button", name="Invite staff").click()
    check_a11y(page)
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Petrova")
    page.get_by_label("Email").fill("nadia@riverside.example")
    page.get_by_label("Role").select_option("physiotherapist")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nadia@riverside.example")
    expect(page.get_by_role("row", name=re.compile("Nadia Petrova"))).to_contain_text("Invited")
    check_a11y(page)
    shot(page, "admin-after-invite")

    link = re.search(r"http\S+/invite/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    path = link.group(0).split("/invite/", 1)[1]
    page.context.clear_cookies()
    page.goto(f"{live_server}/invite/{path}")
    check_a11y(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(".field-error").first).to_contain_text("too short")
    page.get_by_label("New password", exact=True).fill("lumbar-lift-progress-9")
    page.get_by_label("New password confirmation").fill("lumbar-lift-progress-9")
    page.get_by_role("button", name="Set password and sign in").click()
    # Before any patient data: the invitee sets up their authenticator app.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    assert len(set_up_authenticator(page)) == 10
    page.get_by_role("button", name=re.compile("I have stored my backup codes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    shot(page, "invitee-first-login")

    # The link is single-use.
    page.goto(f"{live_server}/invite/{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("no longer works")


def test_admin_deactivates_a_colleague_with_htmx_and_their_row_updates(
    page: Page, live_server, world: World
) -> None:
    login(page, live_server, world.admin)
    row = page.get_by_role("row", name=re.compile(world.colleague.display_name))
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=re.compile("Deactivate")).click()
    expect(row).to_contain_text("Deactivated")
    world.colleague.refresh_from_db()
    assert world.colleague.is_active is False
    check_a11y(page)
    shot(page, "admin-after-deactivate")
