import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import LOGIN, Case, all_cases
from tests.conftest import PERSONAS, World, client_for

# Django admin is the platform operator's tool, guarded by is_staff; tested separately.
NOT_IN_MATRIX = {"admin"}


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in NOT_IN_MATRIX:
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _url_names(p.url_patterns, ns)
        elif p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    missing = _url_names(get_resolver().url_patterns) - {c.name for c in all_cases()}
    assert not missing, f"Add these URLs to tests/access.py: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.id)
def test_access(world: World, case: Case, persona: str) -> None:
    client = client_for(world.user(persona))
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = getattr(client, case.method)(case.path(world), case.data(world), headers=headers)
    expected = case.expected[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]
