"""Guessing ids gets an outsider nothing. Integer ids of another clinic's consents, job
profiles, templates, tasks, prescriptions and week items, tried around the real ones, and
uuids of its patients, programs, assessments, reports and staff, answer 404 to a clinician
or admin of our clinic, exactly as an id that does not exist at all: same status, same
body length. Nothing is changed on the way."""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client

from patients.models import JobDemandProfile
from programs.models import Prescription
from rtw.models import AccessEvent
from tests.conftest import World, client_for
from tests.security.estates import Estate, estate
from tests.security.test_viewer_readonly import database_state

NOWHERE = 10**9
SPREAD = 3  # ids tried on each side of the real ones


@pytest.fixture
def estates(world: World) -> tuple[Estate, Estate]:
    return estate(world, ours=True), estate(world, ours=False)


def _unchanged(before: dict[str, Any], theirs: Estate) -> None:
    """Nothing written, but the access log of our own patient's pages (a URL with our
    program and their item id reads our program first); nothing at all about theirs."""
    after = database_state()
    after.pop("rtw.AccessEvent"), before.pop("rtw.AccessEvent")
    assert after == before
    assert not AccessEvent.objects.filter(patient_uuid=theirs.patient.uuid).exists()


def _answer(client: Client, method: str, path: str) -> tuple[int, int]:
    response = getattr(client, method)(path)
    return response.status_code, len(response.content)


def _around(ids: Iterable[int]) -> range:
    real = list(ids)
    return range(max(1, min(real) - SPREAD), max(real) + SPREAD + 1)


# (name, method, URL for an id, the other clinic's ids, ids that are legitimately ours)
IdRoute = tuple[str, str, Callable[[int], str], set[int], set[int]]


def _id_routes(ours: Estate, theirs: Estate) -> list[IdRoute]:
    our_profiles = set(
        JobDemandProfile.objects.filter(clinic=ours.clinic).values_list("pk", flat=True)
    )
    their_profiles = set(
        JobDemandProfile.objects.filter(clinic=theirs.clinic).values_list("pk", flat=True)
    )
    our_templates = set(
        JobDemandProfile.objects.filter(clinic=ours.clinic, is_template=True).values_list(
            "pk", flat=True
        )
    )
    our_rx = set(
        Prescription.objects.filter(phase__program=ours.program).values_list("pk", flat=True)
    )
    their_rx = set(
        Prescription.objects.filter(phase__program=theirs.program).values_list("pk", flat=True)
    )
    our_items = set(ours.week.items.values_list("pk", flat=True))
    their_items = set(theirs.week.items.values_list("pk", flat=True))
    patient, profile, program = ours.patient.uuid, ours.profile.pk, ours.program.uuid
    week = ours.week.index
    return [
        (
            "consent",
            "get",
            lambda i: f"/patients/{patient}/consent/{i}/withdraw/",
            {theirs.consent.pk},
            {ours.consent.pk},
        ),
        ("profile", "get", lambda i: f"/jobs/{i}/", their_profiles, our_profiles),
        ("profile edit", "get", lambda i: f"/jobs/{i}/edit/", their_profiles, our_profiles),
        ("task add", "get", lambda i: f"/jobs/{i}/tasks/new/", their_profiles, our_profiles),
        (
            "template",
            "get",
            lambda i: f"/jobs/templates/{i}/use/",
            {theirs.template.pk},
            our_templates,
        ),
        (
            "task",
            "get",
            lambda i: f"/jobs/{profile}/tasks/{i}/edit/",
            {theirs.task.pk},
            {ours.task.pk},
        ),
        (
            "task delete",
            "post",
            lambda i: f"/jobs/{profile}/tasks/{i}/delete/",
            {theirs.task.pk},
            {ours.task.pk},
        ),
        (
            "prescription",
            "get",
            lambda i: f"/programs/{program}/prescriptions/{i}/",
            their_rx,
            our_rx,
        ),
        (
            "week item",
            "get",
            lambda i: f"/programs/{program}/weeks/{week}/items/{i}/",
            their_items,
            our_items,
        ),
    ]


