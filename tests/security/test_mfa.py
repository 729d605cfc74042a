"""Second factor: nobody sees patient data on a password alone; backup codes work once;
guessing is throttled; an admin's reset is audited and stays inside their clinic; changing
how one signs in needs a fresh password and code."""

import json
import re
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw.models import AuditEvent, Role
from tests import factories
from tests.conftest import World, client_for, totp_code, totp_device_for
from tests.factories import PASSWORD

VERIFY = "/account/two-factor/verify/"
SETUP = "/account/two-factor/setup/"


def password_only(user) -> Client:
    """A browser that gave the right password and nothing else yet."""
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _seconds_later(seconds: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def fresh(device: TOTPDevice) -> TOTPDevice:
    """Forget the last accepted step: as if the person waited for the app's next code."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def set_up_app(client: Client, user) -> list[str]:
    """Go through the set-up page as a person does; return the backup codes shown."""
    html = client.get(SETUP).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html)
    assert secret, html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert b32encode(device.bin_key).decode() == secret.group(1).replace(" ", "")
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.content.decode())


# --- nothing before the second factor ----------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        ("physio", ["/", "/patients/", "/patients/{patient}/"]),
        ("admin", ["/", "/staff/"]),
        ("viewer", ["/", "/employer/", "/employer/workers/{patient}/"]),
    ],
)
def test_no_role_sees_its_home_or_a_patient_before_giving_a_code(
    world: World, persona: str, pages: list[str]
) -> None:
    user = getattr(world, persona)
    totp_device_for(user)
    client = password_only(user)
    for template in pages:
        path = template.format(patient=world.patient.uuid)
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY)
        assert world.patient.last_name not in response.content.decode()
        # htmx would swap a whole page into a fragment; it is told to navigate instead.
        fragment = client.get(path, headers={"HX-Request": "true"})
        assert fragment["HX-Redirect"].startswith(VERIFY)
        assert world.patient.last_name not in fragment.content.decode()


def test_after_the_code_the_person_lands_where_they_were_going(world: World) -> None:
    device = totp_device_for(world.physio)
    client = password_only(world.physio)
    target = f"/patients/{world.patient.uuid}/"
    sent = client.get(target)
    response = client.post(sent["Location"], {"code": totp_code(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert world.patient.last_name in client.get(target).content.decode()


def test_the_code_step_never_sends_anyone_to_another_site(world: World) -> None:
    device = totp_device_for(world.physio)
    client = password_only(world.physio)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_code_says_so_and_lets_nobody_in(world: World) -> None:
    device = totp_device_for(world.physio)
    client = password_only(world.physio)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/patients/").status_code == 302


# --- set-up -------------------------------------------------------------------------------


def test_a_new_user_sets_up_an_app_and_sees_ten_backup_codes_once(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    client = password_only(user)
    assert client.get("/patients/")["Location"].startswith(SETUP)

    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "<img" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script

    wrong = client.post(SETUP, {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    with _seconds_later(3):  # a wrong code makes django-otp wait a second
        codes = set_up_app(client, user)
    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert client.get("/patients/").status_code == 200
    # Shown once: nothing stores them in the clear, and set-up is over.
    assert client.get(SETUP).status_code == 302
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert not stored & {c.replace("-", "") for c in codes}
    event = AuditEvent.objects.get(action="account.mfa_enabled", target_id=str(user.pk))
    assert event.after == {"backup_codes": 10}


def test_the_qr_code_is_inline_svg_without_style_or_script(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    page = password_only(user).get(SETUP).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg
    assert 'role="img"' in svg.group(0) and "aria-label=" in svg.group(0)
    for forbidden in ("style", "<script", "href", "http:", "https:", "onload"):
        assert forbidden not in svg.group(0).replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_someone_with_only_the_password_cannot_add_their_own_app(world: World) -> None:
    device = totp_device_for(world.physio)
    client = password_only(world.physio)
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    client.post(SETUP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=world.physio)) == [device]
    assert client.get("/patients/").status_code == 302


# --- backup codes and throttling --------------------------------------------------------------


def test_a_backup_code_logs_in_once_and_never_again(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    codes = set_up_app(password_only(user), user)

    first = password_only(user)
    response = first.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    landed = first.get(response["Location"], follow=True)
    assert landed.status_code == 200
    assert "You used a backup code; 9 left" in landed.content.decode()
    assert AuditEvent.objects.filter(action="account.backup_code_used").count() == 1

    again = password_only(user)
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200
    assert "That code is not right" in refused.content.decode()
    assert again.get("/patients/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_repeated_wrong_codes_lock_out_even_the_right_code_for_a_while(world: World) -> None:
    device = totp_device_for(world.physio)
    client = password_only(world.physio)
    start = timezone.now() + timedelta(seconds=5)
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(5):
            response = client.post(VERIFY, {"code": "999999"})
            assert "That code is not right" in response.content.decode()
            clock.shift(2**attempt + 1)  # django-otp waits 1, 2, 4, 8… seconds
        response = client.post(VERIFY, {"code": "000001"})  # a sixth miss: 32 s now
        clock.shift(1)
        refused = client.post(VERIFY, {"code": totp_code(fresh(device))})
        assert refused.status_code == 200
        assert "Too many wrong codes" in refused.content.decode()
        assert client.get("/patients/").status_code == 302

        clock.shift(40)
        accepted = client.post(VERIFY, {"code": totp_code(fresh(device))})
        assert accepted.status_code == 302
        assert client.get("/patients/").status_code == 200


def test_guessing_backup_codes_is_throttled_too(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    codes = set_up_app(password_only(user), user)
    client = password_only(user)
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        client.post(VERIFY, {"code": "aaaaa-aaaaa"})
        client.post(VERIFY, {"code": "bbbbb-bbbbb"})
        refused = client.post(VERIFY, {"code": codes[1]})
    assert "Too many wrong codes" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 10


# --- the clinic admin's reset -------------------------------------------------------------------


def test_an_admin_resets_a_colleagues_second_factor_and_it_is_audited(world: World) -> None:
    colleague_browser = client_for(world.colleague)
    assert colleague_browser.get("/patients/").status_code == 200
    assert "Two-factor on" in client_for(world.admin).get("/staff/").content.decode()

    response = client_for(world.admin).post(
        f"/staff/{world.colleague.uuid}/reset-two-factor/", headers={"HX-Request": "true"}
    )
    row = response.content.decode()
    assert response.status_code == 200 and row.lstrip().startswith("<tr")
    assert "Two-factor not set up" in row
    assert not TOTPDevice.objects.filter(user=world.colleague).exists()
    event = AuditEvent.objects.get(action="account.mfa_reset")
    assert event.actor == world.admin and event.target_id == str(world.colleague.pk)

    # Their open session must set up a new app before it sees anything again.
    assert colleague_browser.get("/patients/")["Location"].startswith(SETUP)


def test_an_admin_cannot_reset_another_clinics_account(world: World) -> None:
    device = totp_device_for(world.other_physio)
    response = client_for(world.admin).post(f"/staff/{world.other_physio.uuid}/reset-two-factor/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="account.mfa_reset").exists()


def test_a_physio_cannot_reset_anyones_second_factor(world: World) -> None:
    response = client_for(world.physio).post(f"/staff/{world.colleague.uuid}/reset-two-factor/")
    assert response.status_code == 403


# --- re-authentication -----------------------------------------------------------------------


def _stale(client: Client) -> None:
    """The password and code were given longer ago than RECENT_AUTH_SECONDS."""
    session = client.session
    session["rtw_auth_at"] -= 601
    session.save()


def _reauthenticate(client: Client, user, next_path: str):
    device = fresh(totp_device_for(user))
    return client.post(
        "/account/reauthenticate/",
        {"password": PASSWORD, "code": totp_code(device), "next": next_path},
    )


def test_changing_email_needs_a_fresh_password_and_code_and_is_audited(world: World) -> None:
    client = client_for(world.physio)
    _stale(client)
    sent = client.get("/account/email/")
    assert sent["Location"] == "/account/reauthenticate/?next=%2Faccount%2Femail%2F"
    refused = client.post("/account/email/", {"email": "new@example.test"})
    assert refused["Location"].startswith("/account/reauthenticate/")
    world.physio.refresh_from_db()
    assert world.physio.email != "new@example.test"

    wrong = client.post(
        "/account/reauthenticate/",
        {"password": "not-my-password", "code": totp_code(totp_device_for(world.physio))},
    )
    assert "That password is not right" in wrong.content.decode()
    back = _reauthenticate(client, world.physio, "/account/email/")
    assert back["Location"] == "/account/email/"

    old = world.physio.email
    done = client.post("/account/email/", {"email": "New@Example.test"})
    assert done["Location"] == "/account/"
    world.physio.refresh_from_db()
    assert world.physio.email == "new@example.test"
    event = AuditEvent.objects.get(action="account.email_changed")
    assert event.before == {"email": old} and event.after == {"email": "new@example.test"}


def test_an_email_already_in_use_is_refused(world: World) -> None:
    response = client_for(world.physio).post("/account/email/", {"email": world.admin.email})
    assert "already uses this email" in response.content.decode()


def test_changing_password_needs_a_fresh_password_and_code_and_is_audited(world: World) -> None:
    client = client_for(world.physio)
    _stale(client)
    new = "a-much-longer-passphrase-42"
    form = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/account/password/", form)["Location"].startswith(
        "/account/reauthenticate/"
    )
    world.physio.refresh_from_db()
    assert world.physio.check_password(PASSWORD)

    _reauthenticate(client, world.physio, "/account/password/")
    assert client.post("/account/password/", form)["Location"] == "/account/"
    world.physio.refresh_from_db()
    assert world.physio.check_password(new)
    assert AuditEvent.objects.filter(action="account.password_changed").count() == 1


def test_replacing_the_app_needs_reauthentication_then_sends_to_set_up(world: World) -> None:
    client = client_for(world.physio)
    _stale(client)
    assert client.post("/account/two-factor/replace/")["Location"].startswith(
        "/account/reauthenticate/"
    )
    assert TOTPDevice.objects.filter(user=world.physio).exists()

    _reauthenticate(client, world.physio, "/account/two-factor/replace/")
    response = client.post("/account/two-factor/replace/")
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=world.physio, confirmed=True).exists()
    assert client.get("/patients/")["Location"].startswith(SETUP)
    assert AuditEvent.objects.filter(action="account.mfa_replaced").count() == 1
    assert len(set_up_app(client, world.physio)) == 10


def test_new_backup_codes_need_reauthentication_and_replace_the_old_ones(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    client = password_only(user)
    old_codes = set_up_app(client, user)
    _stale(client)
    refused = client.post("/account/two-factor/backup-codes/")
    assert refused["Location"] == "/account/reauthenticate/?next=%2Faccount%2F"

    _reauthenticate(client, user, "/account/")
    page = client.post("/account/two-factor/backup-codes/").content.decode()
    new_codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", page)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "will not be shown again" in page
    assert AuditEvent.objects.filter(action="account.backup_codes_regenerated").count() == 1

    late = password_only(user)
    assert late.post(VERIFY, {"code": old_codes[0]}).status_code == 200
    with _seconds_later(3):
        assert late.post(VERIFY, {"code": new_codes[0]}).status_code == 302


def test_no_secret_or_code_ever_reaches_the_audit_trail(world: World) -> None:
    user = factories.make_user(Role.PHYSIOTHERAPIST, clinic=world.clinic)
    client = password_only(user)
    codes = set_up_app(client, user)
    key = TOTPDevice.objects.get(user=user).key
    client.post("/account/two-factor/backup-codes/")
    Client().post(VERIFY, {"code": codes[0]})
    client_for(world.admin).post(f"/staff/{user.uuid}/reset-two-factor/")
    trail = json.dumps(
        list(AuditEvent.objects.values("before", "after", "reason")), default=str
    ).lower()
    secret = b32encode(bytes.fromhex(key)).decode().lower()
    for value in [key, secret, *codes, *(c.replace("-", "") for c in codes)]:
        assert value.lower() not in trail
    assert DEVICE_ID_SESSION_KEY not in trail


def test_an_admins_reset_also_needs_a_recent_password_and_code(world: World) -> None:
    device = totp_device_for(world.colleague)
    admin = client_for(world.admin)
    _stale(admin)
    response = admin.post(
        f"/staff/{world.colleague.uuid}/reset-two-factor/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/staff/"},
    )
    assert response["HX-Redirect"] == "/account/reauthenticate/?next=%2Fstaff%2F"
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="account.mfa_reset").exists()
