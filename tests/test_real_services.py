"""In CI the suite runs against the real PostgreSQL and Redis, never a stand-in."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.db import connection

REQUIRED = os.environ.get("RTW_REQUIRE_SERVICES") == "1"


@pytest.mark.skipif(not REQUIRED, reason="only CI demands the real services")
def test_ci_runs_on_postgresql(db: None) -> None:
    assert connection.vendor == "postgresql"


@pytest.mark.skipif(not REQUIRED, reason="only CI demands the real services")
def test_ci_cache_is_the_real_redis() -> None:
    key, value = f"ci-{uuid.uuid4()}", uuid.uuid4().hex
    cache = caches["default"]
    cache.set(key, value, 30)
    assert "redis" in type(cache).__module__
    assert cache.get(key) == value
