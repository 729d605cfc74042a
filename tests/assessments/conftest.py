from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

# The test data sits in autumn 2026 (injuries from 1 Sep, baselines on 1 Oct); "today"
# is fixed after it so that no date here ever lands in the future, whenever tests run.
TODAY = datetime(2027, 6, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield
