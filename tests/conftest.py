"""Named people for every test: an owner, a colleague, and outsiders who must see nothing.

``clinic`` and ``employer`` are "ours"; ``other_clinic`` and ``other_employer`` belong to
someone else. Each persona is a logged-in ``Client`` fixture; ``world`` holds them all.
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from patients.models import Patient
from rtw.models import Clinic, Employer, Role, User
from tests import factories


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    employer: Employer
    other_employer: Employer
    physio: User
    colleague: User
    admin: User
    other_physio: User
    other_admin: User
    viewer: User
    other_viewer: User
    patient: Patient
    other_patient: Patient

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)


PERSONAS = ["anonymous", "physio", "other_physio", "admin", "other_admin", "viewer", "other_viewer"]


@pytest.fixture
def world(db: None) -> World:
    clinic = factories.make_clinic("Riverside Physio")
    other_clinic = factories.make_clinic("Elsewhere Clinic")
    employer = factories.make_employer(clinic, name="Acme Logistics")
    other_employer = factories.make_employer(other_clinic, name="Globex Freight")
    physio = factories.make_user(Role.PHYSIOTHERAPIST, clinic=clinic)
    other_physio = factories.make_user(Role.PHYSIOTHERAPIST, clinic=other_clinic)
    return World(
        clinic=clinic,
        other_clinic=other_clinic,
        employer=employer,
        other_employer=other_employer,
        physio=physio,
        colleague=factories.make_user(Role.PHYSIOTHERAPIST, clinic=clinic),
        admin=factories.make_user(Role.CLINIC_ADMIN, clinic=clinic),
        other_physio=other_physio,
        other_admin=factories.make_user(Role.CLINIC_ADMIN, clinic=other_clinic),
        viewer=factories.make_user(Role.EMPLOYER_VIEWER, employer=employer, clinic=clinic),
        other_viewer=factories.make_user(
            Role.EMPLOYER_VIEWER, employer=other_employer, clinic=other_clinic
        ),
        patient=factories.make_patient(physio, employer=employer, consent=True),
        other_patient=factories.make_patient(other_physio, employer=other_employer, consent=True),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def login_via_form(client: Client, user: User, password: str) -> bool:
    """Log in the way a person does (django-axes needs the request that ``login()`` lacks)."""
    response = client.post("/accounts/login/", {"username": user.email, "password": password})
    return response.status_code == 302


@pytest.fixture
def physio_client(world: World) -> Client:
    return client_for(world.physio)


@pytest.fixture
def admin_client_(world: World) -> Client:
    """The clinic admin of ``world.clinic`` (named so as not to shadow pytest-django's)."""
    return client_for(world.admin)


@pytest.fixture
def viewer_client(world: World) -> Client:
    return client_for(world.viewer)


# --- CI: a skipped browser or service test is a failure, not a pass -----------------
_skipped_required: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    required = os.environ.get("RTW_REQUIRE_SERVICES") == "1"
    if (
        required
        and report.skipped
        and ("browser" in report.keywords or "worker" in report.keywords)
    ):
        _skipped_required.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped_required:
        print(f"\nCI: these tests must run but were skipped: {_skipped_required}")
        session.exitstatus = 1
