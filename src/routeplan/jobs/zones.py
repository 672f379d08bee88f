"""The ``zones balance`` job: rebalance territories and write zones, tables and a map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.io.writers import ensure_dir, write_csv
from routeplan.jobs.week_maps import road_graph, streets_around
from routeplan.maps.rep_map import save_map, zones_compare_map
from routeplan.planning.capacity_check import with_travel_factors
from routeplan.planning.prepare import DataSource, prepare_source
from routeplan.planning.store import PlanStore
from routeplan.territory.balance import BalanceOptions, BalanceResult, balance_zones


def write_outputs(
    result: BalanceResult,
    before: gpd.GeoDataFrame,
    clients: pd.DataFrame,
    out_dir: Path,
    *,
    fmt: str = "geojson",
    offline: bool = False,
    streets: list | None = None,
) -> list[Path]:
    """Write new zones, assignment, before/after table and map; return the paths written.

    ``offline`` inlines the map's JavaScript and CSS (no CDN) and shows ``streets`` (lines of
    the configured OSM extract) as its base layer.
    """
    ensure_dir(out_dir)
    zones_path = out_dir / f"zones.{'gpkg' if fmt == 'gpkg' else 'geojson'}"
    result.zones.to_file(zones_path, driver="GPKG" if fmt == "gpkg" else "GeoJSON")
    assignment_path = write_csv(result.assignment, out_dir / "assignment.csv")
    summary_path = write_csv(result.summary, out_dir / "summary.csv")
    map_path = out_dir / "before_after.html"
    m = zones_compare_map(before, result.zones, clients=clients, streets=streets)
    save_map(m, map_path, offline=offline)
    return [zones_path, assignment_path, summary_path, map_path]


def run_balance(
    source: DataSource,
    options: BalanceOptions,
    *,
    out_dir: Path,
    fmt: str = "geojson",
    offline: bool = False,
) -> tuple[BalanceResult, list[Path]]:
    """Rebalance the zones of ``source`` and write the results to ``out_dir``.

    Clients are tiered as the last build tiered them (the plan store's tiering), so the
    workload balanced is the one the calendar and the build plan; the drive estimate of each
    client is calibrated by the routed weeks of its rep's territory in the store.

    Parameters
    ----------
    source
        Inputs, settings file and plan store.
    options
        Target reps, locks, weights.
    out_dir
        Output folder.
    fmt
        ``geojson`` or ``gpkg`` for the new zones.
    offline
        Write a map that needs no internet (see :func:`write_outputs`).

    Returns
    -------
    tuple
        The balance result and the files written.

    """
    prepared = prepare_source(source)
    clients = prepared.clients
    if source.store_file.exists():
        with PlanStore(source.store_file) as store:
            clients = with_travel_factors(clients, store)
    result = balance_zones(
        clients,
        prepared.settings,
        zones=prepared.zones,
        reps=prepared.reps,
        options=options,
    )
    streets = None
    if offline:
        points = list(zip(prepared.clients["lat"], prepared.clients["lon"], strict=True))
        streets = streets_around(road_graph(prepared), points)
    paths = write_outputs(
        result, prepared.zones, prepared.clients, out_dir, fmt=fmt, offline=offline, streets=streets
    )
    return result, paths
