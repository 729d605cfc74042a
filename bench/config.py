"""What every bench step shares: the sizes, the databases, the environment, the results."""

import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = RESULTS / "run"  # one JSON file per step of the current run
SEED = 20261121
PASSWORD = "bench-password-never-used-live"  # noqa: S105 - local benchmark accounts only
PG = "postgres://postgres@127.0.0.1:5432/"
# make bench points DATABASE_URL at the bench database; only an rtw_bench* one is ever used.
_GIVEN = os.environ.get("DATABASE_URL", "")
LARGE_DB = _GIVEN if _GIVEN.rsplit("/", 1)[-1].startswith("rtw_bench") else PG + "rtw_bench"
SMALL_DB = LARGE_DB + "_small"
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/2")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
PROGRAM_DAYS = 26 * 7


@dataclass(frozen=True)
class Sizes:
    clinics: int = 50
    staff_per_clinic: int = 10
    employers: int = 200
    patients: int = 20_000
    programs_per_clinic: int = 100  # active, 26 weeks each: 5,000 in all
    paused_per_clinic: int = 3  # paused on a red flag
    archetypes: int = 60
    reports_per_clinic: int = 2


SIZES = Sizes()


def base_env(database_url: str) -> dict[str, str]:
    """Production settings, serving plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="rtw.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        RTW_TESTING="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(60),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS=f"{HOST},testserver",
        CELERY_BROKER_URL=BROKER,
        REDIS_URL=BROKER,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def setup_django() -> None:
    """For a step run as ``python -m bench.<step>`` with ``base_env`` in its environment."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtw.settings")
    import django

    django.setup()


def write_json(step: str, data: Any) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / f"{step}.json").write_text(json.dumps(data, indent=2, default=str))


def read_json(step: str) -> Any:
    path = WORK / f"{step}.json"
    return json.loads(path.read_text()) if path.exists() else None
