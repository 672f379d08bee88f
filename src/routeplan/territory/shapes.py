"""Zone geometry: building blocks around clients, their adjacency, dissolving and compactness.

Blocks are Voronoi cells around client sites (clients at the same spot share one site), clipped
to a service area. Two blocks are adjacent when their clipped cells share an edge of positive
length, so a zone made of graph-connected blocks dissolves to one polygon. Everything is
computed in a local equirectangular projection in kilometres (fine at city scale, no pyproj).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import Voronoi
from shapely.geometry.base import BaseGeometry

from routeplan.errors import Problem
from routeplan.i18n import _

SITE_GRID_KM = 0.001
"""Clients closer than this (1 m) share one site: Voronoi cells need distinct points."""
_TINY_KM2 = 1e-6


def sites_of(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group points that are closer than :data:`SITE_GRID_KM` into sites.

    Returns
    -------
    site_xy, site_of_point
        The sites' coordinates (first point of each group, in first-seen order) and, for
        every point, the index of its site.

    """
    keys = np.round(np.asarray(xy) / SITE_GRID_KM).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return np.asarray(xy)[first[order]], rank[inverse.ravel()]


@dataclass(frozen=True)
class BlockGraph:
    """Voronoi blocks around sites: cells (local km) and their adjacency lists."""

    xy: np.ndarray
    cells: np.ndarray
    neighbours: list[list[int]]

    def __len__(self) -> int:
        return len(self.xy)


def voronoi_blocks(xy: np.ndarray, area: BaseGeometry) -> BlockGraph:
    """Voronoi cells of distinct sites clipped to ``area`` and their shared-edge adjacency.

    Parameters
    ----------
    xy
        ``(n, 2)`` distinct site coordinates in local kilometres, inside ``area``.
    area
        The service area in the same coordinates.

    Returns
    -------
    BlockGraph
        Cells and adjacency lists (sorted, symmetric).

    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    if n == 1:
        return BlockGraph(xy=xy, cells=np.array([area], dtype=object), neighbours=[[]])
    lo = np.minimum(xy.min(axis=0), np.array(area.bounds[:2]))
    hi = np.maximum(xy.max(axis=0), np.array(area.bounds[2:]))
    span = float(max(hi - lo)) + 1.0
    mid = (lo + hi) / 2
    ring = np.array([[dx, dy] for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy], dtype=float)
    frame = mid + 10 * span * ring
    vor = Voronoi(np.vstack([xy, frame]), qhull_options="Qbb Qc Qz")
    polys = []
    for i in range(n):
        region = vor.regions[vor.point_region[i]]
        polys.append(shapely.Polygon(vor.vertices[region]))
    cells = np.array(polys, dtype=object)
    shapely.prepare(area)
    inside = shapely.contains_properly(area, cells)
    cells[~inside] = shapely.intersection(cells[~inside], area)

    pairs = vor.ridge_points
    keep = (pairs[:, 0] < n) & (pairs[:, 1] < n)
    pairs = pairs[keep]
    ridge_vertices = np.array([vor.ridge_vertices[k] for k in np.flatnonzero(keep)])
    segments = shapely.linestrings(vor.vertices[ridge_vertices])
    touching = shapely.contains_properly(area, segments)
    rest = ~touching
    touching[rest] = shapely.length(shapely.intersection(segments[rest], area)) > 1e-9
    pairs = pairs[touching]
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs.tolist():
        neighbours[a].append(b)
        neighbours[b].append(a)
    for lst in neighbours:
        lst.sort()
    return BlockGraph(xy=xy, cells=cells, neighbours=neighbours)


def dissolve(cells: np.ndarray, labels: np.ndarray, zones: Sequence[int]) -> list[BaseGeometry]:
    """Union of the cells of each zone label, in the order of ``zones``."""
    out = []
    for z in zones:
        part = cells[labels == z]
        geom = shapely.union_all(part) if len(part) else shapely.Polygon()
        out.append(geom)
    return out


def absorb_strays(polys: list[BaseGeometry], xy: np.ndarray) -> list[BaseGeometry]:
    """Make each zone one polygon: parts holding no site go to the neighbour sharing most border.

    Clipping cells to a non-convex service area can leave a cell in pieces; the pieces without
    the site are handed to the adjacent zone with the longest shared boundary (or dropped when
    no zone touches them). Parts holding sites are kept.
    """
    points = shapely.points(xy)
    result = list(polys)
    strays: list[BaseGeometry] = []
    for k, geom in enumerate(polys):
        parts = list(getattr(geom, "geoms", [geom]))
        if len(parts) <= 1:
            continue
        hits = [bool(shapely.intersects(p, points).any()) for p in parts]
        result[k] = shapely.union_all([p for p, h in zip(parts, hits, strict=True) if h])
        strays.extend(p for p, h in zip(parts, hits, strict=True) if not h)
    for stray in strays:
        border = [shapely.length(shapely.intersection(stray.boundary, g)) for g in result]
        best = int(np.argmax(border)) if border else -1
        if best >= 0 and border[best] > 1e-9:
            result[best] = shapely.union_all([result[best], stray])
    return result


def polsby_popper(geom: BaseGeometry) -> float:
    """Compactness 4πA/P² in (0, 1]; 1 is a disc, 0 for an empty geometry."""
    perimeter = float(shapely.length(geom))
    if perimeter <= 0:
        return 0.0
    return float(4 * np.pi * shapely.area(geom) / perimeter**2)


def check_zone_polygons(
    names: Sequence[str],
    polys: Sequence[BaseGeometry],
    *,
    client_xy: np.ndarray,
    client_ids: Sequence[str],
    file: str = "zones.geojson",
) -> list[Problem]:
    """Overlaps, gaps between zones and clients outside every zone, as problems.

    Parameters
    ----------
    names, polys
        Zone ids and their polygons in local kilometres.
    client_xy, client_ids
        Clients in local kilometres and their ids.
    file
        File name for the problems.

    Returns
    -------
    list of Problem
        Empty when the zones tile the clients cleanly.

    """
    problems: list[Problem] = []
    arr = np.array(polys, dtype=object)
    tree = shapely.STRtree(arr)
    left, right = tree.query(arr, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        area = float(shapely.area(shapely.intersection(arr[i], arr[j])))
        if area > _TINY_KM2:
            problems.append(
                Problem(
                    file,
                    _(
                        "zones {first} and {second} overlap by {area:.3f} km²",
                        first=names[i],
                        second=names[j],
                        area=area,
                    ),
                    i + 1,
                )
            )
    union = shapely.union_all(arr)
    for part in getattr(union, "geoms", [union]):
        for ring in getattr(part, "interiors", []):
            hole = shapely.Polygon(ring)
            area = float(shapely.area(hole))
            if area <= _TINY_KM2:
                continue
            touching = [names[k] for k in tree.query(hole, predicate="touches").tolist()]
            problems.append(
                Problem(
                    file,
                    _(
                        "gap of {area:.3f} km² between zones {zones}",
                        area=area,
                        zones=", ".join(sorted(touching)),
                    ),
                )
            )
    points = shapely.points(client_xy)
    covered = np.zeros(len(points), dtype=bool)
    hit_points, _hit_zones = tree.query(points, predicate="intersects")
    covered[hit_points] = True
    outside = [client_ids[k] for k in np.flatnonzero(~covered).tolist()]
    if outside:
        sample = ", ".join(outside[:5]) + (" …" if len(outside) > 5 else "")
        problems.append(
            Problem(
                file,
                _(
                    "{count} client(s) lie outside every zone: {sample}",
                    count=len(outside),
                    sample=sample,
                ),
            )
        )
    return problems
