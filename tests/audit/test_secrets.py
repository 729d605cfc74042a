"""Password hashes, invitation token hashes and one-time-password keys never reach the audit
trail: a changed secret shows only as "[redacted]"."""

import json

import pytest
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw import audit
from rtw.accounts import services
from rtw.models import AuditEvent, Invitation, Role, User
from tests.conftest import World


def everything_audited() -> str:
    rows = AuditEvent.objects.values("before", "after", "reason")
    return json.dumps(list(rows), cls=DjangoJSONEncoder)


@pytest.fixture
def invited(world: World, django_capture_on_commit_callbacks) -> tuple[User, str]:
    """A person invited by the clinic admin, and the token their email carries."""
    with django_capture_on_commit_callbacks(execute=True):
        user = services.invite_user(
            acting_user=world.admin,
            email="new.physio@example.test",
            first_name="New",
            last_name="Physio",
            role=Role.PHYSIOTHERAPIST,
        )
    token = mail.outbox[-1].body.split("/invite/")[1].split("/")[0]
    return user, token


def test_an_invitations_token_and_its_hash_never_reach_the_trail(invited) -> None:
    user, token = invited
    invitation = Invitation.objects.get(user=user)
    trail = everything_audited()
    assert token not in trail
    assert invitation.token_hash not in trail
    created = AuditEvent.objects.get(kind="change", target_type="rtw.invitation", action="create")
    assert created.after["token_hash"] == "[redacted]"


def test_setting_a_password_shows_only_that_it_changed(invited) -> None:
    user, token = invited
    services.accept_invitation(token=token, password="a-long-and-new-passphrase")
    user.refresh_from_db()
    event = AuditEvent.objects.filter(
        kind="change", target_type="rtw.user", target_id=str(user.pk), action="update"
    ).latest("id")
    assert event.before["password"] == event.after["password"] == "[redacted]"
    assert user.password not in everything_audited()


def test_a_password_changed_by_a_bulk_update_is_redacted_too(world: World) -> None:
    world.physio.set_password("another-long-passphrase")
    User.objects.bulk_update([world.physio], ["password"])
    User.objects.filter(pk=world.colleague.pk).update(password="md5$salt$not-a-real-hash")
    trail = everything_audited()
    assert world.physio.password not in trail
    assert "not-a-real-hash" not in trail


def test_a_named_event_cannot_carry_a_secret_either(world: World) -> None:
    event = audit.record(
        actor=world.admin,
        action="account.changed",
        target=world.physio,
        before={"password": "md5$x$old", "role": "physiotherapist"},
        after={"password": "md5$x$new", "otp_secret": "JBSWY3DPEHPK3PXP"},
    )
    assert event.before == {"password": "[redacted]", "role": "physiotherapist"}
    assert event.after == {"password": "[redacted]", "otp_secret": "[redacted]"}


def test_second_factor_keys_are_not_in_the_trail(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.physio, name="phone", confirmed=True)
    assert device.key not in everything_audited()
    assert audit.snapshot(device, ["key", "name"]) == {"key": "[redacted]", "name": "phone"}
