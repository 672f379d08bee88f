"""The capacity page: charts and tables of the scenarios, offline and readable on a phone.

plotly.js is written once next to the page (``plotly.min.js``) and loaded by every chart, so
the page itself stays small; it needs no network.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from routeplan.capacity.evaluate import ScenarioResult
from routeplan.i18n import _, format_percent
from routeplan.kpis.plotly_locale import locale_script, plotly_config

PLOTLY_FILE = "plotly.min.js"
MAX_SCATTER_POINTS = 4000
"""Accounts drawn in the cost vs margin chart (all flagged ones, then an even sample)."""

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1rem;max-width:1100px}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;margin-bottom:1rem}"
    "td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}"
    "th:first-child,td:first-child{text-align:left}.chart{min-height:320px}"
)


def _layout() -> dict[str, object]:
    """Compact margins and a legend under the chart, so a phone keeps the plot area."""
    return {
        "margin": {"l": 50, "r": 10, "t": 50, "b": 40},
        "height": 400,
        "legend": {"orientation": "h", "y": -0.2},
    }


def workload_chart(results: Sequence[ScenarioResult]) -> go.Figure:
    """Weekly workload per rep, a bar group per scenario, against the working week."""
    figure = go.Figure()
    for result in results:
        per_rep = result.per_rep
        figure.add_bar(
            name=html.escape(result.scenario.name),
            x=[html.escape(str(r)) for r in per_rep["rep_id"]],
            y=per_rep["workload_h"],
        )
    capacity = results[0].per_rep["capacity_h"].max() if results else 0
    figure.add_hline(y=float(capacity), line_dash="dot", annotation_text=_("working week"))
    figure.update_layout(title=_("Weekly workload per rep (hours)"), **_layout())
    return figure


def scatter_sample(accounts: pd.DataFrame) -> pd.DataFrame:
    """Every flagged account and an even sample of the others, at most MAX_SCATTER_POINTS."""
    flagged = accounts[accounts["recommendation"] != "keep"]
    rest = accounts[accounts["recommendation"] == "keep"]
    room = max(MAX_SCATTER_POINTS - len(flagged), 0)
    if len(rest) > room:
        step = len(rest) / room if room else len(rest) + 1
        rest = rest.iloc[[int(i * step) for i in range(room)]]
    return pd.concat([flagged.head(MAX_SCATTER_POINTS), rest])


def cost_margin_chart(
    accounts: pd.DataFrame, tiers: Sequence[str], *, max_cost_share: float = 0.5
) -> go.Figure:
    """Cost to serve against annual margin, one colour per tier; break-even and limit lines."""
    sample = scatter_sample(accounts)
    figure = go.Figure()
    for tier in tiers:
        part = sample[sample["tier"] == tier]
        figure.add_scattergl(
            name=tier,
            mode="markers",
            x=part["annual_margin"].clip(lower=1),
            y=part["cost_to_serve"].clip(lower=1),
            text=[html.escape(str(c)) for c in part["client_id"]],
            marker={"size": 5, "opacity": 0.7},
        )
    top = float(max(sample["annual_margin"].max(), sample["cost_to_serve"].max(), 10))
    figure.add_scatter(
        x=[1, top], y=[1, top], mode="lines", name=_("break-even"), line={"dash": "dot"}
    )
    figure.add_scatter(
        x=[1, top],
        y=[max_cost_share, max_cost_share * top],
        mode="lines",
        name=_("cost limit ({share} of margin)", share=format_percent(max_cost_share)),
        line={"dash": "dash"},
    )
    figure.update_layout(
        title=_("Cost to serve vs annual margin ({count} accounts)", count=len(sample)),
        xaxis={"type": "log", "title": _("annual margin")},
        yaxis={"type": "log", "title": _("cost to serve a year")},
        **_layout(),
    )
    return figure


def coverage_chart(results: Sequence[ScenarioResult]) -> go.Figure:
    """Coverage (due visits that fit) and the busiest rep's utilisation per scenario."""
    names = [html.escape(r.scenario.name) for r in results]
    figure = go.Figure()
    figure.add_bar(name=_("coverage"), x=names, y=[r.coverage for r in results])
    figure.add_bar(name=_("busiest rep"), x=names, y=[r.max_utilisation for r in results])
    figure.update_layout(
        title=_("Coverage and utilisation by scenario"),
        yaxis={"tickformat": ".0%"},
        barmode="group",
        **_layout(),
    )
    return figure


def _table(frame: pd.DataFrame, title: str) -> str:
    body = frame.to_html(
        index=False, na_rep="", border=0, escape=True, float_format="{:,.2f}".format
    )
    return f'<section><h2>{html.escape(title)}</h2><div class="scroll">{body}</div></section>'


def capacity_html(
    results: Sequence[ScenarioResult],
    accounts: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    *,
    tiers: Sequence[str],
    language: str = "en",
    max_cost_share: float = 0.5,
) -> str:
    """The whole page: three charts, then the comparison and the cost summaries.

    Parameters
    ----------
    results
        Baseline first, then the scenarios.
    accounts
        ``accounts.csv`` rows (``tier``, ``annual_margin``, ``cost_to_serve``,
        ``recommendation``, ``client_id``).
    tables
        Title → table (already labelled for people).
    tiers
        Tier order for the colours.
    language
        ``lang`` of the page.
    max_cost_share
        ``[costs] max_cost_share``, drawn as the limit line.

    Returns
    -------
    str
        An HTML document loading ``plotly.min.js`` from its folder.

    """
    figures = [
        ("workload", workload_chart(results)),
        ("cost-margin", cost_margin_chart(accounts, tiers, max_cost_share=max_cost_share)),
        ("coverage", coverage_chart(results)),
    ]
    parts = [
        '<section class="chart">'
        + figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{name}",
            config=plotly_config(),
        )
        + "</section>"
        for name, figure in figures
    ]
    parts += [_table(frame, title) for title, frame in tables.items()]
    title = html.escape(_("Capacity and cost to serve"))
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style>"
        f'<script src="{PLOTLY_FILE}"></script>{locale_script()}</head><body><h1>{title}</h1>'
        + "\n".join(parts)
        + "</body></html>\n"
    )
