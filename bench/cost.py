"""What each key page costs the web process, in CPU milliseconds per request, with the
fixes this benchmark called for and without them (chart, revision and page caches bypassed,
the employer dashboard on one page). CPU time, unlike latency, hardly moves when other
processes share the machine, so the before and after stay comparable between noisy runs.

``python -m bench.run cost``: the median over a few requests of each page, per sample.
"""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench import config, targets
from bench.auth import logged_in_client
from patients.employer import snapshot
from rtw import chart_cache, revisions
from rtw.models import User

REQUESTS = 4
SAMPLES = 2


def _nothing_cached(kind: str, wanted: object) -> revisions.Lookup:
    return revisions.NOTHING


def _no_page_cached(kind: str, patients: object, extra: str) -> revisions.Joint:
    return revisions.Joint(None, frozenset())


@contextmanager
def without_fixes() -> Iterator[None]:
    cached: Callable[..., str] = chart_cache.svg
    per_page = snapshot.WORKERS_PER_PAGE
    lookup, joint = revisions.lookup, revisions.lookup_joint
    chart_cache.svg = lambda draw, *args, **kwargs: draw(*args, **kwargs)
    snapshot.WORKERS_PER_PAGE = 10_000
    revisions.lookup = _nothing_cached
    revisions.lookup_joint = _no_page_cached
    try:
        yield
    finally:
        chart_cache.svg = cached
        snapshot.WORKERS_PER_PAGE = per_page
        revisions.lookup, revisions.lookup_joint = lookup, joint


def cpu_ms(samples: list[targets.Sample], page: str) -> float:
    found = []
    for sample in samples:
        client = logged_in_client(User.objects.get(pk=sample.user_id(page)))
        path = sample.path(page)
        client.get(path)
        for _ in range(REQUESTS):
            started = time.process_time()
            client.get(path)
            found.append(time.process_time() - started)
    return round(statistics.median(found) * 1000, 1)


def main() -> None:
    samples = targets.samples(SAMPLES)
    result: dict[str, Any] = {"before": {}, "after": {}}
    with without_fixes():
        for page in (targets.MINIMAL, *targets.PAGES):
            result["before"][page] = cpu_ms(samples, page)
    for page in (targets.MINIMAL, *targets.PAGES):
        result["after"][page] = cpu_ms(samples, page)
    config.write_json("cost", result)
