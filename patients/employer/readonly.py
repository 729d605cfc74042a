"""Employer viewers read; they never change anything, whatever URL they try.

Every view already refuses them by role or by method; this is the backstop that holds
even for a view added later: any unsafe method from a viewer is a 403 before it reaches
a view. Logging out and managing their own sign-in under /account/ are the only
POSTs a viewer may send.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyForEmployerViewersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and getattr(user, "is_employer_viewer", False)
            and request.path != reverse("logout")
            # Their own sign-in: second factor, re-authentication, email and password.
            and not request.path.startswith(reverse("account:home"))
        ):
            return render(request, "403.html", status=403)
        return self.get_response(request)
