"""Seed a clinic network at scale, deterministically (one fixed random seed).

Organisations, staff, job profiles, patients and consents go in with ``bulk_create`` in
large batches; programs and their 26 weeks of history are copied from engine-made
archetypes (``bench.simulate``) with COPY (``bench.seed_programs``). Run on a freshly
migrated database: ``python -m bench.seed`` (the orchestrator prepares it).
"""

import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench import config
from patients.job_templates import TEMPLATES as JOB_TEMPLATES
from patients.models import Consent, JobDemandProfile, JobTask, Patient
from rtw.models import Clinic, Employer, Role, User


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Jamie Aisha Marek Helen Tariq Olivia Noah Amelia Leo Isla Oscar Ava Arthur Mia Muhammad "
    "Ivy Harry Freya Jack Lily George Sophia Theo Grace Finley Chloe Ethan Zara Lucas Evie "
    "Mason Poppy Kai Ruby Ali Nadia Piotr Agnieszka Tomasz Ewa Kwame Ama Ravi Priya Chen Mei"
)
LAST = _words(
    "Carter Khan Nowak Moore Hussain Smith Jones Taylor Brown Williams Wilson Johnson Davies "
    "Patel Wright Robinson Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke "
    "Kowalski Wiśniewski Mensah Okafor Singh Sharma Li Wang Murphy Kelly O'Brien Byrne Novak "
    "Fischer Becker Tanaka Reyes Morgan Shah Ahmed Begum Ali Hughes Edwards"
)
REGIONS = ("low_back",) * 7 + ("neck", "shoulder", "knee", "hip")
EMPLOYER_KINDS = (
    "Logistics",
    "Care Homes",
    "Construction",
    "Distribution",
    "Foods",
    "Healthcare",
    "Builders",
    "Freight",
)
TOWNS = _words(
    "Riverside Northgate Eastfield Westbrook Southmoor Hillcrest Lakeside Oakham Ashford "
    "Kingsbury Millbrook Stonebridge Fairview Greenhill Redcliffe Brookfield Elmstead Harbour "
    "Highgate Marston"
)


@dataclass
class Network:
    clinics: list[Clinic]
    employers: list[Employer]
    links: dict[int, list[Employer]]  # clinic id → the employers it works with
    clinicians: dict[int, list[User]]  # clinic id → physiotherapists
    viewers: dict[int, User]  # employer id → its viewer
    profiles: dict[tuple[int, int], list[JobDemandProfile]]  # (clinic, employer) → profiles
    patients: list[Patient] = field(default_factory=list)
    # clinic id → its patients who get a program, in order (the active ones, then paused)
    on_program: dict[int, list[Patient]] = field(default_factory=dict)
    consents: dict[int, Consent] = field(default_factory=dict)  # patient id → open consent


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def seed_organisations(rng: random.Random, sizes: config.Sizes) -> Network:
    clinics = [
        # create(), not bulk: a new clinic gets its job templates from a signal.
        Clinic.objects.create(name=f"{TOWNS[i % len(TOWNS)]} Physiotherapy {i + 1:02d}")
        for i in range(sizes.clinics)
    ]
    employers = Employer.objects.bulk_create(
        Employer(
            uuid=_uuid(rng),
            name=f"{rng.choice(LAST)} {EMPLOYER_KINDS[i % len(EMPLOYER_KINDS)]} {i + 1:03d}",
        )
        for i in range(sizes.employers)
    )
    links: dict[int, list[Employer]] = {c.pk: [] for c in clinics}
    through = []
    for i, employer in enumerate(employers):
        # Each employer works with one to three clinics; every clinic with several.
        shared = {clinics[i % len(clinics)], *rng.sample(clinics, rng.choice((0, 1, 1, 2)))}
        for clinic in shared:
            links[clinic.pk].append(employer)
            through.append(Employer.clinics.through(employer_id=employer.pk, clinic_id=clinic.pk))
    Employer.clinics.through.objects.bulk_create(through)
    password = make_password(config.PASSWORD)
    users = []
    for c, clinic in enumerate(clinics):
        roles = [Role.CLINIC_ADMIN, Role.ADMIN_PHYSIOTHERAPIST]
        roles += [Role.PHYSIOTHERAPIST] * (sizes.staff_per_clinic - 2)
        for s, role in enumerate(roles):
            users.append(
                User(
                    uuid=_uuid(rng),
                    email=f"staff{s + 1:02d}.c{c + 1:02d}@bench.example",
                    password=password,
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    role=role,
                    clinic=clinic,
                    registration_number=f"PH{c:02d}{s:03d}",
                )
            )
    for e, employer in enumerate(employers):
        home = next(c for c in clinics if employer in links[c.pk])
        users.append(
            User(
                uuid=_uuid(rng),
                email=f"hr.e{e + 1:03d}@bench.example",
                password=password,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                role=Role.EMPLOYER_VIEWER,
                employer=employer,
                managing_clinic=home,
            )
        )
    users = User.objects.bulk_create(users, batch_size=1000)
    clinicians: dict[int, list[User]] = {c.pk: [] for c in clinics}
    viewers = {}
    for user in users:
        if user.role in (Role.PHYSIOTHERAPIST, Role.ADMIN_PHYSIOTHERAPIST):
            assert user.clinic_id is not None  # noqa: S101
            clinicians[user.clinic_id].append(user)
        elif user.role == Role.EMPLOYER_VIEWER:
            assert user.employer_id is not None  # noqa: S101
            viewers[user.employer_id] = user
    profiles = _profiles(rng, links)
    return Network(clinics, employers, links, clinicians, viewers, profiles)


