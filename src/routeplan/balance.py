"""Territory rebalancing: reassign client blocks to K reps so workload is even.

Method (a regionalisation local search in the AZP family, Openshaw 1977; Ricca & Simeone 2008
for political districting):

1. **Blocks** are Voronoi cells around client sites, clipped to the service area
   (:mod:`routeplan.zone_shapes`); adjacency = shared edge. A block is one site, so a dense
   centre is as finely divisible as its clients: no block is ever heavier than one location.
2. **Start** from today's zones (cut to their largest connected piece, the rest regrown), drop
   or split zones when the rep count changes, or, from scratch, weighted k-means seeds grown
   into contiguous regions, least-loaded region first; new regions keep the old zone id they
   overlap most (Hungarian matching), so few clients change rep.
3. **Local search** moves boundary blocks to an adjacent zone when the move lowers
   ``1000·excess workload beyond the band + 10·Σ dev² + revenue excess + compactness (weighted
   squared distance to the zone centre) + move weight · clients moved`` and the donor zone stays
   connected (breadth-first search from the block's neighbours). Moves that relieve a zone out
   of the band pay no move cost, so relief can travel through zones that are in band.

Why not a MIP/CP-SAT model: contiguity constraints on 40,000 blocks × 100 zones are far beyond
what a MIP closes in minutes; the local search keeps contiguity as an invariant, is
deterministic, handles locks trivially and runs in seconds to minutes at that scale.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from routeplan.config import Settings
from routeplan.errors import InfeasibleError, InputError, Problem
from routeplan.workload import client_workload, zone_table
from routeplan.zone_shapes import (
    BlockGraph,
    LocalProjection,
    absorb_strays,
    check_zone_polygons,
    dissolve,
    polsby_popper,
    projection_for,
    sites_of,
    voronoi_blocks,
)

BAND_SHARE = 0.8
"""The search aims at this share of the tolerance, leaving a margin for the check."""
_HINGE = 1000.0
_QUAD = 10.0
_REV_HINGE = 100.0
_EPS = 1e-12
_CUT_COST = 1.0
"""Cost of one block edge on a zone border, in clients' share of a zone: smooths borders."""


@dataclass(frozen=True)
class BalanceOptions:
    """What the territory manager asks for.

    Parameters
    ----------
    n_reps
        Number of zones wanted (default: as many as today).
    from_scratch
        Ignore today's zones (locks still hold).
    move_weight
        Cost of moving clients to another rep, relative to workload imbalance.
    revenue_weight
        Weight of revenue imbalance beyond ``revenue_tolerance``.
    compactness_weight
        Weight of the squared distance of workload to its zone centre.
    locked_zones
        Zones that must not change at all.
    remove_zones
        Zones to dissolve when ``n_reps`` is lower than today (default: the lightest ones).
    tolerance
        Target: every zone within ±tolerance of the mean workload.
    revenue_tolerance
        Revenue deviation tolerated without cost.
    max_passes, time_limit_s
        Stop the local search after this many passes over the boundary or this many seconds.
    seed
        Seed of the k-means start.

    """

    n_reps: int | None = None
    from_scratch: bool = False
    move_weight: float = 1.0
    revenue_weight: float = 1.0
    compactness_weight: float = 1.0
    locked_zones: tuple[str, ...] = ()
    remove_zones: tuple[str, ...] = ()
    tolerance: float = 0.05
    revenue_tolerance: float = 0.15
    max_passes: int = 500
    time_limit_s: float = 300.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_reps is not None and self.n_reps < 1:
            msg = f"n_reps must be at least 1, got {self.n_reps}."
            raise ValueError(msg)
        if not 0 < self.tolerance < 1:
            msg = f"tolerance must be in (0, 1), got {self.tolerance}."
            raise ValueError(msg)
        weights = (self.move_weight, self.revenue_weight, self.compactness_weight)
        if min(weights) < 0:
            msg = "weights must not be negative."
            raise ValueError(msg)


@dataclass
class BalanceResult:
    """A rebalanced territory plan.

    Attributes
    ----------
    assignment
        One row per client: ``client_id``, ``zone_before``, ``zone``, ``rep_id``, ``moved``,
        ``tier``, ``workload_min``, ``revenue``.
    zones
        New zones (``zone``, ``rep_id``, ``workload_h``, ``revenue``, ``clients``,
        ``polsby_popper``, geometry in EPSG:4326).
    summary
        Before/after per zone.
    moved_clients
        Clients whose zone changed (clients that had no zone are not counted).
    spread_before, spread_after
        Largest relative deviation of a zone's workload from the mean.
    checks
        Named invariants of the result (contiguous, every client once, locks, balanced,
        no enclaves) and whether they hold.
    warnings
        Problems found in the input and targets not met, in plain words.

    """

    assignment: pd.DataFrame
    zones: gpd.GeoDataFrame
    summary: pd.DataFrame
    moved_clients: int
    spread_before: float
    spread_after: float
    checks: dict[str, bool] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --------------------------------------------------------------------------- inputs


