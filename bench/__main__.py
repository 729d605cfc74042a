"""``python -m bench`` (``make bench``): seed, measure, report. About 10-15 minutes.

Steps, each in its own process against its own database:
  1. the demo data (``seed_demo``) into the small database; queries per key page;
  2. the large data set (``bench.seed``) into the large database; queries per key page, and
     CPU milliseconds per page with and without the fixes it called for (``bench.cost``);
  3. gunicorn + wrk: each key page and the minimal view, then a mixed load (``bench.load``);
  4. the PDF report against WeasyPrint alone, and with two Celery workers (``bench.pdf``);
  5. the weekly batch over every active program (``bench.batch``);
  6. the table (``bench.report``) → bench/results/latest.md and latest.json.

``--keep`` keeps both databases afterwards and reuses a large one already seeded (so a
second run skips the seeding); without it each run seeds afresh and drops them at the end.
"""

import argparse
import shutil
import sys
import time

from bench import config, db, report

SEEDED_PROGRAMS = 5000


def seeded(url: str) -> bool:
    import psycopg

    if not db.exists(url):
        return False
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM programs_program WHERE status = 'active'"
            ).fetchone()
    except psycopg.Error:
        return False
    return row is not None and row[0] >= SEEDED_PROGRAMS


def say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the databases")
    args = parser.parse_args()
    started = time.monotonic()
    keep_seed = args.keep and seeded(config.LARGE_DB) and config.read_json("seed") is not None
    previous_seed = config.read_json("seed") if keep_seed else None
    shutil.rmtree(config.WORK, ignore_errors=True)
    if previous_seed is not None:
        config.write_json("seed", previous_seed)

    say("collecting static files (production storage: hashed names, compressed)")
    db.manage(config.SMALL_DB, "collectstatic", "--noinput", "-v0")
    say("demo data into the small database")
    db.recreate(config.SMALL_DB)
    db.manage(config.SMALL_DB, "migrate", "--noinput", "-v0")
    # No broker here: the demo renders its one report in-process, queueing nothing.
    db.manage(config.SMALL_DB, "seed_demo", env={"CELERY_BROKER_URL": "", "REDIS_URL": ""})
    db.step(config.SMALL_DB, "queries", "queries_small")

    if keep_seed:
        say("reusing the seeded large database (--keep)")
    else:
        say("seeding the large database (a few minutes)")
        db.recreate(config.LARGE_DB)
        db.manage(config.LARGE_DB, "migrate", "--noinput", "-v0")
        db.step(config.LARGE_DB, "seed")
    db.step(config.LARGE_DB, "queries", "queries_large")
    say("CPU per page, without and with the fixes")
    db.step(config.LARGE_DB, "cost")
    say("load: gunicorn and wrk")
    db.step(config.LARGE_DB, "load")
    say("PDF report")
    db.step(config.LARGE_DB, "pdf")
    say("weekly batch")
    db.step(config.LARGE_DB, "batch")

    if not args.keep:
        db.drop(config.SMALL_DB)
        db.drop(config.LARGE_DB)
    config.write_json(
        "meta",
        {
            "finished": report.now(),
            "machine": report.machine(),
            "wall_minutes": round((time.monotonic() - started) / 60, 1),
        },
    )
    report.main()


if __name__ == "__main__":
    main()
