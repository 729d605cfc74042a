"""SQL queries per key page, counted with Django's test client on this database.

``python -m bench.run queries OUT`` writes ``{page: count}`` (and the status codes) for the
first sample, and the spread over every sample, to ``results/run/OUT.json``. The counts
must not depend on the data: the demo database and the large one give the same numbers.
Each page is counted twice: as it is served while the worker's records are unchanged
(``queries``: what a program history yields, and the page's body, are in the revision
and page caches) and right after a change to them (``cold``: the worker's and their
clinic's revisions retired, so the history is read and the body rendered again).
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import config, targets
from bench.auth import logged_in_client
from patients.models import Patient
from rtw import revisions
from rtw.models import User

SAMPLES = 5


def count(samples: Iterable[targets.Sample]) -> dict[str, Any]:
    counts: dict[str, list[int]] = {}
    cold: dict[str, list[int]] = {}
    statuses: dict[str, set[int]] = {}
    clients: dict[int, Any] = {}
    for sample in samples:
        patient = UUID(sample.patient_uuid)
        clinic = Patient.objects.values_list("clinic_id", flat=True).get(uuid=patient)
        # What any change to the worker's records retires: theirs, and their clinic's list.
        changed = [patient, revisions.clinic_records(clinic)]
        for page in (*targets.PAGES, targets.MINIMAL):
            user_id = sample.user_id(page)
            if user_id not in clients:
                clients[user_id] = logged_in_client(User.objects.get(pk=user_id))
            client = clients[user_id]
            path = sample.path(page)
            client.get(path)  # warm: the first request of a session may write it
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.setdefault(page, []).append(len(queries))
            statuses.setdefault(page, set()).add(response.status_code)
            revisions.changed(changed)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            cold.setdefault(page, []).append(len(queries))
    return {
        "queries": {page: values[0] for page, values in counts.items()},
        "cold": {page: values[0] for page, values in cold.items()},
        "cold_spread": {page: sorted(set(values)) for page, values in cold.items()},
        "spread": {page: sorted(set(values)) for page, values in counts.items()},
        "status": {page: sorted(codes) for page, codes in statuses.items()},
    }


def main(out: str = "queries") -> None:
    found = targets.samples(SAMPLES)
    if not found:
        raise SystemExit("bench: no program with a shared worker to measure on")
    result = count(found)
    result["samples"] = len(found)
    config.write_json(out, result)
