"""Contiguous regions on a block graph: growing, k-means seeds and a boundary local search.

The graph is given as adjacency lists over blocks (``neighbours[b]``); a zone is a label per
block. :class:`LocalSearch` moves boundary blocks between adjacent zones while every donor
zone stays connected, which is the invariant the rebalancing rests on.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy.spatial import cKDTree

BAND_SHARE = 0.8
"""The search aims at this share of the tolerance, leaving a margin for the check."""
_HINGE = 1000.0
_QUAD = 10.0
_REV_HINGE = 100.0
_EPS = 1e-12
_CUT_COST = 1.0
"""Cost of one block edge on a zone border, in clients' share of a zone: smooths borders."""


class SearchOptions(Protocol):
    """What the local search reads from the balance options."""

    @property
    def tolerance(self) -> float: ...  # noqa: D102

    @property
    def revenue_tolerance(self) -> float: ...  # noqa: D102

    @property
    def move_weight(self) -> float: ...  # noqa: D102

    @property
    def revenue_weight(self) -> float: ...  # noqa: D102

    @property
    def compactness_weight(self) -> float: ...  # noqa: D102

    @property
    def max_passes(self) -> int: ...  # noqa: D102

    @property
    def time_limit_s(self) -> float: ...  # noqa: D102

    @property
    def home_weight(self) -> float: ...  # noqa: D102


def components(
    members: list[int], neighbours: list[list[int]], zone_of: np.ndarray, z: int
) -> list[list[int]]:
    """Split the blocks of zone ``z`` among ``members`` into connected pieces."""
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


def grow_regions(
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


def weighted_kmeans(
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


def fill_unreached(zone_of: np.ndarray, xy: np.ndarray) -> int:
    """Blocks no zone could reach (islands) go to the zone of the nearest assigned block."""
    todo = np.flatnonzero(zone_of == -1)
    done = np.flatnonzero(zone_of >= 0)
    if len(todo) and len(done):
        _, idx = cKDTree(xy[done]).query(xy[todo])
        zone_of[todo] = zone_of[done[idx]]
    return len(todo)


@dataclass(frozen=True)
class SearchBlocks:
    """The blocks a local search moves: adjacency, position, loads and what pins them.

    Attributes
    ----------
    neighbours
        Adjacency lists over blocks.
    xy
        Block positions in local km.
    weight, revenue, count
        Workload, revenue and client count of every block.
    orig_zone
        Every block's zone before the rebalance (moving it away costs ``move_weight``).
    fixed
        Blocks that must not move (locked clients, locked zones).

    """

    neighbours: list[list[int]]
    xy: np.ndarray
    weight: np.ndarray
    revenue: np.ndarray
    count: np.ndarray
    orig_zone: np.ndarray
    fixed: np.ndarray


@dataclass(frozen=True)
class SearchZones:
    """The zones a local search balances.

    Attributes
    ----------
    n_zones
        Number of zone codes (some may be empty).
    n_reps
        Number of reps the workload is shared by (the mean is the total over this).
    frozen_zones
        Zones no block may move into.
    scale_km2
        Area of a mean zone, which scales the compactness term.
    homes
        Home of each zone's rep in local km, for zones whose rep has one.

    """

    n_zones: int
    n_reps: int
    frozen_zones: set[int]
    scale_km2: float
    homes: dict[int, tuple[float, float]] = field(default_factory=dict)


class LocalSearch:
    """Boundary-block local search keeping every zone connected."""

    def __init__(
        self,
        zone_of: np.ndarray,
        blocks: SearchBlocks,
        zones: SearchZones,
        options: SearchOptions,
    ) -> None:
        self.zone_of = zone_of.tolist()
        self.nb = blocks.neighbours
        self.x = blocks.xy[:, 0].tolist()
        self.y = blocks.xy[:, 1].tolist()
        self.w = blocks.weight.tolist()
        self.r = blocks.revenue.tolist()
        self.n = blocks.count.tolist()
        self.orig = blocks.orig_zone.tolist()
        self.fixed = blocks.fixed.tolist()
        self.frozen = zones.frozen_zones
        self.k = zones.n_zones
        self.opt = options
        self.wm = max(float(blocks.weight.sum()) / zones.n_reps, 1e-9)
        self.rm = max(float(blocks.revenue.sum()) / zones.n_reps, 1e-9)
        self.cpz = max(float(blocks.count.sum()) / zones.n_reps, 1.0)
        self.scale = max(zones.scale_km2, 1e-9)
        self.band = options.tolerance * BAND_SHARE
        self.W = [0.0] * self.k
        self.R = [0.0] * self.k
        self.size = [0] * self.k
        for b, z in enumerate(self.zone_of):
            self.W[z] += self.w[b]
            self.R[z] += self.r[b]
            self.size[z] += 1
        self.moves = 0
        self.homes = zones.homes or {}
        self.pw = [self._work_pen(v) for v in self.W]
        self.pr = [self._rev_pen(v) for v in self.R]
        eu = [u for u, lst in enumerate(self.nb) for _ in lst]
        self.eu = np.array(eu, dtype=np.int64)
        self.ev = np.array([v for lst in self.nb for v in lst], dtype=np.int64)
        self.fixed_arr = np.asarray(blocks.fixed, dtype=bool)

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
        cx = [sx[z] / max(sw[z], 1e-12) for z in range(self.k)]
        cy = [sy[z] / max(sw[z], 1e-12) for z in range(self.k)]
        h = self.opt.home_weight
        if h:
            for z, (hx, hy) in self.homes.items():
                cx[z] = (1 - h) * cx[z] + h * hx
                cy[z] = (1 - h) * cy[z] + h * hy
        return cx, cy

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
            return _root(parent, i)

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
                if not queue and _group_dry(queues, root, root(i)):
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


def _root(parent: list[int], i: int) -> int:
    """Root of ``i`` in a union-find forest, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _group_dry(queues: list[deque[int]], root: Callable[[int], int], r: int) -> bool:
    """Whether every search merged into group ``r`` has run out of blocks."""
    return all(not queues[k] for k in range(len(queues)) if root(k) == r)