def _profiles(
    rng: random.Random, links: dict[int, list[Employer]]
) -> dict[tuple[int, int], list[JobDemandProfile]]:
    """One or two job profiles per clinic and employer, copied from the standard templates."""
    rows = []
    for clinic_id, employers in links.items():
        for employer in employers:
            for template in rng.sample(JOB_TEMPLATES, rng.choice((1, 2))):
                rows.append(
                    JobDemandProfile(
                        clinic_id=clinic_id,
                        employer=employer,
                        job_title=template.job_title,
                        shift_hours=template.shift_hours,
                        breaks=template.breaks,
                        hazards=template.hazards,
                        notes=template.notes,
                    )
                )
    rows = JobDemandProfile.objects.bulk_create(rows, batch_size=2000)
    by_title = {t.job_title: t for t in JOB_TEMPLATES}
    JobTask.objects.bulk_create(
        (
            JobTask(profile=profile, order=order, **task._asdict())
            for profile in rows
            for order, task in enumerate(by_title[profile.job_title].tasks)
        ),
        batch_size=5000,
    )
    found: dict[tuple[int, int], list[JobDemandProfile]] = {}
    for profile in rows:
        assert profile.employer_id is not None  # noqa: S101
        found.setdefault((profile.clinic_id, profile.employer_id), []).append(profile)
    return found


