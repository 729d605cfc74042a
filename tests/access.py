"""The access matrix: every URL × every persona → the expected answer.

Each issue adds its URLs here. ``test_every_url_is_in_the_matrix`` fails when a URL
pattern exists that the matrix does not cover.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONAS, World

LOGIN = "login"  # a redirect to the login page
Expect = dict[str, int | str]


def expect(default: int | str, anonymous: int | str = LOGIN, **overrides: int | str) -> Expect:
    result: Expect = {p: default for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


# Common shapes. Role refusals are 403 (they do not depend on any object); objects of
# another clinic or employer are 404.
ADMIN_PAGE = expect(403, admin=200, other_admin=200)
CLINICIAN_PAGE = expect(403, physio=200, other_physio=200)
VIEWER_PAGE = expect(403, viewer=200, other_viewer=200)
PUBLIC_PAGE = expect(200, anonymous=200)


@dataclass(frozen=True)
class Case:
    name: str
    path: Callable[[World], str]
    expected: Expect
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    htmx: bool = False

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{' (htmx)' if self.htmx else ''}"


CASES: list[Case] = [
    Case("home", lambda w: "/", expect(302)),
    Case("health", lambda w: "/health/", PUBLIC_PAGE),
    Case("login", lambda w: "/accounts/login/", expect(302, anonymous=200)),
    Case("logout", lambda w: "/accounts/logout/", expect(302, anonymous=302), method="post"),
    Case("password_reset", lambda w: "/accounts/password-reset/", PUBLIC_PAGE),
    Case("password_reset_done", lambda w: "/accounts/password-reset/sent/", PUBLIC_PAGE),
    Case("password_reset_confirm", lambda w: "/accounts/reset/MQ/bad-token/", PUBLIC_PAGE),
    Case("password_reset_complete", lambda w: "/accounts/reset/done/", PUBLIC_PAGE),
    Case(
        "accounts:accept_invite", lambda w: "/invite/not-a-real-token/", expect(410, anonymous=410)
    ),
    Case("accounts:staff", lambda w: "/staff/", ADMIN_PAGE),
    Case("accounts:invite_staff", lambda w: "/staff/invite/", ADMIN_PAGE),
    Case("accounts:invite_viewer", lambda w: "/staff/invite-viewer/", ADMIN_PAGE),
    Case("accounts:create_employer", lambda w: "/staff/employers/new/", ADMIN_PAGE),
    Case(
        "accounts:change_role",
        lambda w: f"/staff/{w.colleague.uuid}/role/",
        expect(403, admin=302, other_admin=404),
        method="post",
        data=lambda w: {"role": "clinic_admin"},
    ),
    Case(
        "accounts:change_role",
        lambda w: f"/staff/{w.colleague.uuid}/role/",
        expect(403, admin=200, other_admin=404),
        method="post",
        data=lambda w: {"role": "clinic_admin"},
        htmx=True,
    ),
    Case(
        "accounts:deactivate",
        lambda w: f"/staff/{w.colleague.uuid}/deactivate/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:reactivate",
        lambda w: f"/staff/{w.colleague.uuid}/reactivate/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case(
        "accounts:resend_invite",
        lambda w: f"/staff/{w.colleague.uuid}/resend-invite/",
        expect(403, admin=302, other_admin=404),
        method="post",
    ),
    Case("patients:caseload", lambda w: "/patients/", CLINICIAN_PAGE),
    Case("employer:dashboard", lambda w: "/employer/", VIEWER_PAGE),
]
