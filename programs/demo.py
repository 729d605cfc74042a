"""Demo programs, run through the engine week by week exactly as a clinician would in the
app: plan, accept, log the sessions, plan again. Idempotent: a patient who already has a
program is left alone.

Jamie Carter (Riverside, physio@riverside.example) gets a warehouse-lifting program with
eight weeks of history - a first week, progress, a rhythm deload and the resume after it,
a phase change confirmed on an assessment that met the exit criteria, a flare-up (regress),
an amber red flag that pauses the program, the reassessment and the resumption - and a
current week that is open, so that a user can log it and plan the next one.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment
from assessments.services import record_assessment
from assessments.values import MEASURE_FIELDS, AssessmentValues
from patients.models import Patient
from programs import rtw_page, rtw_rules, services
from programs.models import Fitness, PhaseProposalStatus, Program, RtwPlan, Week, WeekItem
from programs.services import Done, SessionValues
from programs.services.rtw import PlanValues, save_plan
from rtw.demo import DemoOrgs
from rtw.models import User

WEEKS = 9  # the ninth is this week, left open


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _log(
    program: Program, week: Week, physio: User, *, days: tuple[int, ...] = (0, 2, 4), **feel: object
) -> None:
    items = list(WeekItem.objects.filter(week=week))
    flagged_day = feel.pop("flag_on_day", None)
    for offset in days:
        values: dict[str, object] = {
            "pain_during": 2,
            "pain_next_morning": 1,
            "soreness": 3,
            "fatigue": 3,
            "rpe": 5,
        }
        values.update(feel)
        flags: frozenset[str] = frozenset()
        notes = ""
        if flagged_day == offset:
            flags = frozenset({"new_swelling"})
            notes = "New swelling over the right paraspinals after lifting at home."
        done = {i.pk: Done(i.sets, i.reps, i.quantity) for i in items}
        services.log_session(
            acting_user=physio,
            program=program,
            week_index=week.index,
            values=SessionValues(
                date=week.start_date + timedelta(days=offset),
                items=done,
                red_flags=flags,
                notes=notes,
                **values,  # type: ignore[arg-type]
            ),
            today=week.start_date + timedelta(days=6),
        )
        if flags:
            return  # the program is paused: nothing more is logged that week


def _plan(program: Program, physio: User, today: date) -> Week:
    outcome = services.plan_next_week(acting_user=physio, program=program, today=today)
    week = outcome.week
    if week is None:
        raise RuntimeError(f"demo: nothing planned on {today}: {outcome.plan.reasons}")
    first_phase = program.current_phase is not None and program.current_phase.order == 1
    if week.phase_proposal_status == PhaseProposalStatus.PENDING and first_phase:
        week = services.decide_phase_change(
            acting_user=physio, week=week, confirm=True, version=week.version, today=today
        )
    return services.accept_week(acting_user=physio, week=week, version=week.version)


def _reassess(patient: Patient, physio: User, flagged_on: date, today: date) -> date:
    """The reassessment after the flag: an existing flag-free one, else one recorded now."""
    existing = (
        Assessment.objects.filter(
            patient=patient, red_flag_tier="", assessed_on__gte=flagged_on, assessed_on__lte=today
        )
        .order_by("assessed_on")
        .first()
    )
    if existing is not None:
        return existing.assessed_on
    day = flagged_on + timedelta(days=1)
    measures: dict[str, Decimal | int | None] = dict.fromkeys(MEASURE_FIELDS)
    measures.update(nprs=3, rest_pain=1, lift_floor_to_waist_kg=Decimal("16"))
    record_assessment(
        acting_user=physio,
        patient=patient,
        values=AssessmentValues(
            kind="progress",
            assessed_on=day,
            measures=measures,
            notes="Reassessment after the swelling: settled, no neurological signs.",
        ),
        today=today,
    )
    return day


def seed_jamie(patient: Patient, today: date) -> Program:
    physio = patient.physiotherapist
    template = Program.objects.get(is_template=True, clinic=None, name="Warehouse lifting")
    assert patient.job_profile is not None  # noqa: S101 - demo data always has one
    program = services.create_program(
        acting_user=physio, patient=patient, template=template, job_profile=patient.job_profile
    )
    first = _monday(today) - timedelta(weeks=WEEKS - 1)
    program = services.update_settings(
        acting_user=physio,
        program=program,
        data={"baseline_morning_pain": 1},
        version=program.version,
    )
    foundation = program.phases.get(order=1)
    services.update_phase(
        acting_user=physio,
        phase=foundation,
        data={"exit_criteria": "nprs <= 3"},
        version=foundation.version,
    )
    program = services.activate(acting_user=physio, program=program, today=first)
    week = _plan(program, physio, first)
    for index in range(1, WEEKS):
        end = week.start_date + timedelta(days=6)
        if index == 3:
            item = WeekItem.objects.filter(week=week, prescription__exercise__name="Goblet squat")
            squat = item.select_related("week", "prescription__exercise").first()
            if squat is not None and squat.quantity >= 1:
                services.change_item(
                    acting_user=physio,
                    item=squat,
                    sets=squat.sets,
                    reps=squat.reps,
                    quantity=squat.quantity - 1,
                    reason="Worker asked to stay a kilo lighter while new work boots bed in.",
                    version=squat.version,
                )
        if index == 6:  # a flare-up: a regress next week
            _log(program, week, physio, pain_during=6, pain_next_morning=3, soreness=6)
        elif index == 7:  # an amber red flag in the second session: paused at once
            _log(program, week, physio, days=(0, 2), flag_on_day=2)
            flagged_on = week.start_date + timedelta(days=2)
            reassessed = _reassess(patient, physio, flagged_on, today)
            services.resume(acting_user=physio, program=program, today=max(reassessed, end))
        else:
            _log(program, week, physio)
        program.refresh_from_db()
        week = _plan(program, physio, end)
    return program


def seed_jamie_plan(program: Program, today: date) -> None:
    """Jamie's return-to-work plan: back on a 4 → 6 → 8 hours ramp from next Monday (the
    first rise is warned about: +50 % is over his cap), restricted to what he can lift now."""
    if RtwPlan.objects.filter(program=program).exists():
        return
    physio = program.patient.physiotherapist if program.patient else None
    if physio is None:
        return
    starts = _monday(today) + timedelta(weeks=1)
    ramp = rtw_rules.RAMPS_BY_KEY["half_three_quarter_full"].steps(rtw_page.shift_hours(program))
    duties = (
        "Packing bench and labelling; no pallet work",
        "Packing and light picking (cartons within the restrictions)",
        "Usual picking and packing within the restrictions",
    )
    steps = tuple(replace(step, duties=text) for step, text in zip(ramp, duties, strict=True))
    limits = (
        *rtw_page.unmet_limits(program),
        rtw_rules.Limit("stooping", "Picking from low shelves", max_minutes=10),
    )
    values = PlanValues(
        starts_on=starts,
        equipment=True,
        modified_duty=True,
        flexible_hours=False,
        micro_breaks=True,
        accommodation_notes="A roll-cage trolley for cartons; a 5-minute break every hour.",
        fitness=Fitness.MAY_BE_FIT,
        phased_return=True,
        amended_duties=True,
        altered_hours=True,
        workplace_adaptations=False,
        functional_comments=(
            "Can stand, walk and handle cartons within the weights below. Needs to build up "
            "hours over six weeks and to change position often when picking from low shelves."
        ),
        valid_from=today,
        valid_to=today + timedelta(weeks=4, days=-1),
        next_review=today + timedelta(weeks=2),
        steps=steps,
        restrictions=limits[: rtw_rules.MAX_RESTRICTIONS],
    )
    save_plan(acting_user=physio, program=program, values=values, version=None)


def seed_programs(orgs: DemoOrgs) -> None:
    today = timezone.localdate()
    clinic = orgs.clinics["riverside"]
    jamie = Patient.objects.filter(clinic=clinic, first_name="Jamie", last_name="Carter").first()
    if jamie is None or jamie.job_profile is None:
        return
    program = Program.objects.filter(patient=jamie).order_by("-created_at", "-id").first()
    if program is None:
        program = seed_jamie(jamie, today)
    seed_jamie_plan(program, today)
