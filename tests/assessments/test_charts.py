"""Charts are SVG from pygal that run nothing and fetch nothing, and carry their data."""

import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from rtw import charts

DAYS = [date(2026, 10, 1), date(2026, 10, 22), date(2026, 11, 5)]
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def _pain() -> str:
    return charts.pain_chart(list(zip(DAYS, [7, 5, 3], strict=True)), description="Pain falls.")


def _odi() -> str:
    points = list(zip(DAYS, [Decimal("48.9"), Decimal("35.6"), Decimal("20")], strict=True))
    return charts.odi_chart(points)


def _lift() -> str:
    return charts.lift_chart(
        [
            (
                "Floor-to-waist lift",
                list(zip(DAYS, [Decimal(8), Decimal("12.5"), Decimal(17)], strict=True)),
                Decimal(20),
            ),
            ("Overhead lift", [], Decimal(10)),
        ]
    )


ALL = [_pain, _odi, _lift]


@pytest.mark.parametrize("make", ALL)
def test_a_chart_has_no_script(make) -> None:
    svg = make()
    assert "<script" not in svg.lower()
    assert "javascript" not in svg.lower()
    assert not re.search(r"\son\w+=", svg)  # no onclick= or onload= handlers


@pytest.mark.parametrize("make", ALL)
def test_a_chart_references_nothing_outside_itself(make) -> None:
    svg = make()
    # Namespace names are identifiers, never fetched; nothing else may name an address.
    addresses = set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"')<]*", svg)) - SVG_NAMESPACES
    assert not addresses
    assert "href" not in svg
    assert "url(" not in svg
    assert "@import" not in svg
    assert "<!--" not in svg


@pytest.mark.parametrize("make", ALL)
def test_a_chart_is_well_formed_svg_with_a_text_alternative(make) -> None:
    root = ElementTree.fromstring(make())  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_the_pain_chart_carries_its_points_and_description() -> None:
    svg = _pain()
    assert 'aria-label="Pain falls."' in svg
    for label in ("1 Oct: 7", "22 Oct: 5", "5 Nov: 3"):
        assert f'<desc class="value">{label}</desc>' in svg
    assert "<title>Pain (NPRS)</title>" in svg


def test_the_odi_chart_carries_its_points() -> None:
    svg = _odi()
    assert '<desc class="value">1 Oct: 48.9</desc>' in svg
    assert '<desc class="value">5 Nov: 20</desc>' in svg


def test_the_lift_chart_draws_each_demand_as_a_named_line() -> None:
    svg = _lift()
    assert '<desc class="value">22 Oct: 12.5</desc>' in svg
    assert "Demand, floor-to-waist lift: 20 kg" in svg
    # A demand with no measured lift is still drawn, so the gap is visible.
    assert "Demand, overhead lift: 10 kg" in svg
    assert "Overhead lift</text>" not in svg  # no empty capacity series


def test_a_single_assessment_still_makes_a_chart() -> None:
    svg = charts.pain_chart([(DAYS[0], 6)])
    assert '<desc class="value">1 Oct: 6</desc>' in svg
