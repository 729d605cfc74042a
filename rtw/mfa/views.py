"""Second-factor set-up and verification, re-authentication, and the account page."""

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from rtw.errors import ServiceError
from rtw.http import AuthedRequest
from rtw.mfa import services
from rtw.mfa.forms import CodeForm, EmailForm, ReauthenticateForm
from rtw.mfa.guards import recent_auth_required
from rtw.mfa.qr import qr_svg, secret_for_humans
from rtw.mfa.sessions import mark_authenticated


def _attach(form: forms.Form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _is_verified(request: AuthedRequest) -> bool:
    return getattr(request.user, "otp_device", None) is not None


def mfa_setup(request: AuthedRequest) -> HttpResponse:
    """First login (or after a reset): add an authenticator app, then see backup codes."""
    if services.has_confirmed_device(request.user):
        # Only a session that has given a code may see anything but the verify page.
        return redirect(_next(request) if _is_verified(request) else "account:mfa_verify")
    form = CodeForm(request.POST or None)
    form.fields["code"].label = "6-digit code from your app"
    form.fields["code"].widget.attrs["inputmode"] = "numeric"
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_app(
                acting_user=request.user, code=form.cleaned_data["code"]
            )
        except ServiceError as error:
            _attach(form, error)
        else:
            otp_login(request, device)
            mark_authenticated(request.session)
            # Rendered in this response only: the codes are never stored in the clear.
            return render(
                request,
                "mfa/backup_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
    device = services.pending_device(request.user)
    return render(
        request,
        "mfa/setup.html",
        {
            "form": form,
            "qr": qr_svg(device),
            "secret": secret_for_humans(device),
            "next": _next(request),
        },
    )


def mfa_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of every login: a code from the app or a backup code."""
    if _is_verified(request):
        return redirect(_next(request))
    if not services.has_confirmed_device(request.user):
        return redirect("account:mfa_setup")
    form = CodeForm(request.POST or None)
    form.fields["code"].label = "Code from your authenticator app, or a backup code"
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(user=request.user, code=form.cleaned_data["code"])
        except ServiceError as error:
            _attach(form, error)
        else:
            otp_login(request, device)
            mark_authenticated(request.session)
            if device.persistent_id.startswith("otp_static."):
                left = services.status(request.user).backup_codes_left
                messages.warning(
                    request,
                    f"You used a backup code; {left} left. "
                    "Generate new ones on your account page if you are running low.",
                )
            return redirect(_next(request))
    return render(request, "mfa/verify.html", {"form": form, "next": _next(request)})


def reauthenticate(request: AuthedRequest) -> HttpResponse:
    """Password and a fresh code again, before a change to how this account signs in."""
    form = ReauthenticateForm(request.POST or None)
    form.fields["code"].label = "Code from your authenticator app, or a backup code"
    if request.method == "POST" and form.is_valid():
        # authenticate() (not check_password) so django-axes counts and locks out guesses.
        user = authenticate(
            request, username=request.user.email, password=form.cleaned_data["password"]
        )
        if user is None or user.pk != request.user.pk:
            form.add_error("password", "That password is not right.")
        else:
            try:
                services.verify(user=request.user, code=form.cleaned_data["code"])
            except ServiceError as error:
                _attach(form, error)
            else:
                mark_authenticated(request.session)
                return redirect(_next(request, "account:home"))
    return render(
        request, "mfa/reauthenticate.html", {"form": form, "next": _next(request, "account:home")}
    )


def account(request: AuthedRequest) -> HttpResponse:
    return render(request, "mfa/account.html", {"status": services.status(request.user)})


@recent_auth_required()
def change_email(request: AuthedRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            me = services.change_email(acting_user=request.user, email=form.cleaned_data["email"])
        except ServiceError as error:
            _attach(form, error)
        else:
            messages.success(request, f"Your email address is now {me.email}.")
            return redirect("account:home")
    return render(request, "mfa/change_email.html", {"form": form})


@recent_auth_required()
def change_password(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            me = services.change_password(
                acting_user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ServiceError as error:
            _attach(form, error)
        else:
            # This session carries on; every other session of this account ends.
            update_session_auth_hash(request, me)
            messages.success(
                request, "Your password is changed. You were signed out everywhere else."
            )
            return redirect("account:home")
    return render(request, "mfa/change_password.html", {"form": form})


@recent_auth_required()
def replace_second_factor(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        services.replace_second_factor(acting_user=request.user)
        messages.info(request, "Your old authenticator app and backup codes no longer work.")
        return redirect("account:mfa_setup")
    return render(request, "mfa/replace.html")


@require_POST
@recent_auth_required(return_to="account:home")
def regenerate_backup_codes(request: AuthedRequest) -> HttpResponse:
    try:
        codes = services.regenerate_backup_codes(acting_user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("account:home")
    return render(
        request,
        "mfa/backup_codes.html",
        {"codes": codes, "next": reverse("account:home"), "first_time": False},
    )


class LogoutView(auth_views.LogoutView):
    """Log out and tell the browser to drop everything it kept for this site."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
