"""Typing and guards shared by every view."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from rtw.models import User

P = ParamSpec("P")


class AuthedRequest(HttpRequest):
    """A request behind ``LoginRequiredMiddleware``: the user is a real account."""

    if TYPE_CHECKING:
        user: User
        htmx: HtmxDetails


View = Callable[Concatenate[AuthedRequest, P], HttpResponse]


def role_required(roles: Iterable[str]) -> Callable[[View[P]], View[P]]:
    """Refuse (403) a logged-in user whose role may never use this page.

    Object scoping is separate: out-of-scope objects are 404 through ``scoping``.
    """
    allowed = frozenset(roles)

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
