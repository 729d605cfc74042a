"""Named people for every test: an owner, a colleague, and outsiders who must see nothing.

``clinic`` and ``employer`` are "ours"; ``other_clinic`` and ``other_employer`` belong to
someone else. Each persona is a logged-in ``Client`` fixture; ``world`` holds them all.
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def totp_device_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def client_for(user: User | None) -> Client:
    """A browser of ``user`` who has logged in and passed the second factor just now."""
    client = Client()
    if user is not None:
        # login() fires user_logged_in, which stamps the session's login/auth times.
        client.force_login(user, backend="rtw.auth_backend.ModelBackend")
        session = client.session
        # What django_otp.login() stores once a code was accepted.
        session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
        session.save()
    return client


def login_via_form(client: Client, user: User, password: str) -> bool:
    """Log in the way a person does: password (django-axes needs the request that
    ``login()`` lacks), then the code from their authenticator app."""
    response = client.post("/accounts/login/", {"username": user.email, "password": password})
    if response.status_code != 302:
        return False
    device = totp_device_for(user)
    # A person types a fresh code each time; a code already used in this 30 s step
    # would be refused as a replay, so forget the last step as a new step would.
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    verified = client.post("/account/two-factor/verify/", {"code": totp_code(device)})
    return verified.status_code == 302 and DEVICE_ID_SESSION_KEY in client.session


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
