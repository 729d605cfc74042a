"""A patient with one of everything (and more): the record an export must carry whole."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import Consent, Patient
from programs.models import Program, RtwPlan, RtwRestriction, RtwStep
from programs.services.batch import build_carries
from rtw.models import Employer, Report, ReportStatus, User
from tests.employer.builders import make_worker


def add_rtw_plan(program: Program, clinician: User) -> RtwPlan:
    plan = RtwPlan.objects.create(
        program=program,
        starts_on=date(2026, 11, 2),
        micro_breaks=True,
        phased_return=True,
        valid_from=date(2026, 11, 2),
        valid_to=date(2026, 11, 29),
        clinician=clinician,
        clinician_name=clinician.display_name,
    )
    RtwStep.objects.create(
        plan=plan, order=1, week_from=1, week_to=2, hours_per_day=Decimal("4"), days_per_week=5
    )
    RtwRestriction.objects.create(
        plan=plan, order=1, task_type="stooping", max_minutes=10, note="Short spells only"
    )
    return plan


def add_report(patient: Patient, number: int, *, pdf: bytes | None) -> Report:
    assert patient.employer is not None
    ready = pdf is not None
    return Report.objects.create(
        patient=patient,
        employer=patient.employer,
        number=number,
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 1) + timedelta(days=number),
        author=patient.physiotherapist,
        status=ReportStatus.READY if ready else ReportStatus.FAILED,
        pdf=pdf,
        rendered_at=timezone.now() if ready else None,
        data={"worker": patient.full_name},
    )


def full_record(physio: User, employer: Employer, *, weeks: int = 3, **patient: object) -> Patient:
    """Assessments with questionnaires, a program with logged weeks and a return-to-work
    plan, an earlier (withdrawn) consent and the open one, two reports (one with a PDF)."""
    worker = make_worker(physio, employer, weeks=weeks, **patient)  # type: ignore[arg-type]
    for assessment in Assessment.objects.filter(patient=worker):
        QuestionnaireResponse.objects.create(
            assessment=assessment,
            instrument="odi",
            responses={f"q{i}": 2 for i in range(1, 11)},
            score=Decimal("40"),
            band="Severe disability",
            answered=10,
            required=10,
        )
    Consent.objects.create(
        patient=worker,
        employer=employer,
        given_on=date(2026, 8, 1),
        withdrawn_on=date(2026, 8, 20),
        recorded_by=physio,
        withdrawal_recorded_by=physio,
    )
    program = Program.objects.get(patient=worker)
    build_carries()  # the weekly batch's summary of the closed weeks
    add_rtw_plan(program, physio)
    add_report(worker, 1, pdf=b"%PDF-1.7 report one of " + str(worker.uuid).encode())
    add_report(worker, 2, pdf=None)
    return worker
