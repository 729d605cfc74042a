"""Recent re-authentication in front of changes to email, password or second factor."""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse

from rtw.http import AuthedRequest, View
from rtw.mfa.middleware import redirect_to
from rtw.mfa.sessions import is_recently_authenticated

P = ParamSpec("P")


def recent_auth_required(return_to: str = "") -> Callable[[View[P]], View[P]]:
    """Ask for password + code again when the last one is older than RECENT_AUTH_SECONDS.

    A GET comes back to itself afterwards; a refused POST (its data is not kept) comes
    back to the URL named ``return_to``, or to its own path.
    """

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if is_recently_authenticated(request.session):
                return view(request, *args, **kwargs)
            reauth = reverse("account:reauthenticate")
            if request.method == "GET" or request.htmx:
                return redirect_to(request, reauth)
            back = reverse(return_to) if return_to else request.path
            query = urlencode({"next": back})
            return redirect_to(request, f"{reauth}?{query}", keep_place=False)

        return wrapped  # type: ignore[return-value]

    return decorator
