"""Programs with 26 weeks of history, assessments, return-to-work plans and reports.

Each program copies an engine-made archetype of its job (``bench.simulate``), moved to its
own dates: every program started 26 weeks ago (give or take a few days), so its 26th week
is open, fully logged and ended, and the weekly batch has all of them to plan.
"""

import hashlib
import random
import time as clock_
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection

from assessments.models import Assessment, QuestionnaireResponse
from assessments.values import MEASURE_FIELDS
from bench import config
from bench.copy import Table
from bench.seed import Network, _uuid
from bench.simulate import Archetype, SimAssessment, archetypes
from patients.models import Patient
from programs.models import (
    Phase,
    Prescription,
    Program,
    RtwPlan,
    RtwRestriction,
    RtwStep,
    SessionItem,
    SessionLog,
    Week,
    WeekItem,
)
from rtw.models import Report

MEASURES = tuple(MEASURE_FIELDS)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Tables:
    def __init__(self) -> None:
        self.program = Table(
            Program,
            (
                "id uuid clinic_id is_template patient_id job_profile_id name description "
                "status cap deload_every mode target_date baseline_morning_pain "
                "sessions_per_week current_phase_id phase_started_on activated_on "
                "acwr_acknowledged_on created_by_id created_at updated_at version"
            ),
        )
        self.phase = Table(
            Phase, "id program_id order name goals planned_weeks exit_criteria version"
        )
        self.prescription = Table(
            Prescription,
            (
                "id phase_id exercise_id order sets reps quantity tempo rest_seconds increment "
                "target is_key version"
            ),
        )
        self.week = Table(
            Week,
            (
                "id program_id phase_id index start_date decision reasons status "
                "planned_sessions cap acwr phase_proposal phase_proposal_status planned_by_id "
                "accepted_by_id planned_on accepted_at closed_at version"
            ),
        )
        self.item = Table(
            WeekItem,
            (
                "id week_id prescription_id order sets reps quantity proposed_sets "
                "proposed_reps proposed_quantity base_sets base_reps base_quantity "
                "max_quantity override_reason version"
            ),
        )
        self.session = Table(
            SessionLog,
            (
                "id week_id date pain_during pain_next_morning pain_at_rest soreness fatigue "
                "rpe notes adverse_events red_flags red_flag_tier logged_by_id created_at"
            ),
        )
        self.session_item = Table(SessionItem, "id session_id week_item_id sets reps quantity")
        self.assessment = Table(
            Assessment,
            " ".join(
                (
                    "id uuid patient_id kind assessed_on assessor_id",
                    *MEASURES,
                    "red_flags red_flag_tier notes created_at updated_at version",
                )
            ),
        )
        self.questionnaire = Table(
            QuestionnaireResponse,
            (
                "id assessment_id instrument responses activity_names score band high "
                "subscales answered required not_scorable_reason"
            ),
        )

    def all(self) -> list[Table]:
        return [
            self.program,
            self.phase,
            self.prescription,
            self.week,
            self.item,
            self.session,
            self.session_item,
            self.assessment,
            self.questionnaire,
        ]


class Rows:
    """Row lists per table, filled program by program, written with one COPY each."""

    def __init__(self) -> None:
        self.program: list[tuple[Any, ...]] = []
        self.phase: list[tuple[Any, ...]] = []
        self.prescription: list[tuple[Any, ...]] = []
        self.week: list[tuple[Any, ...]] = []
        self.item: list[tuple[Any, ...]] = []
        self.session: list[tuple[Any, ...]] = []
        self.session_item: list[tuple[Any, ...]] = []
        self.assessment: list[tuple[Any, ...]] = []
        self.questionnaire: list[tuple[Any, ...]] = []


