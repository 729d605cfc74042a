"""Demo organisations and logins. Idempotent: running it twice changes nothing."""

import zlib
from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rtw.models import Clinic, Employer, Role, User

DEMO_PASSWORD = "rehab-demo-2026!"  # noqa: S105 - printed for the local demo only
# One published authenticator key for every demo account (DEBUG only): add it to any
# authenticator app, or run `manage.py demo_totp` for the current code.
DEMO_TOTP_SECRET = "RTWDEMOKEYRTWDEMOKEYRTWDEMOKEYRT"  # noqa: S105 - local demo only


@dataclass(frozen=True)
class DemoOrgs:
    clinics: dict[str, Clinic]
    employers: dict[str, Employer]
    users: dict[str, User]


PEOPLE = [
    # key, email, first, last, role, clinic key, employer key
    ("admin", "admin@riverside.example", "Alex", "Morgan", Role.CLINIC_ADMIN, "riverside", None),
    (
        "physio",
        "physio@riverside.example",
        "Priya",
        "Shah",
        Role.PHYSIOTHERAPIST,
        "riverside",
        None,
    ),
    (
        "physio2",
        "physio2@riverside.example",
        "Tom",
        "Becker",
        Role.PHYSIOTHERAPIST,
        "riverside",
        None,
    ),
    ("admin_b", "admin@northgate.example", "Jordan", "Reyes", Role.CLINIC_ADMIN, "northgate", None),
    (
        "physio_b",
        "physio@northgate.example",
        "Mei",
        "Tanaka",
        Role.PHYSIOTHERAPIST,
        "northgate",
        None,
    ),
    (
        "physio2_b",
        "physio2@northgate.example",
        "Sam",
        "Okafor",
        Role.PHYSIOTHERAPIST,
        "northgate",
        None,
    ),
    ("viewer", "hr@acme.example", "Dana", "Fischer", Role.EMPLOYER_VIEWER, "riverside", "acme"),
    (
        "viewer_b",
        "hr@brightcare.example",
        "Lee",
        "Novak",
        Role.EMPLOYER_VIEWER,
        "northgate",
        "brightcare",
    ),
]


def seed_organisations() -> DemoOrgs:
    clinics = {
        "riverside": Clinic.objects.get_or_create(name="Riverside Physiotherapy")[0],
        "northgate": Clinic.objects.get_or_create(name="Northgate Rehab Clinic")[0],
    }
    employers = {
        "acme": Employer.objects.get_or_create(name="Acme Logistics")[0],
        "brightcare": Employer.objects.get_or_create(name="Brightcare Homes")[0],
    }
    employers["acme"].clinics.add(clinics["riverside"])
    employers["brightcare"].clinics.add(clinics["northgate"], clinics["riverside"])
    users: dict[str, User] = {}
    for key, email, first, last, role, clinic_key, employer_key in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            org = (
                {"employer": employers[employer_key], "managing_clinic": clinics[clinic_key]}
                if employer_key
                else {"clinic": clinics[clinic_key]}
            )
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                role=role,
                registration_number=""
                if employer_key
                else f"PH{zlib.crc32(email.encode()) % 100000:05d}",
                **org,
            )
        users[key] = user
    return DemoOrgs(clinics=clinics, employers=employers, users=users)


def demo_totp_device() -> TOTP:
    """The code generator an authenticator app holding DEMO_TOTP_SECRET runs."""
    return TOTP(b32decode(DEMO_TOTP_SECRET))


def seed_demo_totp(users: dict[str, User]) -> None:
    """Give each demo account a confirmed app with the published demo key (DEBUG only:
    a known key is no second factor at all)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo authenticator keys are only seeded with DEBUG=1.")
    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in users.values():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key)
