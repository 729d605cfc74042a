"""Session lifetimes and the second-factor gate.

``SessionTimeoutMiddleware`` ends a session after ``SESSION_IDLE_SECONDS`` without a
request, or ``SESSION_ABSOLUTE_SECONDS`` after the login however busy it was.
``MfaRequiredMiddleware`` sends a logged-in person who has not yet given a code to the
verify page (or the set-up page when they have no app), whatever URL they ask for.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from rtw.mfa import services
from rtw.mfa.sessions import LAST_SEEN, LAST_SEEN_GRANULARITY, LOGIN_AT, now

# Pages a password-only session may reach: none of them shows patient data.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "login",
        "logout",
        "health",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "accounts:accept_invite",
        "account:mfa_setup",
        "account:mfa_verify",
    }
)


def redirect_to(request: HttpRequest, path: str, *, keep_place: bool = True) -> HttpResponse:
    """Send the browser to ``path`` and, with ``keep_place``, bring it back afterwards to
    the page it was on. htmx gets HX-Redirect (a swap would put a whole page into a
    fragment) and comes back to the page that made the request, not to the fragment."""
    htmx = getattr(request, "htmx", None)
    if keep_place:
        if htmx:
            here = htmx.current_url_abs_path
        else:
            here = request.get_full_path() if request.method == "GET" else None
        if here:
            path = f"{path}?{urlencode({'next': here})}"
    if htmx:
        return HttpResponseClientRedirect(path)
    return redirect(path)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expiry_reason(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect_to(request, reverse("login"))
        return self.get_response(request)

    @staticmethod
    def _expiry_reason(request: HttpRequest) -> str:
        session = request.session
        moment = now()
        login_at, last_seen = session.get(LOGIN_AT), session.get(LAST_SEEN)
        if not isinstance(login_at, int) or not isinstance(last_seen, int):
            return "Please log in again."
        if moment - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            hours = settings.SESSION_ABSOLUTE_SECONDS / 3600
            return (
                f"You were logged out because a session lasts at most {hours:g} hours. "
                "Please log in again."
            )
        if moment - last_seen > settings.SESSION_IDLE_SECONDS:
            minutes = settings.SESSION_IDLE_SECONDS / 60
            return (
                f"You were logged out after {minutes:g} minutes without activity. "
                "Please log in again."
            )
        # Written only when it moved a minute or more, so most requests save no session.
        if moment - last_seen >= LAST_SEEN_GRANULARITY:
            session[LAST_SEEN] = moment
        return ""


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        step = "account:mfa_verify" if services.has_confirmed_device(user) else "account:mfa_setup"
        return redirect_to(request, reverse(step))
