"""What the program views share: service errors on forms, htmx field checks, conflicts."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from programs.rules import fmt
from rtw.errors import ServiceError
from rtw.http import AuthedRequest

FIELD_PARTIAL = "fields.html#field"


def today() -> Any:
    return timezone.localdate()


def attach(form: forms.BaseForm, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def wants_fragment(request: AuthedRequest) -> bool:
    """An htmx request that swaps part of the page (not a history restore or boost)."""
    return bool(request.htmx) and not (request.htmx.history_restore_request or request.htmx.boosted)


def field_fragment(request: AuthedRequest, form: forms.BaseForm) -> HttpResponse | None:
    """htmx validation as the user leaves a field: the whole form is posted with
    ``_validate`` naming the field, which comes back with its errors. Nothing is saved."""
    name = request.POST.get("_validate", "")
    if request.method != "POST" or not wants_fragment(request) or name not in form.fields:
        return None
    form.is_valid()
    return render(request, FIELD_PARTIAL, {"field": form[name], "validate_url": request.path})


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "normalize"):
        return fmt(value)
    return str(value)


def newer_values(
    current: Any, submitted: Mapping[str, Any], labels: Mapping[str, str], fields: Iterable[str]
) -> list[tuple[str, str]]:
    """For a refused stale edit: each field whose saved value differs from the user's."""
    return [
        (labels.get(name, name), shown(getattr(current, name)))
        for name in fields
        if submitted.get(name) != getattr(current, name)
    ]


def rebased(form_class: Any, request: AuthedRequest, version: int, **kwargs: Any) -> Any:
    """The user's values again on the newer version, so that saving again keeps them."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form