def seed_patients(rng: random.Random, net: Network, sizes: config.Sizes, today: date) -> None:
    """Patients spread over the clinics, most with an employer and a job profile; about half
    consent to share with their employer. The first ones of each clinic get programs."""
    per_clinic = sizes.patients // len(net.clinics)
    program_onset = today - timedelta(days=config.PROGRAM_DAYS + 20)
    rows: list[Patient] = []
    for clinic in net.clinics:
        for n in range(per_clinic):
            # The clinic's first patients are the ones on programs: long enough since onset.
            with_program = n < sizes.programs_per_clinic + sizes.paused_per_clinic
            employed = with_program or rng.random() < 0.95
            employer = rng.choice(net.links[clinic.pk]) if employed else None
            profile = rng.choice(net.profiles[(clinic.pk, employer.pk)]) if employer else None
            onset = (
                program_onset - timedelta(days=rng.randrange(0, 60))
                if with_program
                else (today - timedelta(days=rng.randrange(14, 500)))
            )
            rows.append(
                Patient(
                    uuid=_uuid(rng),
                    clinic=clinic,
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    date_of_birth=date(1962, 1, 1) + timedelta(days=rng.randrange(0, 14000)),
                    sex=rng.choice("FMMX" if rng.random() < 0.02 else "FM"),
                    email=f"worker{len(rows) + 1}@mail.example",
                    employer=employer,
                    job_title=profile.job_title if profile else "",
                    job_profile=profile,
                    body_region=rng.choice(REGIONS),
                    injury_onset=onset,
                    injury_mechanism="Lifting at work",
                    work_related=rng.random() < 0.8,
                    diagnosis="Non-specific low back pain",
                    previous_same_site_injury=rng.random() < 0.25,
                    smoker=rng.random() < 0.15,
                    diabetes=rng.random() < 0.07,
                    physiotherapist=rng.choice(net.clinicians[clinic.pk]),
                    status="active" if with_program or rng.random() < 0.9 else "discharged",
                )
            )
    net.patients = Patient.objects.bulk_create(rows, batch_size=5000)
    chosen: set[int] = set()
    for i, clinic in enumerate(net.clinics):
        mine = net.patients[i * per_clinic : (i + 1) * per_clinic]
        net.on_program[clinic.pk] = [
            p for p in mine[: sizes.programs_per_clinic + sizes.paused_per_clinic]
        ]
        chosen.update(p.pk for p in net.on_program[clinic.pk])
    consents = []
    for patient in net.patients:
        if patient.employer_id is None:
            continue
        # Workers on a program consent more often: their employer follows the return.
        chance = 0.7 if patient.pk in chosen else 0.45
        if rng.random() < chance:
            consents.append(
                Consent(
                    patient=patient,
                    employer_id=patient.employer_id,
                    given_on=patient.injury_onset + timedelta(days=3),
                    share_capacity=rng.random() < 0.9,
                    share_restrictions=rng.random() < 0.9,
                    share_reports=rng.random() < 0.85,
                    recorded_by_id=patient.physiotherapist_id,
                )
            )
    for consent in Consent.objects.bulk_create(consents, batch_size=5000):
        net.consents[consent.patient_id] = consent


def flag_some(rng: random.Random, net: Network, today: date, share: float) -> None:
    """A few percent of the other patients carry a red flag on the caseload."""
    tiers = ("amber", "amber", "amber", "urgent", "emergency")
    flagged = []
    chosen = {p.pk for patients in net.on_program.values() for p in patients}
    for patient in net.patients:
        if patient.pk not in chosen and rng.random() < share:
            patient.red_flag_tier = rng.choice(tiers)
            patient.red_flag_since = today - timedelta(days=rng.randrange(1, 30))
            flagged.append(patient)
    Patient.objects.bulk_update(flagged, ["red_flag_tier", "red_flag_since"], batch_size=2000)


def analyse() -> None:
    """Statistics for the tables written after the big copy (which analysed the rest)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE patients_patient, programs_rtwplan, programs_rtwstep, "
            "programs_rtwrestriction, rtw_report, rtw_report_recipients"
        )


def main() -> None:
    from bench import seed_programs

    sizes = config.SIZES
    rng = random.Random(config.SEED)  # noqa: S311 - reproducible test data, not security
    today = timezone.localdate()
    started = time.perf_counter()
    timings = {}
    with transaction.atomic():
        net = seed_organisations(rng, sizes)
        timings["organisations"] = time.perf_counter() - started
        seed_patients(rng, net, sizes, today)
        flag_some(rng, net, today, 0.03)
        timings["patients"] = time.perf_counter() - started
        counts = seed_programs.seed(rng, net, sizes, today)
        timings["programs"] = time.perf_counter() - started
    analyse()
    timings["total"] = time.perf_counter() - started
    config.write_json("seed", {"seconds": timings, "rows": counts})
    print(f"seeded in {timings['total']:.0f} s: {counts}", file=sys.stderr)
