"""Chart SVGs kept in the cache, keyed by what they are drawn from.

pygal takes 20-40 ms to draw one chart, and the program page, the patient page and the
employer's worker page draw two or three on every visit although the data behind them
changes at most a few times a week. The same arguments to the same drawing function give
the same SVG (``rtw.charts`` leaves no random id in it), so the key is the function, a
digest of its arguments' ``repr`` and a digest of the chart modules' source: a change to
how charts are drawn never serves an SVG drawn the old way.

The cache is Django's default one (Redis in production, shared by the web workers; local
memory in development and tests). A cache that is down only costs the drawing time.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any, ParamSpec

from django.core.cache import cache as django_cache

from rtw.source_digest import source_digest

logger = logging.getLogger(__name__)

P = ParamSpec("P")
TIMEOUT = 60 * 60 * 24 * 7
SOURCES = ("rtw/charts.py", "programs/charts.py")


def code_version() -> str:
    return source_digest(SOURCES)


def key_for(draw: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    data = repr((args, sorted(kwargs.items()))).encode()
    name = f"{draw.__module__}.{draw.__qualname__}"
    return f"chart:{code_version()}:{name}:{hashlib.sha256(data).hexdigest()}"


def svg(draw: Callable[P, str], *args: P.args, **kwargs: P.kwargs) -> str:
    """``draw(*args, **kwargs)``, from the cache when it has been drawn before.

    The arguments must be plain values whose ``repr`` says everything that is drawn:
    numbers, Decimals, dates, strings, and tuples or frozen dataclasses of them.
    """
    key = key_for(draw, args, kwargs)
    try:
        found = django_cache.get(key)
    except Exception:  # the cache is a convenience: never fail a page for it
        logger.warning("Chart cache unavailable", exc_info=True)
        return draw(*args, **kwargs)
    if isinstance(found, str):
        return found
    drawn = draw(*args, **kwargs)
    try:
        django_cache.set(key, drawn, TIMEOUT)
    except Exception:
        logger.warning("Chart cache unavailable", exc_info=True)
    return drawn
