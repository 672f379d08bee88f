"""The KPI report as it was before its charts became SVG: plotly.js (basic bundle) beside it.

Only :mod:`maps_load` uses this, to time the previous page and the current one in the same
run (commit 49b92fa's ``routeplan.kpis.report``: the same tables and CSS, each chart a plotly
figure drawn by the deferred library at ``DOMContentLoaded``).
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from babel import numbers

from routeplan.config import WEEKDAYS
from routeplan.i18n import _, current_language, current_locale, weekday_name
from routeplan.kpis.measures import TOTAL
from routeplan.kpis.report import REPORT_CSS, table_title
from routeplan.model.labels import labelled

PLOTLY_ASSET = "plotly-basic-4.1.1.min.js"
PLOTLY_SOURCE = Path(__file__).with_name("assets") / PLOTLY_ASSET


def _day_labels(table: pd.DataFrame) -> list[str]:
    return [
        f"{date} {weekday_name(WEEKDAYS.index(day), 'abbreviated') if day in WEEKDAYS else day}"
        for date, day in zip(table["date"], table["day"], strict=True)
    ]


def _rep_day_bars(
    table: pd.DataFrame, column: str, title: str, unit: str, layout: dict[str, Any]
) -> go.Figure:
    figure = go.Figure(
        [
            go.Bar(name=rep, x=_day_labels(part), y=part[column])
            for rep, part in table.groupby("rep_id", sort=True)
        ]
    )
    figure.update_layout(title=title, xaxis_title=_("day"), yaxis_title=unit, **layout)
    figure.update_xaxes(type="category", categoryorder="category ascending")
    return figure


def _compliance_chart(compliance: pd.DataFrame, layout: dict[str, Any]) -> go.Figure:
    tiers = compliance[compliance["tier"] != TOTAL]
    figure = go.Figure(
        [
            go.Bar(name=_("planned (% of due)"), x=tiers["tier"], y=tiers["planned_pct"]),
            go.Bar(
                name=_("done, from the visit log (% of due)"), x=tiers["tier"], y=tiers["done_pct"]
            ),
        ]
    )
    figure.update_layout(
        title=_("Visits planned and done per tier (% of due)"),
        xaxis_title=_("tier"),
        yaxis_title="%",
        yaxis_range=[0, 105],
        **layout,
    )
    return figure


def _charts(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, go.Figure]]:
    locale = current_locale()
    layout = {
        "height": 360,
        "margin": {"l": 50, "r": 20, "t": 50, "b": 50},
        "barmode": "group",
        "separators": numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale),
    }
    charts = []
    if "compliance" in tables:
        charts.append(("compliance", _compliance_chart(tables["compliance"], layout)))
    for name, column, title, unit in (
        ("drive", "drive_h", _("Drive hours per rep and day"), _("hours")),
        ("utilisation", "utilisation_pct", _("Utilisation of working time (%)"), "%"),
    ):
        charts.append((name, _rep_day_bars(tables[name], column, title, unit, layout)))
    workload = tables["workload"]
    figure = go.Figure([go.Bar(name=_("hours"), x=workload["rep_id"], y=workload["hours"])])
    if len(workload):
        figure.add_hline(
            y=float(workload["hours"].mean()), line_dash="dash", annotation_text=_("mean")
        )
    figure.update_layout(title=_("Weekly hours per rep"), **layout)
    charts.append(("workload", figure))
    tiers = tables["backlog"][tables["backlog"]["tier"] != TOTAL]
    figure = go.Figure(
        [
            go.Bar(name=_("caught up"), x=tiers["tier"], y=tiers["caught_up"]),
            go.Bar(name=_("carried forward"), x=tiers["tier"], y=tiers["carried_forward"]),
        ]
    )
    figure.update_layout(title=_("Backlog per tier (visits)"), **layout)
    charts.append(("backlog", figure))
    return charts


def _after_load(chart: str) -> str:
    start = chart.index("<script>") + len("<script>")
    end = chart.rindex("</script>")
    return (
        chart[:start]
        + "document.addEventListener('DOMContentLoaded', function () {"
        + chart[start:end]
        + "});"
        + chart[end:]
    )


def write_plotly_report(tables: Mapping[str, pd.DataFrame], path: Path, *, week: int) -> Path:
    """Write the previous report page to ``path`` and the plotly.js bundle beside it."""
    parts = [f'<script defer src="{PLOTLY_ASSET}"></script>']
    for name, figure in _charts(tables):
        chart = figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{name}",
            default_width="100%",
            config={"displaylogo": False, "responsive": True},
        )
        parts.append(f'<section class="chart">{_after_load(chart)}</section>')
    for name, table in tables.items():
        body = labelled(table).to_html(index=False, na_rep="", border=0, classes="kpi", escape=True)
        parts.append(
            f'<section id="table-{name}"><h2>{html.escape(table_title(name))}</h2>'
            f'<div class="table-wrap">{body}</div></section>'
        )
    title = html.escape(_("routeplan - KPIs of week {week}", week=week))
    lang = current_language().replace("_", "-")
    path.write_text(
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{REPORT_CSS}</style></head><body><h1>{title}</h1>"
        + "\n".join(parts)
        + "</body></html>\n",
        encoding="utf-8",
    )
    shutil.copyfile(PLOTLY_SOURCE, path.parent / PLOTLY_ASSET)
    return path
