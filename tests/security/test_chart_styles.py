"""Charts need no inline CSS: pygal's ``<style>`` leaves the SVG, its shared rules live in
``static/css/charts.css`` and each series keeps its colour and dash as SVG attributes, so a
page's Content-Security-Policy needs no ``'unsafe-inline'`` and the charts look as before."""

import logging
import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from programs import charts as program_charts
from rtw import charts
from tests.conftest import World, client_for

DAYS = [date(2026, 10, 1), date(2026, 10, 22), date(2026, 11, 5)]
SVG = "{http://www.w3.org/2000/svg}"


def _pain() -> str:
    return charts.pain_chart(list(zip(DAYS, [7, 5, 3], strict=True)))


def _odi() -> str:
    return charts.odi_chart(list(zip(DAYS, [Decimal(48), Decimal(35), Decimal(20)], strict=True)))


def _lift() -> str:
    kg = [Decimal(8), Decimal("12.5"), Decimal(17)]
    return charts.lift_chart(
        [
            ("Floor-to-waist lift", list(zip(DAYS, kg, strict=True)), Decimal(20)),
            ("Carry", list(zip(DAYS, kg, strict=True)), None),
        ]
    )


def _load() -> str:
    points = [
        program_charts.LoadPoint(i + 1, day, Decimal(8 + i), Decimal(8 + i), Decimal(10 + i))
        for i, day in enumerate(DAYS)
    ]
    return program_charts.load_chart("Goblet squat", "kg", points, Decimal(20), "Squat rises.")


ALL = [_pain, _odi, _lift, _load]


@pytest.mark.parametrize("make", ALL)
def test_a_chart_carries_no_css_of_its_own(make) -> None:
    svg = make()
    assert "<style" not in svg
    assert not re.search(r"\sstyle=", svg)
    assert 'class="pygal-chart"' in svg


@pytest.mark.parametrize("make", ALL)
def test_the_same_data_draws_the_same_chart_so_it_can_be_cached(make) -> None:
    first = make()
    assert make() == first
    assert 'id="chart-' not in first
    assert "activate-serie" not in re.sub(r'class="[^"]*"', "", first)  # no repeated ids


@pytest.mark.parametrize("make", ALL)
def test_every_chart_shares_the_site_stylesheet(make, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="rtw.charts"):
        make()
    assert not caplog.records, "run `python -m rtw.charts > static/css/charts.css`"


def test_the_static_chart_stylesheet_is_what_pygal_would_write() -> None:
    assert charts.STYLESHEET.read_text() == charts.stylesheet()
    assert ".pygal-chart .axis .guide.line{stroke-dasharray:2,3;stroke:#d1d5db}" in (
        charts.stylesheet()
    )


def _series(svg: str) -> list[dict[str, str]]:
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    plot = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "plot")
    return [dict(g.attrib) for g in plot.iter(f"{SVG}g") if "series" in g.get("class", "")]


def test_each_series_keeps_its_colour_and_a_demand_keeps_its_dash() -> None:
    floor, carry, demand = _series(_lift())
    assert floor["stroke"] == floor["fill"] == "#1d4ed8"
    assert carry["stroke"] == "#b45309"
    # The demand is drawn in its lift's colour, dashed.
    assert demand["stroke"] == "#1d4ed8"
    assert demand["stroke-dasharray"] == "10,6"
    assert "stroke-dasharray" not in floor


def test_the_load_chart_draws_prescribed_completed_cap_and_demand_in_their_colours() -> None:
    prescribed, completed, cap, demand = _series(_load())
    assert [s["stroke"] for s in (prescribed, completed, cap, demand)] == [
        program_charts.PRESCRIBED,
        program_charts.COMPLETED,
        program_charts.CAP,
        program_charts.DEMAND,
    ]
    assert cap["stroke-dasharray"] == "8,5"
    assert demand["stroke-dasharray"] == "2,4"


def test_a_chart_for_print_carries_the_stylesheet_inside_it() -> None:
    printed = charts.for_print(_lift())
    root = ElementTree.fromstring(printed)  # noqa: S314 - our own output
    style = root.find(f"{SVG}style")
    assert style is not None and style.text
    assert ".pygal-chart .title{" in style.text
    assert charts.for_print("") == ""


def test_pages_link_the_chart_stylesheet(world: World) -> None:
    page = client_for(world.physio).get(f"/patients/{world.patient.uuid}/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/charts.css">' in page
