"""Territory rebalancing: reassign client blocks to K reps so workload is even.

Method (a regionalisation local search in the AZP family, Openshaw 1977; Ricca & Simeone 2008
for political districting), in three steps:

1. **Blocks** are Voronoi cells around client sites, clipped to the service area
   (:mod:`routeplan.territory.shapes`); adjacency = shared edge. A block is one site, so a dense
   centre is as finely divisible as its clients: no block is ever heavier than one location
   (H3 cells would need a finer resolution in the centre and an extra dependency).
2. **Start** from today's zones (cut to their largest connected piece, the rest regrown), drop
   or split zones when the rep count changes, or, from scratch, weighted k-means seeds grown
   into contiguous regions, least-loaded region first; new regions keep the old zone id they
   overlap most (Hungarian matching), so few clients change rep.
3. **Local search** (:class:`routeplan.territory.regions.LocalSearch`) moves boundary blocks to an
   adjacent zone when the move lowers ``1000·(workload deviation beyond 80% of the tolerance)
   + 10·Σ dev² + revenue deviation beyond its tolerance + compactness (workload-weighted
   squared distance to the zone centre, plus a cost per block edge on a border, which smooths
   borders) + move weight · clients moved``, and the donor zone stays connected. Moves that
   relieve a zone out of the band pay no move cost, so relief can travel through zones that
   are in band. When today's zones are already within the tolerance nothing is moved.

Why not a MIP/CP-SAT model: contiguity constraints on 40,000 blocks × 100 zones (flow or
cut formulations) are far beyond what a MIP closes in minutes; the local search keeps
contiguity as an invariant, is deterministic, handles locks trivially and runs in about a
minute at that scale (``benchmarks/zones_balance.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.optimize import linear_sum_assignment
from shapely.geometry.base import BaseGeometry

from routeplan.config import Settings
from routeplan.errors import InfeasibleError, InputError, Problem
from routeplan.i18n import _
from routeplan.territory.balance_model import BalanceInputs, BalanceOptions, Blocks, Partition
from routeplan.territory.balance_result import BalanceResult, build_result, rep_of_zones
from routeplan.territory.regions import (
    LocalSearch,
    SearchBlocks,
    SearchZones,
    components,
    fill_unreached,
    grow_regions,
    weighted_kmeans,
)
from routeplan.territory.shapes import check_zone_polygons, sites_of, voronoi_blocks
from routeplan.territory.workload import client_workload
from routeplan.travel.projection import LocalProjection, projection_for

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


# --------------------------------------------------------------------------- main entry


def _blocks_of(
    xy: np.ndarray,
    workload: np.ndarray,
    revenue: np.ndarray,
    current: np.ndarray,
    locked: np.ndarray,
    client_ids: list[str],
    names: list[str],
) -> Blocks:
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
            problems.append(Problem("clients.csv", _("locked client has no zone"), i + 2, "locked"))
        elif locked_zone[s] not in (-1, z):
            other = names[locked_zone[s]]
            msg = _(
                "client {client} is locked to {zone} but shares its location with a client"
                " locked to {other}",
                client=client_ids[i],
                zone=names[z],
                other=other,
            )
            problems.append(Problem("clients.csv", msg, i + 2, "locked"))
        else:
            locked_zone[s] = z
    if problems:
        raise InputError(problems, hint=_("unlock one of them or give each a zone"))
    cur[locked_zone >= 0] = locked_zone[locked_zone >= 0]
    return Blocks(site_xy, site_of, weight, rev, count, cur, orig_count, locked_zone)


def _check_locks(
    blocks: Blocks,
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
                _(
                    "zone {zone} is locked with workload {hours:.1f} h/week, {deviation:+.1%}"
                    " from the mean {mean:.1f} h: the ±{tolerance:.0%} target cannot be met",
                    zone=names[z],
                    hours=load / 60,
                    deviation=load / mean - 1,
                    mean=mean / 60,
                    tolerance=tolerance,
                ),
                hint=_("unlock zone {zone} or raise the tolerance", zone=names[z]),
            )
    locked_load = pd.Series(blocks.weight[blocks.locked_zone >= 0]).groupby(
        blocks.locked_zone[blocks.locked_zone >= 0]
    )
    for z, load in locked_load.sum().items():
        if load > hi:
            raise InfeasibleError(
                _(
                    "clients locked to zone {zone} alone carry {hours:.1f} h/week, above the"
                    " ±{tolerance:.0%} band's upper limit {limit:.1f} h",
                    zone=names[int(z)],
                    hours=load / 60,
                    tolerance=tolerance,
                    limit=hi / 60,
                ),
                hint=_(
                    "unlock some clients of zone {zone} or raise the tolerance", zone=names[int(z)]
                ),
            )


def _zone_homes(
    names: list[str],
    zones: gpd.GeoDataFrame | None,
    reps: pd.DataFrame | None,
    clients: pd.DataFrame,
    proj: LocalProjection,
) -> dict[int, tuple[float, float]]:
    """Home of each zone's rep in local km, for zones whose rep has a home."""
    if reps is None or not {"home_lat", "home_lon"} <= set(reps.columns):
        return {}
    rep = rep_of_zones(names, zones, reps, clients)
    xy = proj.forward(reps["home_lon"], reps["home_lat"])
    home = {
        r: (float(x), float(y)) for r, (x, y) in zip(reps["rep_id"].astype(str), xy, strict=True)
    }
    return {z: home[rep[n]] for z, n in enumerate(names) if rep.get(n) in home}


