"""The PDF of a report, made only from the snapshot stored on it (never from the models)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from patients.employer.snapshot import WorkerSnapshot
from rtw import chart_cache, charts
from rtw.pdf import render_pdf

TEMPLATE = "pdf/report.html"


@dataclass(frozen=True)
class ReportMeta:
    number: int
    period_from: date
    period_to: date
    made_on: date
    prepared_by: str
    clinic: str


def data_for(snapshot: WorkerSnapshot, *, prepared_by: str, clinic: str) -> dict[str, Any]:
    """What a report stores: the employer snapshot, and who prepared it where."""
    return {"snapshot": snapshot.to_json(), "prepared_by": prepared_by, "clinic": clinic}


def lift_chart_svg(snapshot: WorkerSnapshot) -> str:
    """The same chart as the employer's worker page, or "" when nothing was measured."""
    lifts = snapshot.lifts or ()
    if not any(lift.points for lift in lifts):
        return ""
    series = [(lift.label, lift.points, lift.demand) for lift in lifts]
    return chart_cache.svg(charts.lift_chart, series, description=snapshot.lift_summary)


def context_for(data: dict[str, Any], meta: ReportMeta) -> dict[str, Any]:
    snapshot = WorkerSnapshot.from_json(data["snapshot"])
    # WeasyPrint styles an inline SVG only from within: the chart carries its stylesheet.
    return {"w": snapshot, "meta": meta, "chart_svg": charts.for_print(lift_chart_svg(snapshot))}


def render(data: dict[str, Any], meta: ReportMeta) -> bytes:
    return render_pdf(TEMPLATE, context_for(data, meta))
