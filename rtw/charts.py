"""Charts as self-contained SVG strings, drawn by pygal, for pages and PDF reports alike.

Each function takes plain values and returns SVG markup that runs no script, fetches
nothing and carries no CSS of its own, so that pages need no ``'unsafe-inline'`` in their
Content-Security-Policy: pygal's inline config ``<script>`` (written even with ``js=[]``)
and its comments (which carry pygal's web addresses) are removed from its element tree
through pygal's own ``add_xml_filter`` hook, and so is its ``<style>``. What that style
said about one chart (each series' colour and dash) becomes SVG presentation attributes on
the series; what it says about every chart is ``static/css/charts.css``, generated from
pygal by ``python -m rtw.charts`` (a test fails when the two differ). Without the chart's
random id the same data draws the same SVG, so a chart can be cached.

The root gets ``role="img"`` and an ``aria-label``; pages add a data table as well. The PDF
report puts the stylesheet back inside the SVG (``for_print``): WeasyPrint styles an inline
SVG only from within.
"""

import logging
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pygal
from pygal.style import Style

logger = logging.getLogger(__name__)

Point = tuple[date, Decimal | int]
# pygal's theme (style.css) and layout (graph.css) rules, on top of its base.css.
PYGAL_CSS = ["file://style.css", "file://graph.css"]
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "charts.css"
ROOT_CLASS = "pygal-chart"
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# Rules about one series of one chart (its colour, its dash), turned into attributes.
SERIES_RULE = re.compile(r"\.color-\d+|\.series\.serie-\d+")
# Rules for features these charts never use (links, printed values, confidence intervals).
UNUSED_RULE = re.compile(r"\.color-\d+ (?:a:visited|\.ci)|\.text-overlay \.color-\d+ text")

# Dark colours on white, each at least 4.5:1 against the background.
COLOURS = ("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#b91c1c", "#0e7490")
MAX_DATE_LABELS = 10
DEMAND_DASH = {"width": 3, "dasharray": "10, 6"}
STYLE_OPTIONS: dict[str, Any] = dict(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2937",
    foreground_strong="#111827",
    foreground_subtle="#9ca3af",
    opacity="1",
    opacity_hover="1",
    colors=COLOURS,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=24,
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=16,
    value_font_size=16,
    stroke_width="3",
    stroke_opacity="1",
    guide_stroke_color="#d1d5db",
    major_guide_stroke_color="#9ca3af",
    guide_stroke_dasharray="2,3",
    major_guide_stroke_dasharray="2,3",
)


def _style(colours: Sequence[str] = COLOURS) -> Style:
    return Style(**{**STYLE_OPTIONS, "colors": tuple(colours)})


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _declarations(body: str) -> dict[str, str]:
    pairs = (d.split(":", 1) for d in body.split(";") if ":" in d)
    return {name.strip(): value.strip() for name, value in pairs}


