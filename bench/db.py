"""Creating the bench databases: dropped and made afresh, migrated, then seeded."""

import subprocess
import sys
from urllib.parse import urlsplit

import psycopg

from bench import config


def name_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server_of(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def exists(url: str) -> bool:
    with psycopg.connect(server_of(url), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name_of(url)])
        return row.fetchone() is not None


def _bench_name(url: str) -> str:
    name = name_of(url)
    if not name.startswith("rtw_bench"):
        raise SystemExit(f"bench: refusing to drop {name!r}: bench databases are rtw_bench*")
    return name


def drop(url: str) -> None:
    name = _bench_name(url)
    with psycopg.connect(server_of(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate(url: str) -> None:
    drop(url)
    with psycopg.connect(server_of(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{_bench_name(url)}"')


def manage(url: str, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=config.ROOT,
        env={**config.base_env(url), **(env or {})},
        check=True,
    )


def step(url: str, module: str, *args: str) -> None:
    """Run ``bench.<module>.main(*args)`` in its own process against ``url``."""
    subprocess.run(  # noqa: S603 - our own module with fixed arguments
        [sys.executable, "-m", "bench.run", module, *args],
        cwd=config.ROOT,
        env=config.base_env(url),
        check=True,
    )
