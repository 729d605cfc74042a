"""Bad input never makes a 500: generated form data posted to every form and htmx endpoint
of the access matrix, generated query strings on every page, and malformed ids in URL
paths. Each endpoint is driven by a persona the matrix lets in, so the data reaches the
form and the service behind it rather than a role refusal.

The test client re-raises any exception a view lets escape, so "no exception and a status
below 500" is the property. New URLs are picked up from ``all_cases()`` automatically.
"""

import os
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import Case, all_cases
from tests.conftest import World, client_for
from tests.factories import make_job_profile
from tests.security.forms import allowed_persona, page_holding, parse

# More examples for a bug hunt: RTW_FUZZ_EXAMPLES=200 (the default keeps the file quick).
EXAMPLES = int(os.environ.get("RTW_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=EXAMPLES <= 12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=max(5, EXAMPLES // 3))

# --- values ---------------------------------------------------------------------------

TEXT = [
    "",
    " ",
    " \t\r\n ",
    "x" * 10_000,
    "\u202eevil\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # RTL
    "\U0001f600\U0001f9d1\u200d\U0001f527" * 20,  # emoji, ZWJ sequences
    "e\u0301\u0308\u0327" * 30,  # combining marks
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f\x85\u2028\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}{% now 'Y' %}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00%0d%0a",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1.5",
    "1,5",
    "+7",
    " 7 ",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "-1e309",
    "1e-309",
    "1E5",
    "0x10",
    "\uff11\uff12",  # fullwidth digits
    "\u0663",  # Arabic-Indic three
    "0.1234567890123456789012345678901234567890",
    "99999999999999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    str(2**31),
]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "2026/10/05",
    "05/10/2026",
    "2026-10-05T25:61",
    "99999999-01-01",
    "yesterday",
]
CONTROL = st.characters(codec="utf-8", exclude_categories=["Cs"])


