"""Clinic admins run their clinic's accounts here; invitees accept their link here."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw import audit, auth_backend
from rtw.accounts import services
from rtw.accounts.forms import EmployerForm, InviteStaffForm, InviteViewerForm, RoleForm
from rtw.errors import ServiceError
from rtw.http import AuthedRequest, role_required
from rtw.mfa.guards import recent_auth_required
from rtw.models import User
from rtw.models.users import ADMIN_ROLES
from rtw.scoping import employers_visible_to, staff_visible_to


def _attach(form: forms.Form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(ADMIN_ROLES)
def staff_list(request: AuthedRequest) -> HttpResponse:
    people = _with_mfa(staff_visible_to(request.user)).select_related("employer")
    return render(
        request,
        "accounts/staff_list.html",
        {
            "staff": [p for p in people if p.is_clinic_staff],
            "viewers": [p for p in people if p.is_employer_viewer],
            "employers": employers_visible_to(request.user),
            "role_form": RoleForm(),
        },
    )


@role_required(ADMIN_ROLES)
def invite_staff(request: AuthedRequest) -> HttpResponse:
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_user(acting_user=request.user, **form.cleaned_data)
        except ServiceError as error:
            _attach(form, error)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("accounts:staff")
    return render(request, "accounts/invite.html", {"form": form, "kind": "staff"})


@role_required(ADMIN_ROLES)
def invite_viewer(request: AuthedRequest) -> HttpResponse:
    employers = employers_visible_to(request.user)
    form = InviteViewerForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_user(
                acting_user=request.user, role="employer_viewer", **form.cleaned_data
            )
        except ServiceError as error:
            _attach(form, error)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("accounts:staff")
    return render(request, "accounts/invite.html", {"form": form, "kind": "viewer"})


@role_required(ADMIN_ROLES)
def create_employer(request: AuthedRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.create_employer(acting_user=request.user, **form.cleaned_data)
        except ServiceError as error:
            _attach(form, error)
        else:
            messages.success(request, f"{employer.name} added to your clinic's employers.")
            return redirect("accounts:staff")
    return render(request, "accounts/employer_form.html", {"form": form})


def _with_mfa(people: QuerySet[User]) -> QuerySet[User]:
    """Each person's has_mfa: whether they have a confirmed authenticator app."""
    app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return people.annotate(has_mfa=Exists(app))


def _person(request: AuthedRequest, user_uuid: UUID) -> User:
    people = _with_mfa(staff_visible_to(request.user))
    tenant = audit.either("clinic_id", "managing_clinic_id")
    return audit.get_or_404(people, user=request.user, tenant=tenant, uuid=user_uuid)


def _row_or_redirect(request: AuthedRequest, person: User, error: str = "") -> HttpResponse:
    if request.htmx:
        context = {"person": person, "role_form": RoleForm(), "row_error": error}
        return render(request, "accounts/staff_list.html#person-row", context)
    if error:
        messages.error(request, error)
    return redirect("accounts:staff")


@require_POST
@role_required(ADMIN_ROLES)
def change_role(request: AuthedRequest, user_uuid: UUID) -> HttpResponse:
    person = _person(request, user_uuid)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _row_or_redirect(request, person, "Choose a valid role.")
    try:
        services.change_role(acting_user=request.user, user=person, role=form.cleaned_data["role"])
    except ServiceError as error:
        person.refresh_from_db()
        return _row_or_redirect(request, person, error.message)
    messages.success(request, f"{person.display_name} is now {person.get_role_display()}.")
    return _row_or_redirect(request, person)


@require_POST
@role_required(ADMIN_ROLES)
def deactivate(request: AuthedRequest, user_uuid: UUID) -> HttpResponse:
    person = _person(request, user_uuid)
    try:
        services.deactivate_user(acting_user=request.user, user=person)
    except ServiceError as error:
        return _row_or_redirect(request, person, error.message)
    messages.success(request, f"{person.display_name} can no longer sign in.")
    return _row_or_redirect(request, person)


@require_POST
@role_required(ADMIN_ROLES)
def reactivate(request: AuthedRequest, user_uuid: UUID) -> HttpResponse:
    person = _person(request, user_uuid)
    try:
        services.reactivate_user(acting_user=request.user, user=person)
    except ServiceError as error:
        return _row_or_redirect(request, person, error.message)
    messages.success(request, f"{person.display_name} can sign in again.")
    return _row_or_redirect(request, person)


@require_POST
@role_required(ADMIN_ROLES)
def resend_invite(request: AuthedRequest, user_uuid: UUID) -> HttpResponse:
    person = _person(request, user_uuid)
    try:
        services.resend_invitation(acting_user=request.user, user=person)
    except ServiceError as error:
        return _row_or_redirect(request, person, error.message)
    messages.success(request, f"A new invitation was sent to {person.email}.")
    return _row_or_redirect(request, person)


@require_POST
@role_required(ADMIN_ROLES)
@recent_auth_required(return_to="accounts:staff")
def reset_mfa(request: AuthedRequest, user_uuid: UUID) -> HttpResponse:
    person = _person(request, user_uuid)
    try:
        services.reset_second_factor(acting_user=request.user, user=person)
    except ServiceError as error:
        return _row_or_redirect(request, person, error.message)
    person = _person(request, user_uuid)
    messages.success(
        request,
        f"{person.display_name}'s two-factor authentication was reset; "
        "they set up a new app when they next log in.",
    )
    return _row_or_redirect(request, person)


@login_not_required
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invite_invalid.html", status=410)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ServiceError as error:
            _attach(form, error)
        else:
            login(request, user, backend=auth_backend.PATH)
            messages.success(request, "Your password is set. Welcome.")
            return redirect("home")
    return render(
        request, "accounts/accept_invite.html", {"form": form, "invitee": invitation.user}
    )
