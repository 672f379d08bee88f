"""Headings people read for the machine columns of plan, KPI and summary tables.

Tables keep stable English column names (the CSV files programs read); the terminal, the HTML
report and the managers' workbook show them through :func:`labelled`, in the active language.
A column without a label here (a tier name such as ``AAA`` in the build summary) is shown as
it is.
"""

from __future__ import annotations

import pandas as pd

from routeplan.config import WEEKDAYS
from routeplan.i18n import N_, Msgid, translate, weekday_name

COLUMN_LABELS: dict[str, Msgid] = {
    # build summary (kpis.summary.rep_summary)
    "rep": N_("rep"),
    "planned": N_("planned"),
    "dropped": N_("dropped"),
    "drive h": N_("drive h"),
    "km": N_("km"),
    "last home": N_("last home"),
    # KPI tables (kpis.measures)
    "tier": N_("tier"),
    "clients": N_("clients"),
    "due": N_("due"),
    "done": N_("done"),
    "missed": N_("missed"),
    "planned_pct": N_("planned %"),
    "done_pct": N_("done %"),
    "compliance_pct": N_("compliance %"),
    "rep_id": N_("rep"),
    "date": N_("date"),
    "day": N_("day"),
    "visits": N_("visits"),
    "drive_h": N_("drive h"),
    "km_per_visit": N_("km/visit"),
    "available_min": N_("available min"),
    "service_min": N_("service min"),
    "travel_min": N_("drive min"),
    "wait_min": N_("wait min"),
    "used_min": N_("used min"),
    "utilisation_pct": N_("utilisation %"),
    "hours": N_("hours"),
    "vs_mean_pct": N_("vs mean %"),
    "reps": N_("reps"),
    "mean_h": N_("mean h"),
    "spread": N_("spread"),
    "cv": N_("CV"),
    "caught_up": N_("caught up"),
    "carried_forward": N_("carried forward"),
    "net_change": N_("net change"),
    "client_id": N_("client"),
    "name": N_("name"),
    "last_visit": N_("last visit"),
    "days_since": N_("days since"),
    "overdue_days": N_("days overdue"),
    "allowed_days": N_("allowed days"),
    # week plan tables (model.plan), as the managers' workbook shows them
    "week": N_("week"),
    "rep_name": N_("rep name"),
    "seq": N_("stop"),
    "address": N_("address"),
    "arrive": N_("arrive"),
    "start": N_("start"),
    "depart": N_("depart"),
    "end": N_("back home"),
    "catch_up": N_("catch-up"),
    "reason": N_("reason"),
    "reason_code": N_("reason code"),
    "lat": N_("latitude"),
    "lon": N_("longitude"),
    "home_lat": N_("home latitude"),
    "home_lon": N_("home longitude"),
    # tier summary (tiers.summary.DISPLAY_COLUMNS)
    "accounts": N_("accounts"),
    "% accounts": N_("% accounts"),
    "% target": N_("% target"),
    "promoted": N_("promoted"),
    "overrides": N_("overrides"),
    "% revenue": N_("% revenue"),
    "% margin": N_("% margin"),
    "visits/week": N_("visits/week"),
    "visits/cycle": N_("visits/cycle"),
    # zones before → after (territory.balance_result.summary_for_display)
    "zone": N_("zone"),
    "workload h": N_("workload h"),
    "workload ±%": N_("workload ±%"),
    "revenue ±%": N_("revenue ±%"),
    "compactness": N_("compactness"),
    "home km": N_("home km"),
    "in/out": N_("in/out"),
}
"""Machine column → heading, translated when shown."""

TOTAL_ROWS: dict[str, Msgid] = {"total": N_("total"), "all": N_("all")}
"""Values of a table's first column that name a total row."""


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` for people: translated headings, weekdays and total rows.

    Parameters
    ----------
    table
        A KPI or summary table with machine column names.

    Returns
    -------
    pandas.DataFrame
        Same rows; columns renamed by :data:`COLUMN_LABELS`, a ``day`` column of ``Mon..Sun``
        codes as the locale's abbreviated weekday names, and a first-column ``total``/``all``
        as the translated word.

    """
    shown = table.copy()
    if "day" in shown.columns:
        shown["day"] = [
            weekday_name(WEEKDAYS.index(d), "abbreviated") if d in WEEKDAYS else d
            for d in shown["day"]
        ]
    if len(shown.columns) and len(shown):
        first = shown.columns[0]
        shown[first] = [
            translate(TOTAL_ROWS[v]) if isinstance(v, str) and v in TOTAL_ROWS else v
            for v in shown[first]
        ]
    return shown.rename(
        columns={c: translate(COLUMN_LABELS[c]) for c in shown.columns if c in COLUMN_LABELS}
    )