class Cloner:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.t = Tables()
        self.rows = Rows()
        self.counts: dict[str, int] = {}

    def assessment(self, a: SimAssessment, patient: Patient, day: date, flag: str = "") -> None:
        (pk,) = self.t.assessment.ids(1)
        self.rows.assessment.append(
            (
                pk,
                _uuid(self.rng),
                patient.pk,
                a.kind,
                day,
                patient.physiotherapist_id,
                *(a.measures.get(name) for name in MEASURES),
                [],
                flag,
                "",
                at(day),
                at(day),
                1,
            )
        )
        for q in a.questionnaires:
            (qid,) = self.t.questionnaire.ids(1)
            self.rows.questionnaire.append(
                (
                    qid,
                    pk,
                    q["instrument"],
                    q["responses"],
                    q["activity_names"],
                    q["score"],
                    q["band"],
                    q["high"],
                    q["subscales"],
                    q["answered"],
                    q["required"],
                    q["not_scorable_reason"],
                )
            )

    def program(self, arch: Archetype, patient: Patient, *, paused: bool) -> int:
        rng, rows, t = self.rng, self.rows, self.t
        origin = self.today - timedelta(days=config.PROGRAM_DAYS + rng.randrange(0, 7))
        physio = patient.physiotherapist_id
        (program_id,) = t.program.ids(1)
        blueprint = arch.blueprint
        phase_ids = dict(zip([p.order for p in blueprint.phases], t.phase.ids(4), strict=True))
        for phase in blueprint.phases:
            rows.phase.append(
                (phase_ids[phase.order], program_id, phase.order, phase.name, phase.goals,
                 phase.planned_weeks, phase.exit_criteria, 1)
            )  # fmt: skip
        prescription_ids: dict[tuple[int, str], int] = {}
        for p, pk in zip(
            blueprint.prescriptions, t.prescription.ids(len(blueprint.prescriptions)), strict=True
        ):
            prescription_ids[(p.phase_order, p.key)] = pk
            rows.prescription.append(
                (pk, phase_ids[p.phase_order], p.exercise.pk, p.order, p.sets, p.reps,
                 p.quantity, p.tempo, p.rest_seconds, p.increment, p.target, p.is_key, 1)
            )  # fmt: skip
        rows.program.append(
            (program_id, _uuid(rng), patient.clinic_id, False, patient.pk,
             patient.job_profile_id, blueprint.template, blueprint.description,
             "paused" if paused else "active", arch.cap, 4, "pain_contingent", None,
             arch.baseline_pain, 3, phase_ids[arch.phase_order],
             origin + timedelta(days=arch.phase_started), origin, None, physio, at(origin),
             at(self.today), 2)
        )  # fmt: skip
        last = len(arch.weeks) - 1
        flag_day: date | None = None
        for n, week in enumerate(arch.weeks):
            (week_id,) = t.week.ids(1)
            start = origin + timedelta(days=week.start)
            planned_on = start - timedelta(days=1) if n else origin
            is_open = n == last
            rows.week.append(
                (week_id, program_id, phase_ids[week.phase_order], week.index, start,
                 week.decision, week.reasons, "open" if is_open else "closed", 3, arch.cap,
                 week.acwr, week.phase_proposal, week.phase_proposal_status, physio, physio,
                 planned_on, at(planned_on, 11), None if is_open else at(start + timedelta(7)),
                 2 if is_open else 3)
            )  # fmt: skip
            item_ids = list(t.item.ids(len(week.items)))
            for item, item_id in zip(week.items, item_ids, strict=True):
                rows.item.append(
                    (item_id, week_id, prescription_ids[(item.phase_order, item.key)],
                     item.order, item.sets, item.reps, item.quantity, item.sets, item.reps,
                     item.quantity, item.base_sets, item.base_reps, item.base_quantity,
                     item.max_quantity, "", 1)
                )  # fmt: skip
            for s, session in enumerate(week.sessions):
                day = origin + timedelta(days=session.day)
                flagged = paused and is_open and s == 1
                (session_id,) = t.session.ids(1)
                rows.session.append(
                    (session_id, week_id, day, session.pain_during, session.pain_next_morning,
                     None, session.soreness, session.fatigue, session.rpe,
                     "New swelling after lifting at home." if flagged else "", "",
                     ["new_swelling"] if flagged else [], "amber" if flagged else "", physio,
                     at(day, 18))
                )  # fmt: skip
                for (sets, reps, quantity), item_id in zip(session.done, item_ids, strict=True):
                    (done_id,) = t.session_item.ids(1)
                    rows.session_item.append((done_id, session_id, item_id, sets, reps, quantity))
                if flagged:
                    flag_day = day
                    break  # paused at once: nothing more is logged
        for a in arch.assessments:
            self.assessment(a, patient, origin + timedelta(days=a.day))
        if flag_day is not None:
            patient.red_flag_tier, patient.red_flag_since = "amber", flag_day
        return program_id

    def write(self) -> None:
        for table in self.t.all():
            name = table.table
            rows = getattr(self.rows, _attr(table))
            self.counts[name] = self.counts.get(name, 0) + table.write(rows)
            rows.clear()

    def finish(self) -> None:
        for table in self.t.all():
            table.finish()


def _attr(table: Table) -> str:
    return {
        "programs_program": "program",
        "programs_phase": "phase",
        "programs_prescription": "prescription",
        "programs_week": "week",
        "programs_weekitem": "item",
        "programs_sessionlog": "session",
        "programs_sessionitem": "session_item",
        "assessments_assessment": "assessment",
        "assessments_questionnaireresponse": "questionnaire",
    }[table.table]


