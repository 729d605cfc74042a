"""One row of every tracked model, made the way the application makes them."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, QuestionnaireResponse
from patients.models import Consent, Patient
from programs import services
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
from programs.rtw_rules import Limit, Step
from programs.services.rtw import PlanValues, save_plan
from rtw.models import AuditEvent, EventKind, Invitation, Report, User
from rtw.models.invitations import hash_token, new_token
from tests.access_reports import make_report
from tests.assessments.helpers import make_assessment
from tests.conftest import World
from tests.factories import make_program
from tests.programs.helpers import MONDAY, log_week, physio_of, plan


def plan_values() -> PlanValues:
    return PlanValues(
        starts_on=date(2026, 11, 2),
        equipment=False,
        modified_duty=True,
        flexible_hours=False,
        micro_breaks=True,
        accommodation_notes="A sit-stand stool at the packing bench.",
        fitness="may_be_fit",
        phased_return=True,
        amended_duties=False,
        altered_hours=True,
        workplace_adaptations=False,
        functional_comments="Can pack and pick light items.",
        valid_from=date(2026, 11, 2),
        valid_to=date(2026, 11, 29),
        next_review=date(2026, 11, 16),
        steps=(Step(1, 2, Decimal("4"), 5, "Packing bench only"),),
        restrictions=(Limit("stooping", max_minutes=10),),
    )


@dataclass
class Record:
    """A patient's whole record, and an invited account."""

    patient: Patient
    consent: Consent
    assessment: Assessment
    questionnaire: QuestionnaireResponse
    program: Program
    phase: Phase
    prescription: Prescription
    week: Week
    week_item: WeekItem
    session: SessionLog
    session_item: SessionItem
    rtw_plan: RtwPlan
    rtw_step: RtwStep
    rtw_restriction: RtwRestriction
    report: Report
    user: User
    invitation: Invitation

    def row(self, label: str) -> object:
        return getattr(self, LABELS[label])


LABELS = {
    "patients.patient": "patient",
    "patients.consent": "consent",
    "assessments.assessment": "assessment",
    "assessments.questionnaireresponse": "questionnaire",
    "programs.program": "program",
    "programs.phase": "phase",
    "programs.prescription": "prescription",
    "programs.week": "week",
    "programs.weekitem": "week_item",
    "programs.sessionlog": "session",
    "programs.sessionitem": "session_item",
    "programs.rtwplan": "rtw_plan",
    "programs.rtwstep": "rtw_step",
    "programs.rtwrestriction": "rtw_restriction",
    "rtw.report": "report",
    "rtw.user": "user",
    "rtw.invitation": "invitation",
}


@pytest.fixture
def record(world: World) -> Record:
    patient = world.patient
    assessment = make_assessment(patient)
    draft = make_program(patient)
    program = services.activate(acting_user=physio_of(draft), program=draft, today=MONDAY)
    week = plan(program, MONDAY).week
    log_week(program, week, days=(0,))
    rtw_plan = save_plan(acting_user=world.physio, program=program, values=plan_values(), version=0)
    invitee = User.objects.get(pk=world.colleague.pk)
    invitation = Invitation.objects.create(
        user=invitee,
        token_hash=hash_token(new_token()),
        invited_by=world.admin,
        expires_at=timezone.now() + timedelta(days=3),
    )
    session = SessionLog.objects.filter(week=week).first()
    assert session is not None
    return Record(
        patient=Patient.objects.get(pk=patient.pk),
        consent=Consent.objects.get(patient=patient),
        assessment=Assessment.objects.get(pk=assessment.pk),
        questionnaire=QuestionnaireResponse.objects.filter(assessment=assessment).first(),  # type: ignore[arg-type]
        program=Program.objects.get(pk=program.pk),
        phase=Phase.objects.filter(program=program).first(),  # type: ignore[arg-type]
        prescription=Prescription.objects.filter(phase__program=program).first(),  # type: ignore[arg-type]
        week=Week.objects.get(pk=week.pk),
        week_item=WeekItem.objects.filter(week=week).first(),  # type: ignore[arg-type]
        session=session,
        session_item=SessionItem.objects.filter(session=session).first(),  # type: ignore[arg-type]
        rtw_plan=rtw_plan,
        rtw_step=RtwStep.objects.filter(plan=rtw_plan).first(),  # type: ignore[arg-type]
        rtw_restriction=RtwRestriction.objects.filter(plan=rtw_plan).first(),  # type: ignore[arg-type]
        report=make_report(world),
        user=invitee,
        invitation=invitation,
    )


def changes_of(obj: object, action: str = "") -> list[AuditEvent]:
    """The row-change events about ``obj``, oldest first."""
    events = AuditEvent.objects.filter(
        kind=EventKind.CHANGE,
        target_type=obj._meta.label_lower,  # type: ignore[attr-defined]
        target_id=str(obj.pk),  # type: ignore[attr-defined]
    )
    if action:
        events = events.filter(action=action)
    return list(events.order_by("id"))


@pytest.fixture
def security_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What ``rtw.security`` says (it does not propagate to the root logger)."""
    logger = logging.getLogger("rtw.security")
    logger.addHandler(caplog.handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)
