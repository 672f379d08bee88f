"""Week plan tables to CSV, GeoJSON and XLSX, and the readers that round-trip them.

``routes.csv`` holds :data:`~routeplan.model.plan.ROUTE_COLUMNS` in that order;
``routes.geojson`` holds
one Point feature per stop (``kind = "stop"``, every route column but ``lat``/``lon`` as
properties) and one LineString per rep-day (``kind = "route"``): home → stops → home, or the
road geometry when the planner passes it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from routeplan.i18n import _
from routeplan.io.stable_zip import plan_time, restamp
from routeplan.io.writers import formula_safe, formula_unsafe, write_csv, writing
from routeplan.model.labels import labelled
from routeplan.model.plan import (
    ADDED_ROUTE_COLUMNS,
    DAY_COLUMNS,
    DROPPED_COLUMNS,
    ROUTE_COLUMNS,
    WeekPlan,
)
from routeplan.model.reasons import reason_texts

LatLon = tuple[float, float]
RouteLegs = Mapping[tuple[str, str], Sequence[LatLon]]
"""Road geometry per rep-day: ``legs[(rep_id, date)]`` = ``[(lat, lon), ...]``."""

ROUTE_INT_COLUMNS: tuple[str, ...] = ("week", "seq", "service_min", "wait_min", "priority")
ROUTE_FLOAT_COLUMNS: tuple[str, ...] = ("lat", "lon", "travel_min", "km")
ROUTE_BOOL_COLUMNS: tuple[str, ...] = ("catch_up",)

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _native(value: Any) -> Any:
    """Make a value JSON-ready: NaN becomes None, numpy scalars become Python ones."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def coerce_routes(table: pd.DataFrame) -> pd.DataFrame:
    """Give a routes table the column order and dtypes of :data:`ROUTE_COLUMNS`.

    Parameters
    ----------
    table
        A routes table, e.g. read from a file with every column as text.

    Returns
    -------
    pandas.DataFrame
        Integers as ``int64``, ``lat``/``lon``/``travel_min``/``km`` as ``float64``,
        ``catch_up`` as ``bool``, the rest as strings (empty string for missing text).

    """
    missing = [c for c in ADDED_ROUTE_COLUMNS if c not in table.columns]
    defaults = {c: ADDED_ROUTE_COLUMNS[c] for c in missing}
    out = table.assign(**defaults).loc[:, list(ROUTE_COLUMNS)].copy()
    for column in ROUTE_COLUMNS:
        if column in ROUTE_INT_COLUMNS:
            out[column] = pd.to_numeric(out[column]).astype("int64")
        elif column in ROUTE_FLOAT_COLUMNS:
            out[column] = pd.to_numeric(out[column]).astype("float64")
        elif column in ROUTE_BOOL_COLUMNS:
            out[column] = out[column].map(_as_bool).astype("bool")
        else:
            out[column] = out[column].fillna("").astype(str)
    return out.reset_index(drop=True)


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def write_routes_csv(routes: pd.DataFrame, path: Path) -> Path:
    """Write ``routes.csv``: one row per planned visit, :data:`ROUTE_COLUMNS` in order.

    Parameters
    ----------
    routes
        ``WeekPlan.routes``.
    path
        The file to write.

    Returns
    -------
    pathlib.Path
        ``path``.

    """
    return write_csv(routes.loc[:, list(ROUTE_COLUMNS)], path)


def routes_from_csv(path: Path) -> pd.DataFrame:
    """Read a ``routes.csv`` written by :func:`write_routes_csv`.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    pandas.DataFrame
        The routes table with the dtypes of :func:`coerce_routes`, texts as they were
        before :func:`~routeplan.io.writers.formula_safe`.

    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return coerce_routes(table.map(formula_unsafe))


def stops_by_rep_day(routes: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """Split ``routes`` into each rep-day's stops, in visiting order.

    Parameters
    ----------
    routes
        ``WeekPlan.routes``.

    Returns
    -------
    dict
        ``{(rep_id, date): stops}`` for every rep-day with visits.

    """
    keys = [routes["rep_id"].astype(str), routes["date"].astype(str)]
    return {
        (str(rep_id), str(date)): part.sort_values("seq", kind="stable")
        for (rep_id, date), part in routes.groupby(keys, sort=True)
    }


def records_by_rep_day(routes: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Split ``routes`` into each rep-day's stops as plain records, in visiting order.

    Parameters
    ----------
    routes
        ``WeekPlan.routes``.

    Returns
    -------
    dict
        ``{(rep_id, date): [record, ...]}`` for every rep-day with visits.

    """
    return {key: stops.to_dict("records") for key, stops in stops_by_rep_day(routes).items()}