def _truthy(value: object) -> bool:
    """Read a ``locked`` cell: booleans, 1/0 and yes/no/true/false/x in any case."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    if isinstance(value, (bool, np.bool_, int, np.integer, float)):
        return bool(value)
    return str(value).strip().lower() in {"1", "true", "yes", "y", "x", "locked"}


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
    inputs = _read_inputs(clients, settings, zones, reps, opt)
    warnings: list[str] = []
    area = _checked_area(inputs, service_area, warnings)
    blocks = _blocks_of(
        inputs.xy,
        inputs.wl["workload_min"].to_numpy(float),
        inputs.clients["revenue"].to_numpy(float),
        inputs.current,
        inputs.locked,
        inputs.client_ids,
        inputs.names,
    )
    k_today = len({z for z in inputs.current.tolist() if z >= 0}) or len(inputs.names)
    k = _zone_count(k_today, opt, len(blocks.xy))
    if k_today == 0 and not opt.from_scratch:
        opt = replace(opt, from_scratch=True)
    graph = voronoi_blocks(blocks.xy, area)
    frozen = {inputs.names.index(z) for z in opt.locked_zones}
    start = _Start(blocks, graph.neighbours, frozen, k, opt)
    zone_of, names, fixed, grown = _initial(start, inputs.names, warnings)
    _check_locks(blocks, zone_of, frozen, names, k, opt.tolerance)
    if grown or opt.from_scratch or not _within(blocks, zone_of, opt.tolerance):
        homes = _zone_homes(names, zones, reps, inputs.clients, inputs.proj)
        zone_of = _improve(start, zone_of, fixed, names, float(shapely.area(area)), homes)
    return build_result(inputs, Partition(blocks, graph, zone_of, names), opt, warnings, t0)


def _improve(
    start: _Start,
    zone_of: np.ndarray,
    fixed: np.ndarray,
    names: list[str],
    area_km2: float,
    homes: dict[int, tuple[float, float]],
) -> np.ndarray:
    """Run the local search from ``zone_of`` and return the improved zone of every block."""
    blocks = start.blocks
    search = LocalSearch(
        zone_of,
        SearchBlocks(
            neighbours=start.nb,
            xy=blocks.xy,
            weight=blocks.weight,
            revenue=blocks.revenue,
            count=blocks.count,
            orig_zone=blocks.current,
            fixed=fixed,
        ),
        SearchZones(
            n_zones=len(names),
            n_reps=start.k,
            frozen_zones=start.frozen,
            scale_km2=area_km2 / start.k,
            homes=homes,
        ),
        start.opt,
    )
    return np.array(search.run(), dtype=np.int64)


def _read_inputs(
    clients: pd.DataFrame,
    settings: Settings,
    zones: gpd.GeoDataFrame | None,
    reps: pd.DataFrame | None,
    opt: BalanceOptions,
) -> BalanceInputs:
    """Check the clients' columns, code today's zones and project the clients."""
    missing = [c for c in ("client_id", "lat", "lon", "revenue") if c not in clients]
    if missing:
        raise InputError(
            [Problem("clients.csv", _("missing column"), column=c) for c in missing],
            hint=_("see the clients.csv contract in README"),
        )
    clients = clients.reset_index(drop=True)
    wl = client_workload(clients, settings)
    cur_names = _current_zones(clients, zones)
    names: list[str] = sorted(
        set(cur_names.dropna()) | (set(zones["zone"].astype(str)) if zones is not None else set())
    )
    code = {name: i for i, name in enumerate(names)}
    current = np.array([-1 if v is None else code[v] for v in cur_names], dtype=np.int64)
    locked = (
        np.array([_truthy(v) for v in clients["locked"]], dtype=bool)
        if "locked" in clients
        else np.zeros(len(clients), dtype=bool)
    )
    _check_zone_names(opt, names)
    proj = projection_for(clients["lat"], clients["lon"])
    return BalanceInputs(
        clients=clients,
        wl=wl,
        client_ids=clients["client_id"].astype(str).tolist(),
        names=names,
        current=current,
        locked=locked,
        zones=zones,
        reps=reps,
        proj=proj,
        xy=proj.forward(clients["lon"], clients["lat"]),
    )


def _check_zone_names(opt: BalanceOptions, names: list[str]) -> None:
    """Raise when the zones to lock or remove are not among today's zones."""
    unknown_locks = [z for z in opt.locked_zones if z not in names]
    unknown_removed = [z for z in opt.remove_zones if z not in names]
    if unknown_locks or unknown_removed:
        raise InputError(
            [
                Problem("zones.geojson", _("no zone named {zone!r}", zone=z))
                for z in unknown_locks + unknown_removed
            ],
            hint=_("known zones: {zones}", zones=", ".join(names)),
        )


