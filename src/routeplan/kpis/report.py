"""KPI report of a week: tables for the terminal, CSV files and an HTML page a phone can read.

The page loads plotly.js from a file written next to it (:data:`PLOTLY_ASSET`, the basic
partial bundle: bar and scatter charts, 1.2 MB instead of 4.6 MB), never from a CDN, so it
opens offline next to the maps and the library is fetched once for every report in the folder.
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

from routeplan.config import WEEKDAYS, Settings
from routeplan.errors import RouteplanError
from routeplan.i18n import (
    N_,
    Msgid,
    _,
    current_language,
    current_locale,
    translate,
    weekday_name,
)
from routeplan.io.exports import claim_week_folder
from routeplan.io.writers import ensure_dir, write_csv
from routeplan.kpis.measures import (
    TOTAL,
    backlog,
    cadence_compliance,
    drive_by_rep_day,
    last_visits,
    overdue_clients,
    utilisation,
    workload_balance,
)
from routeplan.kpis.plotly_locale import locale_script, plotly_config
from routeplan.model.labels import labelled
from routeplan.model.plan import WeekPlan

TABLE_TITLES: dict[str, Msgid] = {
    "compliance": N_("Cadence compliance per tier (cycle to date)"),
    "drive": N_("Drive hours and km per rep and day"),
    "utilisation": N_("Utilisation of working time per rep and day"),
    "workload": N_("Workload per rep"),
    "balance": N_("Workload balance across reps"),
    "backlog": N_("Backlog: visits carried over"),
    "overdue": N_("Clients not seen for longer than their cadence"),
    "unservable": N_("Accounts their rep can never visit (left out of routing and compliance)"),
}
"""Every table :func:`kpi_tables` can return, with its title (translated when shown), in
report order."""


def table_title(name: str) -> str:
    """The title of KPI table ``name`` in the active language."""
    return translate(TABLE_TITLES[name]) if name in TABLE_TITLES else name


def kpi_tables(
    plan: WeekPlan,
    *,
    settings: Settings,
    reps: pd.DataFrame,
    due: pd.DataFrame | None = None,
    planned: pd.DataFrame | None = None,
    log: pd.DataFrame | None = None,
    clients: pd.DataFrame | None = None,
    last_visit: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """Every KPI table of one week.

    Parameters
    ----------
    plan
        The week plan.
    settings
        Settings (cycle, cadence, workday).
    reps
        The reps table.
    due
        Due visits of the cycle (``client_id``, ``week``, ``tier``), for compliance.
    planned
        Planned visits of the cycle so far (``client_id``, ``week``, ``tier``); default: this
        week's routes only.
    log
        Visit log (``client_id``, ``date``, ``status``).
    clients
        Clients (``client_id``, ``name``, ``tier``, ``rep_id``), for overdue clients; needs
        ``log`` or ``last_visit``.
    last_visit
        Last done visit per client; default: derived from ``log``.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keys in the order of :data:`TABLE_TITLES`; ``compliance`` only with ``due``,
        ``overdue`` only with ``clients`` and a visit log (or ``last_visit``): without one
        nothing is known to be done. ``unservable`` (accounts left out of routing, see
        :func:`routeplan.calendar.servable.unservable_clients`) is added by the build job.

    """
    tables: dict[str, pd.DataFrame] = {}
    start = settings.cycle.start_date
    if due is not None:
        planned_so_far = planned if planned is not None else plan.routes
        tables["compliance"] = cadence_compliance(
            due,
            planned_so_far,
            log,
            through_week=plan.week,
            cycle_start=start,
            tier_order=settings.tier_names,
        )
    tables["drive"] = drive_by_rep_day(plan)
    tables["utilisation"] = utilisation(plan, reps, settings)
    balance = workload_balance(plan)
    tables["workload"] = balance.per_rep
    tables["balance"] = balance.summary()
    tables["backlog"] = backlog(
        plan.dropped,
        plan.routes[plan.routes["catch_up"].astype(bool)],
        tier_order=settings.tier_names,
    )
    if clients is not None and (log is not None or last_visit is not None):
        if last_visit is None:
            last_visit = last_visits(log) if log is not None else pd.Series(dtype=object)
        tables["overdue"] = overdue_clients(
            clients, last_visit, settings.cadence, plan.week, cycle_start=start
        )
    return tables


def write_kpi_csvs(tables: Mapping[str, pd.DataFrame], out_dir: Path, *, week: int) -> list[Path]:
    """Write each table as ``kpi-<name>-week-NN.csv`` into ``out_dir``.

    Parameters
    ----------
    tables
        From :func:`kpi_tables`.
    out_dir
        The folder (created if needed).
    week
        The cycle week, part of every file name.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    RouteplanError
        When the folder cannot be written.

    """
    ensure_dir(out_dir)
    return [
        write_csv(table, out_dir / f"kpi-{name}-week-{week:02d}.csv")
        for name, table in tables.items()
    ]


PLOTLY_ASSET = "plotly-basic-4.1.1.min.js"
"""File name of the charting library written next to each report (plotly.js basic bundle)."""

PLOTLY_SOURCE = Path(__file__).with_name("assets") / PLOTLY_ASSET
"""The bundled copy (MIT licence in ``assets/plotly-LICENSE.txt``)."""

REPORT_CSS = (
    "body{font-family:system-ui,sans-serif;margin:0 auto;padding:.75rem;max-width:1100px;"
    "font-size:16px;line-height:1.4;color:#222}"
    "h1{font-size:1.4rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}"
    ".chart{width:100%;min-height:320px}"
    ".table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table.kpi{border-collapse:collapse;margin-bottom:1rem;font-size:.9rem}"
    "table.kpi td,table.kpi th{padding:.35rem .6rem;border-bottom:1px solid #ddd;"
    "text-align:right;white-space:nowrap}"
    ".note{background:#fff8e1;border-left:4px solid #e69f00;padding:.5rem .75rem}"
    "@media (max-width:600px){body{padding:.5rem}h1{font-size:1.2rem}}"
)
"""The report's CSS: one column that fits a phone, wide tables scroll sideways."""


