"""State changes to accounts. Each is one transaction that writes its audit event."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rtw import audit
from rtw.errors import ServiceError
from rtw.mfa.services import remove_devices
from rtw.models import Employer, Invitation, Role, User
from rtw.models.invitations import hash_token, new_token
from rtw.models.users import ADMIN_ROLES, CLINIC_ROLES
from rtw.scoping import staff_visible_to

ACCOUNT_FIELDS = ("email", "first_name", "last_name", "role", "is_active", "clinic", "employer")


def _send_invitation(user_id: int, token: str) -> None:
    user = User.objects.select_related("clinic", "employer", "managing_clinic").get(pk=user_id)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept_invite", args=[token])
    context = {"user": user, "link": link, "hours": settings.INVITATION_VALID_HOURS}
    send_mail(
        subject="You have been invited to Return to Work",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _issue_invitation(user: User, *, acting_user: User) -> None:
    token = new_token()
    Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    Invitation.objects.create(
        user=user,
        token_hash=hash_token(token),
        invited_by=acting_user,
        expires_at=timezone.now() + timedelta(hours=settings.INVITATION_VALID_HOURS),
    )
    transaction.on_commit(lambda: _send_invitation(user.pk, token))


@transaction.atomic
def invite_user(
    *,
    acting_user: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    employer: Employer | None = None,
) -> User:
    """Create an inactive account and email it a single-use link to set a password."""
    if not acting_user.is_clinic_admin or acting_user.clinic_id is None:
        raise ServiceError("Only a clinic admin can invite people.")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError("An account with this email address already exists.", field="email")
    org: dict[str, Any]
    if role in CLINIC_ROLES:
        org = {"clinic_id": acting_user.clinic_id}
    elif role == Role.EMPLOYER_VIEWER:
        if employer is None or not employer.clinics.filter(pk=acting_user.clinic_id).exists():
            raise ServiceError("Choose an employer your clinic works with.", field="employer")
        org = {"employer": employer, "managing_clinic_id": acting_user.clinic_id}
    else:
        raise ServiceError("Choose a valid role.", field="role")
    user = User.objects.create_user(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        is_active=False,
        **org,
    )
    _issue_invitation(user, acting_user=acting_user)
    audit.record(
        actor=acting_user,
        action="account.invited",
        target=user,
        after=audit.snapshot(user, ACCOUNT_FIELDS),
    )
    return user


@transaction.atomic
def resend_invitation(*, acting_user: User, user: User) -> None:
    _require_admin_of(acting_user, user)
    if user.has_usable_password():
        raise ServiceError("This person has already set their password.")
    _issue_invitation(user, acting_user=acting_user)
    audit.record(actor=acting_user, action="account.invitation_resent", target=user)


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation behind a link, or None when it is unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        raise ServiceError("This invitation link has expired or has already been used.")
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="new_password1") from exc
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit.record(
        actor=user,
        action="account.invitation_accepted",
        target=user,
        clinic_id=user.clinic_id or user.managing_clinic_id,
    )
    return user


def _require_admin_of(acting_user: User, user: User) -> None:
    """Defence in depth: views already scope, but a service never trusts its caller."""
    if not staff_visible_to(acting_user).filter(pk=user.pk).exists():
        raise ServiceError("You can only manage accounts of your own clinic.")


def _active_admins(clinic_id: int | None) -> int:
    if clinic_id is None:
        return 0
    return User.objects.filter(clinic_id=clinic_id, role__in=ADMIN_ROLES, is_active=True).count()


@transaction.atomic
def change_role(*, acting_user: User, user: User, role: str) -> User:
    _require_admin_of(acting_user, user)
    if role not in CLINIC_ROLES or not user.is_clinic_staff:
        raise ServiceError("Staff can only be given a clinic role.", field="role")
    if role == user.role:
        return user
    # Lock the clinic's admins so two concurrent demotions cannot both pass the check.
    list(User.objects.select_for_update().filter(clinic=user.clinic, role__in=ADMIN_ROLES))
    losing_admin = user.is_clinic_admin and role not in ADMIN_ROLES
    if losing_admin and user.is_active and _active_admins(user.clinic_id) <= 1:
        raise ServiceError("The clinic must keep at least one active clinic admin.", field="role")
    before = audit.snapshot(user, ["role"])
    user.role = role
    user.save(update_fields=["role"])
    audit.record(
        actor=acting_user,
        action="account.role_changed",
        target=user,
        before=before,
        after=audit.snapshot(user, ["role"]),
    )
    return user


@transaction.atomic
def deactivate_user(*, acting_user: User, user: User) -> User:
    """Stop an account. Its open sessions stop working on their next request."""
    _require_admin_of(acting_user, user)
    if user.pk == acting_user.pk:
        raise ServiceError("You cannot deactivate your own account.")
    if not user.is_active:
        return user
    if user.is_clinic_admin and _active_admins(user.clinic_id) <= 1:
        raise ServiceError("The clinic must keep at least one active clinic admin.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        actor=acting_user,
        action="account.deactivated",
        target=user,
        before={"is_active": True},
        after={"is_active": False},
    )
    return user


@transaction.atomic
def reactivate_user(*, acting_user: User, user: User) -> User:
    _require_admin_of(acting_user, user)
    if user.is_active:
        return user
    if not user.has_usable_password():
        raise ServiceError("This person has not accepted their invitation yet; resend it instead.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(
        actor=acting_user,
        action="account.reactivated",
        target=user,
        before={"is_active": False},
        after={"is_active": True},
    )
    return user


@transaction.atomic
def reset_second_factor(*, acting_user: User, user: User) -> User:
    """For someone who lost their phone and backup codes: their app and codes stop
    working, and their next request (in any session) asks them to set up a new app."""
    _require_admin_of(acting_user, user)
    if user.pk == acting_user.pk:
        raise ServiceError("Replace your own authenticator app from your account page.")
    remove_devices(user)
    audit.record(actor=acting_user, action="account.mfa_reset", target=user)
    return user


@transaction.atomic
def create_employer(*, acting_user: User, name: str) -> Employer:
    if not acting_user.is_clinic_staff or acting_user.clinic_id is None:
        raise ServiceError("Only clinic staff can add employers.")
    name = name.strip()
    if not name:
        raise ServiceError("Enter the employer's name.", field="name")
    if Employer.objects.filter(clinics=acting_user.clinic_id, name__iexact=name).exists():
        raise ServiceError("Your clinic already works with an employer of this name.", field="name")
    employer = Employer.objects.create(name=name)
    employer.clinics.add(acting_user.clinic_id)
    audit.record(
        actor=acting_user, action="employer.created", target=employer, after={"name": name}
    )
    return employer
