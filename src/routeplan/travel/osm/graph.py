"""A drivable road graph from an OpenStreetMap extract (``.osm.pbf``), offline.

:func:`load_road_graph` reads the extract with pyrosm, keeps the ways a car may use, gives
every edge a speed (from ``maxspeed`` or a per-road-class default), respects one-way streets
and keeps the largest strongly connected component, so every node can reach every other.
The result, :class:`RoadGraph`, holds sparse matrices of edge travel seconds and metres and
snaps points to their nearest road node.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from routeplan.errors import InputError, Problem, RouteplanError
from routeplan.i18n import _
from routeplan.travel.haversine import EARTH_RADIUS_M

DEFAULT_SPEEDS_KMH: Mapping[str, float] = {
    "motorway": 90.0,
    "motorway_link": 45.0,
    "trunk": 85.0,
    "trunk_link": 40.0,
    "primary": 65.0,
    "primary_link": 30.0,
    "secondary": 55.0,
    "secondary_link": 25.0,
    "tertiary": 40.0,
    "tertiary_link": 20.0,
    "unclassified": 25.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "road": 20.0,
}
"""Speed by ``highway`` class when a way has no usable ``maxspeed`` (OSRM car profile values)."""

FALLBACK_SPEED_KMH = 20.0
"""Speed of a drivable way whose class is not in :data:`DEFAULT_SPEEDS_KMH`."""

MAXSPEED_FACTOR = 0.8
"""Share of the posted limit driven on average (junctions, lights); as OSRM's car profile."""

_FORWARD_ONEWAY = frozenset({"yes", "true", "1"})
_REVERSE_ONEWAY = frozenset({"-1", "reverse"})
_NOT_ONEWAY = frozenset({"no", "false", "0", "reversible", "alternating"})
_IMPLIED_ONEWAY_JUNCTIONS = frozenset({"roundabout", "circular"})
_IMPLIED_ONEWAY_HIGHWAYS = frozenset({"motorway"})
_MAXSPEED_WORDS: Mapping[str, float] = {"walk": 6.0, "living_street": 10.0}
_MPH = 1.609344
_GRAPH_FORMAT = 1


@dataclass(frozen=True)
class RoadSpeeds:
    """How fast edges are driven.

    Parameters
    ----------
    defaults_kmh
        Speed per ``highway`` class when ``maxspeed`` is missing or symbolic (``"FI:urban"``).
    maxspeed_factor
        Multiplier applied to a numeric ``maxspeed`` (posted limits are rarely driven on average).
    fallback_kmh
        Speed of a drivable class missing from ``defaults_kmh``.

    """

    defaults_kmh: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEEDS_KMH))
    maxspeed_factor: float = MAXSPEED_FACTOR
    fallback_kmh: float = FALLBACK_SPEED_KMH

    def __post_init__(self) -> None:
        speeds = [*self.defaults_kmh.values(), self.fallback_kmh]
        if min(speeds) <= 0 or not 0 < self.maxspeed_factor <= 1.5:
            msg = "Road speeds must be positive and maxspeed_factor in (0, 1.5]."
            raise ValueError(msg)

    def fingerprint(self) -> str:
        """Return a stable text of these settings, for cache keys."""
        data = {
            "defaults_kmh": sorted(self.defaults_kmh.items()),
            "maxspeed_factor": self.maxspeed_factor,
            "fallback_kmh": self.fallback_kmh,
        }
        return json.dumps(data, sort_keys=True)