def values(foreign: list[str]) -> st.SearchStrategy[str]:
    """One submitted value: hand-picked nasties, generated text, numbers and dates, and ids
    of another clinic's records."""
    return st.one_of(
        st.sampled_from(TEXT),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        st.sampled_from(foreign),
        st.text(CONTROL, max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(repr),
        st.dates().map(lambda d: d.isoformat()),
    )


@st.composite
def form_data(
    draw: st.DrawFn, fields: dict[str, str], foreign: list[str]
) -> dict[str, str | list[str]]:
    """A form over ``fields``: either a few fields changed and the rest as the page had them
    (so that the data gets past the first error to the service), or every field at once.
    A changed field is replaced, repeated (a list: the key sent more than once) or left out."""
    names = sorted(fields)
    changed: list[str] = names
    few: bool = bool(names) and draw(st.booleans())
    if few:
        changed = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    value = values(foreign)
    data: dict[str, str | list[str]] = dict(fields)
    for name in changed:
        how = draw(st.sampled_from(["replace", "repeat", "omit"]))
        if how == "replace":
            data[name] = draw(value)
        elif how == "repeat":
            data[name] = draw(st.lists(value, min_size=2, max_size=3))
        else:
            del data[name]
    return data


def foreign_ids(world: World) -> list[str]:
    """Ids that exist, but in the other clinic."""
    profile = make_job_profile(world.other_clinic, world.other_employer)
    return [
        str(world.other_patient.uuid),
        str(world.other_patient.pk),
        str(world.other_physio.uuid),
        str(world.other_physio.pk),
        str(world.other_employer.pk),
        str(world.other_clinic.pk),
        str(profile.pk),
        str(profile.tasks.get().pk),
        str(world.other_patient.consents.get().pk),
    ]


# --- which endpoints --------------------------------------------------------------------

CASES = all_cases()
POSTED = [c for c in CASES if c.method == "post" and allowed_persona(c)]
PAGES = [c for c in CASES if c.method == "get" and allowed_persona(c)]


def _headers(case: Case) -> dict[str, str]:
    return {"HX-Request": "true"} if case.htmx else {}


def _client(world: World, case: Case) -> Client:
    persona = allowed_persona(case)
    assert persona is not None
    return client_for(world.user(persona))


def _fields(client: Client, case: Case, url: str, world: World) -> dict[str, str]:
    """The names the endpoint accepts: the case's own data and its page's form fields."""
    fields = {k: str(v) for k, v in case.data(world).items()}
    page = page_holding(client, url)
    return {**page.values, **fields}


def _survives(send: Callable[[], Any]) -> None:
    response = send()
    assert response.status_code < 500, response.content[:500]


def fuzz(
    send: Callable[[dict[str, Any]], Any],
    fields: dict[str, str],
    foreign: list[str],
    run: settings = FUZZ,
) -> None:
    """Send generated data over ``fields``: every answer is below 500, nothing raised."""

    @run
    @given(form_data(fields, foreign))
    def check(data: dict[str, Any]) -> None:
        _survives(lambda: send(data))

    check()


@pytest.mark.parametrize("case", POSTED, ids=lambda c: c.id)
def test_generated_form_posts_never_make_a_server_error(world: World, case: Case) -> None:
    client = _client(world, case)
    url = case.path(world)
    fields = _fields(client, case, url, world)
    fuzz(lambda data: client.post(url, data, headers=_headers(case)), fields, foreign_ids(world))


def test_every_form_a_page_holds_survives_generated_posts(world: World) -> None:
    """Forms posting to endpoints the matrix has no POST case for (e.g. staff invitations)."""
    covered = {c.name for c in POSTED}
    foreign = foreign_ids(world)
    targets: dict[str, tuple[Client, str, dict[str, str]]] = {}
    for case in PAGES:
        client = _client(world, case)
        response = client.get(case.path(world), headers=_headers(case))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = parse(response.content.decode(), urlsplit(case.path(world)).path)
        for target in page.post_targets:
            try:
                match = resolve(target)
            except Resolver404:
                continue
            if match.view_name not in covered and match.view_name not in targets:
                targets[match.view_name] = (client, target, page.values)
    assert "accounts:invite_staff" in targets, sorted(targets)
    for client, target, fields in targets.values():
        fuzz(partial(client.post, target), fields, foreign, FEW)


def test_generated_sign_in_and_reset_forms_never_make_a_server_error(world: World) -> None:
    client = Client()
    foreign = [world.physio.email, world.other_physio.email]
    forms = {
        "/accounts/login/": {"username": world.physio.email, "password": "nope"},
        "/accounts/password-reset/": {"email": world.physio.email},
        "/invite/not-a-real-token/": {"new_password1": "x", "new_password2": "x"},
    }
    for url, fields in forms.items():
        fuzz(partial(client.post, url), fields, foreign, FEW)


# --- query strings ----------------------------------------------------------------------

QUERY_KEYS = {"page", "status", "q", "sort", "order", "cap", "filter", "action", "actor", "on"}


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.id)
def test_generated_query_strings_never_make_a_server_error(world: World, case: Case) -> None:
    client = _client(world, case)
    url = case.path(world)
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    response = client.get(url, headers=_headers(case))
    keys = set(query) | QUERY_KEYS
    if response["Content-Type"].startswith("text/html"):
        keys |= parse(response.content.decode(), path).get_fields
    fuzz(
        lambda data: client.get(path, data, headers=_headers(case)),
        {k: query.get(k, "") for k in sorted(keys)},
        foreign_ids(world),
        FEW,
    )


# --- malformed ids in paths -------------------------------------------------------------

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INT_SEGMENT = re.compile(r"/(\d+)(?=/)")
BAD_UUIDS = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", str(uuid.uuid4()), "%00"]
BAD_INTS = ["0", "99999999999999999999999999", str(2**63), str(2**31), "%00", "1e3", "-1"]


def _mangled(url: str) -> list[str]:
    path = urlsplit(url).path
    out = [
        path[: m.start()] + bad + path[m.end() :] for m in UUID.finditer(path) for bad in BAD_UUIDS
    ]
    out += [
        path[: m.start(1)] + bad + path[m.end(1) :]
        for m in INT_SEGMENT.finditer(path)
        for bad in BAD_INTS
    ]
    return out


MANGLEABLE = [c for c in CASES if c.method in ("get", "post") and allowed_persona(c)]


@pytest.mark.parametrize("case", MANGLEABLE, ids=lambda c: c.id)
def test_malformed_ids_in_the_path_are_not_found(world: World, case: Case) -> None:
    client = _client(world, case)
    url = case.path(world)
    data = case.data(world)
    for bad in _mangled(url):
        response = getattr(client, case.method)(bad, data, headers=_headers(case))
        assert response.status_code == 404, (bad, response.status_code)
