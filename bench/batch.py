"""The weekly batch on the large database: programs per second and queries per chunk.

``python -m bench.run batch``. It first stores the carry of every program that has none
(the upgrade step ``manage.py build_carries``, timed apart), then runs the batch inside a
transaction that is rolled back at the end, so that a kept database still has every
program due next time. Besides the total, it splits each chunk's time into reading, the
engine and writing.
"""

import time
from typing import Any

from django.db import connection, transaction
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


class _Rollback(Exception):
    pass


def main() -> None:
    today = timezone.localdate()
    # The one-time upgrade step (``manage.py build_carries``): each program's earlier weeks
    # folded, so that the batch reads one week per program. Kept, not rolled back.
    started = time.perf_counter()
    carries = batch.build_carries()
    carry_seconds = time.perf_counter() - started
    due = batch.due_programs(today).count()
    split = {"read": 0.0, "engine": 0.0, "write": 0.0}
    queries = _Counter()
    original = batch._Chunk.run
    batch._Chunk.run = _timed(split)  # type: ignore[method-assign]
    try:
        # A bare counter, not CaptureQueriesContext: its debug cursor formats every
        # statement's SQL with its parameters, which costs the batch a fifth of its time.
        with transaction.atomic(), connection.execute_wrapper(queries):
            started = time.perf_counter()
            result = batch.propose_next_weeks(today, chunk_size=batch.CHUNK_SIZE)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        batch._Chunk.run = original  # type: ignore[method-assign]
    per_chunk = sorted(_queries_per_chunk(queries.statements))
    config.write_json(
        "batch",
        {
            "due": due,
            "planned": result.planned,
            "halted": result.halted,
            "failed": len(result.failed),
            "failures": dict(list(result.failed.items())[:5]),
            "chunks": result.chunks,
            "chunk_size": batch.CHUNK_SIZE,
            "seconds": round(elapsed, 2),
            "programs_per_second": round(result.programs / elapsed, 1),
            "queries": len(queries),
            "queries_per_chunk": per_chunk,
            "queries_per_program": round(len(queries) / max(result.programs, 1), 3),
            "split_seconds": {k: round(v, 2) for k, v in split.items()},
            "carries_built": carries,
            "carries_seconds": round(carry_seconds, 1),
        },
    )


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
