"""Helpers the patients views share: service errors on forms, per-field validation."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format

from rtw.errors import ServiceError
from rtw.http import AuthedRequest

FIELD_PARTIAL = "fields.html#field"


def attach(form: forms.BaseForm, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def wants_fragment(request: AuthedRequest) -> bool:
    """An htmx request that swaps part of the page (not a history restore or boost)."""
    return bool(request.htmx) and not (request.htmx.history_restore_request or request.htmx.boosted)


def field_fragment(request: AuthedRequest, form: forms.BaseForm) -> HttpResponse | None:
    """For htmx validation as the user leaves a field: that field with its errors.

    The whole form is posted (cross-field rules need it) with ``_validate`` naming the
    field; nothing is saved. Returns None for any other request.
    """
    name = request.POST.get("_validate", "")
    if request.method != "POST" or not wants_fragment(request) or name not in form.fields:
        return None
    form.is_valid()
    context = {"field": form[name], "validate_url": request.path}
    return render(request, FIELD_PARTIAL, context)


def _display(obj: models.Model, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choice_display = getattr(obj, f"get_{name}_display", None)
    if choice_display is not None:
        return str(choice_display())
    if isinstance(value, date):
        return date_format(value)
    return str(value)


def newer_values(
    current: models.Model,
    submitted: Mapping[str, Any],
    labels: Mapping[str, Any],
    fields: Iterable[str],
) -> list[tuple[str, str]]:
    """For a refused stale edit: each field whose saved value differs from the user's."""
    rows = []
    for name in fields:
        theirs = getattr(current, name)
        if submitted.get(name) != theirs:
            rows.append((str(labels.get(name, name)), _display(current, name, theirs)))
    return rows
