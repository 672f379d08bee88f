"""KPI report of a week: tables for the terminal, CSV files and an HTML page a phone can read.

The page is one self-contained file: its charts are SVG written here
(:mod:`routeplan.kpis.svg_charts`), so it needs no charting library, no script and no network,
and a slow phone shows the charts as soon as the page is parsed.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from routeplan.config import WEEKDAYS, Settings
from routeplan.errors import RouteplanError
from routeplan.i18n import (
    N_,
    Msgid,
    _,
    current_language,
    format_date,
    format_number,
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
from routeplan.kpis.svg_charts import CHART_CSS, BarChart, Series, chart_html
from routeplan.model.labels import labelled
from routeplan.model.plan import WeekPlan
from routeplan.timefmt import local_time

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


REPORT_CSS = (
    "body{font-family:system-ui,sans-serif;margin:0 auto;padding:.75rem;max-width:1100px;"
    "font-size:16px;line-height:1.4;color:#222}"
    "h1{font-size:1.4rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}"
    ".table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table.kpi{border-collapse:collapse;margin-bottom:1rem;font-size:.9rem}"
    "table.kpi td,table.kpi th{padding:.35rem .6rem;border-bottom:1px solid #ddd;"
    "text-align:right;white-space:nowrap}"
    ".note{background:#fff8e1;border-left:4px solid #e69f00;padding:.5rem .75rem}"
    "@media (max-width:600px){body{padding:.5rem}h1{font-size:1.2rem}}" + CHART_CSS
)
"""The report's CSS: one column that fits a phone, wide tables scroll sideways."""


def _day_labels(table: pd.DataFrame) -> list[str]:
    """Two-line x labels of rep-day charts: the weekday, then the date in the locale."""
    labels = []
    for date, day in zip(table["date"], table["day"], strict=True):
        name = weekday_name(WEEKDAYS.index(day), "abbreviated") if day in WEEKDAYS else str(day)
        try:
            shown = format_date(dt.date.fromisoformat(str(date)), "d MMM")
        except ValueError:
            shown = str(date)
        labels.append(f"{name}\n{shown}")
    return labels


def _rep_day_chart(table: pd.DataFrame, column: str, title: str, unit: str) -> BarChart:
    """Grouped bars of ``column`` per rep-day: one series per rep, days on the x axis."""
    days = table[["date", "day"]].drop_duplicates().sort_values("date")
    series = []
    for rep, part in table.groupby("rep_id", sort=True):
        by_date = dict(zip(part["date"], part[column], strict=True))
        series.append(Series(str(rep), [by_date.get(d, math.nan) for d in days["date"]]))
    return BarChart(title, _day_labels(days), series, _("day"), unit, unit=unit)


def _compliance_chart(compliance: pd.DataFrame) -> BarChart:
    """Planned and done visits per tier, each as a share of the visits due; nothing else.

    Done comes only from the visit log: without one it is 0 and the chart says so, instead of
    a compliance rate that would count planned visits as if they had happened.
    """
    tiers = compliance[compliance["tier"] != TOTAL]
    note = ""
    if float(tiers["done"].sum()) == 0:
        note = _("No visit is recorded as done yet (no visit log).")
    return BarChart(
        _("Visits planned and done per tier (% of due)"),
        [str(t) for t in tiers["tier"]],
        [
            Series(_("planned (% of due)"), tiers["planned_pct"].tolist(), "#56b4e9"),
            Series(_("done, from the visit log (% of due)"), tiers["done_pct"].tolist(), "#009e73"),
        ],
        _("tier"),
        "%",
        y_max=100.0,
        note=note,
        unit="%",
    )


