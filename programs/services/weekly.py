"""The weekly loop: plan (through the engine), accept or lower, log sessions, close."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from assessments.scoring.red_flags import BY_KEY, tier_with_rest_pain
from programs import adapter, engine
from programs.models import (
    Phase,
    PhaseProposalStatus,
    Program,
    ProgramStatus,
    SessionItem,
    SessionLog,
    Week,
    WeekItem,
    WeekStatus,
)
from programs.rules import with_unit
from programs.services.common import (
    ITEM_FIELDS,
    PROGRAM_FIELDS,
    check_version,
    require_clinician_of,
    snapshot,
    validate,
    validated_save,
)
from programs.services.flags import flag_patient, halt
from rtw import audit
from rtw.errors import ServiceError
from rtw.models import User

CENT = Decimal("0.01")
SESSION_FIELDS = (
    "date",
    "pain_during",
    "pain_next_morning",
    "pain_at_rest",
    "soreness",
    "fatigue",
    "rpe",
    "notes",
    "adverse_events",
    "red_flags",
    "red_flag_tier",
)


@dataclass(frozen=True)
class PlanOutcome:
    """The engine's plan, and the week stored from it (None when paused: nothing planned)."""

    plan: engine.WeekPlan
    week: Week | None


@dataclass(frozen=True)
class Done:
    sets: int
    reps: int
    quantity: Decimal


@dataclass(frozen=True)
class SessionValues:
    date: date
    pain_during: int
    soreness: int
    fatigue: int
    rpe: int
    pain_next_morning: int | None = None
    pain_at_rest: int | None = None
    notes: str = ""
    adverse_events: str = ""
    red_flags: frozenset[str] = frozenset()
    # WeekItem id → what was done; an item left out was not done (0 sets).
    items: Mapping[int, Done] = field(default_factory=dict)


def reasons_json(reasons: tuple[engine.Reason, ...]) -> list[dict[str, Any]]:
    return [{"code": r.code.value, "text": r.text, "item": r.item} for r in reasons]


def acwr_json(acwr: engine.Acwr | None) -> dict[str, Any]:
    if acwr is None:
        return {}
    return {
        "ratio": None if acwr.ratio is None else str(acwr.ratio),
        "status": acwr.status.value,
        "method": acwr.method,
        "text": acwr.text,
    }


class PhaseRow(Protocol):
    """A phase as ``planned_week`` reads it: the model, or the batch's plain row."""

    @property
    def pk(self) -> int: ...
    @property
    def order(self) -> int: ...


def proposal_json(proposal: engine.PhaseProposal | None, phase: PhaseRow | None) -> dict[str, Any]:
    if proposal is None or phase is None:
        return {}
    step = 1 if proposal.direction is engine.PhaseDirection.ADVANCE else -1
    return {
        "direction": proposal.direction.value,
        "to_order": phase.order + step,
        "reasons": [r.text for r in proposal.reasons],
        "criteria": [c.text for c in proposal.criteria],
    }


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _refuse_unless_plannable(program: Program) -> None:
    if program.status in (ProgramStatus.PAUSED, ProgramStatus.SUSPENDED):
        raise ServiceError(
            f"The program is {program.status}: no week can be planned until a reassessment "
            "is recorded and the program is resumed. Nothing was planned."
        )
    if program.status == ProgramStatus.DRAFT:
        raise ServiceError("Activate the program before planning its first week.")
    if program.status != ProgramStatus.ACTIVE:
        raise ServiceError(f"The program is {program.status}: nothing can be planned.")


def _close(week: Week, *, acting_user: User, reason: str = "") -> None:
    week.status = WeekStatus.CLOSED
    week.closed_at = timezone.now()
    week.version += 1
    week.save(update_fields=["status", "closed_at", "version"])
    audit.record(
        actor=acting_user,
        action="week.closed",
        target=week,
        before={"status": WeekStatus.OPEN},
        after={"status": WeekStatus.CLOSED, "sessions": week.sessions.count()},
        reason=reason,
    )


@transaction.atomic
def close_week(*, acting_user: User, week: Week) -> Week:
    current = Week.objects.select_for_update(of=("self",)).select_related("program").get(pk=week.pk)
    require_clinician_of(acting_user, current.program)
    if current.status != WeekStatus.OPEN:
        raise ServiceError(f"Week {current.index} is not open, so it cannot be closed.")
    _close(current, acting_user=acting_user)
    return current


