"""Write a week plan where reps and managers use it: CSV, GeoJSON, ICS, GPX and XLSX.

Everything of week N goes to ``<out_dir>/week-NN/`` with a manifest ``plan.json`` naming the
week and the cycle; a folder whose manifest names another week (or another cycle) is never
written into, so exports never overwrite a different week's files. Re-exporting the same week
replaces the files its previous manifest lists (no stale GPX of a day that is no longer
planned)::

    week-03/
      plan.json          manifest: week, cycle start, week dates, files
      routes.csv         one row per planned visit (ROUTE_COLUMNS)
      routes.geojson     Point per stop + LineString per rep-day
      days.csv           one row per rep and workday (DAY_COLUMNS)
      dropped.csv        visits due but not planned, with the reason (DROPPED_COLUMNS)
      week-03.xlsx       summary sheet, one sheet per rep, dropped
      ics/<rep_id>.ics   one event per visit
      gpx/<rep_id>-<date>.gpx
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from routeplan.config import Settings
from routeplan.errors import RouteplanError
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
    route_lines_from_geojson,
    routes_from_csv,
    routes_from_geojson,
    write_routes_csv,
    write_routes_geojson,
    write_week_xlsx,
)
from routeplan.io.writers import write_csv
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, WeekPlan
from routeplan.version import __version__

__all__ = [
    "MANIFEST",
    "claim_week_folder",
    "route_lines_from_geojson",
    "routes_from_csv",
    "routes_from_geojson",
    "week_dir",
    "week_manifest",
    "write_week_outputs",
]

MANIFEST = "plan.json"
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def week_dir(out_dir: Path, week: int) -> Path:
    """Return the folder of week ``week`` under ``out_dir`` (``week-03``)."""
    return out_dir / f"week-{week:02d}"


def safe_file_part(text: str) -> str:
    """Make ``text`` safe as part of a file name (rep ids such as ``"R 1/north"``)."""
    return _UNSAFE_FILE_CHARS.sub("_", str(text)).strip("._") or "x"


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
                    f"plan {name}, row {row}: date '{date_text}' is not a valid ISO date",
                    hint="dates are YYYY-MM-DD",
                ) from None
            if int(week) != plan.week or not monday <= date <= sunday:
                raise RouteplanError(
                    f"plan {name}, row {row}: date {date} (week {week}) is not in week "
                    f"{plan.week} of the cycle ({monday} to {sunday})",
                    hint="[cycle] start_date in routeplan.toml must be the one the plan was "
                    "built with; rebuild the week",
                )


def week_manifest(week: int, settings: Settings) -> dict[str, Any]:
    """Return the manifest of week ``week``: what makes one week's folder differ from another's.

    Parameters
    ----------
    week
        The 1-based cycle week.
    settings
        The settings (``[cycle]``).

    Returns
    -------
    dict
        ``week``, ``cycle_start``, ``week_start``, ``week_end``, ``timezone``, ``generator``,
        ``files`` (empty; filled by :func:`write_week_outputs`).

    """
    monday, sunday = settings.cycle.check_week(week)
    return {
        "week": week,
        "cycle_start": settings.cycle.start_date.isoformat(),
        "week_start": monday.isoformat(),
        "week_end": sunday.isoformat(),
        "timezone": settings.cycle.timezone,
        "generator": f"routeplan {__version__}",
        "files": [],
    }


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["week"]), str(manifest["cycle_start"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RouteplanError(
            f"{path} is not a routeplan manifest; refusing to write into {path.parent}",
            hint="move the folder away or pick another --out folder",
        ) from exc
    return dict(manifest)


def claim_week_folder(out_dir: Path, week: int, *, settings: Settings) -> Path:
    """Create (or reuse) the folder of week ``week``; refuse one that holds another week.

    A new folder gets a manifest ``plan.json`` at once, so no other week can be written into
    it later.

    Parameters
    ----------
    out_dir
        The output root.
    week
        The 1-based cycle week.
    settings
        The settings (``[cycle]``).

    Returns
    -------
    pathlib.Path
        ``out_dir/week-NN``.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, the folder cannot be written, or its manifest
        names another week or another cycle.

    """
    manifest = week_manifest(week, settings)
    folder = week_dir(Path(out_dir), week)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise RouteplanError(
            f"cannot write to output folder {folder}: {exc.strerror or exc}",
            hint="pick another --out folder or fix its permissions",
        ) from exc
    path = folder / MANIFEST
    if not path.exists():
        path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return folder
    old = _read_manifest(path)
    old_week, old_cycle = int(old["week"]), str(old["cycle_start"])
    if old_week != manifest["week"] or old_cycle != manifest["cycle_start"]:
        raise RouteplanError(
            f"{folder} holds week {old_week} of the cycle starting {old_cycle}; refusing to "
            f"overwrite it with week {manifest['week']} of the cycle starting "
            f"{manifest['cycle_start']}",
            hint="pick another --out folder or move the old files away",
        )
    return folder


def _remove_listed_files(folder: Path) -> None:
    """Remove the files the folder's manifest lists (a previous export of the same week)."""
    for relative in _read_manifest(folder / MANIFEST).get("files", []):
        target = (folder / str(relative)).resolve()
        if target.is_relative_to(folder.resolve()) and target.is_file():
            target.unlink()


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
        paths.append(write_rep_ics(calendar, folder / "ics" / f"{safe_file_part(rep_id)}.ics"))
    return paths