def _current_zones(clients: pd.DataFrame, zones: gpd.GeoDataFrame | None) -> pd.Series:
    """Today's zone of each client: its ``zone`` column, else the polygon containing it."""
    col = clients["zone"] if "zone" in clients else pd.Series(None, index=clients.index)
    col = pd.Series(
        [None if pd.isna(v) or str(v) == "" else str(v) for v in col],
        index=clients.index,
        dtype=object,
    )
    missing = col.isna()
    if missing.any() and zones is not None and len(zones):
        points = shapely.points(clients.loc[missing, "lon"], clients.loc[missing, "lat"])
        tree = shapely.STRtree(zones.geometry.to_numpy())
        pts, polys = tree.query(points, predicate="within")
        found = pd.Series(
            zones["zone"].astype(str).to_numpy()[polys], index=clients.index[missing][pts]
        )
        found = found[~found.index.duplicated()]
        col.loc[found.index] = found
    return pd.Series(
        [None if pd.isna(v) else str(v) for v in col], index=clients.index, dtype=object
    )


def _service_area(
    proj: LocalProjection,
    xy: np.ndarray,
    zone_polys: list[BaseGeometry],
    area: BaseGeometry | None,
) -> BaseGeometry:
    """Return the area blocks are clipped to; it contains every client."""
    if area is not None:
        base = proj.to_local(area)
    elif zone_polys:
        base = shapely.union_all(zone_polys)
    else:
        base = shapely.convex_hull(shapely.multipoints(xy)).buffer(1.0)
    points = shapely.points(xy)
    outside = ~shapely.covers(base, points)
    if outside.any():
        base = shapely.union_all([base, *shapely.buffer(points[outside], 0.5)])
    return shapely.make_valid(base.buffer(0))


# --------------------------------------------------------------------------- graph helpers


def _components(members: list[int], neighbours: list[list[int]], zone_of: np.ndarray, z: int):
    seen: set[int] = set()
    comps = []
    for start in members:
        if start in seen:
            continue
        comp = [start]
        seen.add(start)
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for v in neighbours[u]:
                if v not in seen and zone_of[v] == z:
                    seen.add(v)
                    comp.append(v)
                    queue.append(v)
        comps.append(comp)
    return comps


def _grow(
    zone_of: np.ndarray,
    neighbours: list[list[int]],
    xy: np.ndarray,
    weight: np.ndarray,
    seeds: dict[int, list[int]],
    anchors: dict[int, np.ndarray],
) -> None:
    """Fill unassigned blocks (``-1``) from the seeds, least-loaded zone first, nearest first."""
    load = {z: float(weight[zone_of == z].sum()) for z in seeds}
    heaps: dict[int, list[tuple[float, int]]] = {z: [] for z in seeds}

    def push(z: int, b: int) -> None:
        for v in neighbours[b]:
            if zone_of[v] == -1:
                d = float(((xy[v] - anchors[z]) ** 2).sum())
                heapq.heappush(heaps[z], (d, v))

    for z, blocks in seeds.items():
        for b in blocks:
            push(z, b)
    zones_heap = [(load[z], z) for z in seeds]
    heapq.heapify(zones_heap)
    while zones_heap:
        _, z = heapq.heappop(zones_heap)
        heap = heaps[z]
        while heap and zone_of[heap[0][1]] != -1:
            heapq.heappop(heap)
        if not heap:
            continue
        _, b = heapq.heappop(heap)
        zone_of[b] = z
        load[z] += float(weight[b])
        push(z, b)
        heapq.heappush(zones_heap, (load[z], z))


