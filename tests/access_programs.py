"""Programs: clinical pages reached through the patient, physiotherapists of its clinic only.

A clinic admin who is not a physiotherapist and employer viewers get 403 (role); the other
clinic's physiotherapist gets 404 for our patient's programs, weeks and items.
"""

from typing import Any

from django.utils import timezone

from programs import services
from programs.models import Program, Week
from tests.access import CLINICIAN_PAGE, Case, expect
from tests.conftest import World
from tests.factories import make_program

OURS = expect(403, physio=200, other_physio=404)
OURS_REDIRECT = expect(403, physio=302, other_physio=404)


def _active(w: World) -> Program:
    program: Program = make_program(w.patient, activate_on=timezone.localdate())
    return program


def _week(w: World, *, accept: bool = True) -> Week:
    program = _active(w)
    outcome = services.plan_next_week(acting_user=w.physio, program=program)
    assert outcome.week is not None
    if not accept:
        return outcome.week
    return services.accept_week(acting_user=w.physio, week=outcome.week, version=1)


def _program(w: World, rest: str = "") -> str:
    return f"/programs/{_active(w).uuid}/{rest}"


def _draft(w: World, rest: str = "") -> str:
    return f"/programs/{make_program(w.patient).uuid}/{rest}"


def _in_week(w: World, rest: str, *, accept: bool = True) -> str:
    week = _week(w, accept=accept)
    return f"/programs/{week.program.uuid}/weeks/{week.index}/{rest}"


def _item(w: World, suffix: str = "") -> str:
    week = _week(w, accept=False)
    item = week.items.first()
    assert item is not None
    return f"/programs/{week.program.uuid}/weeks/{week.index}/items/{item.pk}/{suffix}"


def _proposal(w: World) -> str:
    week = _week(w)
    Week.objects.filter(pk=week.pk).update(
        phase_proposal={"direction": "advance", "to_order": 2, "reasons": ["met"], "criteria": []},
        phase_proposal_status="pending",
        version=1,
    )
    return f"/programs/{week.program.uuid}/weeks/{week.index}/phase-change/"


def _prescription(w: World) -> str:
    program = make_program(w.patient)
    prescription = program.current_phase.prescriptions.first()
    return f"/programs/{program.uuid}/prescriptions/{prescription.pk}/"


def _patient(w: World, rest: str = "") -> str:
    return f"/patients/{w.patient.uuid}/programs/{rest}"


def _validate(field: str) -> Any:
    return lambda w: {"_validate": field}


def _version(w: World) -> dict[str, str]:
    return {"version": "1"}


PROGRAM_CASES: list[Case] = [
    Case("programs:patient_programs", _patient, OURS),
    Case("programs:create", lambda w: _patient(w, "new/"), OURS),
    Case("programs:create", lambda w: _patient(w, "new/"), OURS, method="post"),
    Case("programs:exercises", lambda w: "/programs/exercises/", CLINICIAN_PAGE),
    Case("programs:exercises", lambda w: "/programs/exercises/", CLINICIAN_PAGE, method="post"),
    Case(
        "programs:exercises",
        lambda w: "/programs/exercises/",
        CLINICIAN_PAGE,
        method="post",
        data=_validate("increment"),
        htmx=True,
    ),
    Case("programs:detail", _program, OURS),
    Case("programs:detail", lambda w: _program(w, "?cap=0.15"), OURS, htmx=True),
    Case("programs:settings", lambda w: _program(w, "settings/"), OURS),
    Case("programs:settings", lambda w: _program(w, "settings/"), OURS, method="post"),
    Case(
        "programs:settings",
        lambda w: _program(w, "settings/"),
        OURS,
        method="post",
        data=_validate("cap_percent"),
        htmx=True,
    ),
    Case("programs:activate", lambda w: _draft(w, "activate/"), OURS_REDIRECT, method="post"),
    Case("programs:resume", lambda w: _program(w, "resume/"), OURS_REDIRECT, method="post"),
    Case(
        "programs:acknowledge_acwr",
        lambda w: _program(w, "acwr/acknowledge/"),
        OURS_REDIRECT,
        method="post",
    ),
    Case("programs:save_template", lambda w: _program(w, "save-as-template/"), OURS),
    Case("programs:save_template", lambda w: _program(w, "save-as-template/"), OURS, method="post"),
    Case("programs:phase_edit", lambda w: _draft(w, "phases/1/"), OURS),
    Case("programs:phase_edit", lambda w: _draft(w, "phases/1/"), OURS, method="post"),
    Case(
        "programs:phase_edit",
        lambda w: _draft(w, "phases/1/"),
        OURS,
        method="post",
        data=_validate("exit_criteria"),
        htmx=True,
    ),
    Case("programs:prescription_add", lambda w: _draft(w, "phases/1/prescriptions/new/"), OURS),
    Case(
        "programs:prescription_add",
        lambda w: _draft(w, "phases/1/prescriptions/new/"),
        OURS,
        method="post",
    ),
    Case("programs:prescription_edit", _prescription, OURS),
    Case("programs:prescription_edit", _prescription, OURS, method="post"),
    Case("programs:plan", lambda w: _program(w, "plan/"), OURS),
    Case("programs:plan", lambda w: _program(w, "plan/"), OURS_REDIRECT, method="post"),
    Case(
        "programs:accept",
        lambda w: _in_week(w, "accept/", accept=False),
        OURS_REDIRECT,
        method="post",
        data=_version,
    ),
    Case("programs:item_edit", _item, OURS),
    Case("programs:item_edit", _item, OURS, htmx=True),
    Case("programs:item_edit", _item, OURS, method="post"),
    Case(
        "programs:item_edit",
        _item,
        OURS,
        method="post",
        data=_validate("quantity"),
        htmx=True,
    ),
    Case("programs:log_session", lambda w: _in_week(w, "log/"), OURS),
    Case("programs:log_session", lambda w: _in_week(w, "log/"), OURS, method="post"),
    Case(
        "programs:log_session",
        lambda w: _in_week(w, "log/"),
        OURS,
        method="post",
        data=_validate("pain_during"),
        htmx=True,
    ),
    Case("programs:phase_change", _proposal, OURS),
    Case(
        "programs:phase_change",
        _proposal,
        OURS_REDIRECT,
        method="post",
        data=lambda w: {"version": "1", "decision": "decline"},
    ),
]