def _write_gpx_files(plan: WeekPlan, folder: Path, *, settings: Settings) -> list[Path]:
    zone = zone_of(settings.cycle.timezone)
    (folder / "gpx").mkdir(exist_ok=True)
    paths = []
    by_day = records_by_rep_day(plan.routes)
    for day in plan.days.sort_values(["rep_id", "date"], kind="stable").to_dict("records"):
        rep_id, date_iso = str(day["rep_id"]), str(day["date"])
        stops = by_day.get((rep_id, date_iso))
        if not stops:
            continue
        gpx = rep_day_gpx(stops, day, zone=zone)
        name = f"{safe_file_part(rep_id)}-{date_iso}.gpx"
        paths.append(write_gpx(gpx, folder / "gpx" / name))
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
    by_day = records_by_rep_day(plan.routes)
    for day in plan.days.to_dict("records"):
        rep_id, date_iso = str(day["rep_id"]), str(day["date"])
        stops = by_day.get((rep_id, date_iso))
        if not stops:
            continue
        home = (float(day["home_lat"]), float(day["home_lon"]))
        points = [(float(stop["lat"]), float(stop["lon"])) for stop in stops]
        links[(rep_id, date_iso)] = day_route_links(home, points)
    return links


def write_week_outputs(
    plan: WeekPlan,
    out_dir: Path,
    *,
    settings: Settings,
    reps: pd.DataFrame,
    legs: RouteLegs | None = None,
    day_links: DayLinks | None = None,
) -> dict[str, list[Path]]:
    """Write every export of one week into ``out_dir/week-NN/``.

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
        Paths written, by kind: ``csv``, ``geojson``, ``xlsx``, ``ics``, ``gpx``, ``manifest``.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, a plan date is not in that week of the cycle, the
        folder cannot be written, or the folder holds another week's (or cycle's) exports.

    """
    _check_plan_dates(plan, settings)
    zone_of(settings.cycle.timezone)
    folder = claim_week_folder(Path(out_dir), plan.week, settings=settings)
    _remove_listed_files(folder)
    links = dict(default_day_links(plan))
    if day_links:
        links.update({key: list(value) for key, value in day_links.items()})
    written: dict[str, list[Path]] = {
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
    manifest = week_manifest(plan.week, settings)
    manifest["files"] = sorted(
        path.relative_to(folder).as_posix() for paths in written.values() for path in paths
    )
    manifest_path = folder / MANIFEST
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    written["manifest"] = [manifest_path]
    return written