def _rep_day_bars(
    table: pd.DataFrame, column: str, title: str, unit: str, layout: dict[str, Any]
) -> go.Figure:
    """Grouped bars of ``column`` per rep-day: one trace per rep, days on the x axis."""
    figure = go.Figure(
        [
            go.Bar(name=rep, x=_day_labels(part), y=part[column])
            for rep, part in table.groupby("rep_id", sort=True)
        ]
    )
    figure.update_layout(title=title, xaxis_title=_("day"), yaxis_title=unit, **layout)
    figure.update_xaxes(type="category", categoryorder="category ascending")
    return figure


def plotly_separators() -> str:
    """Plotly's ``separators`` (decimal, then thousands) for the active locale."""
    locale = current_locale()
    return numbers.get_decimal_symbol(locale) + numbers.get_group_symbol(locale)


def _day_labels(table: pd.DataFrame) -> list[str]:
    return [
        f"{date} {weekday_name(WEEKDAYS.index(day), 'abbreviated') if day in WEEKDAYS else day}"
        for date, day in zip(table["date"], table["day"], strict=True)
    ]


def _compliance_chart(compliance: pd.DataFrame, layout: dict[str, Any]) -> go.Figure:
    """Planned and done visits per tier, each as a share of the visits due; nothing else.

    Done comes only from the visit log: without one it is 0 and the chart says so, instead of
    a compliance rate that would count planned visits as if they had happened.
    """
    tiers = compliance[compliance["tier"] != TOTAL]
    figure = go.Figure(
        [
            go.Bar(
                name=_("planned (% of due)"),
                x=tiers["tier"],
                y=tiers["planned_pct"],
                marker_color="#56b4e9",
            ),
            go.Bar(
                name=_("done, from the visit log (% of due)"),
                x=tiers["tier"],
                y=tiers["done_pct"],
                marker_color="#009e73",
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
    if float(tiers["done"].sum()) == 0:
        figure.add_annotation(
            text=_("No visit is recorded as done yet (no visit log)."),
            xref="paper",
            yref="paper",
            x=0.5,
            y=1.0,
            showarrow=False,
            bgcolor="#fff8e1",
        )
    return figure


def _charts(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, go.Figure]]:
    charts: list[tuple[str, go.Figure]] = []
    layout = {
        "height": 360,
        "margin": {"l": 50, "r": 20, "t": 50, "b": 50},
        "barmode": "group",
        "separators": plotly_separators(),
    }
    if "compliance" in tables:
        charts.append(("compliance", _compliance_chart(tables["compliance"], layout)))
    charts.append(
        (
            "drive",
            _rep_day_bars(
                tables["drive"],
                "drive_h",
                _("Drive hours per rep and day"),
                _("hours"),
                layout,
            ),
        )
    )
    charts.append(
        (
            "utilisation",
            _rep_day_bars(
                tables["utilisation"],
                "utilisation_pct",
                _("Utilisation of working time (%)"),
                "%",
                layout,
            ),
        )
    )
    workload = tables["workload"]
    figure = go.Figure([go.Bar(name=_("hours"), x=workload["rep_id"], y=workload["hours"])])
    if len(workload):
        figure.add_hline(
            y=float(workload["hours"].mean()), line_dash="dash", annotation_text=_("mean")
        )
    figure.update_layout(
        title=_("Weekly hours per rep"), xaxis_title=_("rep"), yaxis_title=_("hours"), **layout
    )
    charts.append(("workload", figure))
    tiers = tables["backlog"][tables["backlog"]["tier"] != TOTAL]
    figure = go.Figure(
        [
            go.Bar(name=_("caught up"), x=tiers["tier"], y=tiers["caught_up"]),
            go.Bar(name=_("carried forward"), x=tiers["tier"], y=tiers["carried_forward"]),
        ]
    )
    figure.update_layout(
        title=_("Backlog per tier (visits)"),
        xaxis_title=_("tier"),
        yaxis_title=_("visits"),
        **layout,
    )
    charts.append(("backlog", figure))
    return charts


def report_html(
    tables: Mapping[str, pd.DataFrame], *, week: int, plotly_src: str = PLOTLY_ASSET
) -> str:
    """Render the report page as a string: charts and every table, laid out for a phone.

    Parameters
    ----------
    tables
        From :func:`kpi_tables` (``drive``, ``utilisation``, ``workload``, ``backlog`` needed).
    week
        The cycle week, for the title.
    plotly_src
        Where the page loads plotly.js from (relative to the page; once, before the charts).

    Returns
    -------
    str
        A complete HTML document with a viewport tag and the page's language.

    """
    parts = [f'<script defer src="{html.escape(plotly_src)}"></script>']
    parts.append(locale_script(when_loaded=True))  # before the charts: same event, first
    for name, figure in _charts(tables):
        chart = figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{name}",
            default_width="100%",
            config=plotly_config(),
        )
        parts.append(f'<section class="chart">{_after_load(chart)}</section>')
    for name, table in tables.items():
        title = html.escape(table_title(name))
        body = labelled(table).to_html(index=False, na_rep="", border=0, classes="kpi", escape=True)
        parts.append(
            f'<section id="table-{name}"><h2>{title}</h2><div class="table-wrap">{body}</div>'
            "</section>"
        )
    title = _("routeplan - KPIs of week {week}", week=week)
    lang = current_language().replace("_", "-")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{REPORT_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>" + "\n".join(parts) + "</body></html>\n"
    )


_CHART_SCRIPT = "<script>"


def _after_load(chart: str) -> str:
    """Run a chart's script once the deferred library has run (at ``DOMContentLoaded``).

    The page's text and tables show while the phone is still reading the library.
    """
    start = chart.index(_CHART_SCRIPT) + len(_CHART_SCRIPT)
    end = chart.rindex("</script>")
    body = chart[start:end]
    return (
        chart[:start]
        + "document.addEventListener('DOMContentLoaded', function () {"
        + body
        + "});"
        + chart[end:]
    )


def write_plotly_asset(folder: Path) -> Path:
    """Copy the charting library next to the reports in ``folder`` unless it is there already."""
    target = folder / PLOTLY_ASSET
    if not target.is_file() or target.stat().st_size != PLOTLY_SOURCE.stat().st_size:
        shutil.copyfile(PLOTLY_SOURCE, target)
    return target


def write_report_html(tables: Mapping[str, pd.DataFrame], path: Path, *, week: int) -> Path:
    """Write the HTML report (see :func:`report_html`) and the charting library next to it.

    Parameters
    ----------
    tables
        From :func:`kpi_tables`.
    path
        The ``.html`` file (its folder is created if needed).
    week
        The cycle week.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    RouteplanError
        When the file cannot be written.

    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_plotly_asset(path.parent)
        path.write_text(report_html(tables, week=week), encoding="utf-8")
    except OSError as exc:
        raise RouteplanError(
            f"cannot write the report {path}: {exc.strerror or exc}",
            hint="pick another --out folder or fix its permissions",
        ) from exc
    return path


def report_path(folder: Path, week: int) -> Path:
    """Return where the week's HTML report goes: ``<folder>/report-week-NN.html``."""
    return folder / f"report-week-{week:02d}.html"


def write_week_report(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, *, week: int, settings: Settings
) -> list[Path]:
    """Write the KPI CSVs and the HTML report into the week's folder ``out_dir/week-NN``.

    Parameters
    ----------
    tables
        From :func:`kpi_tables`.
    out_dir
        The output root (the same as for :func:`routeplan.io.exports.write_week_outputs`).
    week
        The cycle week.
    settings
        The settings (``[cycle]``), to check the folder belongs to this week of this cycle.

    Returns
    -------
    list of pathlib.Path
        The CSV files, the charting library (:data:`PLOTLY_ASSET`), then the HTML report.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, the folder holds another week, or it cannot be
        written.

    """
    folder = claim_week_folder(out_dir, week, settings=settings)
    paths = write_kpi_csvs(tables, folder, week=week)
    report = write_report_html(tables, report_path(folder, week), week=week)
    paths += [folder / PLOTLY_ASSET, report]
    return paths
