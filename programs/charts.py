"""The load chart of a key prescription, as a self-contained SVG drawn by pygal.

No script, no external reference and no CSS of its own: ``js=[]``, no XML declaration, and
the same ``add_xml_filter`` hook as every chart (``rtw.charts``), which removes pygal's
config ``<script>``, its comments and its ``<style>`` (the shared rules are
``static/css/charts.css``; each series' colour and dash become attributes). The page puts
a data table and a one-sentence summary beside each chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pygal

from programs.rules import with_unit

# One pygal set-up for every chart: same look, same stripping of scripts and comments.
from rtw.charts import PYGAL_CSS, _self_contained, _style

PRESCRIBED, COMPLETED, CAP, DEMAND = "#1d4ed8", "#047857", "#b45309", "#7c3aed"


@dataclass(frozen=True)
class LoadPoint:
    week: int
    start: date
    prescribed: Decimal
    completed: Decimal | None  # the lowest completed in the week's sessions
    cap: Decimal  # the most that could be stored that week


def summary(name: str, unit: str, points: Sequence[LoadPoint], demand: Decimal | None) -> str:
    if not points:
        return f"{name}: no weeks planned yet."
    first, last = points[0], points[-1]
    text = (
        f"{name}: prescribed {with_unit(first.prescribed, unit)} in week {first.week} and "
        f"{with_unit(last.prescribed, unit)} in week {last.week}; this week's cap "
        f"{with_unit(last.cap, unit)}."
    )
    if demand is not None:
        text += f" Job demand {with_unit(demand, unit)}."
    return text


def load_chart(
    name: str, unit: str, points: Sequence[LoadPoint], demand: Decimal | None, description: str
) -> str:
    """Prescribed and completed quantity per week, the cap envelope (dashed) and the demand."""
    chart = pygal.Line(
        title=name,
        y_title=unit,
        js=[],
        css=PYGAL_CSS,
        disable_xml_declaration=True,
        style=_style((PRESCRIBED, COMPLETED, CAP, DEMAND)),
        width=800,
        height=400,
        dots_size=4,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=-1,
        include_x_axis=True,
        print_values=False,
        show_minor_x_labels=True,
        margin_right=40,
        x_label_rotation=0 if len(points) <= 8 else 30,
    )
    chart.add_xml_filter(_self_contained(description))
    chart.x_labels = [f"W{p.week} {p.start:%d/%m}" for p in points]
    chart.add("Prescribed", [float(p.prescribed) for p in points])
    chart.add(
        "Completed (lowest in the week)",
        [None if p.completed is None else float(p.completed) for p in points],
    )
    chart.add(
        "Cap envelope (most allowed)",
        [float(p.cap) for p in points],
        stroke_style={"width": 2, "dasharray": "8, 5"},
        show_dots=False,
    )
    if demand is not None:
        chart.add(
            f"Job demand {with_unit(demand, unit)}",
            [float(demand)] * len(points),
            stroke_style={"width": 3, "dasharray": "2, 4"},
            show_dots=False,
        )
    return str(chart.render(is_unicode=True))
