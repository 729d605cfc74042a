"""``python -m bench.run STEP [ARGS]``: set Django up, then run ``bench.STEP.main(ARGS)``.

Each step runs in its own process, with the database and settings its caller gave it in
the environment (``bench.config.base_env``), so that steps against the small and the large
database, or with and without a server, never share a connection or a cache.
"""

import importlib
import sys

from bench import config


def run() -> None:
    step, *args = sys.argv[1:]
    config.setup_django()
    module = importlib.import_module(f"bench.{step}")
    module.main(*args)


if __name__ == "__main__":
    run()
