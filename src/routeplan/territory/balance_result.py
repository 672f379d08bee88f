"""The rebalance result: zone polygons, before/after table and checks of the invariants."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from routeplan.territory.balance_model import BalanceInputs, BalanceOptions, Partition
from routeplan.territory.regions import components
from routeplan.territory.shapes import (
    absorb_strays,
    dissolve,
    polsby_popper,
)
from routeplan.territory.workload import zone_table


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


@dataclass(frozen=True)
class _Labels:
    """Every client's zone name before and after, and whether it moved."""

    before: pd.Series
    after: pd.Series
    moved: pd.Series


def build_result(
    inputs: BalanceInputs,
    part: Partition,
    options: BalanceOptions,
    warnings: list[str],
    started: float,
) -> BalanceResult:
    """Dissolve the zones, tabulate before/after and check the invariants.

    Parameters
    ----------
    inputs
        The clients, their workload and zones before, today's zones and reps.
    part
        The blocks, their Voronoi graph, the final zone code of every block and zone names.
    options, warnings, started
        Options, warnings so far (extended here) and start time.

    Returns
    -------
    BalanceResult
        The result with checks filled in.

    """
    labels = _labels(inputs, part)
    used = sorted(set(part.zone_of.tolist()))
    used_names = [part.names[z] for z in used]
    rep = rep_of_zones(used_names, inputs.zones, inputs.reps, inputs.clients)
    polys = absorb_strays(dissolve(part.graph.cells, part.zone_of, used), part.blocks.xy)

    checks = _shape_checks(part, used, used_names, polys, warnings)
    after = labels.after
    checks["every_client_once"] = bool(after.notna().all()) and len(after) == len(inputs.clients)
    checks["locks_respected"] = _locks_respected(labels, inputs.locked, options)
    t_before, t_after = _zone_tables(inputs, labels)
    spread_before = float(t_before["workload_dev"].abs().max()) if len(t_before) else 0.0
    spread_after = float(t_after["workload_dev"].abs().max())
    checks["balanced"] = spread_after <= options.tolerance + 1e-9
    if not checks["balanced"]:
        worst = t_after.loc[t_after["workload_dev"].abs().idxmax()]
        warnings.append(
            f"target ±{options.tolerance:.0%} not met: zone {worst['zone']} is at "
            f"{worst['workload_dev']:+.1%} (lower move weight, unlock zones or raise tolerance)"
        )

    pp_after = {z: polsby_popper(p) for z, p in zip(used_names, polys, strict=True)}
    new_zones = gpd.GeoDataFrame(
        {"zone": used_names, "rep_id": [rep[z] for z in used_names]},
        geometry=[inputs.proj.to_wgs84(p) for p in polys],
        crs="EPSG:4326",
    )
    new_zones = new_zones.merge(
        t_after[["zone", "clients", "workload_h", "revenue", "workload_dev"]], on="zone"
    )
    new_zones["polsby_popper"] = new_zones["zone"].map(pp_after)
    return BalanceResult(
        assignment=_assignment(inputs, labels, rep),
        zones=new_zones,
        summary=_summary(inputs, part, (t_before, t_after), rep, labels, pp_after),
        moved_clients=int(labels.moved.sum()),
        spread_before=spread_before,
        spread_after=spread_after,
        checks=checks,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def _labels(inputs: BalanceInputs, part: Partition) -> _Labels:
    names, index = part.names, inputs.clients.index
    before = pd.Series([names[c] if c >= 0 else None for c in inputs.current.tolist()], index=index)
    name_arr = np.array(names, dtype=object)
    after = pd.Series(name_arr[part.zone_of[part.blocks.site_of]], index=index)
    return _Labels(before, after, before.notna() & (before != after))


def _shape_checks(
    part: Partition,
    used: list[int],
    used_names: list[str],
    polys: list[BaseGeometry],
    warnings: list[str],
) -> dict[str, bool]:
    """Check that every zone is one piece and none encloses another (named in ``warnings``)."""
    zone_of, nb = part.zone_of, part.graph.neighbours
    contiguous = all(
        len(components(np.flatnonzero(zone_of == z).tolist(), nb, zone_of, z)) == 1 for z in used
    ) and all(p.geom_type == "Polygon" for p in polys)
    enclaves: list[str] = []
    for z, poly in zip(used_names, polys, strict=True):
        for ring in getattr(poly, "interiors", []):
            hole = shapely.Polygon(ring)
            inner = [o for o, q in zip(used_names, polys, strict=True) if o != z and hole.covers(q)]
            enclaves.extend(f"zone {o} is enclosed by zone {z}" for o in inner)
    warnings.extend(enclaves)
    return {"contiguous": contiguous, "no_enclaves": not enclaves}


def _locks_respected(labels: _Labels, locked: np.ndarray, options: BalanceOptions) -> bool:
    before, after = labels.before, labels.after
    locked_ok = bool((after[locked] == before[locked]).all())
    for z in options.locked_zones:
        locked_ok &= bool(((before == z) == (after == z)).all())
    return locked_ok


def _zone_tables(inputs: BalanceInputs, labels: _Labels) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-zone workload and revenue tables before and after."""
    wl = inputs.wl
    work = wl.assign(revenue=inputs.clients["revenue"].astype(float))
    tiers = [t for t in dict.fromkeys(wl["tier"]) if t]
    t_before = zone_table(
        work.assign(zone=labels.before).dropna(subset=["zone"]), tiers=sorted(tiers)
    )
    t_after = zone_table(work.assign(zone=labels.after), tiers=sorted(tiers))
    return t_before, t_after


def _homes(inputs: BalanceInputs, rep: dict[str, str]) -> dict[str, np.ndarray]:
    """Home of each zone's rep in local km, for zones whose rep has a home."""
    reps = inputs.reps
    if reps is None or not {"home_lat", "home_lon"} <= set(reps.columns):
        return {}
    home_xy = inputs.proj.forward(reps["home_lon"], reps["home_lat"])
    by_rep = dict(zip(reps["rep_id"].astype(str), home_xy, strict=True))
    return {z: by_rep[r] for z, r in rep.items() if r in by_rep}


def _compactness_before(inputs: BalanceInputs, part: Partition) -> dict[str, float]:
    """Polsby–Popper of today's zones: their polygons, else the blocks' current zones."""
    zones, proj = inputs.zones, inputs.proj
    if zones is not None and len(zones):
        return {
            str(z): polsby_popper(proj.to_local(g))
            for z, g in zip(zones["zone"], zones.geometry, strict=True)
        }
    current = part.blocks.current
    cur_used = sorted(set(current[current >= 0].tolist()))
    cur_polys = dissolve(part.graph.cells, current, cur_used)
    return {part.names[z]: polsby_popper(p) for z, p in zip(cur_used, cur_polys, strict=True)}


def _summary(
    inputs: BalanceInputs,
    part: Partition,
    tables: tuple[pd.DataFrame, pd.DataFrame],
    rep: dict[str, str],
    labels: _Labels,
    pp_after: dict[str, float],
) -> pd.DataFrame:
    """Before/after per zone: workload, revenue, compactness, km to home, clients moved."""
    t_before, t_after = tables
    before, after, moved = labels.before, labels.after, labels.moved
    homes = _homes(inputs, rep)
    wmin = inputs.wl["workload_min"].to_numpy(float)
    summary = t_before.merge(t_after, on="zone", how="outer", suffixes=("_before", "_after"))
    summary.insert(1, "rep_id", summary["zone"].map(rep))
    summary["polsby_popper_before"] = summary["zone"].map(_compactness_before(inputs, part))
    summary["polsby_popper_after"] = summary["zone"].map(pp_after)
    summary["home_km_before"] = summary["zone"].map(
        _mean_home_km(inputs.xy, wmin, before.dropna(), homes)
    )
    summary["home_km_after"] = summary["zone"].map(_mean_home_km(inputs.xy, wmin, after, homes))
    summary["moved_in"] = summary["zone"].map(after[moved].value_counts()).fillna(0).astype(int)
    summary["moved_out"] = summary["zone"].map(before[moved].value_counts()).fillna(0).astype(int)
    return summary


def _assignment(inputs: BalanceInputs, labels: _Labels, rep: dict[str, str]) -> pd.DataFrame:
    """One row per client: its zone and rep before and after, tier, workload and revenue."""
    clients, wl = inputs.clients, inputs.wl
    return pd.DataFrame(
        {
            "client_id": clients["client_id"].astype(str),
            "zone_before": labels.before,
            "zone": labels.after,
            "rep_id": labels.after.map(rep),
            "moved": labels.moved,
            "tier": wl["tier"],
            "workload_min": wl["workload_min"].to_numpy(float),
            "revenue": clients["revenue"].astype(float),
        }
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
