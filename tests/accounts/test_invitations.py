import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from rtw.models import AuditEvent, Role, User
from tests.conftest import World, client_for

# Invitation emails are sent after the transaction commits, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


def _invite(client: Client, email: str = "nadia@example.test", role: str = "physiotherapist"):
    return client.post(
        "/staff/invite/",
        {"first_name": "Nadia", "last_name": "Petrova", "email": email, "role": role},
    )


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/]+(/invite/\S+/)", body)
    assert match, body
    return match.group(1)


def test_admin_invites_staff_and_the_email_carries_a_single_use_link(world: World) -> None:
    response = _invite(client_for(world.admin))
    assert response.status_code == 302
    invitee = User.objects.get(email="nadia@example.test")
    assert invitee.clinic == world.clinic
    assert invitee.is_active is False
    assert not invitee.has_usable_password()
    assert mail.outbox[-1].to == ["nadia@example.test"]
    assert AuditEvent.objects.filter(action="account.invited", target_id=str(invitee.pk)).exists()

    path = _link_path(str(mail.outbox[-1].body))
    anonymous = Client()
    pw = "lumbar-lift-progress-9"
    done = anonymous.post(path, {"new_password1": pw, "new_password2": pw})
    assert done.status_code == 302
    invitee.refresh_from_db()
    assert invitee.is_active and invitee.check_password(pw)

    again = Client().post(path, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert again.status_code == 410
    invitee.refresh_from_db()
    assert invitee.check_password(pw)


def test_an_expired_invitation_link_is_refused(world: World) -> None:
    _invite(client_for(world.admin))
    path = _link_path(str(mail.outbox[-1].body))
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = Client().get(path)
    assert response.status_code == 410
    assert b"no longer works" in response.content


def test_a_resent_invitation_replaces_the_old_link(world: World) -> None:
    _invite(client_for(world.admin))
    old_path = _link_path(str(mail.outbox[-1].body))
    invitee = User.objects.get(email="nadia@example.test")
    client_for(world.admin).post(f"/staff/{invitee.uuid}/resend-invite/")
    assert Client().get(old_path).status_code == 410
    assert Client().get(_link_path(str(mail.outbox[-1].body))).status_code == 200


def test_inviting_an_email_that_already_has_an_account_is_refused(world: World) -> None:
    response = _invite(client_for(world.admin), email=world.other_physio.email.upper())
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact=world.other_physio.email).count() == 1
    assert mail.outbox == []


def test_a_malformed_email_gets_a_field_error_and_creates_nothing(world: World) -> None:
    before = User.objects.count()
    response = _invite(client_for(world.admin), email="not-an-email")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert User.objects.count() == before


def test_a_weak_password_on_the_invite_page_is_refused(world: World) -> None:
    _invite(client_for(world.admin))
    path = _link_path(str(mail.outbox[-1].body))
    response = Client().post(path, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.get(email="nadia@example.test").is_active


def test_admin_adds_an_employer_viewer_for_an_employer_the_clinic_works_with(world: World) -> None:
    response = client_for(world.admin).post(
        "/staff/invite-viewer/",
        {
            "first_name": "Hana",
            "last_name": "Ito",
            "email": "hana@acme.test",
            "employer": world.employer.pk,
        },
    )
    assert response.status_code == 302
    viewer = User.objects.get(email="hana@acme.test")
    assert viewer.role == Role.EMPLOYER_VIEWER and viewer.employer == world.employer


def test_a_viewer_for_another_clinics_employer_is_refused(world: World) -> None:
    response = client_for(world.admin).post(
        "/staff/invite-viewer/",
        {
            "first_name": "Hana",
            "last_name": "Ito",
            "email": "hana@globex.test",
            "employer": world.other_employer.pk,
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="hana@globex.test").exists()


@pytest.mark.parametrize("role", ["employer_viewer", "superuser", ""])
def test_staff_invites_only_take_clinic_roles(world: World, role: str) -> None:
    response = _invite(client_for(world.admin), role=role)
    assert response.status_code == 200
    assert not User.objects.filter(email="nadia@example.test").exists()
