"""The ``routeplan tier`` job: tier the clients, compare with the last run, write the results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.io.tables import read_table
from routeplan.io.writers import ensure_dir, write_csv
from routeplan.planning.prepare import Prepared, prepare
from routeplan.tiers.rules import tier_diff
from routeplan.tiers.summary import tier_summary, visit_capacity_check

TIERED_COLUMNS: tuple[str, ...] = (
    "client_id",
    "name",
    "lat",
    "lon",
    "zone",
    "rep_id",
    "revenue",
    "margin",
    "orders_per_year",
    "potential",
    "tier",
    "tier_reason",
    "tier_source",
    "rule_tier",
    "score",
    "development",
    "service_min",
)
"""Columns of ``tiers.csv``: the tier, why, and the figures it was decided on."""


@dataclass
class TierOutcome:
    """What ``routeplan tier`` produced."""

    prepared: Prepared
    summary: pd.DataFrame
    diff: pd.DataFrame | None
    capacity_warning: str | None
    written: list[Path]


def previous_tiering(path: Path | None) -> pd.DataFrame | None:
    """Read an earlier ``tiers.csv`` (for hysteresis and the diff), or None."""
    if path is None or not path.exists():
        return None
    table = read_table(path)
    keep = [c for c in ("client_id", "tier", "rule_tier", "tier_source") if c in table.columns]
    return table[keep].reset_index(drop=True)


def run_tier(
    data_dir: Path,
    *,
    out_dir: Path,
    config_path: Path | None = None,
    skip_invalid: bool = False,
    previous_path: Path | None = None,
) -> TierOutcome:
    """Tier the clients and write ``tiers.csv``, ``tiers.geojson`` and ``tiers-diff.csv``.

    Parameters
    ----------
    data_dir
        Input folder.
    out_dir
        Output folder (``OUT/tiers/``); an earlier ``tiers.csv`` there is the default
        previous tiering.
    config_path
        Settings file, default ``data_dir/routeplan.toml``.
    skip_invalid
        Leave invalid rows out instead of failing.
    previous_path
        An earlier ``tiers.csv`` to compare with (and to apply hysteresis against).

    Returns
    -------
    TierOutcome
        Summary per tier, the diff against the previous tiering, a capacity warning and the
        files written.
    """
    folder = ensure_dir(out_dir / "tiers")
    previous = previous_tiering(previous_path or folder / "tiers.csv")
    prepared = prepare(
        data_dir, config_path=config_path, skip_invalid=skip_invalid, previous_tiers=previous
    )
    clients = prepared.clients
    summary = tier_summary(clients, prepared.settings)
    diff = (
        tier_diff(previous, clients, order=prepared.settings.tier_names)
        if previous is not None
        else None
    )
    table = clients[[c for c in TIERED_COLUMNS if c in clients.columns]]
    written = [write_csv(table, folder / "tiers.csv"), write_csv(summary, folder / "summary.csv")]
    points = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    )
    geojson = folder / "tiers.geojson"
    points.to_file(geojson, driver="GeoJSON")
    written.append(geojson)
    if diff is not None:
        written.append(write_csv(diff, folder / "tiers-diff.csv"))
    warning = visit_capacity_check(summary, len(prepared.reps), prepared.settings)
    return TierOutcome(prepared, summary, diff, warning, written)