def planned_week(
    plan: engine.WeekPlan,
    *,
    program: Program,
    phase: PhaseRow,
    phases: Iterable[PhaseRow],
    index: int,
    today: date,
) -> Week:
    """The engine's plan as an unsaved week (its items are made by :func:`planned_item`)."""
    if plan.start is None:  # callers refuse such a plan first; this keeps the type honest
        raise ServiceError("The program has no current phase to plan.")
    proposal = proposal_json(plan.phase_proposal, phase)
    if proposal and not any(p.order == proposal["to_order"] for p in phases):
        proposal = {}  # no phase to move to
    week = Week(
        program=program,
        phase_id=phase.pk,
        index=index,
        start_date=plan.start,
        decision=plan.decision.value,
        reasons=reasons_json(plan.reasons),
        status=WeekStatus.PLANNED,
        planned_sessions=plan.planned_sessions or program.sessions_per_week,
        cap=program.cap,
        acwr=acwr_json(plan.acwr),
        phase_proposal=proposal,
        phase_proposal_status=PhaseProposalStatus.PENDING if proposal else "",
        planned_on=today,
    )
    if isinstance(phase, Phase):  # the page shows the phase of the week it just planned
        week.phase = phase
    return week


def planned_event(week: Week, plan: engine.WeekPlan) -> dict[str, Any]:
    """What the "week.planned" audit event records of a newly planned week."""
    return {
        "index": week.index,
        "start_date": plan.start,
        "decision": plan.decision.value,
        "reasons": week.reasons,
        "items": [
            {"key": p.key, "sets": p.sets, "reps": p.reps, "quantity": p.quantity}
            for p in plan.items
        ],
        "phase_proposal": week.phase_proposal,
    }


def plan_reason(plan: engine.WeekPlan) -> str:
    return "; ".join(r.text for r in plan.reasons)


def planned_item(planned: engine.PlannedItem, *, order: int) -> WeekItem:
    """The engine's planned item as a week item (week and prescription still to set)."""
    return WeekItem(
        order=order,
        sets=planned.sets,
        reps=planned.reps,
        quantity=planned.quantity,
        proposed_sets=planned.sets,
        proposed_reps=planned.reps,
        proposed_quantity=planned.quantity,
        base_sets=planned.base_sets,
        base_reps=planned.base_reps,
        base_quantity=planned.base_quantity,
        # Stored to the cent, rounded down: the same limit for 2-decimal quantities.
        max_quantity=engine.round_down(
            planned.max_quantity if planned.max_quantity is not None else planned.quantity,
            CENT,
        ),
    )


def _store_plan(
    *, acting_user: User, program: Program, data: adapter.ProgramData, plan: engine.WeekPlan
) -> Week:
    phase = data.phase
    if phase is None or plan.start is None:
        raise ServiceError("The program has no current phase to plan.")
    by_key = {p.key: p for p in data.current_prescriptions}
    last = Week.objects.filter(program=program).exclude(status=WeekStatus.CANCELLED)
    index = (last.aggregate(n=Max("index"))["n"] or 0) + 1
    # An older proposal nobody acted on is superseded by this plan's own judgement.
    Week.objects.filter(program=program, phase_proposal_status=PhaseProposalStatus.PENDING).update(
        phase_proposal_status=PhaseProposalStatus.LAPSED
    )
    week = planned_week(
        plan, program=program, phase=phase, phases=data.phases, index=index, today=data.today
    )
    week.planned_by = acting_user
    week.save()
    for order, planned in enumerate(plan.items):
        item = planned_item(planned, order=order)
        item.week, item.prescription = week, by_key[planned.key]
        validated_save(item)  # the engine's own output passes the same cap check
    audit.record(
        actor=acting_user,
        action="week.planned",
        target=week,
        after=planned_event(week, plan),
        reason=plan_reason(plan),
    )
    return week


def _run_engine(data: adapter.ProgramData) -> engine.WeekPlan:
    try:
        return engine.plan_next_week(adapter.plan_input(data))
    except engine.EngineInputError as error:
        raise ServiceError(
            f"The program's records cannot be planned from: {error}. Nothing was planned."
        ) from error


def _plan(*, acting_user: User, program: Program, today: date) -> PlanOutcome:
    """Inside a transaction with the program locked and checked plannable."""
    data = adapter.load(program, today)
    plan = _run_engine(data)
    if plan.decision in (engine.Decision.PAUSED, engine.Decision.SUSPENDED):
        tier = "emergency" if plan.decision is engine.Decision.SUSPENDED else "amber"
        halt(
            acting_user=acting_user,
            program=program,
            tier=tier,
            raised_on=today,
            source=plan.reasons[0].text if plan.reasons else "the engine",
        )
        return PlanOutcome(plan, None)
    return PlanOutcome(
        plan, _store_plan(acting_user=acting_user, program=program, data=data, plan=plan)
    )