def _checked_area(
    inputs: BalanceInputs, service_area: BaseGeometry | None, warnings: list[str]
) -> BaseGeometry:
    """Check today's zone polygons (problems become warnings) and return the service area."""
    zones = inputs.zones
    zone_polys: list[BaseGeometry] = []
    if zones is not None and len(zones):
        zone_polys = [inputs.proj.to_local(g) for g in zones.geometry]
        problems = check_zone_polygons(
            zones["zone"].astype(str).tolist(),
            zone_polys,
            client_xy=inputs.xy,
            client_ids=inputs.client_ids,
        )
        warnings.extend(str(p) for p in problems)
    return _service_area(inputs.proj, inputs.xy, zone_polys, service_area)


def _zone_count(k_today: int, opt: BalanceOptions, n_blocks: int) -> int:
    """Return the number of zones wanted; raise when it cannot be met."""
    k = opt.n_reps or k_today - len(opt.remove_zones)
    if opt.remove_zones and len(opt.remove_zones) > k_today - k:
        raise InputError(
            [
                Problem(
                    "reps.csv",
                    _(
                        "{remove} zone(s) to remove but {k} reps asked of {today} today:"
                        " only {go} zone(s) go",
                        remove=len(opt.remove_zones),
                        k=k,
                        today=k_today,
                        go=max(k_today - k, 0),
                    ),
                )
            ],
            hint=_("drop --reps or remove fewer zones"),
        )
    if k == 0:
        raise InputError(
            [
                Problem(
                    "clients.csv",
                    _("no client has a zone and no zones were given"),
                    column="zone",
                )
            ],
            hint=_("give the number of reps (--reps) to design zones from scratch"),
        )
    if k > n_blocks:
        raise InputError(
            [
                Problem(
                    "reps.csv",
                    _(
                        "{k} reps but only {sites} distinct client locations",
                        k=k,
                        sites=n_blocks,
                    ),
                )
            ],
            hint=_("ask for fewer reps (--reps)"),
        )
    return k


def _within(blocks: Blocks, zone_of: np.ndarray, tolerance: float) -> bool:
    """Whether every used zone's workload is within ``tolerance`` of the mean."""
    return _spread(np.bincount(zone_of, weights=blocks.weight)[np.unique(zone_of)]) <= tolerance


