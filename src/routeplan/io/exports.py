"""Write a week plan where reps and managers use it: CSV, GeoJSON, ICS, GPX and XLSX.

Everything of week N goes to ``<out_dir>/week-NN/`` with a manifest ``plan.json`` naming the
week and the cycle; a folder whose manifest names another week (or another cycle) is never
written into, so exports never overwrite a different week's files. Re-exporting the same week
replaces the whole folder in one atomic switch (no stale GPX of a day that is no longer
planned; see :mod:`routeplan.io.week_unit`)::

    week-03/
      plan.json          manifest: week, cycle start, week dates, files + SHA-256, per-rep files
      routes.csv         one row per planned visit (ROUTE_COLUMNS)
      routes.geojson     Point per stop + LineString per rep-day
      days.csv           one row per rep and workday (DAY_COLUMNS)
      dropped.csv        visits due but not planned, with the reason (DROPPED_COLUMNS)
      week-03.xlsx       summary sheet, one sheet per rep, dropped
      ics/<stem>.ics     one event per visit (stem: routeplan.io.filenames.file_stem(rep_id))
      gpx/<stem>-<date>.gpx
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from routeplan.config import Settings
from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.io.filenames import file_stem, inside
from routeplan.io.gpx import rep_day_gpx, write_gpx
from routeplan.io.ics import (
    DayLinks,
    day_route_links,
    rep_week_calendar,
    vtimezone_around,
    write_rep_ics,
    zone_of,
)
from routeplan.io.plan_files import (
    RouteLegs,
    records_by_rep_day,
    rep_sheet_names,
    route_lines_from_geojson,
    routes_from_csv,
    routes_from_geojson,
    write_routes_csv,
    write_routes_geojson,
    write_week_xlsx,
)
from routeplan.io.week_folder import (
    MANIFEST,
    claim_week_folder,
    week_dir,
    week_manifest,
    write_manifest,
)
from routeplan.io.week_unit import begin_week_unit
from routeplan.io.writers import write_csv
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, WeekPlan

__all__ = [
    "MANIFEST",
    "claim_week_folder",
    "rep_files",
    "route_lines_from_geojson",
    "routes_from_csv",
    "routes_from_geojson",
    "week_dir",
    "week_manifest",
    "write_week_files",
    "write_week_manifest",
    "write_week_outputs",
]


def _check_plan_dates(plan: WeekPlan, settings: Settings) -> None:
    monday, sunday = settings.cycle.check_week(plan.week)
    for name, table in (("routes", plan.routes), ("days", plan.days)):
        for row, (week, date_text) in enumerate(
            zip(table["week"], table["date"], strict=True), start=1
        ):
            try:
                date = dt.date.fromisoformat(str(date_text))
            except ValueError:
                raise RouteplanError(
                    _(
                        "plan {name}, row {row}: date '{date}' is not a valid ISO date",
                        name=name,
                        row=row,
                        date=date_text,
                    ),
                    hint=_("dates are YYYY-MM-DD"),
                ) from None
            if int(week) != plan.week or not monday <= date <= sunday:
                raise RouteplanError(
                    _(
                        "plan {name}, row {row}: date {date} (week {week}) is not in week"
                        " {plan_week} of the cycle ({monday} to {sunday})",
                        name=name,
                        row=row,
                        date=date,
                        week=week,
                        plan_week=plan.week,
                        monday=monday,
                        sunday=sunday,
                    ),
                    hint=_(
                        "[cycle] start_date in routeplan.toml must be the one the plan was"
                        " built with; rebuild the week"
                    ),
                )


def _write_calendars(
    plan: WeekPlan, folder: Path, *, settings: Settings, day_links: DayLinks
) -> list[Path]:
    zone = zone_of(settings.cycle.timezone)
    monday = settings.cycle.week_start(plan.week)
    stamp = dt.datetime.combine(monday, dt.time(0, 0), dt.UTC)
    vtimezone = vtimezone_around(zone, monday)
    (folder / "ics").mkdir(exist_ok=True)
    routes = plan.routes.assign(rep_id=plan.routes["rep_id"].astype(str))
    by_rep = dict(tuple(routes.groupby("rep_id", sort=False)))
    rep_ids = sorted(set(plan.days["rep_id"].astype(str)) | set(by_rep))
    paths = []
    for rep_id in rep_ids:
        calendar = rep_week_calendar(
            by_rep.get(rep_id, routes.iloc[0:0]),
            rep_id=rep_id,
            week=plan.week,
            zone=zone,
            day_links=day_links,
            stamp=stamp,
            vtimezone=vtimezone,
        )
        path = inside(folder, folder / "ics" / f"{file_stem(rep_id)}.ics")
        paths.append(write_rep_ics(calendar, path))
    return paths


def _days_with_stops(
    plan: WeekPlan, days: pd.DataFrame
) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    """Each row of ``days`` (the plan's or a sorted copy) that has stops, in its order.

    Yields ``(rep_id, date, day record, stop records in visiting order)``.
    """
    by_day = records_by_rep_day(plan.routes)
    for day in days.to_dict("records"):
        rep_id, date_iso = str(day["rep_id"]), str(day["date"])
        stops = by_day.get((rep_id, date_iso))
        if stops:
            yield rep_id, date_iso, day, stops


def _write_gpx_files(plan: WeekPlan, folder: Path, *, settings: Settings) -> list[Path]:
    zone = zone_of(settings.cycle.timezone)
    (folder / "gpx").mkdir(exist_ok=True)
    paths = []
    days = plan.days.sort_values(["rep_id", "date"], kind="stable")
    for rep_id, date_iso, day, stops in _days_with_stops(plan, days):
        gpx = rep_day_gpx(stops, day, zone=zone)
        path = inside(folder, folder / "gpx" / f"{file_stem(rep_id)}-{date_iso}.gpx")
        paths.append(write_gpx(gpx, path))
    return paths


def default_day_links(plan: WeekPlan) -> dict[tuple[str, str], list[str]]:
    """Google Maps directions links for every rep-day with visits (home → stops → home).

    Parameters
    ----------
    plan
        The week plan.

    Returns
    -------
    dict
        ``{(rep_id, date): [url, ...]}``; a day of more than 9 stops has several links.

    """
    links: dict[tuple[str, str], list[str]] = {}
    for rep_id, date_iso, day, stops in _days_with_stops(plan, plan.days):
        home = (float(day["home_lat"]), float(day["home_lon"]))
        points = [(float(stop["lat"]), float(stop["lon"])) for stop in stops]
        links[(rep_id, date_iso)] = day_route_links(home, points)
    return links


def rep_files(plan: WeekPlan) -> dict[str, dict[str, Any]]:
    """The files made for each rep, as ``plan.json`` lists them.

    Parameters
    ----------
    plan
        The week plan.

    Returns
    -------
    dict
        ``{rep_id: {"map": "<stem>.html", "ics": "ics/<stem>.ics", "gpx": [...],
        "sheet": "<sheet name>"}}``; ``map`` is relative to the maps week folder, the others
        to the exports week folder.

    """
    sheets = rep_sheet_names(plan)
    gpx: dict[str, list[str]] = {rep_id: [] for rep_id in sheets}
    for rep_id, date_iso in sorted(records_by_rep_day(plan.routes)):
        gpx.setdefault(rep_id, []).append(f"gpx/{file_stem(rep_id)}-{date_iso}.gpx")
    return {
        rep_id: {
            "map": f"{file_stem(rep_id)}.html",
            "ics": f"ics/{file_stem(rep_id)}.ics",
            "gpx": gpx.get(rep_id, []),
            "sheet": sheet,
        }
        for rep_id, sheet in sheets.items()
    }


def write_week_files(
    plan: WeekPlan,
    folder: Path,
    *,
    settings: Settings,
    reps: pd.DataFrame,
    legs: RouteLegs | None = None,
    day_links: DayLinks | None = None,
) -> dict[str, list[Path]]:
    """Write every export of one week into ``folder`` (a staging folder), no manifest.

    Parameters are those of :func:`write_week_outputs`, with the folder itself.

    Returns
    -------
    dict
        Paths written, by kind: ``csv``, ``geojson``, ``xlsx``, ``ics``, ``gpx``.

    """
    _check_plan_dates(plan, settings)
    zone_of(settings.cycle.timezone)
    links = dict(default_day_links(plan))
    if day_links:
        links.update({key: list(value) for key, value in day_links.items()})
    return {
        "csv": [
            write_routes_csv(plan.routes, folder / "routes.csv"),
            write_csv(plan.days, folder / "days.csv", columns=DAY_COLUMNS),
            write_csv(plan.dropped, folder / "dropped.csv", columns=DROPPED_COLUMNS),
        ],
        "geojson": [write_routes_geojson(plan, folder / "routes.geojson", legs=legs)],
        "xlsx": [write_week_xlsx(plan, folder / f"week-{plan.week:02d}.xlsx", reps=reps)],
        "ics": _write_calendars(plan, folder, settings=settings, day_links=links),
        "gpx": _write_gpx_files(plan, folder, settings=settings),
    }


def write_week_manifest(
    plan: WeekPlan, folder: Path, files: list[Path], *, settings: Settings
) -> Path:
    """Write ``plan.json`` into ``folder``: the week, every file with its SHA-256, per-rep files.

    Written last, once every file it lists exists.
    """
    manifest = {**week_manifest(plan.week, settings), "reps": rep_files(plan)}
    return write_manifest(folder, manifest, files)


def write_week_outputs(
    plan: WeekPlan,
    out_dir: Path,
    *,
    settings: Settings,
    reps: pd.DataFrame,
    legs: RouteLegs | None = None,
    day_links: DayLinks | None = None,
) -> dict[str, list[Path]]:
    """Write every export of one week into ``out_dir/week-NN/``, replacing it whole.

    The files are written into a new version of the week, the manifest last, and the version
    takes the week's place in one atomic switch, keeping the week's current maps
    (:mod:`routeplan.io.week_unit`): a crash leaves the previous complete week.

    Parameters
    ----------
    plan
        The week plan.
    out_dir
        The output root; the week's folder is created under it.
    settings
        Settings: ``[cycle]`` weeks, start date and time zone.
    reps
        The reps table (``rep_id``, ``name``), for the workbook.
    legs
        Optional road geometry per rep-day for the GeoJSON route lines,
        ``legs[(rep_id, date)] = [(lat, lon), ...]``.
    day_links
        Optional links to each day's route (e.g. the rep's map page), used as the calendar
        events' URL; default: Google Maps directions home → stops → home.

    Returns
    -------
    dict
        Paths written (in the week folder), by kind: ``csv``, ``geojson``, ``xlsx``, ``ics``,
        ``gpx``, ``manifest``.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, a plan date is not in that week of the cycle, the
        folder cannot be written, or the folder holds another week's (or cycle's) exports.

    """
    _check_plan_dates(plan, settings)
    zone_of(settings.cycle.timezone)
    unit = begin_week_unit(Path(out_dir), None, plan.week, settings=settings)
    staging = unit.exports_staging
    try:
        written = write_week_files(
            plan, staging, settings=settings, reps=reps, legs=legs, day_links=day_links
        )
        files = [path for paths in written.values() for path in paths]
        written["manifest"] = [write_week_manifest(plan, staging, files, settings=settings)]
        unit.commit()
    except BaseException:
        unit.discard()
        raise
    return {kind: [unit.placed(path) for path in paths] for kind, paths in written.items()}
