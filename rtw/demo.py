"""Demo organisations and logins. Idempotent: running it twice changes nothing."""

import zlib
from dataclasses import dataclass

from rtw.models import Clinic, Employer, Role, User

DEMO_PASSWORD = "rehab-demo-2026!"  # noqa: S105 - printed for the local demo only


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