# --------------------------------------------------------------------------- starts


def _centroid(blocks: Blocks, members: np.ndarray) -> np.ndarray:
    w = blocks.weight[members] + 1e-9
    return (blocks.xy[members] * w[:, None]).sum(axis=0) / w.sum()


def _new_name(names: list[str]) -> str:
    i = 1
    while f"NEW{i}" in names:
        i += 1
    return f"NEW{i}"


def _nearest_free(blocks: Blocks, candidates: np.ndarray, point: np.ndarray) -> int:
    d = ((blocks.xy[candidates] - point) ** 2).sum(axis=1)
    return int(candidates[int(d.argmin())])


@dataclass(frozen=True)
class _Start:
    """What building the start reads and never changes: blocks, adjacency and targets."""

    blocks: Blocks
    nb: list[list[int]]
    frozen: set[int]
    k: int
    opt: BalanceOptions


def _initial(
    start: _Start, names: list[str], warnings: list[str]
) -> tuple[np.ndarray, list[str], np.ndarray, bool]:
    """Build a contiguous start with ``k`` non-empty zones: (zone_of, names, fixed, grown).

    ``names`` may keep removed zones (then empty); codes index ``names``.
    """
    blocks, frozen, k = start.blocks, start.frozen, start.k
    names = list(names)
    fixed = (blocks.locked_zone >= 0) | np.isin(blocks.current, sorted(frozen))
    if start.opt.from_scratch:
        zone_of, names = _from_scratch(blocks, start.nb, names, frozen, fixed, k, start.opt)
        return zone_of, names, fixed, True
    zone_of = blocks.current.copy()
    grown = bool((zone_of == -1).any())
    grown = _keep_main_pieces(start, zone_of, fixed, names, warnings) or grown
    active = sorted(set(zone_of[zone_of >= 0].tolist()) | set(blocks.current[fixed].tolist()))
    warnings.extend(
        f"zone {names[z]} has no clients"
        for z in range(len(names))
        if z not in active and z not in blocks.current
    )
    if k < len(active):
        chosen = _zones_to_remove(start, zone_of, active, names)
        zone_of[np.isin(zone_of, chosen)] = -1
        active = [z for z in active if z not in chosen]
        grown = True
    if (zone_of == -1).any():
        _regrow(start, zone_of, active, warnings)
    rng = np.random.default_rng(start.opt.seed)
    while len(active) < k:
        active.append(_split_heaviest(start, zone_of, fixed, active, names, rng))
        grown = True
    return zone_of, names, fixed, grown


def _keep_main_pieces(
    start: _Start, zone_of: np.ndarray, fixed: np.ndarray, names: list[str], warnings: list[str]
) -> bool:
    """Cut every zone to its main piece (the rest set to -1); return whether any was cut."""
    blocks, nb = start.blocks, start.nb
    cut_any = False
    for z in range(len(names)):
        members = np.flatnonzero(zone_of == z).tolist()
        comps = components(members, nb, zone_of, z)
        if len(comps) <= 1:
            continue
        comps.sort(key=lambda c: (-int(fixed[c].sum() > 0), -blocks.weight[c].sum(), min(c)))
        cut = [b for c in comps[1:] for b in c if not fixed[b]]
        zone_of[cut] = -1
        cut_any = cut_any or bool(cut)
        warnings.append(
            f"zone {names[z]} was in {len(comps)} pieces; {len(cut)} location(s) outside its "
            "main piece were reassigned"
        )
    return cut_any


