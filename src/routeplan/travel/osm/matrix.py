"""Travel matrices and leg geometry on the OSM road graph, cached on disk.

:class:`OsmProvider` implements :class:`~routeplan.travel.haversine.MatrixProvider`: each point is
snapped to the nearest point of a road segment, shortest paths by travel time run on the sparse
graph (scipy's Dijkstra, after contracting pass-through nodes), one-way streets respected also
on the snapped segment, and the distance reported is the length of that fastest path. Reaching
the road from a point costs its snap distance at :data:`SNAP_ACCESS_KMH` (car park, driveway).

Both the graph and every matrix are cached as ``.npz`` files keyed by the extract's bytes, the
speed settings and the points, so a second build reads them instead of recomputing.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from routeplan.config import Settings, TravelConfig
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.travel.haversine import (
    EARTH_RADIUS_M,
    HaversineProvider,
    MatrixProvider,
    TravelMatrices,
)
from routeplan.travel.osm.access import Access, access, along_segment, packed_weights, unpack
from routeplan.travel.osm.contraction import contract_chains
from routeplan.travel.osm.graph import (
    DEFAULT_SPEEDS_KMH,
    RoadGraph,
    RoadSpeeds,
    Snapped,
    file_digest,
    load_road_graph,
    read_road_graph,
    save_road_graph,
)

logger = logging.getLogger(__name__)

SNAP_ACCESS_KMH = 10.0
"""Speed between a point and where it joins the road (parking, driveway, a short walk)."""

SIMPLIFY_TOLERANCE_M = 5.0
"""Leg geometry keeps every bend that moves the line by more than this many metres."""

SOURCE_CHUNK = 256
"""Dijkstra sources per batch: bounds memory at ``SOURCE_CHUNK × nodes`` floats."""

_MATRIX_FORMAT = "osm-matrix-3"


@dataclass(frozen=True)
class SnapReport:
    """How far each point lies from the road it was snapped to.

    ``table`` has one row per point: ``point`` (label), ``lat``, ``lon``, ``road_lat``,
    ``road_lon`` (where it joins the road), ``snap_m`` and ``far`` (``snap_m > snap_warn_m``).
    """

    table: pd.DataFrame
    snap_warn_m: float

    @property
    def far(self) -> pd.DataFrame:
        """Rows of the points that snapped farther than the threshold."""
        return self.table[self.table["far"]]


class OsmProvider:
    """Road travel matrices on an OSM extract.

    Parameters
    ----------
    osm_file
        The ``.osm.pbf`` extract. May be None when ``graph`` is given (no disk cache then).
    graph
        An already built graph (skips loading the extract).
    speeds
        Speed settings for the graph.
    snap_warn_m
        Points farther than this from any road are reported (logged, and ``far`` in
        :meth:`snap_report`); points outside the road network's bounding box grown by this
        margin are an :class:`~routeplan.errors.InputError`.
    cache_dir
        Where graphs and matrices are cached; None disables the cache.

    """

    def __init__(
        self,
        osm_file: Path | str | None = None,
        *,
        graph: RoadGraph | None = None,
        speeds: RoadSpeeds | None = None,
        snap_warn_m: float = 250.0,
        cache_dir: Path | str | None = None,
    ) -> None:
        if osm_file is None and graph is None:
            msg = "OsmProvider needs an osm_file or a graph."
            raise ValueError(msg)
        self.osm_file = Path(osm_file) if osm_file is not None else None
        self.speeds = speeds or RoadSpeeds()
        self.snap_warn_m = float(snap_warn_m)
        self.cache_dir = Path(cache_dir) if cache_dir is not None and osm_file is not None else None
        self._graph = graph
        self._weights: csr_matrix | None = None
        self._digest: str | None = None

    # -- graph -------------------------------------------------------------------------------

    def _extract_key(self) -> str:
        if self._digest is None:
            assert self.osm_file is not None
            if not self.osm_file.is_file():
                hint = _(
                    "set travel.osm_file to an .osm.pbf extract (e.g. from download.geofabrik.de)"
                )
                problem = Problem(str(self.osm_file), _("OSM extract not found"))
                raise InputError([problem], hint=hint)
            content = file_digest(self.osm_file)
            self._digest = hashlib.sha256(
                f"{content}|{self.speeds.fingerprint()}".encode()
            ).hexdigest()
        return self._digest

    @property
    def graph(self) -> RoadGraph:
        """The road graph, loaded on first use (from the cache when possible)."""
        if self._graph is None:
            assert self.osm_file is not None
            cached = None
            if self.cache_dir is not None:
                cached = self.cache_dir / f"graph-{self._extract_key()[:32]}.npz"
                if cached.is_file():
                    try:
                        self._graph = read_road_graph(cached)
                    except (OSError, ValueError, KeyError):
                        logger.warning("ignoring unreadable road graph cache %s", cached)
            if self._graph is None:
                self._graph = load_road_graph(self.osm_file, speeds=self.speeds)
                if cached is not None:
                    save_road_graph(self._graph, cached)
        return self._graph

    @property
    def _packed(self) -> csr_matrix:
        if self._weights is None:
            self._weights = packed_weights(self.graph)
        return self._weights

    # -- snapping ----------------------------------------------------------------------------

    def _snap_checked(self, lat: np.ndarray, lon: np.ndarray, labels: list[str] | None) -> Snapped:
        graph = self.graph
        outside = graph.outside_m(lat, lon)
        bad = np.flatnonzero(outside > self.snap_warn_m)
        names = labels if labels is not None else [f"#{i + 1}" for i in range(len(lat))]
        if len(bad):
            problems = [
                Problem(
                    graph.source,
                    _(
                        "point {point} ({lat:.5f}, {lon:.5f}) is {metres:,.0f} m outside the"
                        " area of the road network",
                        point=names[i],
                        lat=lat[i],
                        lon=lon[i],
                        metres=outside[i],
                    ),
                )
                for i in bad
            ]
            hint = _(
                "use an extract that covers every client and rep home"
                " (e.g. from download.geofabrik.de), or travel.mode = 'haversine'"
            )
            raise InputError(problems, hint=hint)
        snapped = graph.snap(lat, lon)
        self._warn_far(snapped.distance_m, labels)
        return snapped

    def _warn_far(self, snap_m: np.ndarray, labels: list[str] | None) -> None:
        far = np.flatnonzero(snap_m > self.snap_warn_m)
        if len(far):
            worst = far[np.argmax(snap_m[far])]
            logger.warning(
                "%d point(s) are more than %.0f m from a drivable road; farthest: %s at %.0f m",
                len(far),
                self.snap_warn_m,
                labels[worst] if labels is not None else f"#{worst + 1}",
                snap_m[worst],
            )

    def snap_report(
        self, lat: np.ndarray, lon: np.ndarray, *, labels: list[str] | None = None
    ) -> SnapReport:
        """Where each point joins the road network and how far away that is.

        Parameters
        ----------
        lat, lon
            Coordinates in degrees.
        labels
            A name per point (e.g. client ids); ``#1``, ``#2``… when None.

        Returns
        -------
        SnapReport
            One row per point, ``far`` marking snaps beyond ``snap_warn_m``.

        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        snapped = self.graph.snap(lat, lon)
        table = pd.DataFrame(
            {
                "point": labels if labels is not None else [f"#{i + 1}" for i in range(len(lat))],
                "lat": lat,
                "lon": lon,
                "road_lat": snapped.road_lat,
                "road_lon": snapped.road_lon,
                "snap_m": np.round(snapped.distance_m, 1),
                "far": snapped.distance_m > self.snap_warn_m,
            }
        )
        return SnapReport(table=table, snap_warn_m=self.snap_warn_m)

    # -- matrices ----------------------------------------------------------------------------

    def _matrix_cache_path(self, lat: np.ndarray, lon: np.ndarray) -> Path | None:
        if self.cache_dir is None:
            return None
        points = np.round(np.column_stack([lat, lon]), 7).astype("<f8").tobytes()
        key = hashlib.sha256(
            f"{_MATRIX_FORMAT}|{self._extract_key()}|{SNAP_ACCESS_KMH}|{self.snap_warn_m}".encode()
            + points
        ).hexdigest()
        return self.cache_dir / "matrices" / f"{key[:40]}.npz"

    def _point_costs(self, acc: Access) -> np.ndarray:
        """Packed fastest-path cost between snapped points (without the access legs).

        Each point becomes a node of the graph, linked to the ends of its segment by its ways
        out and in; Dijkstra then runs from the point nodes only. Every link costs one extra
        unit (0.1 m) so none is zero (scipy drops explicit zeros); each path uses two.
        """
        n_graph, n = self.graph.n_nodes, len(acc.segment)
        base = self._packed.tocoo()
        rows, cols, costs = [base.row], [base.col], [base.data]
        for k in range(2):
            out = np.flatnonzero(np.isfinite(acc.leave_cost[:, k]))
            rows.append(n_graph + out)
            cols.append(acc.leave_node[out, k])
            costs.append(acc.leave_cost[out, k] + 1)
            into = np.flatnonzero(np.isfinite(acc.enter_cost[:, k]))
            rows.append(acc.enter_node[into, k])
            cols.append(n_graph + into)
            costs.append(acc.enter_cost[into, k] + 1)
        size = n_graph + n
        augmented = csr_matrix(
            (np.concatenate(costs), (np.concatenate(rows), np.concatenate(cols))),
            shape=(size, size),
        )
        best = fastest_between(augmented, n_graph + np.arange(n)) - 2
        i, j = np.nonzero(acc.segment[:, None] == acc.segment[None, :])
        best[i, j] = np.minimum(best[i, j], along_segment(acc, i, j))
        return best

    def matrices(
        self, lat: np.ndarray, lon: np.ndarray, *, labels: list[str] | None = None
    ) -> TravelMatrices:
        """Road travel matrices between all pairs of the points.

        Parameters
        ----------
        lat, lon
            Coordinates in degrees, one entry per point.
        labels
            A name per point for messages (e.g. client ids).

        Returns
        -------
        TravelMatrices
            Seconds and metres (int), ``[i, j]`` from point i to point j; not symmetric where
            one-way streets make the way back longer.

        Raises
        ------
        InputError
            When points lie outside the road network's area, or the extract is missing/corrupt.

        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        if len(lat) == 0:
            empty = np.zeros((0, 0), dtype=np.int64)
            return TravelMatrices(duration_s=empty, distance_m=empty.copy())
        cache = self._matrix_cache_path(lat, lon)
        if cache is not None and cache.is_file():
            try:
                with np.load(cache, allow_pickle=False) as data:
                    cached = TravelMatrices(
                        duration_s=data["duration_s"], distance_m=data["distance_m"]
                    )
                    self._warn_far(data["snap_m"], labels)
                    return cached
            except (OSError, ValueError, KeyError):
                logger.warning("ignoring unreadable travel matrix cache %s", cache)
        snapped = self._snap_checked(lat, lon, labels)
        seconds, metres = unpack(self._point_costs(access(self.graph, snapped)))
        snap_m = snapped.distance_m
        access_s = snap_m / (SNAP_ACCESS_KMH / 3.6)
        seconds = seconds + access_s[:, None] + access_s[None, :]
        metres = metres + snap_m[:, None] + snap_m[None, :]
        np.fill_diagonal(seconds, 0.0)
        np.fill_diagonal(metres, 0.0)
        result = TravelMatrices(
            duration_s=np.rint(seconds).astype(np.int64),
            distance_m=np.rint(metres).astype(np.int64),
        )
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            # a unique temporary name, then an atomic rename: parallel workers may share the cache
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp.npz")
            np.savez(tmp, duration_s=result.duration_s, distance_m=result.distance_m, snap_m=snap_m)
            tmp.replace(cache)
        return result

    # -- geometry ----------------------------------------------------------------------------

    def leg_paths(
        self,
        lat: np.ndarray,
        lon: np.ndarray,
        order: list[int] | np.ndarray,
        *,
        tolerance_m: float = SIMPLIFY_TOLERANCE_M,
    ) -> list[list[tuple[float, float]]]:
        """Road geometry of each leg of a route.

        Parameters
        ----------
        lat, lon
            Coordinates of all points in degrees.
        order
            Indices into the points in visiting order, e.g. ``[home, a, b, c, home]``.
        tolerance_m
            Simplification tolerance (Douglas-Peucker, topology kept); 0 keeps every node.

        Returns
        -------
        list of list of (lat, lon)
            One polyline per consecutive pair of ``order`` (``len(order) - 1`` legs), from the
            point itself along the fastest road path to the next point.

        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        order = np.asarray(order, dtype=np.int64)
        if len(order) < 2:
            return []
        graph = self.graph
        snapped = graph.snap(lat[order], lon[order])
        acc = access(graph, snapped)
        sources = np.unique(acc.leave_node[:-1])
        cost, predecessors = dijkstra(
            self._packed, directed=True, indices=sources, return_predecessors=True
        )
        legs = []
        for k in range(len(order) - 1):
            best, via = along_segment(acc, np.array([k]), np.array([k + 1]))[0], None
            for s_out, s_in in itertools.product(range(2), range(2)):
                row = int(np.searchsorted(sources, acc.leave_node[k, s_out]))
                total = (
                    acc.leave_cost[k, s_out]
                    + cost[row, acc.enter_node[k + 1, s_in]]
                    + acc.enter_cost[k + 1, s_in]
                )
                if total < best:
                    best, via = total, (row, s_out, s_in)
            nodes: list[int] = []
            if via is not None:
                row, s_out, s_in = via
                start, end = int(acc.leave_node[k, s_out]), int(acc.enter_node[k + 1, s_in])
                nodes = _walk_back(predecessors[row], start, end)
            coords = [(float(lat[order[k]]), float(lon[order[k]]))]
            coords.append((float(snapped.road_lat[k]), float(snapped.road_lon[k])))
            coords += [(float(graph.lat[n]), float(graph.lon[n])) for n in nodes]
            coords.append((float(snapped.road_lat[k + 1]), float(snapped.road_lon[k + 1])))
            coords.append((float(lat[order[k + 1]]), float(lon[order[k + 1]])))
            legs.append(simplify_path(coords, tolerance_m=tolerance_m))
        return legs