@transaction.atomic
def plan_next_week(
    *, acting_user: User, program: Program, today: date | None = None
) -> PlanOutcome:
    """Close the open week and store the engine's proposal for the next one, for review.
    Paused or suspended: refused, nothing saved."""
    today = today or timezone.localdate()
    current = _lock(program)
    require_clinician_of(acting_user, current)
    _refuse_unless_plannable(current)
    week = Week.objects.filter(
        program=current, status__in=[WeekStatus.PLANNED, WeekStatus.OPEN]
    ).first()
    if week is not None and week.status == WeekStatus.PLANNED:
        raise ServiceError(
            f"Week {week.index} is already planned and awaiting review: accept it (or lower "
            "its values) first."
        )
    if week is not None and today < week.start_date:
        raise ServiceError(
            f"Week {week.index} starts on {week.start_date}: it cannot be closed before it starts."
        )
    if week is not None:
        _close(week, acting_user=acting_user, reason="Closed to plan the next week.")
    return _plan(acting_user=acting_user, program=current, today=today)


def _lock_week(week: Week) -> Week:
    return Week.objects.select_for_update(of=("self",)).select_related("program").get(pk=week.pk)


@transaction.atomic
def accept_week(*, acting_user: User, week: Week, version: int | None) -> Week:
    current = _lock_week(week)
    require_clinician_of(acting_user, current.program)
    check_version(current, version)
    if current.status != WeekStatus.PLANNED:
        raise ServiceError(f"Week {current.index} is not awaiting review.")
    if current.program.status != ProgramStatus.ACTIVE:
        raise ServiceError(f"The program is {current.program.status}: the week cannot start.")
    current.status = WeekStatus.OPEN
    current.accepted_by = acting_user
    current.accepted_at = timezone.now()
    current.version += 1
    current.save(update_fields=["status", "accepted_by", "accepted_at", "version"])
    items = list(current.items.select_related("prescription__exercise"))
    audit.record(
        actor=acting_user,
        action="week.accepted",
        target=current,
        before={"status": WeekStatus.PLANNED},
        after={
            "status": WeekStatus.OPEN,
            "items": [
                {
                    "exercise": i.prescription.exercise.name,
                    "sets": i.sets,
                    "reps": i.reps,
                    "quantity": i.quantity,
                    "lowered": i.is_lowered,
                }
                for i in items
            ],
        },
    )
    return current


def _raise_refusal(
    item: WeekItem, sets: int, reps: int, quantity: Decimal
) -> tuple[str, str] | None:
    unit = item.unit
    if quantity > item.proposed_quantity:
        return "quantity", (
            f"Refused: {with_unit(quantity, unit)} is above the proposal of "
            f"{with_unit(item.proposed_quantity, unit)}; a proposal can be accepted or lowered, "
            "never raised."
        )
    if sets > item.proposed_sets:
        return "sets", (
            f"Refused: {sets} sets is more than the proposed {item.proposed_sets}; a proposal "
            "can be accepted or lowered, never raised."
        )
    if reps > item.proposed_reps:
        return "reps", (
            f"Refused: {reps} reps is more than the proposed {item.proposed_reps}; a proposal "
            "can be accepted or lowered, never raised."
        )
    return None


@transaction.atomic
def change_item(
    *,
    acting_user: User,
    item: WeekItem,
    sets: int,
    reps: int,
    quantity: Decimal,
    reason: str,
    version: int | None,
) -> WeekItem:
    """Lower a week's values (with a reason), or put them back to the proposal. The cap is
    checked by the model first, so a value above it gets the cap's message; a value within
    the cap but above the engine's proposal is refused too. Forms, htmx edits, imports and
    any API all come through here."""
    current = (
        WeekItem.objects.select_for_update(of=("self",))
        .select_related("week__program", "prescription__exercise")
        .get(pk=item.pk)
    )
    week = current.week
    require_clinician_of(acting_user, week.program)
    if not week.is_current:
        raise ServiceError(f"Week {week.index} is {week.status}: its values can no longer change.")
    check_version(current, version)
    before = snapshot(current, ITEM_FIELDS)
    current.sets, current.reps, current.quantity = sets, reps, quantity
    validate(current)  # the cap first: a value above it gets the cap's message
    refusal = _raise_refusal(current, sets, reps, quantity)
    if refusal is not None:
        raise ServiceError(refusal[1], field=refusal[0])
    reason = reason.strip()
    if current.is_lowered and not reason:
        raise ServiceError("Give the reason for lowering the proposal.", field="reason")
    current.override_reason = reason if current.is_lowered else ""
    current.version += 1
    current.save(update_fields=[*ITEM_FIELDS, "version"])
    # The week's version too (atomically): an accept opened before this edit is stale.
    Week.objects.filter(pk=week.pk).update(version=F("version") + 1)
    audit.record(
        actor=acting_user,
        action="week_item.lowered" if current.is_lowered else "week_item.reset",
        target=current,
        before=before,
        after=snapshot(current, ITEM_FIELDS),
        reason=current.override_reason,
    )
    return current


