"""Assessments: clinical pages under the patient, physiotherapists of its clinic only.

A clinic admin who is not a physiotherapist and employer viewers get 403 (role); the
other clinic's physiotherapist gets 404 for our patient's assessments.
"""

from tests.access import Case, expect
from tests.assessments.helpers import form_data, make_assessment
from tests.conftest import World

OURS = expect(403, physio=200, other_physio=404)


def _new(w: World) -> str:
    return f"/patients/{w.patient.uuid}/assessments/new/"


def _detail(w: World, rest: str = "") -> str:
    return f"/patients/{w.patient.uuid}/assessments/{make_assessment(w.patient).uuid}/{rest}"


def _refused(w: World) -> dict[str, str]:
    # NPRS 11: re-rendered with its error (200), nothing saved.
    return form_data(nprs="11", version="1")


def _check(w: World) -> dict[str, str]:
    return {**form_data(nprs="11"), "_validate": "nprs"}


ASSESSMENT_CASES: list[Case] = [
    Case("assessments:new", _new, OURS),
    Case("assessments:new", _new, OURS, method="post", data=_refused),
    Case("assessments:new", _new, OURS, method="post", data=_check, htmx=True),
    Case("assessments:detail", _detail, OURS),
    Case("assessments:edit", lambda w: _detail(w, "edit/"), OURS),
    Case("assessments:edit", lambda w: _detail(w, "edit/"), OURS, method="post", data=_refused),
    Case(
        "assessments:edit",
        lambda w: _detail(w, "edit/"),
        OURS,
        method="post",
        data=_check,
        htmx=True,
    ),
]