def fastest_between(weights: csr_matrix, nodes: np.ndarray) -> np.ndarray:
    """Fastest-path weights between all pairs of ``nodes`` (Dijkstra on the contracted graph).

    Parameters
    ----------
    weights
        Square sparse matrix of positive edge weights.
    nodes
        Distinct node indices.

    Returns
    -------
    numpy.ndarray
        ``len(nodes) × len(nodes)`` weights, ``inf`` where unreachable.

    """
    small, kept = contract_chains(weights, nodes)
    index = np.searchsorted(kept, nodes)
    result = np.empty((len(nodes), len(nodes)))
    for start in range(0, len(nodes), SOURCE_CHUNK):
        chunk = index[start : start + SOURCE_CHUNK]
        rows = dijkstra(small, directed=True, indices=chunk)
        result[start : start + len(chunk)] = rows[:, index]
    return result


def _walk_back(predecessors: np.ndarray, source: int, target: int) -> list[int]:
    path = [target]
    while path[-1] != source:
        previous = int(predecessors[path[-1]])
        if previous < 0:  # unreachable: cannot happen in a strongly connected graph
            return [source, target]
        path.append(previous)
    return path[::-1]


def simplify_path(
    coords: list[tuple[float, float]], *, tolerance_m: float = SIMPLIFY_TOLERANCE_M
) -> list[tuple[float, float]]:
    """Drop points that bend a polyline by less than ``tolerance_m`` metres.

    Parameters
    ----------
    coords
        ``(lat, lon)`` points in order.
    tolerance_m
        Douglas-Peucker tolerance in metres; 0 only removes repeated points.

    Returns
    -------
    list of (lat, lon)
        The simplified polyline; its first and last points are kept.

    """
    unique = [p for i, p in enumerate(coords) if i == 0 or p != coords[i - 1]]
    if len(unique) < 3 or tolerance_m <= 0:
        return unique if len(unique) > 1 else [coords[0], coords[-1]]
    array = np.asarray(unique, dtype=float)
    scale = np.radians(1.0) * EARTH_RADIUS_M
    cos0 = np.cos(np.radians(array[:, 0].mean()))
    xy = np.column_stack([array[:, 1] * scale * cos0, array[:, 0] * scale])
    line = shapely.simplify(shapely.linestrings(xy), tolerance_m, preserve_topology=True)
    original = {(float(x), float(y)): p for (x, y), p in zip(xy, unique, strict=True)}
    return [
        original.get((float(x), float(y)), (float(y / scale), float(x / (scale * cos0))))
        for x, y in shapely.get_coordinates(line)
    ]


