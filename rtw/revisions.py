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

import logging
import uuid
from collections.abc import Iterable, Mapping
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
# The shared records pages show beside a patient's own (exercise names and units, job
# demands, employer, clinic and staff names) are not a patient's: one token of their own, retired
# by ``reference_changed`` when any of them is saved or deleted.
REFERENCE = UUID(int=0)


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


def reference_changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """A ``post_save``/``post_delete`` receiver for the shared records (``rtw.apps``)."""
    changed([REFERENCE], using=using)


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
    reference: bool = False  # the values also show the shared records

    def store(self, values: Mapping[UUID, Any], using: str = "default") -> None:
        pending = _uncommitted(connections[using])
        if self.reference and REFERENCE in pending:
            return
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


def lookup(kind: str, wanted: Mapping[UUID, str], *, reference: bool = False) -> Lookup:
    """The cached ``kind`` values of the patients in ``wanted`` (patient → what else the
    value depends on: a day, a cap), ``reference`` if they also show the shared records.
    Two cache round trips, however many patients."""
    if not wanted:
        return NOTHING
    try:
        tokens = _tokens([*wanted, REFERENCE] if reference else list(wanted))
        shared = f":{tokens[REFERENCE]}" if reference else ""
        keys = {
            p: f"derived:{code_version()}:{kind}:{p}:{tokens[p]}{shared}:{extra}"
            for p, extra in wanted.items()
        }
        cached = django_cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("Revision cache unavailable", exc_info=True)
        return NOTHING
    return Lookup(keys, {p: cached[k] for p, k in keys.items() if k in cached}, reference)


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