def _weighted_kmeans(
    xy: np.ndarray, weight: np.ndarray, k: int, rng: np.random.Generator, iters: int = 25
) -> np.ndarray:
    """Weighted k-means (k-means++ start) centres."""
    w = np.maximum(weight, 1e-9)
    centres = [xy[rng.choice(len(xy), p=w / w.sum())]]
    d2 = ((xy - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        p = w * d2
        idx = int(rng.choice(len(xy), p=p / p.sum())) if p.sum() > 0 else int(rng.integers(len(xy)))
        centres.append(xy[idx])
        d2 = np.minimum(d2, ((xy - xy[idx]) ** 2).sum(axis=1))
    c = np.array(centres)
    for _ in range(iters):
        labels = _nearest(xy, c)
        sums = np.zeros_like(c)
        np.add.at(sums, labels, xy * w[:, None])
        tot = np.bincount(labels, weights=w, minlength=k)
        filled = tot > 0
        c[filled] = sums[filled] / tot[filled, None]
    return c


def _nearest(xy: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return np.asarray(cKDTree(centres).query(xy)[1], dtype=np.int64)


def _fill_unreached(zone_of: np.ndarray, xy: np.ndarray) -> int:
    """Blocks no zone could reach (islands) go to the zone of the nearest assigned block."""
    todo = np.flatnonzero(zone_of == -1)
    done = np.flatnonzero(zone_of >= 0)
    if len(todo) and len(done):
        _, idx = cKDTree(xy[done]).query(xy[todo])
        zone_of[todo] = zone_of[done[idx]]
    return len(todo)


# --------------------------------------------------------------------------- local search


class _Search:
    """Boundary-block local search keeping every zone connected."""

    def __init__(
        self,
        *,
        zone_of: np.ndarray,
        neighbours: list[list[int]],
        xy: np.ndarray,
        weight: np.ndarray,
        revenue: np.ndarray,
        count: np.ndarray,
        orig_zone: np.ndarray,
        fixed: np.ndarray,
        frozen_zones: set[int],
        n_zones: int,
        n_reps: int,
        options: BalanceOptions,
        scale_km2: float,
    ) -> None:
        self.zone_of = zone_of.tolist()
        self.nb = neighbours
        self.x = xy[:, 0].tolist()
        self.y = xy[:, 1].tolist()
        self.w = weight.tolist()
        self.r = revenue.tolist()
        self.n = count.tolist()
        self.orig = orig_zone.tolist()
        self.fixed = fixed.tolist()
        self.frozen = frozen_zones
        self.k = n_zones
        self.opt = options
        self.wm = max(float(weight.sum()) / n_reps, 1e-9)
        self.rm = max(float(revenue.sum()) / n_reps, 1e-9)
        self.cpz = max(float(count.sum()) / n_reps, 1.0)
        self.scale = max(scale_km2, 1e-9)
        self.band = options.tolerance * BAND_SHARE
        self.W = [0.0] * n_zones
        self.R = [0.0] * n_zones
        self.size = [0] * n_zones
        for b, z in enumerate(self.zone_of):
            self.W[z] += self.w[b]
            self.R[z] += self.r[b]
            self.size[z] += 1
        self.moves = 0
        self.pw = [self._work_pen(v) for v in self.W]
        self.pr = [self._rev_pen(v) for v in self.R]
        eu = [u for u, lst in enumerate(neighbours) for _ in lst]
        self.eu = np.array(eu, dtype=np.int64)
        self.ev = np.array([v for lst in neighbours for v in lst], dtype=np.int64)
        self.fixed_arr = np.asarray(fixed, dtype=bool)

    def _work_pen(self, load: float) -> float:
        dev = load / self.wm - 1.0
        return _HINGE * max(abs(dev) - self.band, 0.0) + _QUAD * dev * dev

    def _rev_pen(self, rev: float) -> float:
        dev = rev / self.rm - 1.0
        return _REV_HINGE * self.opt.revenue_weight * max(abs(dev) - self.opt.revenue_tolerance, 0)

    def _centres(self) -> tuple[list[float], list[float]]:
        sx = [0.0] * self.k
        sy = [0.0] * self.k
        sw = [0.0] * self.k
        for b, z in enumerate(self.zone_of):
            wb = self.w[b] + 1e-9
            sx[z] += wb * self.x[b]
            sy[z] += wb * self.y[b]
            sw[z] += wb
        return [sx[z] / max(sw[z], 1e-12) for z in range(self.k)], [
            sy[z] / max(sw[z], 1e-12) for z in range(self.k)
        ]

    def _delta(self, b: int, a: int, c: int, cx: list[float], cy: list[float]) -> float:
        wb, rb = self.w[b], self.r[b]
        delta = (
            self._work_pen(self.W[a] - wb)
            + self._work_pen(self.W[c] + wb)
            - self.pw[a]
            - self.pw[c]
        )
        if self.opt.revenue_weight:
            delta += (
                self._rev_pen(self.R[a] - rb)
                + self._rev_pen(self.R[c] + rb)
                - self.pr[a]
                - self.pr[c]
            )
        if self.opt.compactness_weight:
            bx, by = self.x[b], self.y[b]
            da = (bx - cx[a]) ** 2 + (by - cy[a]) ** 2
            dc = (bx - cx[c]) ** 2 + (by - cy[c]) ** 2
            delta += self.opt.compactness_weight * (wb / self.wm) * (dc - da) / self.scale
            cut = 0
            for v in self.nb[b]:
                zv = self.zone_of[v]
                cut += (zv == a) - (zv == c)
            delta += self.opt.compactness_weight * _CUT_COST * cut / self.cpz
        if self.opt.move_weight:
            moved = 0
            if self.orig[b] == a:
                moved = self.n[b]
            elif self.orig[b] == c:
                moved = -self.n[b]
            relief = self.W[a] / self.wm - 1 > self.band or self.W[c] / self.wm - 1 < -self.band
            if moved < 0 or not relief:
                delta += self.opt.move_weight * moved / self.cpz
        return delta

    def _stays_connected(self, b: int, a: int) -> bool:
        zone_of, nb = self.zone_of, self.nb
        inside = [v for v in nb[b] if zone_of[v] == a]
        if len(inside) <= 1:
            return True
        # fast path: the neighbours in the zone are connected among themselves
        ring = set(inside)
        seen_ring = {inside[0]}
        stack = [inside[0]]
        while stack:
            u = stack.pop()
            for v in nb[u]:
                if v in ring and v not in seen_ring:
                    seen_ring.add(v)
                    stack.append(v)
        if len(seen_ring) == len(ring):
            return True
        return self._joined(b, a, inside)

    def _joined(self, b: int, a: int, inside: list[int]) -> bool:
        """Whether ``inside`` stay connected in zone ``a`` without ``b``.

        Searches grow from every neighbour in turn and merge when they meet; the first search
        group that runs dry proves a split, so the cost is that of the smaller side.
        """
        zone_of, nb = self.zone_of, self.nb
        owner = {b: -1}
        parent = list(range(len(inside)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        queues = []
        for i, v in enumerate(inside):
            owner[v] = i
            queues.append(deque([v]))
        groups = len(inside)
        while True:
            for i, queue in enumerate(queues):
                if not queue:
                    continue
                u = queue.popleft()
                for v in nb[u]:
                    if zone_of[v] != a:
                        continue
                    j = owner.get(v)
                    if j is None:
                        owner[v] = i
                        queue.append(v)
                    elif j >= 0:
                        ri, rj = root(i), root(j)
                        if ri != rj:
                            parent[ri] = rj
                            groups -= 1
                            if groups == 1:
                                return True
                if not queue:
                    r = root(i)
                    if all(not queues[k] for k in range(len(queues)) if root(k) == r):
                        return False

    def run(self) -> list[int]:
        """Improve until no move helps, ``max_passes`` or the time limit; return the zones."""
        start = time.perf_counter()
        zone_of, nb = self.zone_of, self.nb
        for _ in range(self.opt.max_passes):
            cx, cy = self._centres()
            dev = [self.W[z] / self.wm - 1 for z in range(self.k)]
            z = np.asarray(zone_of, dtype=np.int64)
            cand = np.unique(self.eu[z[self.eu] != z[self.ev]])
            cand = cand[~self.fixed_arr[cand]]
            absdev = np.abs(np.asarray(dev))[z[cand]]
            boundary = cand[np.lexsort((cand, -absdev))].tolist()
            improved = 0
            for b in boundary:
                a = zone_of[b]
                if self.size[a] <= 1:
                    continue
                best, best_c = -_EPS, -1
                for c in sorted({zone_of[v] for v in nb[b]} - {a} - self.frozen):
                    d = self._delta(b, a, c, cx, cy)
                    if d < best:
                        best, best_c = d, c
                if best_c < 0 or not self._stays_connected(b, a):
                    continue
                zone_of[b] = best_c
                self.W[a] -= self.w[b]
                self.W[best_c] += self.w[b]
                self.R[a] -= self.r[b]
                self.R[best_c] += self.r[b]
                self.size[a] -= 1
                self.size[best_c] += 1
                for zz in (a, best_c):
                    self.pw[zz] = self._work_pen(self.W[zz])
                    self.pr[zz] = self._rev_pen(self.R[zz])
                improved += 1
            self.moves += improved
            if not improved or time.perf_counter() - start > self.opt.time_limit_s:
                break
        return zone_of


# --------------------------------------------------------------------------- main entry


@dataclass
class _Blocks:
    """Per-block arrays derived from the clients."""

    xy: np.ndarray
    site_of: np.ndarray
    weight: np.ndarray
    revenue: np.ndarray
    count: np.ndarray
    current: np.ndarray
    orig_count: np.ndarray
    locked_zone: np.ndarray


def _blocks_of(
    xy: np.ndarray,
    workload: np.ndarray,
    revenue: np.ndarray,
    current: np.ndarray,
    locked: np.ndarray,
    client_ids: list[str],
    names: list[str],
) -> _Blocks:
    site_xy, site_of = sites_of(xy)
    n = len(site_xy)
    weight = np.bincount(site_of, weights=workload, minlength=n)
    rev = np.bincount(site_of, weights=revenue, minlength=n)
    count = np.bincount(site_of, minlength=n)
    # majority current zone per block (-1 = none)
    cur = np.full(n, -1, dtype=np.int64)
    orig_count = np.zeros(n, dtype=np.int64)
    has = current >= 0
    pairs = pd.DataFrame({"site": site_of[has], "zone": current[has]})
    if len(pairs):
        tally = pairs.groupby(["site", "zone"]).size().reset_index(name="n")
        tally = tally.sort_values(["site", "n", "zone"], ascending=[True, False, True])
        top = tally.drop_duplicates("site")
        cur[top["site"].to_numpy()] = top["zone"].to_numpy()
        orig_count[top["site"].to_numpy()] = top["n"].to_numpy()
    locked_zone = np.full(n, -1, dtype=np.int64)
    problems = []
    for i in np.flatnonzero(locked).tolist():
        s, z = int(site_of[i]), int(current[i])
        if z < 0:
            problems.append(Problem("clients.csv", "locked client has no zone", i + 2, "locked"))
        elif locked_zone[s] not in (-1, z):
            other = names[locked_zone[s]]
            msg = f"client {client_ids[i]} is locked to {names[z]} but shares its location "
            msg += f"with a client locked to {other}"
            problems.append(Problem("clients.csv", msg, i + 2, "locked"))
        else:
            locked_zone[s] = z
    if problems:
        raise InputError(problems, hint="unlock one of them or give each a zone")
    cur[locked_zone >= 0] = locked_zone[locked_zone >= 0]
    return _Blocks(site_xy, site_of, weight, rev, count, cur, orig_count, locked_zone)


def _check_locks(
    blocks: _Blocks,
    zone_of: np.ndarray,
    frozen: set[int],
    names: list[str],
    k: int,
    tolerance: float,
) -> None:
    """Raise when locked zones or locked clients make the balance target impossible."""
    mean = blocks.weight.sum() / k
    lo, hi = mean * (1 - tolerance), mean * (1 + tolerance)
    for z in sorted(frozen):
        load = blocks.weight[zone_of == z].sum()
        if not lo <= load <= hi:
            raise InfeasibleError(
                f"zone {names[z]} is locked with workload {load / 60:.1f} h/week, "
                f"{load / mean - 1:+.1%} from the mean {mean / 60:.1f} h: the ±{tolerance:.0%} "
                "target cannot be met",
                hint=f"unlock zone {names[z]} or raise the tolerance",
            )
    locked_load = pd.Series(blocks.weight[blocks.locked_zone >= 0]).groupby(
        blocks.locked_zone[blocks.locked_zone >= 0]
    )
    for z, load in locked_load.sum().items():
        if load > hi:
            raise InfeasibleError(
                f"clients locked to zone {names[int(z)]} alone carry {load / 60:.1f} h/week, "
                f"above the ±{tolerance:.0%} band's upper limit {hi / 60:.1f} h",
                hint=f"unlock some clients of zone {names[int(z)]} or raise the tolerance",
            )


def _spread(loads: np.ndarray) -> float:
    mean = loads.mean()
    return float(np.abs(loads / mean - 1).max()) if mean > 0 else 0.0


def balance_zones(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    zones: gpd.GeoDataFrame | None = None,
    reps: pd.DataFrame | None = None,
    options: BalanceOptions | None = None,
    service_area: BaseGeometry | None = None,
) -> BalanceResult:
    """Rebalance territories so every rep's weekly workload is close to the mean.

    Parameters
    ----------
    clients
        ``client_id``, ``lat``, ``lon``, ``revenue``, optional ``tier``, ``service_min``,
        ``zone`` (today's zone; empty cells are found from the polygons), ``rep_id`` and
        ``locked`` (bool: keep this client in its zone).
    settings
        Cadence per tier and travel speed, for the workload model.
    zones
        Today's zones (``zone``, optional ``rep_id``, polygons in EPSG:4326); checked for
        overlaps and gaps, and their union is the default service area.
    reps
        ``rep_id``, ``home_lat``, ``home_lon``, ``zone``; gives the zones' reps and homes.
    options
        Targets, weights and locks (:class:`BalanceOptions`).
    service_area
        Polygon (EPSG:4326) the new zones are clipped to.

    Returns
    -------
    BalanceResult
        New assignment, zone polygons, before/after table and checks.

    Raises
    ------
    InputError
        Missing columns, more reps than client locations, conflicting locks.
    InfeasibleError
        Locks that make the balance target impossible (the message names the constraint).

    """
    opt = options or BalanceOptions()
    t0 = time.perf_counter()
    missing = [c for c in ("client_id", "lat", "lon", "revenue") if c not in clients]
    if missing:
        raise InputError(
            [Problem("clients.csv", "missing column", column=c) for c in missing],
            hint="see the clients.csv contract in README",
        )
    clients = clients.reset_index(drop=True)
    client_ids = clients["client_id"].astype(str).tolist()
    wl = client_workload(clients, settings)
    cur_names = _current_zones(clients, zones)
    names: list[str] = sorted(
        set(cur_names.dropna()) | (set(zones["zone"].astype(str)) if zones is not None else set())
    )
    code = {name: i for i, name in enumerate(names)}
    current = np.array([-1 if v is None else code[v] for v in cur_names], dtype=np.int64)
    locked = (
        clients["locked"].fillna(False).astype(bool).to_numpy()
        if "locked" in clients
        else np.zeros(len(clients), dtype=bool)
    )
    unknown_locks = [z for z in opt.locked_zones if z not in code]
    unknown_removed = [z for z in opt.remove_zones if z not in code]
    if unknown_locks or unknown_removed:
        raise InputError(
            [
                Problem("zones.geojson", f"no zone named {z!r}")
                for z in unknown_locks + unknown_removed
            ],
            hint=f"known zones: {', '.join(names)}",
        )

    proj = projection_for(clients["lat"], clients["lon"])
    xy = proj.forward(clients["lon"], clients["lat"])
    warnings: list[str] = []
    zone_polys: list[BaseGeometry] = []
    if zones is not None and len(zones):
        zone_polys = [proj.to_local(g) for g in zones.geometry]
        problems = check_zone_polygons(
            zones["zone"].astype(str).tolist(), zone_polys, client_xy=xy, client_ids=client_ids
        )
        warnings.extend(str(p) for p in problems)
    area = _service_area(proj, xy, zone_polys, service_area)

    blocks = _blocks_of(
        xy,
        wl["workload_min"].to_numpy(float),
        clients["revenue"].to_numpy(float),
        current,
        locked,
        client_ids,
        names,
    )
    n_blocks = len(blocks.xy)
    k_today = len({z for z in current.tolist() if z >= 0}) or len(names)
    k = opt.n_reps or k_today
    if k == 0:
        raise InputError(
            [Problem("clients.csv", "no client has a zone and no zones were given", column="zone")],
            hint="give the number of reps (--reps) to design zones from scratch",
        )
    if k_today == 0 and not opt.from_scratch:
        opt = replace(opt, from_scratch=True)
    if k > n_blocks:
        raise InputError(
            [Problem("reps.csv", f"{k} reps but only {n_blocks} distinct client locations")],
            hint="ask for fewer reps (--reps)",
        )
    graph = voronoi_blocks(blocks.xy, area)
    nb = graph.neighbours
    frozen = {code[z] for z in opt.locked_zones}
    zone_of, names, fixed, grown = _initial(blocks, nb, names, frozen, k, opt, warnings)
    _check_locks(blocks, zone_of, frozen, names, k, opt.tolerance)

    already = (
        not grown
        and not opt.from_scratch
        and _spread(np.bincount(zone_of, weights=blocks.weight, minlength=k)) <= opt.tolerance
    )
    if not already:
        area_km2 = float(shapely.area(area))
        search = _Search(
            zone_of=zone_of,
            neighbours=nb,
            xy=blocks.xy,
            weight=blocks.weight,
            revenue=blocks.revenue,
            count=blocks.count,
            orig_zone=blocks.current,
            fixed=fixed,
            frozen_zones=frozen,
            n_zones=len(names),
            n_reps=k,
            options=opt,
            scale_km2=area_km2 / k,
        )
        zone_of = np.array(search.run(), dtype=np.int64)
    return _build_result(
        clients=clients,
        wl=wl,
        blocks=blocks,
        graph=graph,
        zone_of=zone_of,
        names=names,
        current=current,
        zones=zones,
        reps=reps,
        proj=proj,
        options=opt,
        warnings=warnings,
        started=t0,
        locked=locked,
    )


# --------------------------------------------------------------------------- starts


def _centroid(blocks: _Blocks, members: np.ndarray) -> np.ndarray:
    w = blocks.weight[members] + 1e-9
    return (blocks.xy[members] * w[:, None]).sum(axis=0) / w.sum()


def _new_name(names: list[str]) -> str:
    i = 1
    while f"NEW{i}" in names:
        i += 1
    return f"NEW{i}"


def _nearest_free(blocks: _Blocks, candidates: np.ndarray, point: np.ndarray) -> int:
    d = ((blocks.xy[candidates] - point) ** 2).sum(axis=1)
    return int(candidates[int(d.argmin())])


def _initial(
    blocks: _Blocks,
    nb: list[list[int]],
    names: list[str],
    frozen: set[int],
    k: int,
    opt: BalanceOptions,
    warnings: list[str],
) -> tuple[np.ndarray, list[str], np.ndarray, bool]:
    """Build a contiguous start with ``k`` non-empty zones: (zone_of, names, fixed, grown).

    ``names`` may keep removed zones (then empty); codes index ``names``.
    """
    names = list(names)
    fixed = (blocks.locked_zone >= 0) | np.isin(blocks.current, sorted(frozen))
    if opt.from_scratch:
        zone_of, names = _from_scratch(blocks, nb, names, frozen, fixed, k, opt)
        return zone_of, names, fixed, True
    zone_of = blocks.current.copy()
    grown = bool((zone_of == -1).any())
    for z in range(len(names)):
        members = np.flatnonzero(zone_of == z).tolist()
        comps = _components(members, nb, zone_of, z)
        if len(comps) <= 1:
            continue
        comps.sort(key=lambda c: (-int(fixed[c].sum() > 0), -blocks.weight[c].sum(), min(c)))
        cut = [b for c in comps[1:] for b in c if not fixed[b]]
        zone_of[cut] = -1
        grown = grown or bool(cut)
        warnings.append(
            f"zone {names[z]} was in {len(comps)} pieces; {len(cut)} location(s) outside its "
            "main piece were reassigned"
        )
    active = sorted(set(zone_of[zone_of >= 0].tolist()) | set(blocks.current[fixed].tolist()))
    for z in range(len(names)):
        if z not in active and z not in blocks.current:
            warnings.append(f"zone {names[z]} has no clients")
    if k < len(active):
        need = len(active) - k
        locked_owner = set(blocks.locked_zone[blocks.locked_zone >= 0].tolist())
        removable = [z for z in active if z not in frozen and z not in locked_owner]
        chosen = [names.index(n) for n in opt.remove_zones]
        bad = [names[z] for z in chosen if z not in removable]
        if bad:
            raise InfeasibleError(
                f"zone(s) {', '.join(bad)} cannot be removed: locked or holding locked clients",
                hint="unlock them or remove other zones",
            )
        loads = {z: blocks.weight[zone_of == z].sum() for z in removable}
        for z in sorted(removable, key=lambda z: (loads[z], z)):
            if len(chosen) >= need:
                break
            if z not in chosen:
                chosen.append(z)
        if len(chosen) < need:
            raise InfeasibleError(
                f"{k} reps asked but {len(active) - len(removable)} zones are locked or hold "
                "locked clients",
                hint="unlock zones or ask for more reps",
            )
        chosen = chosen[:need]
        zone_of[np.isin(zone_of, chosen)] = -1
        active = [z for z in active if z not in chosen]
        grown = True
    if (zone_of == -1).any():
        seeds = {z: np.flatnonzero(zone_of == z).tolist() for z in active if z not in frozen}
        anchors = {z: _centroid(blocks, np.flatnonzero(zone_of == z)) for z in seeds}
        _grow(zone_of, nb, blocks.xy, blocks.weight, seeds, anchors)
        if _fill_unreached(zone_of, blocks.xy):
            warnings.append("some locations are not connected to any zone (islands)")
    rng = np.random.default_rng(opt.seed)
    while len(active) < k:
        loads = {z: blocks.weight[zone_of == z].sum() for z in active if z not in frozen}
        if not loads:
            raise InfeasibleError("no unlocked zone to split for the new rep", hint="unlock a zone")
        heavy = max(loads, key=lambda z: (loads[z], -z))
        movable = np.flatnonzero((zone_of == heavy) & ~fixed)
        if len(movable) < 2:
            raise InputError(
                [Problem("reps.csv", f"{k} reps but too few movable client locations")],
                hint="ask for fewer reps",
            )
        centres = _weighted_kmeans(blocks.xy[movable], blocks.weight[movable], 2, rng)
        seed_old = _nearest_free(blocks, movable, centres[0])
        rest = movable[movable != seed_old]
        seed_new = _nearest_free(blocks, rest, centres[1])
        new = len(names)
        names.append(_new_name(names))
        zone_of[movable] = -1
        zone_of[seed_old] = heavy
        zone_of[seed_new] = new
        old_seeds = np.flatnonzero(zone_of == heavy).tolist()
        _grow(
            zone_of,
            nb,
            blocks.xy,
            blocks.weight,
            {heavy: old_seeds, new: [seed_new]},
            {heavy: centres[0], new: centres[1]},
        )
        _fill_unreached(zone_of, blocks.xy)
        active.append(new)
        grown = True
    return zone_of, names, fixed, grown


def _from_scratch(
    blocks: _Blocks,
    nb: list[list[int]],
    names: list[str],
    frozen: set[int],
    fixed: np.ndarray,
    k: int,
    opt: BalanceOptions,
) -> tuple[np.ndarray, list[str]]:
    zone_of = np.full(len(blocks.xy), -1, dtype=np.int64)
    zone_of[fixed] = blocks.current[fixed]
    keep = sorted(set(zone_of[fixed].tolist()))
    if len(keep) > k:
        raise InfeasibleError(
            f"{len(keep)} zones are locked or hold locked clients, more than the {k} reps asked",
            hint="unlock zones or clients, or ask for more reps",
        )
    growing = [z for z in keep if z not in frozen]
    free = np.flatnonzero(zone_of == -1)
    n_regions = k - len(keep) + len(growing)
    rng = np.random.default_rng(opt.seed)
    centres = (
        _weighted_kmeans(blocks.xy[free], blocks.weight[free], n_regions, rng)
        if n_regions
        else np.zeros((0, 2))
    )
    if growing:
        own = np.array([_centroid(blocks, np.flatnonzero(zone_of == z)) for z in growing])
        cost = ((own[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        _, cols = linear_sum_assignment(cost)
        centres = np.delete(centres, cols, axis=0)
    base = len(names)
    seeds: dict[int, list[int]] = {z: np.flatnonzero(zone_of == z).tolist() for z in growing}
    anchors = {z: _centroid(blocks, np.flatnonzero(zone_of == z)) for z in growing}
    for i, c in enumerate(centres):
        candidates = np.flatnonzero(zone_of == -1)
        b = _nearest_free(blocks, candidates, c)
        zone_of[b] = base + i
        seeds[base + i] = [b]
        anchors[base + i] = c
    _grow(zone_of, nb, blocks.xy, blocks.weight, seeds, anchors)
    _fill_unreached(zone_of, blocks.xy)
    # name the new regions after the old zones they overlap most
    others = [z for z in range(len(names)) if z not in keep]
    regions = list(range(base, base + len(centres)))
    overlap = np.zeros((len(regions), len(others)))
    if others and regions:
        for j, z in enumerate(others):
            hit = blocks.current == z
            overlap[:, j] = [blocks.orig_count[hit & (zone_of == r)].sum() for r in regions]
        rows, cols = linear_sum_assignment(-overlap)
        rename = {regions[r]: others[c] for r, c in zip(rows, cols, strict=True)}
    else:
        rename = {}
    for r in regions:
        if r not in rename:
            rename[r] = len(names)
            names.append(_new_name(names))
    out = zone_of.copy()
    for r, z in rename.items():
        out[zone_of == r] = z
    return out, names


# --------------------------------------------------------------------------- result


def _rep_of_zones(
    used: list[str],
    zones: gpd.GeoDataFrame | None,
    reps: pd.DataFrame | None,
    clients: pd.DataFrame,
) -> dict[str, str]:
    rep: dict[str, str] = {}
    if zones is not None and "rep_id" in zones:
        for z, r in zip(zones["zone"].astype(str), zones["rep_id"], strict=True):
            if pd.notna(r) and str(r):
                rep[z] = str(r)
    if reps is not None and "zone" in reps:
        for z, r in zip(reps["zone"], reps["rep_id"].astype(str), strict=True):
            if pd.notna(z) and str(z) and str(z) not in rep:
                rep[str(z)] = r
    if "rep_id" in clients and "zone" in clients:
        pairs = clients[["zone", "rep_id"]].dropna()
        for z, r in pairs.groupby("zone")["rep_id"].agg(lambda s: s.mode().iloc[0]).items():
            rep.setdefault(str(z), str(r))
    spare: list[str] = []
    if reps is not None:
        spare = [r for r in reps["rep_id"].astype(str) if r not in rep.values()]
    out = {}
    for i, z in enumerate(z for z in used if z not in rep):
        out[z] = spare[i] if i < len(spare) else f"new-rep-{i + 1}"
    out.update({z: rep[z] for z in used if z in rep})
    return out


def _mean_home_km(
    xy: np.ndarray, weight: np.ndarray, labels: pd.Series, homes: dict[str, np.ndarray]
) -> dict[str, float]:
    out = {}
    for z, idx in labels.groupby(labels).groups.items():
        pos = np.asarray(idx, dtype=np.int64)  # clients are indexed 0..n-1
        w = weight[pos] + 1e-9
        home = homes.get(str(z))
        if home is None:
            home = (xy[pos] * w[:, None]).sum(axis=0) / w.sum()
        out[str(z)] = float((np.hypot(*(xy[pos] - home).T) * w).sum() / w.sum())
    return out


def _build_result(
    *,
    clients: pd.DataFrame,
    wl: pd.DataFrame,
    blocks: _Blocks,
    graph: BlockGraph,
    zone_of: np.ndarray,
    names: list[str],
    current: np.ndarray,
    zones: gpd.GeoDataFrame | None,
    reps: pd.DataFrame | None,
    proj: LocalProjection,
    options: BalanceOptions,
    warnings: list[str],
    started: float,
    locked: np.ndarray,
) -> BalanceResult:
    cells = graph.cells
    nb = graph.neighbours
    name_arr = np.array(names, dtype=object)
    before = pd.Series(
        [names[c] if c >= 0 else None for c in current.tolist()], index=clients.index
    )
    after = pd.Series(name_arr[zone_of[blocks.site_of]], index=clients.index)
    moved = before.notna() & (before != after)
    used = sorted(set(zone_of.tolist()))
    used_names = [names[z] for z in used]
    rep = _rep_of_zones(used_names, zones, reps, clients)

    polys = absorb_strays(dissolve(cells, zone_of, used), blocks.xy)
    xy = proj.forward(clients["lon"], clients["lat"])
    checks: dict[str, bool] = {}
    contiguous = all(
        len(_components(np.flatnonzero(zone_of == z).tolist(), nb, zone_of, z)) == 1 for z in used
    ) and all(p.geom_type == "Polygon" for p in polys)
    checks["contiguous"] = contiguous
    enclaves: list[str] = []
    for z, poly in zip(used_names, polys, strict=True):
        for ring in getattr(poly, "interiors", []):
            hole = shapely.Polygon(ring)
            inner = [o for o, q in zip(used_names, polys, strict=True) if o != z and hole.covers(q)]
            enclaves.extend(f"zone {o} is enclosed by zone {z}" for o in inner)
    warnings.extend(enclaves)
    checks["no_enclaves"] = not enclaves
    checks["every_client_once"] = bool(after.notna().all()) and len(after) == len(clients)
    locked_ok = bool((after[locked] == before[locked]).all())
    for z in options.locked_zones:
        locked_ok &= bool(((before == z) == (after == z)).all())
    checks["locks_respected"] = locked_ok

    work = wl.assign(revenue=clients["revenue"].astype(float))
    tiers = [t for t in dict.fromkeys(wl["tier"]) if t]
    t_before = zone_table(work.assign(zone=before).dropna(subset=["zone"]), tiers=sorted(tiers))
    t_after = zone_table(work.assign(zone=after), tiers=sorted(tiers))
    spread_before = float(t_before["workload_dev"].abs().max()) if len(t_before) else 0.0
    spread_after = float(t_after["workload_dev"].abs().max())
    checks["balanced"] = spread_after <= options.tolerance + 1e-9
    if not checks["balanced"]:
        worst = t_after.loc[t_after["workload_dev"].abs().idxmax()]
        warnings.append(
            f"target ±{options.tolerance:.0%} not met: zone {worst['zone']} is at "
            f"{worst['workload_dev']:+.1%} (lower move weight, unlock zones or raise tolerance)"
        )

    homes: dict[str, np.ndarray] = {}
    if reps is not None and {"home_lat", "home_lon"} <= set(reps.columns):
        home_xy = proj.forward(reps["home_lon"], reps["home_lat"])
        by_rep = dict(zip(reps["rep_id"].astype(str), home_xy, strict=True))
        homes = {z: by_rep[r] for z, r in rep.items() if r in by_rep}
    wmin = wl["workload_min"].to_numpy(float)
    if zones is not None and len(zones):
        pp_before = {
            str(z): polsby_popper(proj.to_local(g))
            for z, g in zip(zones["zone"], zones.geometry, strict=True)
        }
    else:
        cur_used = sorted(set(blocks.current[blocks.current >= 0].tolist()))
        cur_polys = dissolve(cells, blocks.current, cur_used)
        pp_before = {names[z]: polsby_popper(p) for z, p in zip(cur_used, cur_polys, strict=True)}
    pp_after = {z: polsby_popper(p) for z, p in zip(used_names, polys, strict=True)}
    home_before = _mean_home_km(xy, wmin, before.dropna(), homes)
    home_after = _mean_home_km(xy, wmin, after, homes)

    summary = t_before.merge(t_after, on="zone", how="outer", suffixes=("_before", "_after"))
    summary.insert(1, "rep_id", summary["zone"].map(rep))
    summary["polsby_popper_before"] = summary["zone"].map(pp_before)
    summary["polsby_popper_after"] = summary["zone"].map(pp_after)
    summary["home_km_before"] = summary["zone"].map(home_before)
    summary["home_km_after"] = summary["zone"].map(home_after)
    summary["moved_in"] = summary["zone"].map(after[moved].value_counts()).fillna(0).astype(int)
    summary["moved_out"] = summary["zone"].map(before[moved].value_counts()).fillna(0).astype(int)

    new_zones = gpd.GeoDataFrame(
        {
            "zone": used_names,
            "rep_id": [rep[z] for z in used_names],
        },
        geometry=[proj.to_wgs84(p) for p in polys],
        crs="EPSG:4326",
    )
    new_zones = new_zones.merge(
        t_after[["zone", "clients", "workload_h", "revenue", "workload_dev"]], on="zone"
    )
    new_zones["polsby_popper"] = new_zones["zone"].map(pp_after)
    assignment = pd.DataFrame(
        {
            "client_id": clients["client_id"].astype(str),
            "zone_before": before,
            "zone": after,
            "rep_id": after.map(rep),
            "moved": moved,
            "tier": wl["tier"],
            "workload_min": wmin,
            "revenue": clients["revenue"].astype(float),
        }
    )
    return BalanceResult(
        assignment=assignment,
        zones=new_zones,
        summary=summary,
        moved_clients=int(moved.sum()),
        spread_before=spread_before,
        spread_after=spread_after,
        checks=checks,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )
