"""The rebalance result: zone polygons, before/after table and checks of the invariants."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from routeplan.territory.regions import components
from routeplan.territory.shapes import (
    BlockGraph,
    LocalProjection,
    absorb_strays,
    dissolve,
    polsby_popper,
)
from routeplan.territory.workload import zone_table

if TYPE_CHECKING:
    from routeplan.territory.balance import BalanceOptions, Blocks


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


def rep_of_zones(
    used: list[str],
    zones: gpd.GeoDataFrame | None,
    reps: pd.DataFrame | None,
    clients: pd.DataFrame,
) -> dict[str, str]:
    """Rep of each zone in ``used``: from the zones, the reps, then the clients' ``rep_id``.

    Zones without a rep (new ones) get the reps of ``reps.csv`` that have no zone, in order,
    then ``new-rep-<n>``.
    """
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


def build_result(
    *,
    clients: pd.DataFrame,
    wl: pd.DataFrame,
    blocks: Blocks,
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
    """Dissolve the zones, tabulate before/after and check the invariants.

    Parameters
    ----------
    clients, wl
        The clients (indexed 0..n-1) and their workload.
    blocks, graph, zone_of
        The blocks, their Voronoi graph and the final zone code of every block.
    names, current
        Zone names by code and every client's zone code before (``-1`` for none).
    zones, reps
        Today's zone polygons and reps (for reps, homes and compactness before).
    proj, options, warnings, started, locked
        Projection, options, warnings so far, start time and the locked-client mask.

    Returns
    -------
    BalanceResult
        The result with checks filled in.

    """
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
    rep = rep_of_zones(used_names, zones, reps, clients)

    polys = absorb_strays(dissolve(cells, zone_of, used), blocks.xy)
    xy = proj.forward(clients["lon"], clients["lat"])
    checks: dict[str, bool] = {}
    contiguous = all(
        len(components(np.flatnonzero(zone_of == z).tolist(), nb, zone_of, z)) == 1 for z in used
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


def _pair(before: object, after: object, fmt: str) -> str:
    def one(value: object) -> str:
        return "–" if value is None or pd.isna(value) else format(value, fmt)

    return f"{one(before)} → {one(after)}"


def summary_for_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The before/after table as the CLI prints it: one ``before → after`` cell per figure.

    Parameters
    ----------
    summary
        :attr:`BalanceResult.summary`.

    Returns
    -------
    pandas.DataFrame
        zone, rep, clients, workload h/week, workload and revenue deviation from the mean (%),
        Polsby–Popper compactness, km to the rep's home, clients moved in and out.
    """
    rows = []
    for r in summary.to_dict("records"):
        rows.append(
            {
                "zone": r["zone"],
                "rep": r.get("rep_id", ""),
                "clients": _pair(r.get("clients_before"), r.get("clients_after"), ".0f"),
                "workload h": _pair(r.get("workload_h_before"), r.get("workload_h_after"), ".1f"),
                "workload ±%": _pair(
                    _pct(r.get("workload_dev_before")), _pct(r.get("workload_dev_after")), "+.1f"
                ),
                "revenue ±%": _pair(
                    _pct(r.get("revenue_dev_before")), _pct(r.get("revenue_dev_after")), "+.1f"
                ),
                "compactness": _pair(
                    r.get("polsby_popper_before"), r.get("polsby_popper_after"), ".2f"
                ),
                "home km": _pair(r.get("home_km_before"), r.get("home_km_after"), ".1f"),
                "in/out": f"{r.get('moved_in', 0):.0f}/{r.get('moved_out', 0):.0f}",
            }
        )
    return pd.DataFrame(rows)


def _pct(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else float(value) * 100
