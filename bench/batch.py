"""The weekly batch on the large database: programs per second and queries per chunk.

``python -m bench.run batch``. It first stores the carry of every program that has none
(the upgrade step ``manage.py build_carries``, timed apart), then runs the batch as the
daily task does: in ``RTW_BATCH_PROCESSES`` processes at once, each taking the chunks of
due programs the others do not hold. Each runs inside a transaction that is rolled back
at the end, once all are through, so that a kept database still has every program due
next time; foreign keys, which PostgreSQL would check at commit, are checked row by row.
The time is from the start of all to the end of the last; besides it, each chunk's time
is split into reading, the engine and writing (summed over the processes). It measures
three times, each from a vacuumed database, and reports the median run.
"""

import multiprocessing
import time
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from bench import config
from programs.services import batch


def _timed(split: dict[str, float]) -> Any:
    def run(chunk: Any) -> None:
        started = time.perf_counter()
        loaded = chunk.read()
        read = time.perf_counter()
        chunk.plan(loaded)
        planned = time.perf_counter()
        chunk.write()
        written = time.perf_counter()
        split["read"] += read - started
        split["engine"] += planned - read
        split["write"] += written - planned

    return run


# A run takes about 2.5 s, and its figure moves by up to a tenth from one run to the next on
# a shared host: the report gives the median of three, and all three.
RUNS = 3
WRITTEN = (
    "programs_week",
    "programs_weekitem",
    "programs_programcarry",
    "programs_program",
    "rtw_auditevent",
)


def main() -> None:
    today = timezone.localdate()
    # The one-time upgrade step (``manage.py build_carries``): each program's earlier weeks
    # folded, so that the batch reads one week per program. Kept, not rolled back.
    started = time.perf_counter()
    carries = batch.build_carries()
    carry_seconds = time.perf_counter() - started
    due = batch.due_programs(today).count()
    measured = []
    for _ in range(RUNS):
        _vacuum()
        measured.append(_measure(today))
    measured.sort(key=lambda m: m["seconds"])
    median = measured[len(measured) // 2]
    config.write_json(
        "batch",
        {
            "due": due,
            **median,
            "runs_programs_per_second": [m["programs_per_second"] for m in measured],
            "carries_built": carries,
            "carries_seconds": round(carry_seconds, 1),
        },
    )


def _vacuum() -> None:
    """Each run starts alike: the rows the previous one wrote and rolled back cleared."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(WRITTEN)}")
    connections.close_all()  # the workers are forked: each opens its own connection


def _measure(today: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    processes = settings.RTW_BATCH_PROCESSES  # as the daily task shares it out
    go, finished = ctx.Barrier(processes + 1), ctx.Barrier(processes + 1)
    results: Any = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(today, go, finished, results)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    go.wait()
    started = time.perf_counter()
    runs = [results.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - started
    finished.wait()
    for worker in workers:
        worker.join()
    programs = sum(r["programs"] for r in runs)
    statements = [s for r in runs for s in r["statements"]]
    per_chunk = sorted(set().union(*(_queries_per_chunk(r["statements"]) for r in runs)))
    return {
        "processes": processes,
        "planned": sum(r["planned"] for r in runs),
        "halted": sum(r["halted"] for r in runs),
        "failed": sum(r["failed"] for r in runs),
        "failures": {k: v for r in runs for k, v in r["failures"].items()},
        "chunks": sum(r["chunks"] for r in runs),
        "chunk_size": batch.CHUNK_SIZE,
        "seconds": round(elapsed, 2),
        "programs_per_second": round(programs / elapsed, 1),
        "queries": len(statements),
        "queries_per_chunk": per_chunk,
        "queries_per_program": round(len(statements) / max(programs, 1), 3),
        "split_seconds": {
            k: round(sum(r["split"][k] for r in runs), 2) for k in ("read", "engine", "write")
        },
        "python_cpu_seconds": round(sum(r["cpu"] for r in runs), 2),
        "per_process": [{"chunks": r["chunks"], "seconds": round(r["seconds"], 2)} for r in runs],
    }


def _worker(today: Any, go: Any, finished: Any, results: Any) -> None:
    """One Celery worker process's share: ``propose_next_weeks`` takes the due programs
    the other has not locked (SKIP LOCKED). Everything is rolled back at the end, after
    every worker is through (until then each holds its programs' locks), so that a kept
    database still has every program due next time."""
    split = {"read": 0.0, "engine": 0.0, "write": 0.0}
    queries = _Counter()
    batch._Chunk.run = _timed(split)  # type: ignore[method-assign]
    with transaction.atomic():
        # Foreign keys are checked at commit; the rollback would skip them: check each row.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        go.wait()
        cpu, started = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(queries):
            result = batch.propose_next_weeks(today, chunk_size=batch.CHUNK_SIZE)
        cpu, elapsed = time.process_time() - cpu, time.perf_counter() - started
        results.put(
            {
                "programs": result.programs,
                "planned": result.planned,
                "halted": result.halted,
                "failed": len(result.failed),
                "failures": dict(list(result.failed.items())[:5]),
                "chunks": result.chunks,
                "seconds": elapsed,
                "statements": queries.statements,
                "split": split,
                "cpu": cpu,
            }
        )
        finished.wait()
        transaction.set_rollback(True)
    connection.close()


class _Counter:
    """Each statement's first word, in order."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append(sql[:10])
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return len(self.statements)


def _queries_per_chunk(statements: list[str]) -> set[int]:
    """Each chunk starts with the savepoint of its transaction: count between them."""
    counts: list[int] = []
    for sql in statements:
        if sql.startswith("SAVEPOINT"):
            counts.append(0)
        elif counts:
            counts[-1] += 1
    return set(counts[:-1]) if len(counts) > 1 else set(counts)