@pytest.mark.parametrize("persona", ["physio", "admin"])
def test_integer_ids_of_another_clinic_answer_as_if_they_did_not_exist(
    world: World, estates: tuple[Estate, Estate], persona: str
) -> None:
    ours, theirs = estates
    client = client_for(world.user(persona))
    before = database_state()
    for name, method, url, foreign, mine in _id_routes(ours, theirs):
        assert foreign and not foreign & mine, name
        missing = _answer(client, method, url(NOWHERE))
        if persona == "physio":
            assert missing[0] == 404, name
        for i in _around(foreign):
            if i in mine:
                continue
            assert _answer(client, method, url(i)) == missing, (name, i, i in foreign)
    _unchanged(before, theirs)


CLINICIAN, ADMIN, STAFF = {"physio"}, {"admin"}, {"physio", "admin"}


def _uuid_routes(theirs: Estate) -> list[tuple[str, str, str, set[str]]]:
    """(method, URL with the other clinic's uuid, that uuid, who would be let in to the
    same URL with one of their own uuids, and so must get a 404 here)."""
    p, g, r = theirs.patient.uuid, theirs.program.uuid, theirs.report.uuid
    a, s = theirs.assessment.uuid, theirs.staff.uuid
    return [
        ("get", f"/patients/{p}/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/edit/", str(p), CLINICIAN),
        ("post", f"/patients/{p}/discharge/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/consent/new/", str(p), CLINICIAN),
        ("post", f"/patients/{p}/export/", str(p), CLINICIAN),
        ("post", f"/patients/{p}/sharing/restrict/", str(p), CLINICIAN),
        ("post", f"/patients/{p}/sharing/lift/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/programs/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/reports/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/assessments/new/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/assessments/{a}/", str(p), CLINICIAN),
        ("get", f"/patients/{p}/access-log/", str(p), STAFF),
        ("get", f"/programs/{g}/", str(g), CLINICIAN),
        ("get", f"/programs/{g}/settings/", str(g), CLINICIAN),
        ("post", f"/programs/{g}/plan/", str(g), CLINICIAN),
        ("get", f"/programs/{g}/phases/1/", str(g), CLINICIAN),
        ("get", f"/programs/{g}/weeks/1/log/", str(g), CLINICIAN),
        ("get", f"/programs/{g}/return-to-work/", str(g), CLINICIAN),
        ("get", f"/reports/{r}/download/", str(r), CLINICIAN),
        ("post", f"/reports/{r}/share/", str(r), CLINICIAN),
        ("post", f"/staff/{s}/role/", str(s), ADMIN),
        ("post", f"/staff/{s}/deactivate/", str(s), ADMIN),
        ("post", f"/staff/{s}/resend-invite/", str(s), ADMIN),
    ]


@pytest.mark.parametrize("persona", ["physio", "admin"])
def test_uuids_of_another_clinic_answer_as_if_they_did_not_exist(
    world: World, estates: tuple[Estate, Estate], persona: str
) -> None:
    _, theirs = estates
    client = client_for(world.user(persona))
    before = database_state()
    for method, path, their_uuid, let_in in _uuid_routes(theirs):
        real = _answer(client, method, path)
        made_up = _answer(client, method, path.replace(their_uuid, str(uuid.uuid4())))
        assert real == made_up, (persona, method, path)
        if persona in let_in:
            assert real[0] == 404, (persona, method, path)
    _unchanged(before, theirs)


def test_our_own_ids_do_answer(world: World, estates: tuple[Estate, Estate]) -> None:
    """The control: the same URLs with our own ids are found, so the 404s above are
    the scoping at work, not a broken URL."""
    ours, _ = estates
    physio = client_for(world.physio)
    assert physio.get(f"/jobs/{ours.profile.pk}/").status_code == 200
    assert physio.get(f"/jobs/{ours.profile.pk}/tasks/{ours.task.pk}/edit/").status_code == 200
    assert (
        physio.get(
            f"/programs/{ours.program.uuid}/prescriptions/{ours.prescription.pk}/"
        ).status_code
        == 200
    )
    item = f"/programs/{ours.program.uuid}/weeks/{ours.week.index}/items/{ours.item.pk}/"
    assert physio.get(item).status_code == 200
    consent = f"/patients/{ours.patient.uuid}/consent/{ours.consent.pk}/withdraw/"
    assert physio.get(consent).status_code == 200
    assert physio.get(f"/patients/{ours.patient.uuid}/").status_code == 200
