"""Demo patients with job profiles and consents. Idempotent."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from patients.models import Consent, FrequencyClass, JobDemandProfile, JobTask, Patient, TaskType
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


def seed_patients(orgs: DemoOrgs) -> None:
    profiles = {
        "picker": _profile(orgs, "riverside", "acme", "Warehouse picker", WAREHOUSE_TASKS),
        "carer": _profile(orgs, "riverside", "brightcare", "Care assistant", CARE_TASKS),
        "carer_b": _profile(orgs, "northgate", "brightcare", "Care assistant", CARE_TASKS),
    }
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
