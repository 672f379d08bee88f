"""One GPX 1.1 file per rep-day: the route (home, stops, home) and a waypoint per stop.

Phones' navigation apps (OsmAnd, Organic Maps, Garmin) import the ``<rte>`` as a route to
follow and the ``<wpt>`` as pins. Times are UTC as GPX requires (planned arrival at each stop,
departure from and return to home).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import gpxpy.gpx
import pandas as pd

from routeplan.io.writers_ics import local_datetime

CREATOR = "routeplan"


def _utc(date_iso: str, hhmm: str, zone: ZoneInfo) -> dt.datetime:
    return local_datetime(date_iso, hhmm, zone).astimezone(dt.UTC)


def rep_day_gpx(
    stops: pd.DataFrame,
    day: dict[str, object],
    *,
    zone: ZoneInfo,
) -> gpxpy.gpx.GPX:
    """Build the GPX of one rep-day.

    Parameters
    ----------
    stops
        The rep-day's rows of ``WeekPlan.routes`` (any order; sorted by ``seq``).
    day
        The rep-day's row of ``WeekPlan.days`` (``rep_id``, ``date``, ``start``, ``end``,
        ``home_lat``, ``home_lon``).
    zone
        The cycle's time zone, to turn planned wall-clock times into UTC.

    Returns
    -------
    gpxpy.gpx.GPX
        A GPX with one route (home first and last, one ``rtept`` per stop between) and one
        waypoint per stop.

    """
    rep_id, date_iso = str(day["rep_id"]), str(day["date"])
    home_lat, home_lon = float(str(day["home_lat"])), float(str(day["home_lon"]))
    ordered = stops.sort_values("seq", kind="stable")
    gpx = gpxpy.gpx.GPX()
    gpx.creator = CREATOR
    gpx.name = f"{rep_id} {date_iso}"
    gpx.description = f"routeplan: {len(ordered)} visits for {rep_id} on {date_iso}"
    gpx.time = _utc(date_iso, str(day["start"]), zone)
    route = gpxpy.gpx.GPXRoute(name=f"{rep_id} {date_iso}", number=1)
    route.points.append(
        gpxpy.gpx.GPXRoutePoint(
            home_lat, home_lon, time=_utc(date_iso, str(day["start"]), zone), name="Home"
        )
    )
    for stop in ordered.to_dict("records"):
        lat, lon = float(stop["lat"]), float(stop["lon"])
        label = f"{int(stop['seq'])}. {stop['name']} ({stop['tier']})"
        arrive = _utc(date_iso, str(stop["arrive"]), zone)
        comment = f"arrive {stop['arrive']}, leave {stop['depart']}"
        route.points.append(gpxpy.gpx.GPXRoutePoint(lat, lon, time=arrive, name=label))
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                lat,
                lon,
                time=arrive,
                name=label,
                comment=comment,
                description=str(stop["address"] or ""),
                symbol="Flag",
                type=str(stop["tier"]),
            )
        )
    route.points.append(
        gpxpy.gpx.GPXRoutePoint(
            home_lat, home_lon, time=_utc(date_iso, str(day["end"]), zone), name="Home"
        )
    )
    gpx.routes.append(route)
    return gpx


def write_gpx(gpx: gpxpy.gpx.GPX, path: Path) -> Path:
    """Write a GPX 1.1 document.

    Parameters
    ----------
    gpx
        The document.
    path
        The ``.gpx`` file.

    Returns
    -------
    pathlib.Path
        ``path``.

    """
    path.write_text(gpx.to_xml(version="1.1"), encoding="utf-8")
    return path
