"""Second-factor state changes. Each writes its audit event; no secret or code is ever
written to the audit trail."""

from dataclasses import dataclass

import django_otp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw import audit
from rtw.errors import ServiceError
from rtw.mfa import backup
from rtw.models import User

APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
WRONG_CODE = (
    "That code is not right. Type the newest code from your app, or a backup code you have "
    "not used before."
)


@dataclass(frozen=True)
class Status:
    has_app: bool
    backup_codes_left: int


def _model(user: User) -> User:
    """``request.user`` arrives as a lazy proxy; the audit trail wants the model itself."""
    return user if type(user) is User else User.objects.get(pk=user.pk)


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def status(user: User) -> Status:
    return Status(
        has_app=has_confirmed_device(user),
        backup_codes_left=StaticToken.objects.filter(device__user=user).count(),
    )


def pending_device(user: User) -> TOTPDevice:
    """The not-yet-confirmed app being set up; the same one across reloads of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def _refuse_if_throttled(device: Device) -> None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        raise ServiceError("Too many wrong codes. Please wait and try again.", field="code")
    wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    raise ServiceError(
        f"Too many wrong codes. Wait {wait} seconds, then try the newest code.", field="code"
    )


def _check(user: User, device: Device, token: str) -> Device:
    """django-otp's own verification (locks the device row, counts failures).

    It runs outside any transaction of ours so that a failure is counted even though we
    then refuse: the throttle is what keeps guessing out.
    """
    _refuse_if_throttled(device)
    verified = django_otp.verify_token(user, device.persistent_id, token)
    if verified is None:
        raise ServiceError(WRONG_CODE, field="code")
    return verified


def _store_new_backup_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": BACKUP_NAME, "confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = backup.new_codes()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=backup.hashed(code)) for code in codes
    )
    return codes


def confirm_app(*, acting_user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a code it shows; return it and fresh backup codes
    (shown once, never stored in the clear)."""
    acting_user = _model(acting_user)
    if has_confirmed_device(acting_user):
        raise ServiceError("Your account already has an authenticator app.")
    device = pending_device(acting_user)
    verified = _check(acting_user, device, backup.normalise(code))
    if not isinstance(verified, TOTPDevice):  # pragma: no cover - _check returns `device`
        raise ServiceError(WRONG_CODE, field="code")
    with transaction.atomic():
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=acting_user).exclude(pk=verified.pk).delete()
        codes = _store_new_backup_codes(acting_user)
        audit.record(
            actor=acting_user,
            action="account.mfa_enabled",
            target=acting_user,
            after={"backup_codes": len(codes)},
            clinic_id=acting_user.clinic_id or acting_user.managing_clinic_id,
        )
    return verified, codes


def verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: the app for six digits, else a backup code
    (which is then used up)."""
    normalised = backup.normalise(code)
    if not normalised:
        raise ServiceError("Enter the code.", field="code")
    if backup.looks_like_totp(normalised):
        device: Device | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        token = normalised
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        token = backup.hashed(normalised)
    if device is None:
        raise ServiceError(WRONG_CODE, field="code")
    verified = _check(user, device, token)
    if isinstance(verified, StaticDevice):
        user = _model(user)
        audit.record(
            actor=user,
            action="account.backup_code_used",
            target=user,
            after={"backup_codes_left": verified.token_set.count()},
            clinic_id=user.clinic_id or user.managing_clinic_id,
        )
    return verified


def remove_devices(user: User) -> None:
    """Forget every second factor of ``user``: each of their sessions must set up again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def replace_second_factor(*, acting_user: User) -> None:
    acting_user = _model(acting_user)
    remove_devices(acting_user)
    audit.record(
        actor=acting_user,
        action="account.mfa_replaced",
        target=acting_user,
        clinic_id=acting_user.clinic_id or acting_user.managing_clinic_id,
    )


@transaction.atomic
def regenerate_backup_codes(*, acting_user: User) -> list[str]:
    acting_user = _model(acting_user)
    if not has_confirmed_device(acting_user):
        raise ServiceError("Set up an authenticator app first.")
    codes = _store_new_backup_codes(acting_user)
    audit.record(
        actor=acting_user,
        action="account.backup_codes_regenerated",
        target=acting_user,
        after={"backup_codes": len(codes)},
        clinic_id=acting_user.clinic_id or acting_user.managing_clinic_id,
    )
    return codes


@transaction.atomic
def change_email(*, acting_user: User, email: str) -> User:
    acting_user = _model(acting_user)
    email = email.strip().lower()
    if not email:
        raise ServiceError("Enter your new email address.", field="email")
    if email == acting_user.email:
        raise ServiceError("That is already your email address.", field="email")
    if User.objects.filter(email__iexact=email).exclude(pk=acting_user.pk).exists():
        raise ServiceError("Another account already uses this email address.", field="email")
    before = audit.snapshot(acting_user, ["email"])
    acting_user.email = email
    acting_user.save(update_fields=["email"])
    audit.record(
        actor=acting_user,
        action="account.email_changed",
        target=acting_user,
        before=before,
        after=audit.snapshot(acting_user, ["email"]),
        clinic_id=acting_user.clinic_id or acting_user.managing_clinic_id,
    )
    return acting_user


@transaction.atomic
def change_password(*, acting_user: User, password: str) -> User:
    """Set a new password. Every other session of this user ends (their stored password
    hash no longer matches); the caller keeps its own with update_session_auth_hash."""
    acting_user = _model(acting_user)
    try:
        validate_password(password, acting_user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="new_password1") from exc
    acting_user.set_password(password)
    acting_user.save(update_fields=["password"])
    audit.record(
        actor=acting_user,
        action="account.password_changed",
        target=acting_user,
        clinic_id=acting_user.clinic_id or acting_user.managing_clinic_id,
    )
    return acting_user