def straight_legs(
    lat: np.ndarray, lon: np.ndarray, order: list[int] | np.ndarray
) -> list[list[tuple[float, float]]]:
    """Straight-line legs (the geometry of the haversine mode), same shape as ``leg_paths``."""
    order = list(order)
    return [
        [(float(lat[a]), float(lon[a])), (float(lat[b]), float(lon[b]))]
        for a, b in itertools.pairwise(order)
    ]


def route_legs(
    provider: MatrixProvider, lat: np.ndarray, lon: np.ndarray, order: list[int] | np.ndarray
) -> list[list[tuple[float, float]]]:
    """Leg geometry for maps: along roads for :class:`OsmProvider`, straight lines otherwise.

    Parameters
    ----------
    provider
        The provider the plan was built with.
    lat, lon
        Coordinates of all points in degrees.
    order
        Indices into the points in visiting order.

    Returns
    -------
    list of list of (lat, lon)
        One polyline per leg.

    """
    if isinstance(provider, OsmProvider):
        return provider.leg_paths(lat, lon, order)
    return straight_legs(np.asarray(lat), np.asarray(lon), order)


def resolve_osm_file(osm_file: str | Path, *, base_dir: Path | str = ".") -> Path:
    """Find ``travel.osm_file``: as given if absolute, else in ``base_dir``, else from the cwd.

    Parameters
    ----------
    osm_file
        The configured path.
    base_dir
        The config file's folder.

    Returns
    -------
    pathlib.Path
        The extract.

    Raises
    ------
    InputError
        When no candidate exists; the message lists where it looked.

    """
    path = Path(osm_file)
    candidates = [path] if path.is_absolute() else [Path(base_dir) / path, Path.cwd() / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    where = _(" or ").join(str(c) for c in dict.fromkeys(candidates))
    raise InputError(
        [Problem(str(osm_file), _("OSM extract not found (looked for {where})", where=where))],
        hint=_("set travel.osm_file to an .osm.pbf extract, relative to routeplan.toml's folder"),
    )


def provider_from_settings(
    settings: Settings, *, base_dir: Path | str = ".", cache_dir: Path | str | None = None
) -> MatrixProvider:
    """Build the travel provider that ``[travel]`` asks for.

    Parameters
    ----------
    settings
        Validated settings.
    base_dir
        The config's folder: a relative ``travel.osm_file`` is looked for there first, then
        from the current directory.
    cache_dir
        Cache folder for OSM mode; None disables caching.

    Returns
    -------
    MatrixProvider
        :class:`HaversineProvider` or :class:`OsmProvider`.

    Raises
    ------
    InputError
        When OSM mode has no ``osm_file`` or the file does not exist.

    """
    travel = settings.travel
    if travel.mode == "haversine":
        return HaversineProvider(speed_kmh=travel.speed_kmh, circuity=travel.circuity)
    if not travel.osm_file:
        problem = Problem("routeplan.toml", _("travel.mode = 'osm' needs travel.osm_file"))
        raise InputError([problem], hint=_("set travel.osm_file = 'path/to/region.osm.pbf'"))
    path = resolve_osm_file(travel.osm_file, base_dir=base_dir)
    return OsmProvider(
        path, speeds=road_speeds(travel), snap_warn_m=travel.snap_warn_m, cache_dir=cache_dir
    )


def road_speeds(travel: TravelConfig) -> RoadSpeeds:
    """The road speeds of ``[travel.speeds]``: the defaults with the configured classes changed.

    Parameters
    ----------
    travel
        The ``[travel]`` settings.

    Returns
    -------
    RoadSpeeds
        Speeds per ``highway`` class and the ``maxspeed`` factor.

    """
    speeds = travel.speeds
    return RoadSpeeds(
        defaults_kmh={**DEFAULT_SPEEDS_KMH, **speeds.classes},
        maxspeed_factor=speeds.maxspeed_factor,
    )
