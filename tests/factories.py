"""Plain functions that build test data. Each returns a saved object."""

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from patients.models import Consent, FrequencyClass, JobDemandProfile, JobTask, Patient, TaskType
from rtw.models import Clinic, Employer, Role, User
from tests.log_canary import CLINICAL_CANARY

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_clinic(name: str = "") -> Clinic:
    return Clinic.objects.create(name=name or f"Clinic {next(_seq)}")


def make_employer(*clinics: Clinic, name: str = "") -> Employer:
    employer = Employer.objects.create(name=name or f"Employer {next(_seq)}")
    employer.clinics.add(*clinics)
    return employer


def make_user(
    role: str,
    *,
    clinic: Clinic | None = None,
    employer: Employer | None = None,
    email: str = "",
    **extra: Any,
) -> User:
    n = next(_seq)
    org: dict[str, Any] = (
        {"employer": employer, "managing_clinic": clinic}
        if role == Role.EMPLOYER_VIEWER
        else {"clinic": clinic}
    )
    return User.objects.create_user(
        email=email or f"{role}{n}@example.test",
        password=PASSWORD,
        first_name=role.split("_")[0].title(),
        last_name=f"Person{n}",
        role=role,
        **org,
        **extra,
    )


def make_job_profile(clinic: Clinic, employer: Employer, **extra: Any) -> JobDemandProfile:
    profile = JobDemandProfile.objects.create(
        clinic=clinic,
        employer=employer,
        job_title=extra.pop("job_title", "Warehouse picker"),
        **extra,
    )
    JobTask.objects.create(
        profile=profile,
        task_type=TaskType.LIFT_FLOOR_TO_WAIST,
        load_kg=Decimal("20"),
        frequency=FrequencyClass.FREQUENT,
    )
    return profile


def make_patient(
    physio: User, *, employer: Employer | None = None, consent: bool = False, **extra: Any
) -> Patient:
    n = next(_seq)
    assert physio.clinic is not None
    defaults: dict[str, Any] = {
        "first_name": "Worker",
        "last_name": f"Number{n}",
        "date_of_birth": date(1985, 5, 17),
        "sex": "M",
        "injury_onset": date(2026, 9, 1),
        "job_title": "Warehouse picker",
        # The log canary fails the run if clinical text ever reaches a log record.
        "diagnosis": f"Non-specific low back pain ({CLINICAL_CANARY})",
        "injury_mechanism": f"Lifted a crate ({CLINICAL_CANARY})",
    }
    defaults.update(extra)
    patient = Patient.objects.create(
        clinic=physio.clinic, physiotherapist=physio, employer=employer, **defaults
    )
    if consent and employer is not None:
        Consent.objects.create(
            patient=patient, employer=employer, given_on=date(2026, 9, 2), recorded_by=physio
        )
    return patient


# --- programs ----------------------------------------------------------------------------


def make_program(
    patient: Patient,
    *,
    template: str = "Warehouse lifting",
    job_profile: JobDemandProfile | None = None,
    activate_on: date | None = None,
    **settings: Any,
) -> Any:
    """A program from one of the shared templates, through the service (a draft unless
    ``activate_on`` is given). Settings such as ``cap`` are applied directly."""
    import importlib

    from django.apps import apps

    from programs import services
    from programs.models import Program

    if not Program.objects.filter(is_template=True, clinic=None).exists():
        # A live-server test's flush removed the data migration's templates: seed again.
        migration = importlib.import_module("programs.migrations.0002_library_and_templates")
        migration.seed(apps, None)
    physio = patient.physiotherapist
    if job_profile is None:
        job_profile = patient.job_profile
    if job_profile is None:
        assert patient.employer is not None
        job_profile = make_job_profile(patient.clinic, patient.employer)
    source = Program.objects.get(is_template=True, clinic=None, name=template)
    program = services.create_program(
        acting_user=physio, patient=patient, template=source, job_profile=job_profile
    )
    if settings:
        Program.objects.filter(pk=program.pk).update(**settings)
        program.refresh_from_db()
    if activate_on is not None:
        program = services.activate(acting_user=physio, program=program, today=activate_on)
    return program