def parse_maxspeed(value: object) -> float | None:
    """Speed in km/h of an OSM ``maxspeed`` value, or None when it gives no number.

    Parameters
    ----------
    value
        The tag, e.g. ``"50"``, ``"30 mph"``, ``"40;50"`` (the lowest is taken), ``"walk"``;
        symbolic zones such as ``"FI:urban"`` or ``"none"`` give None.

    Returns
    -------
    float or None
        The limit in km/h.

    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().lower()
    if text in _MAXSPEED_WORDS:
        return _MAXSPEED_WORDS[text]
    speeds = []
    for part in re.split(r"[;|]", text):
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*", part)
        if match:
            speed = float(match.group(1)) * (_MPH if match.group(2) == "mph" else 1.0)
            if speed > 0:
                speeds.append(speed)
    return min(speeds) if speeds else None


@dataclass(frozen=True)
class Snapped:
    """Where points join the road network.

    Attributes
    ----------
    segment
        Row of :attr:`RoadGraph.segments` (an undirected node pair ``a < b``) of each point.
    fraction
        Position of the joining point along ``a → b`` (0 at ``a``, 1 at ``b``).
    distance_m
        Straight-line distance from the point to the road, in metres.
    road_lat, road_lon
        The joining point on the road.

    """

    segment: np.ndarray
    fraction: np.ndarray
    distance_m: np.ndarray
    road_lat: np.ndarray
    road_lon: np.ndarray


@dataclass(frozen=True, eq=False)
class RoadGraph:
    """A strongly connected directed road graph.

    Attributes
    ----------
    node_id
        OSM node id of each graph node.
    lat, lon
        Node coordinates in degrees (WGS84).
    travel_s
        ``N × N`` sparse matrix: seconds to drive edge ``i → j``.
    length_m
        ``N × N`` sparse matrix with the same structure: metres of edge ``i → j``.
    source
        Where the graph came from (file name), for messages.
    segments
        Undirected node pairs ``(a, b)``, ``a < b``, with an edge in at least one direction:
        what points snap to.

    """

    node_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    travel_s: csr_matrix
    length_m: csr_matrix
    source: str = "road graph"
    segments: np.ndarray = field(init=False, repr=False)
    _segment_xy: np.ndarray = field(init=False, repr=False)
    _segment_tree: shapely.STRtree = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.node_id)
        if not (len(self.lat) == len(self.lon) == n and self.travel_s.shape == (n, n)):
            msg = "RoadGraph arrays and matrices must agree on the number of nodes."
            raise ValueError(msg)
        if n == 0:
            msg = "RoadGraph needs at least one node."
            raise ValueError(msg)
        travel = self.travel_s.tocoo()
        low, high = np.minimum(travel.row, travel.col), np.maximum(travel.row, travel.col)
        segments = np.unique(np.column_stack([low, high]).astype(np.int64), axis=0)
        xy = self._project(self.lat, self.lon)
        segment_xy = np.stack([xy[segments[:, 0]], xy[segments[:, 1]]], axis=1)
        object.__setattr__(self, "segments", segments)
        object.__setattr__(self, "_segment_xy", segment_xy)
        object.__setattr__(self, "_segment_tree", shapely.STRtree(shapely.linestrings(segment_xy)))

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_id)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return int(self.travel_s.nnz)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(min_lon, min_lat, max_lon, max_lat)`` of the nodes."""
        return (
            float(self.lon.min()),
            float(self.lat.min()),
            float(self.lon.max()),
            float(self.lat.max()),
        )

    def _project(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Equirectangular metres around the graph's mean latitude (fine at city scale)."""
        lat0 = np.radians(float(np.mean(self.lat)))
        x = np.radians(np.asarray(lon, dtype=float)) * np.cos(lat0) * EARTH_RADIUS_M
        y = np.radians(np.asarray(lat, dtype=float)) * EARTH_RADIUS_M
        return np.column_stack([x, y])

    def snap(self, lat: np.ndarray, lon: np.ndarray) -> Snapped:
        """Nearest point on a road segment for each point.

        Parameters
        ----------
        lat, lon
            Coordinates in degrees.

        Returns
        -------
        Snapped
            Segment, position along it and straight-line distance to it, one per point.

        """
        points = self._project(lat, lon)
        seg_xy = self._segment_xy
        _, nearest = self._segment_tree.query_nearest(shapely.points(points), all_matches=False)
        start, end = seg_xy[nearest, 0], seg_xy[nearest, 1]
        along = end - start
        fraction = np.einsum("ij,ij->i", points - start, along) / np.einsum(
            "ij,ij->i", along, along
        )
        fraction = np.clip(fraction, 0.0, 1.0)
        on_road = start + fraction[:, None] * along
        a, b = self.segments[nearest, 0], self.segments[nearest, 1]
        return Snapped(
            segment=nearest.astype(np.int64),
            fraction=fraction,
            distance_m=np.hypot(*(points - on_road).T),
            road_lat=self.lat[a] + fraction * (self.lat[b] - self.lat[a]),
            road_lon=self.lon[a] + fraction * (self.lon[b] - self.lon[a]),
        )

    def outside_m(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """How far each point lies outside the nodes' bounding box, in metres (0 inside)."""
        min_lon, min_lat, max_lon, max_lat = self.bbox
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        dlat = np.maximum(np.maximum(min_lat - lat, lat - max_lat), 0.0)
        dlon = np.maximum(np.maximum(min_lon - lon, lon - max_lon), 0.0)
        cos0 = np.cos(np.radians(float(np.mean(self.lat))))
        return np.radians(np.hypot(dlat, dlon * cos0)) * EARTH_RADIUS_M


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex), read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _column(edges: pd.DataFrame, name: str) -> pd.Series:
    if name in edges.columns:
        return edges[name].astype("string").str.strip().str.lower().fillna("")
    return pd.Series("", index=edges.index, dtype="string")


def edge_speeds_kmh(edges: pd.DataFrame, *, speeds: RoadSpeeds) -> np.ndarray:
    """Driving speed of each edge: ``maxspeed`` × factor, else the class default.

    Parameters
    ----------
    edges
        Table with columns ``highway`` and optionally ``maxspeed``.
    speeds
        Speed settings.

    Returns
    -------
    numpy.ndarray
        km/h per edge.

    """
    highway = _column(edges, "highway")
    default = highway.map(lambda h: speeds.defaults_kmh.get(h, speeds.fallback_kmh)).astype(float)
    if "maxspeed" not in edges.columns:
        return default.to_numpy()
    posted = edges["maxspeed"].map(parse_maxspeed).astype(float) * speeds.maxspeed_factor
    return posted.fillna(default).to_numpy()


def edge_directions(edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which edges may be driven along (``u → v``) and against (``v → u``) their way.

    ``oneway=yes/true/1`` allows forward only, ``oneway=-1`` backward only; roundabouts and
    motorways are one-way unless tagged ``oneway=no``.

    Parameters
    ----------
    edges
        Table with columns ``oneway``, ``junction``, ``highway`` (any may be missing).

    Returns
    -------
    tuple of numpy.ndarray
        Boolean masks ``forward`` and ``backward``.

    """
    oneway = _column(edges, "oneway")
    junction = _column(edges, "junction")
    highway = _column(edges, "highway")
    implied = (
        junction.isin(_IMPLIED_ONEWAY_JUNCTIONS) | highway.isin(_IMPLIED_ONEWAY_HIGHWAYS)
    ) & (~oneway.isin(_NOT_ONEWAY))
    forward_only = oneway.isin(_FORWARD_ONEWAY) | (implied & ~oneway.isin(_REVERSE_ONEWAY))
    backward_only = oneway.isin(_REVERSE_ONEWAY)
    forward = (~backward_only).to_numpy(dtype=bool, copy=True)
    return forward, (~forward_only).to_numpy(dtype=bool, copy=True)


def road_graph_from_tables(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    speeds: RoadSpeeds | None = None,
    source: str = "road graph",
) -> RoadGraph:
    """Build the directed graph from node and edge tables (as pyrosm returns them).

    Parameters
    ----------
    nodes
        Columns ``id``, ``lat``, ``lon``.
    edges
        Columns ``u``, ``v``, ``length`` (metres), ``highway`` and optionally ``maxspeed``,
        ``oneway``, ``junction``.
    speeds
        Speed settings; defaults when None.
    source
        Name for messages.

    Returns
    -------
    RoadGraph
        The largest strongly connected component, one edge per ordered node pair (the fastest).

    Raises
    ------
    RouteplanError
        When there are no drivable edges.

    """
    speeds = speeds or RoadSpeeds()
    if edges is None or nodes is None or len(edges) == 0 or len(nodes) == 0:
        raise _no_roads(source)
    node_ids = np.unique(nodes["id"].to_numpy(dtype=np.int64))
    coords = nodes.drop_duplicates("id").set_index("id").loc[node_ids]
    tail, head, secs, metres = _directed_arcs(node_ids, edges, speeds)
    if len(tail) == 0:
        raise _no_roads(source)
    tail, head, secs, metres = _fastest_per_pair(tail, head, secs, metres)
    n = len(node_ids)
    _, labels = connected_components(
        csr_matrix((secs, (tail, head)), shape=(n, n)), directed=True, connection="strong"
    )
    keep_nodes = np.flatnonzero(labels == np.bincount(labels).argmax())
    if len(keep_nodes) < 2:
        raise _no_roads(source)
    new_index = np.full(n, -1, dtype=np.int64)
    new_index[keep_nodes] = np.arange(len(keep_nodes))
    inside = (new_index[tail] >= 0) & (new_index[head] >= 0)
    t2, h2 = new_index[tail[inside]], new_index[head[inside]]
    m = len(keep_nodes)
    return RoadGraph(
        node_id=node_ids[keep_nodes],
        lat=coords["lat"].to_numpy(dtype=float)[keep_nodes],
        lon=coords["lon"].to_numpy(dtype=float)[keep_nodes],
        travel_s=csr_matrix((secs[inside], (t2, h2)), shape=(m, m)),
        length_m=csr_matrix((metres[inside], (t2, h2)), shape=(m, m)),
        source=source,
    )


_Arcs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Directed arcs as parallel arrays: tail node, head node, seconds, metres."""


def _directed_arcs(node_ids: np.ndarray, edges: pd.DataFrame, speeds: RoadSpeeds) -> _Arcs:
    """One arc per drivable direction of every edge between known nodes, without self-loops."""
    edge_u = edges["u"].to_numpy(dtype=np.int64)
    edge_v = edges["v"].to_numpy(dtype=np.int64)
    u = np.searchsorted(node_ids, edge_u)
    v = np.searchsorted(node_ids, edge_v)
    known = (u < len(node_ids)) & (v < len(node_ids))
    known[known] = (node_ids[u[known]] == edge_u[known]) & (node_ids[v[known]] == edge_v[known])
    length_m = np.maximum(edges["length"].to_numpy(dtype=float), 0.1)
    seconds = length_m / (edge_speeds_kmh(edges, speeds=speeds) / 3.6)
    forward, backward = edge_directions(edges)
    forward &= known
    backward &= known
    tail = np.concatenate([u[forward], v[backward]])
    head = np.concatenate([v[forward], u[backward]])
    secs = np.concatenate([seconds[forward], seconds[backward]])
    metres = np.concatenate([length_m[forward], length_m[backward]])
    keep = tail != head
    return tail[keep], head[keep], secs[keep], metres[keep]


def _fastest_per_pair(
    tail: np.ndarray, head: np.ndarray, secs: np.ndarray, metres: np.ndarray
) -> _Arcs:
    """One arc per ordered node pair: the fastest of parallel ways (then the shortest)."""
    order = np.lexsort((metres, secs, head, tail))
    tail, head, secs, metres = tail[order], head[order], secs[order], metres[order]
    first = np.ones(len(tail), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    return tail[first], head[first], secs[first], metres[first]


def _no_roads(source: str) -> RouteplanError:
    return RouteplanError(
        _("{source}: the extract has no drivable roads", source=source),
        hint=_("use an extract that covers your clients' streets, or travel.mode = 'haversine'"),
    )


def load_road_graph(path: Path | str, *, speeds: RoadSpeeds | None = None) -> RoadGraph:
    """Read an ``.osm.pbf`` extract and build its drivable road graph.

    Parameters
    ----------
    path
        The extract, e.g. ``data/osm/helsinki.osm.pbf`` or a region from download.geofabrik.de.
    speeds
        Speed settings; defaults when None.

    Returns
    -------
    RoadGraph
        The largest strongly connected part of the drivable network.

    Raises
    ------
    InputError
        When the file is missing or not a valid OSM PBF file.
    RouteplanError
        When it holds no drivable roads.

    """
    path = Path(path)
    hint = _("set travel.osm_file to an .osm.pbf extract (e.g. from download.geofabrik.de)")
    try:
        import pyrosm  # imported here: heavy, and only OSM mode needs it
    except ImportError as exc:
        msg = _("travel.mode = 'osm' needs the pyrosm package")
        hint = _("pip install pyrosm (a dependency of routeplan)")
        raise RouteplanError(msg, hint=hint) from exc
    if not path.is_file():
        raise InputError([Problem(str(path), _("OSM extract not found"))], hint=hint)
    try:
        with warnings.catch_warnings():  # pyrosm warns on empty areas; we raise below instead
            warnings.simplefilter("ignore", UserWarning)
            options: dict[str, object] = {"keep_metadata": False}
            if "progress" in inspect.signature(pyrosm.OSM).parameters:
                options["progress"] = False  # newer pyrosm prints slow reads otherwise
            osm = pyrosm.OSM(str(path), **options)
            nodes, edges = osm.get_network(network_type="driving", nodes=True)
    except Exception as exc:  # pyrosm raises many types on damaged files
        problem = Problem(
            str(path), _("not a readable OSM PBF file ({error})", error=type(exc).__name__)
        )
        raise InputError([problem], hint=hint) from exc
    return road_graph_from_tables(nodes, edges, speeds=speeds, source=str(path))


def save_road_graph(graph: RoadGraph, path: Path) -> None:
    """Write a graph to an ``.npz`` file (see :func:`read_road_graph`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp.npz")
    travel, length = graph.travel_s.tocsr(), graph.length_m.tocsr()
    np.savez(
        tmp,
        format=np.array(_GRAPH_FORMAT),
        node_id=graph.node_id,
        lat=graph.lat,
        lon=graph.lon,
        travel_indptr=travel.indptr,
        travel_indices=travel.indices,
        travel_s=travel.data,
        length_indptr=length.indptr,
        length_indices=length.indices,
        length_m=length.data,
        source=np.array(graph.source),
    )
    tmp.replace(path)


def read_road_graph(path: Path) -> RoadGraph:
    """Read a graph written by :func:`save_road_graph`."""
    with np.load(path, allow_pickle=False) as data:
        if int(data["format"]) != _GRAPH_FORMAT:
            msg = f"{path}: unknown road graph format"
            raise ValueError(msg)
        n = len(data["node_id"])
        travel = (data["travel_s"], data["travel_indices"], data["travel_indptr"])
        length = (data["length_m"], data["length_indices"], data["length_indptr"])
        return RoadGraph(
            node_id=data["node_id"],
            lat=data["lat"],
            lon=data["lon"],
            travel_s=csr_matrix(travel, shape=(n, n)),
            length_m=csr_matrix(length, shape=(n, n)),
            source=str(data["source"]),
        )