def report_charts(tables: Mapping[str, pd.DataFrame]) -> list[tuple[str, BarChart]]:
    """The report's charts, named, in page order (compliance only when the table is there)."""
    charts: list[tuple[str, BarChart]] = []
    if "compliance" in tables:
        charts.append(("compliance", _compliance_chart(tables["compliance"])))
    charts.append(
        (
            "drive",
            _rep_day_chart(
                tables["drive"], "drive_h", _("Drive hours per rep and day"), _("hours")
            ),
        )
    )
    charts.append(
        (
            "utilisation",
            _rep_day_chart(
                tables["utilisation"], "utilisation_pct", _("Utilisation of working time (%)"), "%"
            ),
        )
    )
    workload = tables["workload"]
    mean = (float(workload["hours"].mean()), _("mean")) if len(workload) else None
    charts.append(
        (
            "workload",
            BarChart(
                _("Weekly hours per rep"),
                [str(r) for r in workload["rep_id"]],
                [Series(_("hours"), workload["hours"].tolist())],
                _("rep"),
                _("hours"),
                mean=mean,
                unit=_("hours"),
            ),
        )
    )
    tiers = tables["backlog"][tables["backlog"]["tier"] != TOTAL]
    charts.append(
        (
            "backlog",
            BarChart(
                _("Backlog per tier (visits)"),
                [str(t) for t in tiers["tier"]],
                [
                    Series(_("caught up"), tiers["caught_up"].tolist()),
                    Series(_("carried forward"), tiers["carried_forward"].tolist()),
                ],
                _("tier"),
                _("visits"),
            ),
        )
    )
    return charts


DATE_COLUMNS = ("date", "last_visit")
"""Columns of KPI tables holding dates, shown in the locale in the HTML report."""
TIME_COLUMNS = ("opens", "closes")
"""Columns holding ``HH:MM`` times, shown in the locale (``rep_day`` is a span of two)."""


def _date_text(value: object) -> object:
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return value


def _time_text(value: object) -> object:
    try:
        return local_time(str(value))
    except ValueError:
        return value


def for_people(table: pd.DataFrame) -> pd.DataFrame:
    """A KPI table as the report shows it: headings translated, dates and times in the locale.

    The CSV files keep ISO dates and ``HH:MM`` times (machines read them); unreadable values
    are shown as they are.
    """
    shown = table.copy()
    for column in shown.columns:
        if column in DATE_COLUMNS:
            shown[column] = [_date_text(v) for v in shown[column]]
        elif column in TIME_COLUMNS:
            shown[column] = [_time_text(v) for v in shown[column]]
        elif column == "rep_day":
            shown[column] = [
                "–".join(str(_time_text(part)) for part in str(v).split("-")) for v in shown[column]
            ]
        elif _is_number(shown[column]):
            shown[column] = _number_texts(shown[column])
    return labelled(shown)


def _is_number(values: pd.Series) -> bool:
    """Whether a column holds numbers (not flags): shown in the locale's number format."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _number_texts(values: pd.Series) -> list[str]:
    """``values`` in the active locale (``1.234,5`` in Spanish); missing values empty.

    As few decimals as the column needs, at most 2.
    """
    present = values.dropna().astype(float)
    decimals = next((d for d in (0, 1) if (present.round(d) - present).abs().max() < 1e-9), 2)
    return ["" if pd.isna(v) else format_number(float(v), decimals) for v in values]


def report_html(tables: Mapping[str, pd.DataFrame], *, week: int) -> str:
    """Render the report page as a string: charts and every table, laid out for a phone.

    The charts are SVG drawn here (:mod:`routeplan.kpis.svg_charts`): the page runs no script
    and loads nothing, so it paints charts and tables at once, offline too.

    Parameters
    ----------
    tables
        From :func:`kpi_tables` (``drive``, ``utilisation``, ``workload``, ``backlog`` needed).
    week
        The cycle week, for the title.

    Returns
    -------
    str
        A complete HTML document with a viewport tag and the page's language.

    """
    parts = [chart_html(name, chart) for name, chart in report_charts(tables)]
    for name, table in tables.items():
        title = html.escape(table_title(name))
        body = for_people(table).to_html(
            index=False, na_rep="", border=0, classes="kpi", escape=True
        )
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


def write_report_html(tables: Mapping[str, pd.DataFrame], path: Path, *, week: int) -> Path:
    """Write the HTML report (see :func:`report_html`), one self-contained file.

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
        path.write_text(report_html(tables, week=week), encoding="utf-8")
    except OSError as exc:
        raise RouteplanError(
            _("cannot write the report {path}: {error}", path=path, error=exc.strerror or exc),
            hint=_("pick another --out folder or fix its permissions"),
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
        The CSV files, then the HTML report.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, the folder holds another week, or it cannot be
        written.

    """
    folder = claim_week_folder(out_dir, week, settings=settings)
    paths = write_kpi_csvs(tables, folder, week=week)
    report = write_report_html(tables, report_path(folder, week), week=week)
    paths.append(report)
    return paths
