"""Demo patients with job profiles and consents. Idempotent."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from patients import services
from patients.models import (
    Consent,
    FrequencyClass,
    JobDemandProfile,
    JobTask,
    Patient,
    PatientStatus,
    TaskType,
)
from rtw.demo import DemoOrgs

WAREHOUSE_TASKS = [
    (
        TaskType.LIFT_FLOOR_TO_WAIST,
        "Lift cartons from pallet",
        Decimal("20"),
        FrequencyClass.FREQUENT,
    ),
    (
        TaskType.LIFT_WAIST_TO_SHOULDER,
        "Stack cartons on racking",
        Decimal("15"),
        FrequencyClass.OCCASIONAL,
    ),
    (TaskType.CARRY, "Carry cartons to packing", Decimal("15"), FrequencyClass.FREQUENT),
    (TaskType.PUSH, "Push loaded roll cage", Decimal("25"), FrequencyClass.OCCASIONAL),
    (TaskType.STANDING, "Stand at packing bench", None, FrequencyClass.CONSTANT),
]
CARE_TASKS = [
    (TaskType.PUSH, "Push wheelchair", Decimal("18"), FrequencyClass.FREQUENT),
    (TaskType.LIFT_FLOOR_TO_WAIST, "Lift laundry bags", Decimal("10"), FrequencyClass.OCCASIONAL),
    (TaskType.STOOPING, "Make beds", None, FrequencyClass.FREQUENT),
]

PATIENTS = [
    # clinic, physio, first, last, dob, sex, employer, profile, onset, consent
    (
        "riverside",
        "physio",
        "Jamie",
        "Carter",
        date(1988, 3, 14),
        "M",
        "acme",
        "picker",
        date(2026, 8, 3),
        True,
    ),
    (
        "riverside",
        "physio",
        "Aisha",
        "Khan",
        date(1993, 11, 2),
        "F",
        "acme",
        "picker",
        date(2026, 9, 21),
        True,
    ),
    (
        "riverside",
        "physio",
        "Marek",
        "Nowak",
        date(1979, 6, 30),
        "M",
        "acme",
        "picker",
        date(2026, 7, 11),
        False,
    ),
    (
        "riverside",
        "physio2",
        "Grace",
        "Obi",
        date(1985, 1, 19),
        "F",
        "brightcare",
        "carer",
        date(2026, 9, 1),
        True,
    ),
    (
        "northgate",
        "physio_b",
        "Liam",
        "Walsh",
        date(1990, 4, 5),
        "M",
        "brightcare",
        "carer_b",
        date(2026, 8, 28),
        True,
    ),
    (
        "northgate",
        "physio_b",
        "Sofia",
        "Rossi",
        date(1996, 12, 12),
        "F",
        "brightcare",
        "carer_b",
        date(2026, 10, 2),
        False,
    ),
]


def _profile(
    orgs: DemoOrgs,
    clinic: str,
    employer: str,
    title: str,
    tasks: Sequence[tuple[str, str, Decimal | None, str]],
) -> JobDemandProfile:
    profile, created = JobDemandProfile.objects.get_or_create(
        clinic=orgs.clinics[clinic],
        employer=orgs.employers[employer],
        job_title=title,
        defaults={"shift_hours": Decimal("8"), "breaks": "2 × 15 min, 30 min lunch"},
    )
    if created:
        JobTask.objects.bulk_create(
            JobTask(profile=profile, order=i, task_type=t, description=d, load_kg=kg, frequency=f)
            for i, (t, d, kg, f) in enumerate(tasks)
        )
    return profile


# Profiles started from a clinic template, as a physiotherapist would in the app:
# key, clinic, employer, template title, job title, physio who made it.
FROM_TEMPLATES = [
    ("labourer", "riverside", "acme", "Labourer", "Yard operative", "physio"),
    ("care_worker_b", "northgate", "brightcare", "Care worker", "Night care worker", "physio_b"),
]

# More of the caseload: (clinic, physio, first, last, dob, sex, employer, profile, onset,
# consent, other fields).
MORE_PATIENTS: list[tuple[str, str, str, str, date, str, str, str, date, bool, dict[str, Any]]] = [
    (
        "riverside",
        "physio",
        "Daniel",
        "Price",
        date(1982, 2, 8),
        "M",
        "acme",
        "labourer",
        date(2026, 8, 17),
        True,
        {
            "injury_mechanism": "Lifted a pallet board awkwardly, felt a twinge",
            "previous_same_site_injury": True,
            "smoker": True,
            "phone": "07700 900123",
        },
    ),
    (
        "riverside",
        "physio",
        "Oliver",
        "Grant",
        date(1971, 9, 23),
        "M",
        "acme",
        "picker",
        date(2026, 9, 8),
        False,
        {"diabetes": True, "injury_mechanism": "Gradual onset over a week of overtime"},
    ),
    (
        "riverside",
        "physio2",
        "Helen",
        "Moore",
        date(1968, 5, 30),
        "F",
        "brightcare",
        "carer",
        date(2026, 6, 22),
        True,
        {
            "status": PatientStatus.DISCHARGED,
            "injury_mechanism": "Repositioning a resident without a slide sheet",
        },
    ),
    (
        "northgate",
        "physio_b",
        "Tariq",
        "Hussain",
        date(1987, 7, 19),
        "M",
        "brightcare",
        "care_worker_b",
        date(2026, 9, 29),
        True,
        {"injury_mechanism": "Caught a falling resident", "email": "tariq.h@example.com"},
    ),
]


def _from_template(
    orgs: DemoOrgs, clinic: str, employer: str, template: str, title: str, physio: str
) -> JobDemandProfile:
    existing = JobDemandProfile.objects.filter(
        clinic=orgs.clinics[clinic], employer=orgs.employers[employer], job_title=title
    ).first()
    if existing is not None:
        return existing
    source = JobDemandProfile.objects.get(
        clinic=orgs.clinics[clinic], is_template=True, job_title=template
    )
    return services.copy_template(
        acting_user=orgs.users[physio],
        template=source,
        employer=orgs.employers[employer],
        job_title=title,
    )


def seed_patients(orgs: DemoOrgs) -> None:
    for each_clinic in orgs.clinics.values():
        services.ensure_clinic_templates(each_clinic)
    profiles = {
        "picker": _profile(orgs, "riverside", "acme", "Warehouse picker", WAREHOUSE_TASKS),
        "carer": _profile(orgs, "riverside", "brightcare", "Care assistant", CARE_TASKS),
        "carer_b": _profile(orgs, "northgate", "brightcare", "Care assistant", CARE_TASKS),
    }
    for key, clinic, employer, template, title, physio in FROM_TEMPLATES:
        profiles[key] = _from_template(orgs, clinic, employer, template, title, physio)
    for clinic, physio, first, last, dob, sex, employer, prof, onset, consent in PATIENTS:
        patient, created = Patient.objects.get_or_create(
            clinic=orgs.clinics[clinic],
            first_name=first,
            last_name=last,
            defaults={
                "date_of_birth": dob,
                "sex": sex,
                "employer": orgs.employers[employer],
                "job_title": profiles[prof].job_title,
                "job_profile": profiles[prof],
                "injury_onset": onset,
                "injury_mechanism": "Lifting at work",
                "physiotherapist": orgs.users[physio],
                "diagnosis": "Non-specific low back pain",
            },
        )
        if created and consent:
            Consent.objects.create(
                patient=patient,
                employer=orgs.employers[employer],
                given_on=onset,
                recorded_by=orgs.users[physio],
            )
    for (
        clinic,
        physio,
        first,
        last,
        dob,
        sex,
        employer,
        prof,
        onset,
        consent,
        more,
    ) in MORE_PATIENTS:
        patient, created = Patient.objects.get_or_create(
            clinic=orgs.clinics[clinic],
            first_name=first,
            last_name=last,
            defaults={
                "date_of_birth": dob,
                "sex": sex,
                "employer": orgs.employers[employer],
                "job_title": profiles[prof].job_title,
                "job_profile": profiles[prof],
                "injury_onset": onset,
                "physiotherapist": orgs.users[physio],
                "diagnosis": "Non-specific low back pain",
                **more,
            },
        )
        if created and consent:
            Consent.objects.create(
                patient=patient,
                employer=orgs.employers[employer],
                given_on=onset,
                recorded_by=orgs.users[physio],
            )
