"""A page's rendered body, cached until the records it shows change.

The program page and the employer's worker page render 20-60 KB of HTML from the whole of
one worker's records, and are opened far more often than those records change. Their body
(everything inside ``<main>`` but the messages) is stored under the worker's revision token
and the shared records' token (``rtw.revisions``), so the next change to either renders it
afresh. The request's own parts are never cached: who is looking, the messages, the
navigation (``base.html``), and the access check and access event, which the view runs
before asking for the body. The body's CSRF tokens are rendered as a placeholder that only
this server can write, and the request's own token is put in on the way out.
"""

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from rtw import revisions


def _placeholder() -> str:
    return "csrf-" + salted_hmac("rtw.page_cache", "csrf placeholder").hexdigest()[:32]


PLACEHOLDER: Any = SimpleLazyObject(_placeholder)


def body(
    request: HttpRequest,
    template: str,
    *,
    patients: Sequence[UUID] | None,
    extra: str,
    context: Callable[[], dict[str, Any]],
) -> SafeString:
    """``template`` rendered with ``context()``, from the cache when this revision of the
    records of ``patients`` (and of the shared ones) was rendered with the same ``extra``
    (what else the body depends on: the day, a what-if cap, the viewer, rows read afresh).
    With ``patients`` None nothing is cached: the caller knows the body reads more."""
    found = (
        revisions.lookup_joint(f"html:{template}", patients, extra)
        if patients is not None
        else None
    )
    html: str | None = found.value if found is not None else None
    placeholder = str(PLACEHOLDER)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": placeholder}, request)
        if found is not None:
            found.store(html)
    return SafeString(html.replace(placeholder, get_token(request)))