def _zones_to_remove(
    start: _Start, zone_of: np.ndarray, active: list[int], names: list[str]
) -> list[int]:
    """The zones to dissolve for ``k`` reps: the ones asked for, then the lightest."""
    blocks, k = start.blocks, start.k
    need = len(active) - k
    locked_owner = set(blocks.locked_zone[blocks.locked_zone >= 0].tolist())
    removable = [z for z in active if z not in start.frozen and z not in locked_owner]
    chosen = [names.index(n) for n in start.opt.remove_zones]
    bad = [names[z] for z in chosen if z not in removable]
    if bad:
        raise InfeasibleError(
            _(
                "zone(s) {zones} cannot be removed: locked or holding locked clients",
                zones=", ".join(bad),
            ),
            hint=_("unlock them or remove other zones"),
        )
    loads = {z: blocks.weight[zone_of == z].sum() for z in removable}
    for z in sorted(removable, key=lambda z: (loads[z], z)):
        if len(chosen) >= need:
            break
        if z not in chosen:
            chosen.append(z)
    if len(chosen) < need:
        raise InfeasibleError(
            _(
                "{k} reps asked but {locked} zones are locked or hold locked clients",
                k=k,
                locked=len(active) - len(removable),
            ),
            hint=_("unlock zones or ask for more reps"),
        )
    return chosen[:need]


def _regrow(start: _Start, zone_of: np.ndarray, active: list[int], warnings: list[str]) -> None:
    """Grow the unlocked active zones over the unassigned blocks (-1), islands last."""
    blocks = start.blocks
    seeds = {z: np.flatnonzero(zone_of == z).tolist() for z in active if z not in start.frozen}
    anchors = {z: _centroid(blocks, np.flatnonzero(zone_of == z)) for z in seeds}
    grow_regions(zone_of, start.nb, blocks.xy, blocks.weight, seeds, anchors)
    if fill_unreached(zone_of, blocks.xy):
        warnings.append("some locations are not connected to any zone (islands)")


def _split_heaviest(
    start: _Start,
    zone_of: np.ndarray,
    fixed: np.ndarray,
    active: list[int],
    names: list[str],
    rng: np.random.Generator,
) -> int:
    """Split the heaviest unlocked zone in two by 2-means seeds; return the new zone's code."""
    blocks = start.blocks
    loads = {z: blocks.weight[zone_of == z].sum() for z in active if z not in start.frozen}
    if not loads:
        raise InfeasibleError(
            _("no unlocked zone to split for the new rep"), hint=_("unlock a zone")
        )
    heavy = max(loads, key=lambda z: (loads[z], -z))
    movable = np.flatnonzero((zone_of == heavy) & ~fixed)
    if len(movable) < 2:
        raise InputError(
            [
                Problem(
                    "reps.csv",
                    _("{k} reps but too few movable client locations", k=start.k),
                )
            ],
            hint=_("ask for fewer reps"),
        )
    centres = weighted_kmeans(blocks.xy[movable], blocks.weight[movable], 2, rng)
    seed_old = _nearest_free(blocks, movable, centres[0])
    rest = movable[movable != seed_old]
    seed_new = _nearest_free(blocks, rest, centres[1])
    new = len(names)
    names.append(_new_name(names))
    zone_of[movable] = -1
    zone_of[seed_old] = heavy
    zone_of[seed_new] = new
    old_seeds = np.flatnonzero(zone_of == heavy).tolist()
    grow_regions(
        zone_of,
        start.nb,
        blocks.xy,
        blocks.weight,
        {heavy: old_seeds, new: [seed_new]},
        {heavy: centres[0], new: centres[1]},
    )
    fill_unreached(zone_of, blocks.xy)
    return new


def _from_scratch(
    blocks: Blocks,
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
            _(
                "{locked} zones are locked or hold locked clients, more than the {k} reps asked",
                locked=len(keep),
                k=k,
            ),
            hint=_("unlock zones or clients, or ask for more reps"),
        )
    growing = [z for z in keep if z not in frozen]
    free = np.flatnonzero(zone_of == -1)
    n_regions = k - len(keep) + len(growing)
    rng = np.random.default_rng(opt.seed)
    centres = (
        weighted_kmeans(blocks.xy[free], blocks.weight[free], n_regions, rng)
        if n_regions
        else np.zeros((0, 2))
    )
    if growing:
        own = np.array([_centroid(blocks, np.flatnonzero(zone_of == z)) for z in growing])
        cost = ((own[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        _rows, cols = linear_sum_assignment(cost)
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
    grow_regions(zone_of, nb, blocks.xy, blocks.weight, seeds, anchors)
    fill_unreached(zone_of, blocks.xy)
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