def week_for_logging(program: Program, index: int) -> Week:
    week = (
        Week.objects.filter(program=program, index=index)
        .exclude(status=WeekStatus.CANCELLED)
        .first()
    )
    open_week = Week.objects.filter(program=program, status=WeekStatus.OPEN).first()
    hint = f" Sessions go in the open week (week {open_week.index})." if open_week else ""
    if week is None:
        raise ServiceError(f"Week {index} does not exist in this program.{hint}")
    if week.status == WeekStatus.CLOSED:
        raise ServiceError(f"Week {index} is closed: no more sessions can be logged in it.{hint}")
    if week.status == WeekStatus.PLANNED:
        raise ServiceError(f"Week {index} has not been accepted yet: accept its plan first.")
    return week


def _check_session(week: Week, values: SessionValues, today: date) -> None:
    if not week.start_date <= values.date <= week.end_date:
        raise ServiceError(
            f"Week {week.index} runs from {week.start_date} to {week.end_date}; "
            f"{values.date} is outside it.",
            field="date",
        )
    if values.date > today:
        raise ServiceError("A session cannot be logged for a future date.", field="date")
    unknown = sorted(set(values.red_flags) - set(BY_KEY))
    if unknown:
        raise ServiceError(f"Unknown red flag: {', '.join(unknown)}.", field="red_flags")


def session_tier(values: SessionValues) -> str:
    """Ticked flags, with pain at rest (or on waking) of 8/10 or more counting as amber."""
    rest = [v for v in (values.pain_at_rest, values.pain_next_morning) if v is not None]
    try:
        tier = tier_with_rest_pain(values.red_flags, max(rest) if rest else None)
    except ValueError as error:
        raise ServiceError(str(error), field="pain_at_rest") from error
    return tier.name.lower() if tier is not None else ""


@transaction.atomic
def log_session(
    *,
    acting_user: User,
    program: Program,
    week_index: int,
    values: SessionValues,
    today: date | None = None,
) -> SessionLog:
    """Record one session of the open week. A red flag (or pain at rest ≥ 8/10) stops the
    program at once: paused, or suspended for an emergency flag."""
    today = today or timezone.localdate()
    current = _lock(program)
    require_clinician_of(acting_user, current)
    if current.status != ProgramStatus.ACTIVE:
        raise ServiceError(
            f"The program is {current.status}: sessions can be logged only while it is active."
        )
    week = week_for_logging(current, week_index)
    _check_session(week, values, today)
    session = SessionLog(
        week=week,
        date=values.date,
        pain_during=values.pain_during,
        pain_next_morning=values.pain_next_morning,
        pain_at_rest=values.pain_at_rest,
        soreness=values.soreness,
        fatigue=values.fatigue,
        rpe=values.rpe,
        notes=values.notes.strip(),
        adverse_events=values.adverse_events.strip(),
        red_flags=sorted(values.red_flags),
        red_flag_tier=session_tier(values),
        logged_by=acting_user,
    )
    validated_save(session)
    items = list(week.items.select_related("prescription__exercise"))
    unknown = set(values.items) - {i.pk for i in items}
    if unknown:
        raise ServiceError("Some entries do not belong to this week's plan.")
    rows = []
    for item in items:
        done = values.items.get(item.pk, Done(0, 0, Decimal(0)))
        row = SessionItem(
            session=session, week_item=item, sets=done.sets, reps=done.reps, quantity=done.quantity
        )
        try:
            validated_save(row)
        except ServiceError as error:
            raise ServiceError(
                f"{item.prescription.exercise}: {error.message}",
                field=f"item_{item.pk}_{error.field or 'quantity'}",
            ) from error
        rows.append(row)
    audit.record(
        actor=acting_user,
        action="session.logged",
        target=session,
        after={
            **snapshot(session, SESSION_FIELDS),
            "week": week.index,
            "items": {
                r.week_item.prescription.exercise.name: [r.sets, r.reps, r.quantity] for r in rows
            },
        },
    )
    if session.red_flag_tier:
        reason = f"session of {session.date}"
        halt(
            acting_user=acting_user,
            program=current,
            tier=session.red_flag_tier,
            raised_on=session.date,
            source=reason,
        )
        if current.patient is not None:
            flag_patient(
                acting_user=acting_user,
                patient=current.patient,
                tier=session.red_flag_tier,
                raised_on=session.date,
                reason=f"Red flag in the {reason} ({current.name}).",
            )
    return session


