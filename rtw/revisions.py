"""Values derived from a patient's records, cached until those records change.

A projection, an ACWR or an attendance count is read from a program's whole history (some
650 rows) but changes only when a session is logged or a week planned. Each patient has a
*revision token* in the cache; derived values are stored under it, and every change to the
patient's records retires it, so the next page computes afresh.

Every change to a patient's records passes one place: the audit trail. ``rtw.audit_tracking``
writes an ``AuditEvent`` naming the patient for each row any ORM path changes, and writing
it calls ``changed``, which retires the token at once and again when the transaction
commits (a page that read the token before the commit may have stored what it read under
it; the second retirement orphans that). A value computed while this connection holds an
uncommitted change of the patient is never stored: a rollback could undo what it was
computed from.

Keys name the patient by uuid (unique across databases sharing one cache) and include a
digest of the engine's and the derivation's source, so a deploy never serves values
computed by older code. A cache that is down only costs the computation; values expire
after an hour whatever happens, which bounds any staleness a failed retirement could leave.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.cache import cache as django_cache
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from rtw.source_digest import source_digest

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
SOURCES = (
    "programs/engine",
    "programs/adapter.py",
    "programs/page.py",
    "programs/charts.py",
    "patients/employer/snapshot.py",
    "rtw/revisions.py",
    "rtw/page_cache.py",
    "templates/programs",
    "templates/employer",
    "templates/patients",
    "templates/assessments",
    "programs/templatetags",
    "programs/queries.py",
    "assessments",
    "patients/views",
    "programs/views",
)


def code_version() -> str:
    return source_digest(SOURCES)


def _token_key(patient: UUID) -> str:
    return f"rev:{patient}"


# --- retiring -------------------------------------------------------------------------


def changed(patients: Iterable[UUID | None], using: str = "default") -> None:
    """The records of ``patients`` were just written on connection ``using``."""
    found = {p for p in patients if p is not None}
    if not found:
        return
    _retire(found)
    conn = connections[using]
    if conn.in_atomic_block:
        retire_again = _Retire(found)
        transaction.on_commit(retire_again, using=using)


_NAMESPACE = UUID("6f0d2a3e-1b7c-4c55-9d8e-2a4b7f0c9e11")


def _named(what: str, using: str) -> UUID:
    """A name for a set of records, beside the patients' uuids; unique across databases
    sharing one cache."""
    return uuid.uuid5(_NAMESPACE, f"{connections[using].settings_dict['NAME']}:{what}")


def clinic_records(clinic_id: int, using: str = "default") -> UUID:
    """Any patient record of this clinic (the caseload lists them all)."""
    return _named(f"clinic:{clinic_id}", using)


def shared_records(using: str = "default") -> UUID:
    """The records pages show beside a patient's own that are not a patient's: exercise
    names and units, job demands, employer, clinic and staff names. ``reference_changed``
    retires their token when any of them is saved or deleted."""
    return _named("shared", using)


def touched(events: Iterable[Any], using: str = "default") -> set[UUID]:
    """What audit events say was changed: each patient's records, and their clinic's."""
    found: set[UUID] = set()
    for event in events:
        if event.patient_uuid is not None:
            found.add(event.patient_uuid)
            if event.clinic_id is not None:
                found.add(clinic_records(event.clinic_id, using))
    return found


def reference_changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A ``post_save``/``post_delete`` receiver for the shared records (``rtw.apps``)."""
    changed([shared_records(using)], using=using)


@dataclass(frozen=True)
class _Retire:
    patients: set[UUID] = field(hash=False)

    def __call__(self) -> None:
        _retire(self.patients)


def _retire(patients: set[UUID]) -> None:
    try:
        django_cache.delete_many([_token_key(p) for p in patients])
    except Exception:
        logger.warning("Revision cache unavailable: derived values may lag", exc_info=True)


def _uncommitted(conn: BaseDatabaseWrapper) -> set[UUID]:
    """Patients changed in this connection's open transaction (callbacks a rollback
    discards are gone from ``run_on_commit`` with it)."""
    if not conn.in_atomic_block:
        return set()
    found: set[UUID] = set()
    for _savepoints, func, *_ in conn.run_on_commit:
        if isinstance(func, _Retire):
            found |= func.patients
    return found


# --- reading and storing --------------------------------------------------------------


@dataclass
class Lookup:
    """Derived values of one kind for some patients: ``found`` holds the cached ones."""

    keys: dict[UUID, str]  # patient → key its value is stored under
    found: dict[UUID, Any]

    def store(self, values: Mapping[UUID, Any], using: str = "default") -> None:
        pending = _uncommitted(connections[using])
        fresh = {
            self.keys[p]: value
            for p, value in values.items()
            if p in self.keys and p not in pending and p not in self.found
        }
        if not fresh:
            return
        try:
            django_cache.set_many(fresh, TIMEOUT)
        except Exception:
            logger.warning("Revision cache unavailable", exc_info=True)


NOTHING = Lookup({}, {})


def lookup(kind: str, wanted: Mapping[UUID, str]) -> Lookup:
    """The cached ``kind`` values of the patients in ``wanted`` (patient → what else the
    value depends on: a day, a cap). Two cache round trips, however many patients."""
    if not wanted:
        return NOTHING
    try:
        tokens = _tokens(list(wanted))
        keys = {
            p: f"derived:{code_version()}:{kind}:{p}:{tokens[p]}:{extra}"
            for p, extra in wanted.items()
        }
        cached = django_cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("Revision cache unavailable", exc_info=True)
        return NOTHING
    return Lookup(keys, {p: cached[k] for p, k in keys.items() if k in cached})


@dataclass
class Joint:
    """One value shown from several patients' records and the shared ones (a page)."""

    key: str | None  # None: the cache is unavailable, nothing is stored
    records: frozenset[UUID]  # the patients' and the shared records'
    value: Any = None

    def store(self, value: Any, using: str = "default") -> None:
        if self.key is None or _uncommitted(connections[using]) & self.records:
            return
        try:
            django_cache.set(self.key, value, TIMEOUT)
        except Exception:
            logger.warning("Revision cache unavailable", exc_info=True)


def lookup_joint(kind: str, patients: Sequence[UUID], extra: str) -> Joint:
    """The cached ``kind`` value for this revision of every one of ``patients`` and of the
    shared records (the key names each patient with their token). Two round trips."""
    records = (*patients, shared_records())
    try:
        tokens = _tokens(list(records))
        named = "|".join(f"{p}:{tokens[p]}" for p in records)
        digest = hashlib.sha256(named.encode()).hexdigest()[:32]
        key = f"derived:{code_version()}:{kind}:{digest}:{extra}"
        return Joint(key, frozenset(records), django_cache.get(key))
    except Exception:
        logger.warning("Revision cache unavailable", exc_info=True)
        return Joint(None, frozenset(records))


def _tokens(patients: list[UUID]) -> dict[UUID, str]:
    keys = {p: _token_key(p) for p in patients}
    found = django_cache.get_many(list(keys.values()))
    tokens = {p: found[k] for p, k in keys.items() if k in found}
    for p in patients:
        if p not in tokens:
            fresh = uuid.uuid4().hex
            # Another process may have made one meanwhile: theirs wins, everyone agrees.
            if django_cache.add(keys[p], fresh, TIMEOUT * 24):
                tokens[p] = fresh
            else:
                tokens[p] = django_cache.get(keys[p]) or fresh
    return tokens
