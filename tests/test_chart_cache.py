"""Charts are drawn once per distinct data and then served from the cache; a change of data
draws afresh, and a cache that is down only costs the drawing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from rtw import chart_cache, charts

POINTS = [(date(2026, 9, 1), Decimal(7)), (date(2026, 9, 22), Decimal(4))]


class Drawer:
    """A drawing function that counts how often it is asked to draw."""

    def __init__(self) -> None:
        self.calls = 0

    def draw(self, points: list[tuple[date, Decimal]], *, description: str = "") -> str:
        self.calls += 1
        return f"<svg data-n='{len(points)}'>{description}</svg>"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_a_chart_drawn_once_comes_from_the_cache_the_second_time() -> None:
    draw = Drawer()
    first = chart_cache.svg(draw.draw, POINTS, description="Pain falls")
    second = chart_cache.svg(draw.draw, list(POINTS), description="Pain falls")
    assert first == second == "<svg data-n='2'>Pain falls</svg>"
    assert draw.calls == 1


def test_other_data_draws_a_new_chart() -> None:
    draw = Drawer()
    chart_cache.svg(draw.draw, POINTS, description="Pain falls")
    chart_cache.svg(draw.draw, [*POINTS, (date(2026, 10, 6), Decimal(3))], description="Pain falls")
    chart_cache.svg(draw.draw, POINTS, description="Another summary")
    assert draw.calls == 3


def test_the_cached_chart_is_the_one_pygal_draws() -> None:
    drawn = charts.pain_chart(POINTS, description="Pain falls")
    assert chart_cache.svg(charts.pain_chart, POINTS, description="Pain falls") == drawn
    assert chart_cache.svg(charts.pain_chart, POINTS, description="Pain falls") == drawn


def test_a_cache_that_is_down_still_gives_the_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache server gone")

    monkeypatch.setattr("rtw.chart_cache.django_cache.get", down)
    draw = Drawer()
    assert chart_cache.svg(draw.draw, POINTS, description="x") == "<svg data-n='2'>x</svg>"
    assert chart_cache.svg(draw.draw, POINTS, description="x") == "<svg data-n='2'>x</svg>"
    assert draw.calls == 2
