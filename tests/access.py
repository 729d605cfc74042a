"""The access matrix: every URL × every persona → the expected answer.

Each area keeps its cases in its own ``access_<area>.py``, gathered by ``all_cases``.
``test_every_url_is_in_the_matrix`` fails when a URL pattern exists that the matrix
does not cover.
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


def all_cases() -> list[Case]:
    from tests.access_accounts import ACCOUNT_CASES
    from tests.access_assessments import ASSESSMENT_CASES
    from tests.access_audit import AUDIT_CASES
    from tests.access_bench import BENCH_CASES
    from tests.access_employer import EMPLOYER_CASES
    from tests.access_patients import PATIENT_CASES
    from tests.access_programs import PROGRAM_CASES
    from tests.access_reports import REPORT_CASES
    from tests.access_rtw import RTW_CASES

    return [
        *ACCOUNT_CASES,
        *PATIENT_CASES,
        *ASSESSMENT_CASES,
        *PROGRAM_CASES,
        *RTW_CASES,
        *EMPLOYER_CASES,
        *REPORT_CASES,
        *AUDIT_CASES,
        *BENCH_CASES,
    ]
