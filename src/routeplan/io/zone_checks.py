"""Checks of zone polygons and of reps against them: degrees, validity, overlaps, homes.

Zones in metres without a CRS, self-intersecting polygons, zones that overlap (one rep then
gets clients of another) and a rep's home far from its zone are reported as problems naming
the file and the feature or row, before any plan is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely import Point
from shapely.ops import nearest_points
from shapely.validation import explain_validity

from routeplan.errors import Problem
from routeplan.i18n import _

OVERLAP_WARN_KM2 = 0.01
"""Overlaps smaller than this (a shared border drawn twice) are ignored."""

OVERLAP_ERROR_SHARE = 0.05
"""An overlap above this share of the smaller zone's area is an error, not a warning."""

HOME_MAX_KM = 150.0
"""A rep's home farther than this from their zone is an error (a swapped or wrong geocode)."""

_EARTH_RADIUS_KM = 6371.0088


def _km(a: Point, b: Point) -> float:
    """Great-circle distance between two lon/lat points."""
    lat1, lat2 = math.radians(a.y), math.radians(b.y)
    dlat, dlon = lat2 - lat1, math.radians(b.x - a.x)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def degree_problems(zones: gpd.GeoDataFrame, *, file: str) -> list[Problem]:
    """Features whose coordinates cannot be longitude/latitude degrees (metres, no CRS)."""
    problems = []
    for i, geom in enumerate(zones.geometry, start=1):
        if geom is None or geom.is_empty:
            continue
        minx, miny, maxx, maxy = geom.bounds
        if min(minx, miny) < -180 or maxx > 180 or maxy > 90 or miny < -90:
            message = _(
                "coordinates ({x}, {y}) are not longitude/latitude degrees; the file has no "
                "usable CRS",
                x=round(maxx, 1),
                y=round(maxy, 1),
            )
            problems.append(Problem(file, message, i, "geometry"))
    return problems


def validity_problems(zones: gpd.GeoDataFrame, *, file: str) -> list[Problem]:
    """Polygons that are not valid (self-intersections, rings crossing), with the reason."""
    problems = []
    for i, geom in enumerate(zones.geometry, start=1):
        if geom is not None and not geom.is_empty and not geom.is_valid:
            reason = explain_validity(geom)
            message = _("zone polygon is not valid: {reason}", reason=reason)
            problems.append(Problem(file, message, i, "geometry"))
    return problems


@dataclass(frozen=True)
class Overlap:
    """Two zones that overlap: feature numbers, ids, area and the clients inside both."""

    first: int
    second: int
    zones: tuple[str, str]
    area_km2: float
    share: float
    clients: tuple[str, ...]


def zone_overlaps(zones: gpd.GeoDataFrame, clients: pd.DataFrame | None = None) -> list[Overlap]:
    """Every pair of zones whose intersection is larger than :data:`OVERLAP_WARN_KM2`.

    Parameters
    ----------
    zones
        Zones in EPSG:4326 (``zone``, ``geometry``), feature order.
    clients
        Optional clients (``client_id``, ``lat``, ``lon``): those inside both zones are listed.

    Returns
    -------
    list of Overlap
        In feature order.

    """
    if len(zones) < 2:
        return []
    metric = zones.to_crs(zones.estimate_utm_crs())
    found = []
    left, right = metric.sindex.query(metric.geometry, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        shared = metric.geometry.iloc[i].intersection(metric.geometry.iloc[j])
        area_km2 = shared.area / 1e6
        if area_km2 < OVERLAP_WARN_KM2:
            continue
        smaller = min(metric.geometry.iloc[i].area, metric.geometry.iloc[j].area) / 1e6
        inside = _clients_in(zones.geometry.iloc[i].intersection(zones.geometry.iloc[j]), clients)
        pair = (str(zones["zone"].iloc[i]), str(zones["zone"].iloc[j]))
        found.append(Overlap(int(i) + 1, int(j) + 1, pair, area_km2, area_km2 / smaller, inside))
    return found


def _clients_in(shape: object, clients: pd.DataFrame | None) -> tuple[str, ...]:
    if clients is None or not len(clients):
        return ()
    points = gpd.GeoSeries(gpd.points_from_xy(clients["lon"], clients["lat"]), crs=4326)
    inside = points.within(shape).to_numpy()
    return tuple(str(c) for c in clients["client_id"].to_numpy()[inside])


def overlap_text(overlap: Overlap) -> str:
    """One line describing an overlap: zones, area, share and the first clients in both."""
    listed = ", ".join(overlap.clients[:5]) + (" …" if len(overlap.clients) > 5 else "")
    return _(
        "zones '{first}' and '{second}' overlap by {area} km² ({share} % of the smaller); "
        "{count} client(s) in both: {clients}",
        first=overlap.zones[0],
        second=overlap.zones[1],
        area=f"{overlap.area_km2:.2f}",
        share=f"{overlap.share * 100:.1f}",
        count=len(overlap.clients),
        clients=listed or "-",
    )


def overlap_findings(
    zones: gpd.GeoDataFrame, clients: pd.DataFrame | None, *, file: str
) -> tuple[list[Problem], list[str]]:
    """Overlaps as problems (above :data:`OVERLAP_ERROR_SHARE`) and warnings (below)."""
    problems, warnings = [], []
    for overlap in zone_overlaps(zones, clients):
        text = overlap_text(overlap)
        if overlap.share > OVERLAP_ERROR_SHARE:
            problems.append(Problem(file, text, overlap.second, "geometry"))
        else:
            warnings.append(f"{file}: {text}")
    return problems, warnings


def far_client_problems(
    clients: pd.DataFrame, zones: gpd.GeoDataFrame, *, file: str
) -> list[Problem]:
    """Clients farther than :data:`HOME_MAX_KM` from every zone (swapped lat/lon, bad geocode)."""
    if not len(clients) or not len(zones):
        return []
    area = zones.geometry.union_all()
    points = gpd.GeoSeries(gpd.points_from_xy(clients["lon"], clients["lat"]), crs=4326)
    problems = []
    for row, point, inside in zip(clients.index, points, points.within(area), strict=True):
        if inside:
            continue
        km = _km(point, nearest_points(area, point)[0])
        if km > HOME_MAX_KM:
            message = _(
                "the client is about {km} km from the nearest zone (more than {limit} km): "
                "swapped lat/lon or a wrong geocode?",
                km=round(km),
                limit=round(HOME_MAX_KM),
            )
            problems.append(Problem(file, message, int(str(row)), "lat"))
    return problems


def home_problems(reps: pd.DataFrame, zones: gpd.GeoDataFrame, *, file: str) -> list[Problem]:
    """Reps whose home is more than :data:`HOME_MAX_KM` from their zone."""
    shapes = dict(zip(zones["zone"], zones.geometry, strict=True))
    problems = []
    for row, rep in reps.iterrows():
        shape = shapes.get(rep["zone"])
        if shape is None:
            continue
        home = Point(float(rep["home_lon"]), float(rep["home_lat"]))
        km = _km(home, nearest_points(shape, home)[0])
        if km > HOME_MAX_KM:
            message = _(
                "home is about {km} km from zone '{zone}' (more than {limit} km): swapped "
                "lat/lon or a wrong geocode?",
                km=round(km),
                zone=rep["zone"],
                limit=round(HOME_MAX_KM),
            )
            problems.append(Problem(file, message, int(str(row)), "home_lat"))
    return problems
