"""The ``routeplan tier`` job: tier the clients, compare with the last run, write the results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.io.writers import ensure_dir, write_csv
from routeplan.planning.prepare import DataSource, Prepared, prepare
from routeplan.planning.store import PlanStore
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
    "tier_reason_code",
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


def run_tier(source: DataSource, *, out_dir: Path) -> TierOutcome:
    """Tier the clients and write ``tiers.csv``, ``tiers.geojson`` and ``tiers-diff.csv``.

    The previous tiering (for hysteresis and the diff) is the one in the plan store; the new
    one is saved there, so the next build starts from it.

    Parameters
    ----------
    source
        Inputs, settings file and plan store.
    out_dir
        Output root; files go to ``OUT/tiers/``.

    Returns
    -------
    TierOutcome
        Summary per tier, the diff against the previous tiering, a capacity warning and the
        files written.
    """
    folder = ensure_dir(out_dir / "tiers")
    with PlanStore(source.store_file) as store:
        previous = store.load_tiers()
        prepared = prepare(
            source.data_dir,
            config_path=source.config_path,
            skip_invalid=source.skip_invalid,
            previous_tiers=previous,
        )
        store.save_tiers(prepared.clients)
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