def _split_css(css: str, prefix: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """pygal's minified CSS for one chart, every selector prefixed by the chart's id, as
    the rules every chart shares (prefixed by the root's class instead) and, per class
    such as ``color-1``, the declarations about one series."""
    shared: list[str] = []
    per_series: dict[str, dict[str, str]] = {}
    for selectors, body in CSS_RULE.findall(css):
        kept = []
        for selector in (s.strip() for s in selectors.split(",")):
            plain = selector.removeprefix(prefix).strip()
            if UNUSED_RULE.fullmatch(plain):
                continue
            if SERIES_RULE.fullmatch(plain):
                series_class = plain.rsplit(".", 1)[-1]  # color-1, serie-1
                per_series.setdefault(series_class, {}).update(_declarations(body))
            else:
                kept.append(f".{ROOT_CLASS} {plain}".rstrip())
        if kept:
            shared.append(f"{','.join(kept)}{{{body.strip()}}}")
    return shared, per_series


def _css_to_attributes(root: Any) -> list[str]:
    """Remove the ``<style>`` pygal wrote into ``root``, putting its per-series rules on the
    series as presentation attributes (which a CSP does not govern); return the rest."""
    prefix = f"#{root.get('id', '')}"
    shared: list[str] = []
    for parent in list(root.iter()):
        for child in list(parent):
            if _local(child.tag) == "style":
                rules, per_series = _split_css(child.text or "", prefix)
                shared += rules
                parent.remove(child)
                for element in root.iter():
                    for name in (element.get("class") or "").split():
                        for attribute, value in per_series.get(name, {}).items():
                            element.set(attribute, value)
    for child in list(root):
        if _local(child.tag) == "defs" and not len(child):
            root.remove(child)
    return shared


def _drop_scripted_parts(root: Any) -> None:
    """The tooltip overlay (shown only by pygal's script, hidden by a ``style`` attribute)
    and the ids its script uses: the chart's random id, and the legends' ids, which repeat
    from chart to chart on one page."""
    for parent in list(root.iter()):
        for child in list(parent):
            if "tooltip-overlay" in (child.get("class") or "").split():
                parent.remove(child)
    for element in root.iter():
        if element is root or str(element.get("id", "")).startswith("activate-serie-"):
            element.attrib.pop("id", None)
        # Anything else pygal styled inline becomes attributes: a CSP forbids style="…".
        if (inline := element.attrib.pop("style", None)) is not None:
            for attribute, value in _declarations(inline).items():
                element.set(attribute, value)


def _self_contained(description: str) -> Callable[[Any], Any]:
    def strip(root: Any) -> Any:
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag is ElementTree.Comment or str(child.tag).endswith("script"):
                    parent.remove(child)
        if tuple(_css_to_attributes(root)) != _stylesheet_rules():
            logger.warning("A chart's CSS differs from %s: run python -m rtw.charts", STYLESHEET)
        _drop_scripted_parts(root)
        root.set("role", "img")
        root.set("aria-label", description)
        root.set("focusable", "false")
        return root

    return strip


@cache
def _stylesheet_rules() -> tuple[str, ...]:
    """The rules pygal writes for every chart drawn with ``STYLE_OPTIONS``."""
    chart = pygal.Line(js=[], css=PYGAL_CSS, style=_style())
    root = chart.render_tree()
    style = next(e for e in root.iter() if _local(e.tag) == "style")
    return tuple(_split_css(style.text or "", f"#{root.get('id')}")[0])


def stylesheet() -> str:
    """The content of ``static/css/charts.css``."""
    header = "/* Generated by `python -m rtw.charts` from pygal's CSS: do not edit. */"
    return "\n".join([header, *_stylesheet_rules()]) + "\n"


def for_print(svg: str) -> str:
    """The chart with the chart stylesheet inside it, for WeasyPrint (not for pages)."""
    if not svg:
        return svg
    head, _, rest = svg.partition(">")
    css = "\n".join(_stylesheet_rules()).replace("&", "&amp;").replace("<", "&lt;")
    return f'{head}><style type="text/css">{css}</style>{rest}'


def _short_date(value: date) -> str:
    return f"{value.day} {value:%b}"


def _crowded(days: Sequence[date]) -> bool:
    """Date labels collide when there are many, or two sit close on a long axis."""
    ordered = sorted(set(days))
    if len(ordered) > 6:
        return True
    span = (ordered[-1] - ordered[0]).days if ordered else 0
    return any((b - a).days * 8 < span for a, b in pairwise(ordered))


def _chart(title: str, y_title: str, description: str, days: Sequence[date], **options: Any) -> Any:
    # Label the x axis with the assessment dates themselves while they fit.
    if 0 < len(days) <= MAX_DATE_LABELS:
        options.setdefault("x_labels", sorted(set(days)))
    chart = pygal.DateLine(
        title=title,
        y_title=y_title,
        js=[],
        css=PYGAL_CSS,
        disable_xml_declaration=True,
        style=options.pop("style", None) or _style(),
        width=800,
        height=options.pop("height", 420),
        dots_size=5,
        show_dots=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        legend_box_size=14,
        margin_bottom=32,
        truncate_legend=-1,
        truncate_label=-1,
        x_value_formatter=_short_date,
        x_label_rotation=30 if _crowded(days) else 0,
        show_minor_x_labels=True,
        print_values=False,
        **options,
    )
    chart.add_xml_filter(_self_contained(description))
    return chart


def _plot(points: Sequence[Point]) -> list[tuple[date, float]]:
    return [(day, float(value)) for day, value in points]


def _render(chart: Any) -> str:
    return str(chart.render(is_unicode=True))


def pain_chart(points: Sequence[Point], *, description: str = "") -> str:
    """Pain (NPRS 0–10) at each assessment."""
    chart = _chart(
        "Pain (NPRS)",
        "NPRS, 0 to 10",
        description or "Line chart of pain (NPRS 0 to 10) at each assessment.",
        [day for day, _ in points],
        range=(0, 10),
        show_legend=False,
        yrange=(0, 10),
    )
    chart.y_labels = list(range(0, 11, 2))
    chart.add("Pain now (NPRS)", _plot(points))
    return _render(chart)


def odi_chart(points: Sequence[Point], *, description: str = "") -> str:
    """Oswestry Disability Index (0–100 %) at each assessment."""
    chart = _chart(
        "Oswestry Disability Index",
        "ODI, % (lower is better)",
        description or "Line chart of the Oswestry Disability Index at each assessment.",
        [day for day, _ in points],
        range=(0, 100),
        show_legend=False,
    )
    chart.y_labels = list(range(0, 101, 20))
    chart.add("ODI %", _plot(points))
    return _render(chart)


def lift_chart(
    lifts: Sequence[tuple[str, Sequence[Point], Decimal | None]], *, description: str = ""
) -> str:
    """Lift capacity (kg) per lift type over time, each with its job demand dashed.

    ``lifts`` holds, per lift type: its label, its (date, kg) points, and the job's
    demand in kg for it (None when the job has no such lift). A demand is drawn in its
    lift's colour across the chart's date range and named in the legend.
    """
    days = sorted({day for _, points, _ in lifts for day, _ in points})
    colour = {label: COLOURS[i % len(COLOURS)] for i, (label, _, _) in enumerate(lifts)}
    measured = [(label, points) for label, points, _ in lifts if points]
    demands = [(label, kg) for label, _, kg in lifts if kg is not None and days]
    chart = _chart(
        "Lift capacity against the job demand",
        "kg",
        description or "Line chart of lift capacity in kg over time with the job demand.",
        days,
        include_x_axis=True,
        height=480,
        style=_style(
            [colour[label] for label, _ in measured] + [colour[label] for label, _ in demands]
        ),
    )
    for label, points in measured:
        chart.add(label, _plot(points))
    for label, kg in demands:
        ends = [(days[0], kg), (days[-1], kg)] if len(days) > 1 else [(days[0], kg)]
        chart.add(
            f"Demand, {label.lower()}: {kg.normalize():f} kg",
            _plot(ends),
            stroke_style=DEMAND_DASH,
            show_dots=len(days) == 1,
        )
    return _render(chart)


if __name__ == "__main__":
    sys.stdout.write(stylesheet())
