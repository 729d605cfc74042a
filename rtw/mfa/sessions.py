"""Timestamps kept in the session: when the person logged in, was last seen, last proved
who they are. Whole seconds since the epoch, read from ``time.time()`` (so time_machine
moves them in tests)."""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest

LOGIN_AT = "rtw_login_at"
LAST_SEEN = "rtw_last_seen"
AUTH_AT = "rtw_auth_at"
# last_seen is written only when it moved this far, so most requests write no session.
LAST_SEEN_GRANULARITY = 60


def now() -> int:
    return int(time.time())


def mark_authenticated(session: SessionBase) -> None:
    """The person just gave their password or a second-factor code."""
    session[AUTH_AT] = now()


def is_recently_authenticated(session: SessionBase) -> bool:
    auth_at = session.get(AUTH_AT)
    return isinstance(auth_at, int) and now() - auth_at <= settings.RECENT_AUTH_SECONDS


@receiver(user_logged_in, dispatch_uid="rtw.mfa.stamp_login")
def stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    moment = now()
    request.session[LOGIN_AT] = moment
    request.session[LAST_SEEN] = moment
    request.session[AUTH_AT] = moment