@transaction.atomic
def acknowledge_acwr(
    *, acting_user: User, program: Program, today: date | None = None
) -> PlanOutcome | None:
    """A clinician lets progression go ahead despite an ACWR of 1.5 or more. A week already
    planned (and held for it) is planned again."""
    today = today or timezone.localdate()
    current = _lock(program)
    require_clinician_of(acting_user, current)
    before = snapshot(current, ("acwr_acknowledged_on",))
    current.acwr_acknowledged_on = today
    current.version += 1
    current.save(update_fields=["acwr_acknowledged_on", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="program.acwr_acknowledged",
        target=current,
        before=before,
        after=snapshot(current, ("acwr_acknowledged_on",)),
        reason="Clinician acknowledged an acute:chronic workload ratio of 1.5 or more.",
    )
    planned = Week.objects.filter(program=current, status=WeekStatus.PLANNED).first()
    if planned is None or current.status != ProgramStatus.ACTIVE:
        return None
    _cancel(
        planned, acting_user=acting_user, reason="Planned again after the ACWR acknowledgement."
    )
    return _plan(acting_user=acting_user, program=current, today=today)


def _cancel(week: Week, *, acting_user: User, reason: str) -> None:
    week.status = WeekStatus.CANCELLED
    week.version += 1
    week.save(update_fields=["status", "version"])
    audit.record(
        actor=acting_user,
        action="week.cancelled",
        target=week,
        before={"status": WeekStatus.PLANNED},
        after={"status": WeekStatus.CANCELLED},
        reason=reason,
    )


@transaction.atomic
def decide_phase_change(
    *,
    acting_user: User,
    week: Week,
    confirm: bool,
    version: int | None,
    today: date | None = None,
) -> Week:
    """Confirm or decline the engine's phase proposal on a week. Confirmed on a week still
    awaiting review, that week is planned again in the new phase; on an open week, the new
    phase starts with the next week."""
    today = today or timezone.localdate()
    current = _lock_week(week)
    program = _lock(current.program)
    require_clinician_of(acting_user, program)
    check_version(current, version)
    if current.phase_proposal_status != PhaseProposalStatus.PENDING:
        raise ServiceError("There is no phase change awaiting confirmation.")
    proposal = current.phase_proposal
    before = snapshot(program, PROGRAM_FIELDS)
    current.phase_proposal_status = (
        PhaseProposalStatus.CONFIRMED if confirm else PhaseProposalStatus.DECLINED
    )
    current.version += 1
    current.save(update_fields=["phase_proposal_status", "version"])
    if not confirm:
        audit.record(
            actor=acting_user,
            action="phase_change.declined",
            target=program,
            after={"week": current.index, "proposal": proposal},
        )
        return current
    target = Phase.objects.filter(program=program, order=proposal.get("to_order")).first()
    if target is None:
        raise ServiceError("The proposed phase does not exist in this program.")
    program.current_phase = target
    replan = current.status == WeekStatus.PLANNED and program.status == ProgramStatus.ACTIVE
    program.phase_started_on = (
        current.start_date if replan else current.start_date + timedelta(days=7)
    )
    program.version += 1
    program.save(update_fields=["current_phase", "phase_started_on", "version", "updated_at"])
    audit.record(
        actor=acting_user,
        action="phase_change.confirmed",
        target=program,
        before=before,
        after=snapshot(program, PROGRAM_FIELDS),
        reason="; ".join(proposal.get("reasons", [])),
    )
    if replan:
        _cancel(current, acting_user=acting_user, reason=f"Planned again in {target}.")
        outcome = _plan(acting_user=acting_user, program=program, today=today)
        if outcome.week is not None:
            return outcome.week
    return current
