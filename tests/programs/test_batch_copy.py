"""On PostgreSQL the weekly batch writes with COPY (``rtw.copy_rows``); elsewhere with
Django's bulk statements. Both leave the same weeks, items and audit trail, and two runs at
once (the daily task's share on each worker process) split the due programs between them.

CI runs these on PostgreSQL (``RTW_REQUIRE_SERVICES=1``); a plain checkout on SQLite has no
COPY and no second connection to the in-memory database, and skips them."""

import os
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction

from programs.models import Program, ProgramCarry, Week, WeekItem, WeekStatus
from programs.services import batch
from programs.services.batch import propose_next_weeks
from rtw.models import AuditEvent
from tests.conftest import World
from tests.factories import make_patient, make_program
from tests.programs.helpers import MONDAY, end_of, log_week, plan

REQUIRED = os.environ.get("RTW_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _postgresql(db: None) -> None:
    if connection.vendor != "postgresql":
        if REQUIRED:
            pytest.fail("CI must run the batch's COPY path on PostgreSQL.")
        pytest.skip("COPY is PostgreSQL's")


def _programs(world: World, program: Program, count: int) -> list[Program]:
    """``program`` and ``count - 1`` more, each with two weeks logged (the second one felt
    differently in each, so that the plans differ), all due the same day."""
    programs = [program]
    for _ in range(count - 1):
        patient = make_patient(world.physio, employer=world.employer)
        programs.append(make_program(patient, activate_on=MONDAY))
    feels: list[dict[str, Any]] = [
        {},
        {"soreness": 7},
        {"pain_during": 4},
        {"pain_next_morning": 3},
    ]
    for n, each in enumerate(programs):
        week = plan(each, MONDAY).week
        log_week(each, week)
        week = plan(each, end_of(week)).week
        log_week(each, week, **feels[n % len(feels)])
    # One proposal still pending: the new plan lapses it.
    Week.objects.filter(program=programs[0], index=1).update(
        phase_proposal={"direction": "advance", "to_order": 2}, phase_proposal_status="pending"
    )
    return programs


def _week_key(week_id: Any) -> tuple[int, int]:
    week = Week.objects.get(pk=week_id)
    return (week.program_id, week.index)


def _what_was_written(programs: list[Program], events_after: int) -> dict[str, Any]:
    """The programs' weeks, items and carries, and the audit events after id
    ``events_after``, with ids read as what they name."""
    weeks = Week.objects.filter(program__in=programs).order_by("program_id", "index")
    items = WeekItem.objects.filter(week__program__in=programs).order_by(
        "week__program_id", "week__index", "order"
    )
    events = []
    for e in AuditEvent.objects.filter(id__gt=events_after).order_by("id"):
        target: Any = e.target_id
        if e.target_type == "programs.week":
            target = _week_key(e.target_id)
        elif e.target_type == "programs.weekitem":
            item = WeekItem.objects.get(pk=e.target_id)
            target = (*_week_key(item.week_id), item.prescription_id)
        after = {k: (_week_key(v) if k == "week" else v) for k, v in e.after.items()}
        for moment in ("closed_at",):
            if moment in after:
                after[moment] = "when"
        events.append(
            (
                e.kind,
                e.method,
                e.action,
                e.target_type,
                str(target),
                e.clinic_id,
                e.patient_uuid,
                e.actor_id,
                e.reason,
                sorted(e.before.items()),
                sorted((k, str(v)) for k, v in after.items()),
            )
        )
    return {
        "weeks": [
            (
                w.program_id,
                w.index,
                w.phase_id,
                w.status,
                w.decision,
                w.reasons,
                w.start_date,
                w.planned_sessions,
                w.cap,
                w.acwr,
                w.phase_proposal,
                w.phase_proposal_status,
                w.planned_on,
                w.closed_at is not None,
                w.version,
            )
            for w in weeks
        ],
        "items": [
            (
                i.week.program_id,
                i.week.index,
                i.prescription_id,
                i.order,
                i.sets,
                i.reps,
                i.quantity,
                i.proposed_quantity,
                i.base_sets,
                i.base_reps,
                i.base_quantity,
                i.max_quantity,
            )
            for i in items
        ],
        "events": sorted(events, key=str),
        "carries": sorted(
            (c.program_id, _week_key(c.week_id), str(c.data))
            for c in ProgramCarry.objects.filter(program__in=programs)
        ),
    }


def _run(today: date, programs: list[Program], *, use_copy: bool, monkeypatch: Any) -> Any:
    """What the batch wrote, read back, then undone."""
    monkeypatch.setattr("rtw.copy_rows.supported", lambda using="default": use_copy)
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic():
        point = transaction.savepoint()
        result = propose_next_weeks(today)
        written = _what_was_written(programs, events_after=start)
        transaction.savepoint_rollback(point)
    return result, written


def test_copy_writes_the_same_weeks_items_carries_and_audit_trail_as_the_orm(
    world: World, program: Program, monkeypatch: Any
) -> None:
    programs = _programs(world, program, 6)
    today = end_of(Week.objects.get(program=program, index=2)) + timedelta(days=1)
    orm_result, by_orm = _run(today, programs, use_copy=False, monkeypatch=monkeypatch)
    copy_result, by_copy = _run(today, programs, use_copy=True, monkeypatch=monkeypatch)
    assert (orm_result.planned, copy_result.planned) == (6, 6)
    assert {w[4] for w in by_copy["weeks"] if w[3] == WeekStatus.PLANNED} >= {"progress", "hold"}
    assert by_copy["weeks"] == by_orm["weeks"]
    assert by_copy["items"] == by_orm["items"]
    assert by_copy["carries"] == by_orm["carries"]
    assert by_copy["events"] == by_orm["events"]
    lapsed = [w for w in by_copy["weeks"] if w[11] == "lapsed"]
    assert len(lapsed) == 1
    kinds = {(e[2], e[3], e[1]) for e in by_copy["events"]}
    assert {
        ("week.closed", "programs.week", ""),
        ("week.planned", "programs.week", ""),
        ("update", "programs.week", "update"),
        ("create", "programs.week", "bulk_create"),
        ("create", "programs.weekitem", "bulk_create"),
    } <= kinds


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_take_different_programs_and_plan_each_once(
    world: World, program: Program, monkeypatch: Any
) -> None:
    """Each run holds its chunk's programs locked until it commits; the other skips them.
    Both first chunks wait for each other while holding their locks: had the second run
    waited on the first one's program instead of skipping it, they would never meet."""
    programs = _programs(world, program, 4)
    today = end_of(Week.objects.get(program=program, index=2)) + timedelta(days=1)
    both_holding = threading.Barrier(2, timeout=30)
    run = batch._Chunk.run
    held: list[list[int]] = []

    def run_meeting_the_other(chunk: Any) -> None:
        if len(held) < 2:
            held.append([p.pk for p in chunk.programs])
            both_holding.wait()
        run(chunk)

    monkeypatch.setattr(batch._Chunk, "run", run_meeting_the_other)
    results: list[Any] = []

    def share() -> None:
        try:
            results.append(propose_next_weeks(today, chunk_size=1))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=share) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2
    assert len(held) == 2 and not set(held[0]) & set(held[1])
    assert sum(r.planned for r in results) == 4
    assert all(r.planned for r in results)  # the work was shared
    for each in programs:
        assert Week.objects.filter(program=each, status=WeekStatus.PLANNED).count() == 1
