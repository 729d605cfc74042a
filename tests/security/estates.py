"""One of everything an id can name, for a clinic: what the enumeration and tampering
tests reach for across tenants."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment
from patients.models import Consent, JobDemandProfile, JobTask, Patient
from programs import services as programs
from programs.models import Exercise, Prescription, Program, Week, WeekItem
from rtw.models import Clinic, Employer, Report, Role, User
from tests import factories
from tests.access_reports import make_report
from tests.assessments.helpers import make_assessment
from tests.conftest import World


@dataclass
class Estate:
    clinic: Clinic
    employer: Employer
    physio: User
    staff: User
    viewer: User
    patient: Patient
    consent: Consent
    profile: JobDemandProfile
    task: JobTask
    template: JobDemandProfile
    program: Program
    week: Week
    item: WeekItem
    prescription: Prescription
    assessment: Assessment
    report: Report
    exercise: Exercise
    program_template: Program


def _report(w: World, patient: Patient) -> Report:
    report = make_report(w, shared=False)
    Report.objects.filter(pk=report.pk).update(
        patient=patient, employer=patient.employer, number=1000 + report.pk
    )
    report.refresh_from_db()
    return report


def estate(w: World, *, ours: bool) -> Estate:
    """Our clinic's (``ours``) or the other clinic's records, each reachable by id."""
    clinic = w.clinic if ours else w.other_clinic
    employer = w.employer if ours else w.other_employer
    physio = w.physio if ours else w.other_physio
    patient = w.patient if ours else w.other_patient
    profile = factories.make_job_profile(clinic, employer)
    template = JobDemandProfile.objects.filter(clinic=clinic, is_template=True).first()
    assert template is not None
    program = factories.make_program(patient, job_profile=profile, activate_on=timezone.localdate())
    outcome = programs.plan_next_week(acting_user=physio, program=program)
    assert outcome.week is not None
    item = outcome.week.items.first()
    prescription = Prescription.objects.filter(phase__program=program).first()
    assert item is not None and prescription is not None
    exercise = programs.create_exercise(
        acting_user=physio,
        data={
            "name": f"Own exercise of {clinic.name}",
            "category": "free_weight",
            "task_type": "",
            "quantity_kind": "load",
            "increment": Decimal("0.5"),
            "description": "",
        },
    )
    program_template = programs.save_as_template(
        acting_user=physio, program=program, name=f"Template of {clinic.name}"
    )
    return Estate(
        clinic=clinic,
        employer=employer,
        physio=physio,
        staff=factories.make_user(Role.PHYSIOTHERAPIST, clinic=clinic),
        viewer=w.viewer if ours else w.other_viewer,
        patient=patient,
        consent=patient.consents.get(),
        profile=profile,
        task=profile.tasks.get(),
        template=template,
        program=program,
        week=outcome.week,
        item=item,
        prescription=prescription,
        assessment=make_assessment(patient),
        report=_report(w, patient),
        exercise=exercise,
        program_template=program_template,
    )
