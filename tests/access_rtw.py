"""The return-to-work plan: clinical pages reached through the program's patient,
physiotherapists of its clinic only.

A clinic admin who is not a physiotherapist and employer viewers get 403 (role); the other
clinic's physiotherapist gets 404 for our programs. ``plan_post`` is a valid form post for
the plan pages, shared with the view tests.
"""

from collections.abc import Iterable
from typing import Any

from tests.access import Case, expect
from tests.conftest import World
from tests.factories import make_program

OURS = expect(403, physio=200, other_physio=404)
OURS_REDIRECT = expect(403, physio=302, other_physio=404)

RAMP_4_6_8 = [(1, 2, "4", 5, "Packing bench only"), (3, 4, "6", 5, ""), (5, 6, "8", 5, "")]


def plan_post(
    *,
    version: int = 0,
    steps: Iterable[tuple[int, int, str, int, str]] = RAMP_4_6_8,
    restrictions: Iterable[dict[str, str]] = (),
    **overrides: str,
) -> dict[str, str]:
    """The whole plan form as a browser posts it (a ticked box is "on", unticked absent)."""
    data: dict[str, str] = {
        "version": str(version),
        "starts_on": "2026-11-02",
        "modified_duty": "on",
        "micro_breaks": "on",
        "accommodation_notes": "A sit-stand stool at the packing bench.",
        "fitness": "may_be_fit",
        "phased_return": "on",
        "altered_hours": "on",
        "functional_comments": "Can pack and pick light items.",
        "valid_from": "2026-11-02",
        "valid_to": "2026-11-29",
        "next_review": "2026-11-16",
        "ramp": "half_three_quarter_full",
    }
    steps, restrictions = list(steps), list(restrictions)
    data.update({"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": "0"})
    for i, (first, last, hours, days, duties) in enumerate(steps):
        data.update(
            {
                f"steps-{i}-week_from": str(first),
                f"steps-{i}-week_to": str(last),
                f"steps-{i}-hours_per_day": hours,
                f"steps-{i}-days_per_week": str(days),
                f"steps-{i}-duties": duties,
            }
        )
    data.update(
        {"restrictions-TOTAL_FORMS": str(len(restrictions)), "restrictions-INITIAL_FORMS": "0"}
    )
    for i, row in enumerate(restrictions):
        data.update({f"restrictions-{i}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _rtw(w: World, rest: str = "") -> str:
    return f"/programs/{make_program(w.patient).uuid}/return-to-work/{rest}"


def _form(w: World) -> dict[str, Any]:
    return plan_post(restrictions=[{"task_type": "stooping", "max_minutes": "10"}], row="0")


def _check(field: str) -> Any:
    return lambda w: {**plan_post(), "_validate": field}


RTW_CASES: list[Case] = [
    Case("programs:rtw", _rtw, OURS),
    Case("programs:rtw_edit", lambda w: _rtw(w, "edit/"), OURS),
    Case("programs:rtw_edit", lambda w: _rtw(w, "edit/"), OURS_REDIRECT, method="post", data=_form),
    Case(
        "programs:rtw_edit",
        lambda w: _rtw(w, "edit/"),
        OURS,
        method="post",
        data=_check("steps-1-hours_per_day"),
        htmx=True,
    ),
    Case("programs:rtw_add_step", lambda w: _rtw(w, "edit/steps/add/"), OURS, "post", _form),
    Case(
        "programs:rtw_add_step",
        lambda w: _rtw(w, "edit/steps/add/"),
        OURS,
        "post",
        _form,
        htmx=True,
    ),
    Case("programs:rtw_remove_step", lambda w: _rtw(w, "edit/steps/remove/"), OURS, "post", _form),
    Case("programs:rtw_ramp", lambda w: _rtw(w, "edit/steps/ramp/"), OURS, "post", _form),
    Case(
        "programs:rtw_add_restriction",
        lambda w: _rtw(w, "edit/restrictions/add/"),
        OURS,
        "post",
        _form,
    ),
    Case(
        "programs:rtw_remove_restriction",
        lambda w: _rtw(w, "edit/restrictions/remove/"),
        OURS,
        "post",
        _form,
        htmx=True,
    ),
    Case(
        "programs:rtw_add_unmet",
        lambda w: _rtw(w, "edit/restrictions/unmet/"),
        OURS,
        "post",
        _form,
    ),
]