def seed(rng: random.Random, net: Network, sizes: config.Sizes, today: date) -> dict[str, Any]:
    clock = clock_.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = round(clock_.perf_counter() - clock, 2)
        clock = clock_.perf_counter()

    origin = today - timedelta(days=config.PROGRAM_DAYS)
    made = archetypes(sizes.archetypes, config.SEED, origin)
    lap("archetypes")
    by_job: dict[str, list[Archetype]] = {}
    for arch in made:
        by_job.setdefault(arch.blueprint.job, []).append(arch)
    cloner = Cloner(rng, today)
    # Rows are made consistent here: skip the per-row foreign-key triggers while copying.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    flagged: list[Patient] = []
    programs: list[tuple[int, Patient, Archetype]] = []
    for clinic in net.clinics:
        for n, patient in enumerate(net.on_program[clinic.pk]):
            assert patient.job_profile is not None  # noqa: S101 - program patients have one
            arch = rng.choice(by_job[patient.job_profile.job_title])
            paused = n >= sizes.programs_per_clinic
            programs.append((cloner.program(arch, patient, paused=paused), patient, arch))
            if paused:
                flagged.append(patient)
        cloner.write()  # one clinic at a time keeps memory flat
    on_program = {p.pk for _, p, _ in programs}
    for patient in net.patients:
        if patient.pk not in on_program and rng.random() < 0.5:
            first = rng.choice(made).assessments[0]
            day = min(patient.injury_onset + timedelta(days=10), today)
            cloner.assessment(first, patient, day)
    cloner.write()
    cloner.finish()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        # Fresh statistics before anything queries the new rows: without them the planner
        # scans whole tables (a report snapshot took 1.3 s instead of 0.09 s).
        cursor.execute("ANALYZE")
    lap("copy")
    Patient.objects.bulk_update(flagged, ["red_flag_tier", "red_flag_since"], batch_size=2000)
    counts: dict[str, Any] = dict(cloner.counts)
    counts["rtw_plans"] = seed_rtw_plans(rng, programs, today)
    lap("rtw_plans")
    counts["reports"] = seed_reports(rng, net, programs, sizes, today)
    lap("reports")
    counts["seconds"] = timings
    return counts


def seed_rtw_plans(
    rng: random.Random, programs: list[tuple[int, Patient, Archetype]], today: date
) -> int:
    """Programs in their last two phases have a graded return-to-work plan."""
    plans = []
    for program_id, patient, arch in programs:
        if arch.phase_order < 3 or rng.random() < 0.2:
            continue
        physio = patient.physiotherapist
        plans.append(
            RtwPlan(
                program_id=program_id,
                starts_on=today + timedelta(days=7 - today.weekday()),
                modified_duty=True,
                micro_breaks=rng.random() < 0.5,
                equipment=rng.random() < 0.3,
                fitness="may_be_fit",
                phased_return=True,
                altered_hours=True,
                functional_comments="Can do light duties; build hours up over six weeks.",
                valid_from=today - timedelta(days=7),
                valid_to=today + timedelta(days=21),
                next_review=today + timedelta(days=7),
                clinician=physio,
                clinician_name=physio.display_name,
                registration_number=physio.registration_number,
            )
        )
    plans = RtwPlan.objects.bulk_create(plans, batch_size=2000)
    steps, limits = [], []
    for plan in plans:
        for order, (first, last, hours) in enumerate(((1, 2, "4"), (3, 4, "6"), (5, 6, "8"))):
            steps.append(
                RtwStep(
                    plan=plan,
                    order=order,
                    week_from=first,
                    week_to=last,
                    hours_per_day=Decimal(hours),
                    days_per_week=5,
                    duties="Usual duties within the restrictions",
                )
            )
        limits.append(
            RtwRestriction(
                plan=plan,
                order=0,
                task_type="lift_floor_to_waist",
                max_kg=Decimal("10"),
                frequency="occasional",
            )
        )
    RtwStep.objects.bulk_create(steps, batch_size=5000)
    RtwRestriction.objects.bulk_create(limits, batch_size=5000)
    return len(plans)


def seed_reports(
    rng: random.Random,
    net: Network,
    programs: list[tuple[int, Patient, Archetype]],
    sizes: config.Sizes,
    today: date,
) -> int:
    """Some stored, shared reports: snapshots made by the app, one rendered PDF for all."""
    from patients.employer import snapshot as employer
    from rtw.reports import document

    made: list[Report] = []
    period_from, period_to = today - timedelta(days=27), today
    pdf = b""
    per_clinic: dict[int, int] = {}
    for program_id, patient, _ in programs:
        consent = net.consents.get(patient.pk)
        if consent is None or not consent.share_reports:
            continue
        if per_clinic.get(patient.clinic_id, 0) >= sizes.reports_per_clinic:
            continue
        per_clinic[patient.clinic_id] = per_clinic.get(patient.clinic_id, 0) + 1
        snap = employer.for_report(
            consent, period_from=period_from, period_to=period_to, today=today
        )
        author = patient.physiotherapist
        data = document.data_for(snap, prepared_by=author.display_name, clinic="Clinic")
        if not pdf:
            meta = document.ReportMeta(1, period_from, period_to, today, author.display_name, "")
            pdf = document.render(data, meta)
        made.append(
            Report(
                uuid=_uuid(rng),
                patient=patient,
                program_id=program_id,
                employer_id=consent.employer_id,
                number=1,
                period_from=period_from,
                period_to=period_to,
                author=author,
                status="ready",
                data=data,
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                rendered_at=at(today, 9),
                shared_at=at(today, 9) if rng.random() < 0.7 else None,
            )
        )
    reports = Report.objects.bulk_create(made, batch_size=500)
    through = Report.recipients.through
    through.objects.bulk_create(
        through(report_id=r.pk, user_id=net.viewers[r.employer_id].pk)
        for r in reports
        if r.shared_at is not None and r.employer_id in net.viewers
    )
    return len(reports)