def routes_geojson(
    plan: WeekPlan,
    *,
    legs: RouteLegs | None = None,
) -> dict[str, Any]:
    """Build the week's stops and route lines as a GeoJSON FeatureCollection (a dict).

    Parameters
    ----------
    plan
        The week plan.
    legs
        Optional road geometry per rep-day, ``legs[(rep_id, date)] = [(lat, lon), ...]``;
        without it a rep-day's line is straight segments home → stops → home.

    Returns
    -------
    dict
        A FeatureCollection: Point features (``kind = "stop"``) in route order, then one
        LineString (``kind = "route"``) per rep-day with visits.

    """
    features: list[dict[str, Any]] = []
    routes = plan.routes.sort_values(["rep_id", "date", "seq"], kind="stable")
    for record in routes.to_dict("records"):
        properties = {"kind": "stop"}
        properties.update({c: _native(record[c]) for c in ROUTE_COLUMNS if c not in ("lat", "lon")})
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(record["lon"]), float(record["lat"])],
                },
                "properties": properties,
            }
        )
    by_day = stops_by_rep_day(routes)
    for day in plan.days.sort_values(["rep_id", "date"], kind="stable").to_dict("records"):
        key = (str(day["rep_id"]), str(day["date"]))
        stops = by_day.get(key)
        if stops is None:
            continue
        if legs is not None and key in legs:
            points = [(float(lat), float(lon)) for lat, lon in legs[key]]
            geometry_source = "road"
        else:
            home = (float(day["home_lat"]), float(day["home_lon"]))
            points = [
                home,
                *zip(stops["lat"].astype(float), stops["lon"].astype(float), strict=True),
                home,
            ]
            geometry_source = "straight"
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[lon, lat] for lat, lon in points],
                },
                "properties": {
                    "kind": "route",
                    "week": _native(day["week"]),
                    "rep_id": key[0],
                    "date": key[1],
                    "day": str(day["day"]),
                    "visits": len(stops),
                    "start": str(day["start"]),
                    "end": str(day["end"]),
                    "travel_min": _native(day["travel_min"]),
                    "km": _native(day["km"]),
                    "geometry_source": geometry_source,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_routes_geojson(plan: WeekPlan, path: Path, *, legs: RouteLegs | None = None) -> Path:
    """Write ``routes.geojson`` (see :func:`routes_geojson`).

    Parameters
    ----------
    plan
        The week plan.
    path
        The file to write.
    legs
        Optional road geometry per rep-day.

    Returns
    -------
    pathlib.Path
        ``path``.

    """
    collection = routes_geojson(plan, legs=legs)
    with writing(path):
        path.write_text(
            json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return path


def routes_from_geojson(path: Path) -> pd.DataFrame:
    """Read the stops of a ``routes.geojson`` back into a routes table.

    Parameters
    ----------
    path
        A file written by :func:`write_routes_geojson`.

    Returns
    -------
    pandas.DataFrame
        One row per Point feature with ``kind = "stop"``, dtypes as :func:`coerce_routes`.

    """
    collection = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for feature in collection.get("features", []):
        properties = feature.get("properties") or {}
        if properties.get("kind") != "stop":
            continue
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append({**properties, "lat": lat, "lon": lon})
    if not rows:
        return coerce_routes(pd.DataFrame(columns=list(ROUTE_COLUMNS)))
    return coerce_routes(pd.DataFrame(rows))


def route_lines_from_geojson(path: Path) -> dict[tuple[str, str], list[LatLon]]:
    """Read the route lines of a ``routes.geojson``: ``{(rep_id, date): [(lat, lon), ...]}``.

    Parameters
    ----------
    path
        A file written by :func:`write_routes_geojson`.

    Returns
    -------
    dict
        The line of each rep-day, as (lat, lon) pairs.

    """
    collection = json.loads(path.read_text(encoding="utf-8"))
    lines: dict[tuple[str, str], list[LatLon]] = {}
    for feature in collection.get("features", []):
        properties = feature.get("properties") or {}
        if properties.get("kind") == "route":
            key = (str(properties["rep_id"]), str(properties["date"]))
            lines[key] = [(lat, lon) for lon, lat in feature["geometry"]["coordinates"]]
    return lines


def sheet_name(rep_id: str, taken: set[str]) -> str:
    """Return an Excel-safe, unique sheet name (at most 31 characters) for ``rep_id``.

    Parameters
    ----------
    rep_id
        The rep.
    taken
        Names already used in the workbook (updated in place).

    Returns
    -------
    str
        The sheet name.

    """
    base = _SHEET_FORBIDDEN.sub("_", str(rep_id)).strip("'") or "rep"
    name = base[:31]
    counter = 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"~{counter}"
        name = base[: 31 - len(suffix)] + suffix
        counter += 1
    taken.add(name)
    return name


def plan_rep_ids(plan: WeekPlan) -> list[str]:
    """Every rep of the plan (with days or visits), sorted: the order of per-rep files."""
    return sorted(set(plan.days["rep_id"].astype(str)) | set(plan.routes["rep_id"].astype(str)))


def rep_sheet_names(plan: WeekPlan) -> dict[str, str]:
    """The workbook's sheet of each rep, in sheet order (see :func:`sheet_name`)."""
    taken = {"summary", "dropped", _("summary"), _("dropped")}  # and in the run's language
    return {rep_id: sheet_name(rep_id, taken) for rep_id in plan_rep_ids(plan)}


_REP_SHEET_COLUMNS: tuple[str, ...] = (
    "date",
    "day",
    "seq",
    "arrive",
    "start",
    "depart",
    "client_id",
    "name",
    "tier",
    "address",
    "service_min",
    "wait_min",
    "travel_min",
    "km",
    "catch_up",
    "reason",
)


def _cell(sheet: Any, value: Any) -> Any:
    """A workbook cell: numbers as numbers, text always as text (never a formula)."""
    value = _native(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=formula_safe(value))
    cell.data_type = "s"
    return cell


def _add_sheet(workbook: Any, title: str, table: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        longest = max([len(str(column)), *table[column].astype(str).str.len().tolist()])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 6), 60)
    sheet.append([_cell(sheet, str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, value) for value in row])


def write_week_xlsx(plan: WeekPlan, path: Path, *, reps: pd.DataFrame | None = None) -> Path:
    """Write the managers' workbook: a ``summary`` sheet, one sheet per rep, ``dropped``.

    Sheet names (but the reps' ids) and column headers are in the active language
    (``resumen``, ``descartadas``; :func:`routeplan.model.labels.labelled`), weekdays too.

    Text cells are written as text, never formulas, and neutralised as in the CSV files
    (:func:`~routeplan.io.writers.formula_safe`); numbers stay numbers.

    Parameters
    ----------
    plan
        The week plan.
    path
        The ``.xlsx`` file to write.
    reps
        Optional reps table (``rep_id``, ``name``) to show rep names in the summary.

    Returns
    -------
    pathlib.Path
        ``path``.

    """
    summary = plan.days.loc[:, list(DAY_COLUMNS)].copy()
    if reps is not None and {"rep_id", "name"} <= set(reps.columns):
        names = reps.set_index(reps["rep_id"].astype(str))["name"]
        summary.insert(2, "rep_name", summary["rep_id"].astype(str).map(names).fillna(""))
    workbook = openpyxl.Workbook(write_only=True)
    stamp = plan_time(plan.days["date"]) if "date" in plan.days.columns else plan_time([])
    workbook.properties.created = workbook.properties.modified = stamp  # not the clock
    summary_title, dropped_title = _("summary"), _("dropped")
    _add_sheet(workbook, summary_title, labelled(summary))
    routes = plan.routes.assign(rep_id=plan.routes["rep_id"].astype(str))
    by_rep = dict(tuple(routes.groupby("rep_id", sort=False)))
    empty = routes.iloc[0:0]
    for rep_id, title in rep_sheet_names(plan).items():
        stops = by_rep.get(rep_id, empty).sort_values(["date", "seq"], kind="stable")
        sheet = stops.loc[:, list(_REP_SHEET_COLUMNS)]
        sheet = sheet.assign(reason=reason_texts(stops["reason_code"], stops["reason"]))
        _add_sheet(workbook, title, labelled(sheet))
    _add_sheet(workbook, dropped_title, labelled(plan.dropped.loc[:, list(DROPPED_COLUMNS)]))
    with writing(path):
        workbook.save(path)
        restamp(path, modified=stamp)  # the same plan gives the same bytes, whenever written
    return path
