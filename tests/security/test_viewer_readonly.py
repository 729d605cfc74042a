"""Employer viewers read; they never change anything. Every URL of the access matrix,
sent POST, PUT, PATCH or DELETE by either employer's viewer, is refused (403) and leaves
the database as it was: the same rows in every table, and every record's ``updated_at``
and ``version`` untouched.

The only unsafe requests a viewer may send are about their own sign-in (logging out, and
the account pages under /account/): ``patients.employer.readonly`` lets those through.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from tests.access import Case, all_cases
from tests.conftest import World, client_for

METHODS = ("post", "put", "patch", "delete")
STAMPS = ("updated_at", "version")
HTMX = {"HX-Request": "true"}


# A viewer's own sign-in (log out, /account/…) is theirs to change; the read-only
# middleware lets those through and tests/security/test_mfa.py covers them.
OWN_SIGN_IN = {"logout"}


def _own_sign_in_case(case: Case) -> bool:
    return case.name in OWN_SIGN_IN or case.name.startswith("account:")


def _one_case_per_url() -> list[Case]:
    seen: dict[str, Case] = {}
    for case in all_cases():
        seen.setdefault(case.name, case)
    return list(seen.values())


def _clinical_and_employer_cases() -> list[Case]:
    return [c for c in _one_case_per_url() if not _own_sign_in_case(c)]


def database_state() -> dict[str, Any]:
    """Row counts of every table, and the ``updated_at``/``version`` of every row that has
    them. Sessions only by count: a request may refresh its own session's expiry."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        rows = model._base_manager.all()
        stamps = [f.attname for f in model._meta.concrete_fields if f.name in STAMPS]
        if stamps and model is not Session:
            state[model._meta.label] = sorted(rows.values_list("pk", *stamps))
        else:
            state[model._meta.label] = rows.count()
    return state


def _send(
    client: Client, method: str, path: str, data: dict[str, Any], headers: dict[str, str]
) -> Any:
    send: Callable[..., Any] = getattr(client, method)
    if method == "post":
        return send(path, data, headers=headers)
    form = urlencode(data, doseq=True)
    return send(path, form, content_type="application/x-www-form-urlencoded", headers=headers)


@pytest.mark.parametrize("case", _clinical_and_employer_cases(), ids=lambda c: c.name)
def test_an_employer_viewer_cannot_change_anything_through_any_url(
    world: World, case: Case
) -> None:
    path, data = case.path(world), case.data(world)  # may create the records it needs
    viewers = [client_for(world.viewer), client_for(world.other_viewer)]
    before = database_state()
    for client in viewers:
        for method in METHODS:
            for headers in ({}, HTMX):
                response = _send(client, method, path, data, headers)
                assert response.status_code == 403, (method, path, headers, response.status_code)
    assert database_state() == before


def test_every_url_of_the_matrix_is_tried(world: World) -> None:
    """The matrix itself fails on a URL it lacks; this is every name in it, once."""
    names = {c.name for c in all_cases()}
    assert {c.name for c in _one_case_per_url()} == names
    assert "patients:export" in names and "reports:share" in names
