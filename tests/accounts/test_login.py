from django.test import Client

from tests.conftest import World, login_via_form, totp_code, totp_device_for
from tests.factories import PASSWORD


def test_a_wrong_password_says_so_and_does_not_log_in(world: World) -> None:
    response = Client().post(
        "/accounts/login/", {"username": world.physio.email, "password": "wrong-password-123"}
    )
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_repeated_failures_lock_that_username_from_that_address(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": world.physio.email, "password": "nope-nope-1"})
    locked = client.post("/accounts/login/", {"username": world.physio.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    # Another person from the same address is not locked out.
    other = client.post(
        "/accounts/login/", {"username": world.colleague.email, "password": PASSWORD}
    )
    assert other.status_code == 302


def test_each_role_lands_on_its_own_home_after_password_and_code(world: World) -> None:
    homes = {world.physio: "/patients/", world.admin: "/staff/", world.viewer: "/employer/"}
    for user, home in homes.items():
        device = totp_device_for(user)
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0].startswith("/account/two-factor/verify/")
        response = client.post(
            response.redirect_chain[-1][0], {"code": totp_code(device)}, follow=True
        )
        assert response.redirect_chain[-1][0] == home


def test_logout_is_post_only(world: World) -> None:
    client = Client()
    login_via_form(client, world.physio, PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/patients/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(world: World) -> None:
    import re

    from django.core import mail

    Client().post("/accounts/password-reset/", {"email": world.physio.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", str(mail.outbox[-1].body))
    assert link
    client = Client()
    form = client.get(link.group(1), follow=True)
    new = "a-brand-new-passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    world.physio.refresh_from_db()
    assert world.physio.check_password(new)


def test_pages_for_logged_in_users_are_not_cached(world: World) -> None:
    client = Client()
    login_via_form(client, world.physio, PASSWORD)
    assert "no-store" in client.get("/patients/")["Cache-Control"]


def test_health_answers_without_login(db: None) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
