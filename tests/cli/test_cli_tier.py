"""`routeplan tier`: files, table, diff against the last run, capacity warning."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from click.testing import CliRunner
from helpers.world import tiny_clients, write_world

from routeplan.cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_tier_writes_csv_and_geojson_with_reasons(world: Path, tmp_path: Path) -> None:
    result = run("--data", str(world), "tier", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    tiers = pd.read_csv(tmp_path / "tiers" / "tiers.csv")
    assert len(tiers) == 40 and tiers["tier_reason"].notna().all()
    assert set(tiers["tier"]) <= {"AAA", "AA", "A", "B"}
    points = gpd.read_file(tmp_path / "tiers" / "tiers.geojson")
    assert len(points) == 40 and points.crs.to_epsg() == 4326
    assert "% revenue" in result.output and "visits/cycle" in result.output


def test_second_run_reports_the_diff(world: Path, tmp_path: Path) -> None:
    run("--data", str(world), "tier", "--out", str(tmp_path))
    clients = tiny_clients()
    clients.loc[39, "revenue"] = 10_000_000.0  # the smallest account becomes the biggest
    write_world(world, clients=clients)
    result = run("--data", str(world), "tier", "--out", str(tmp_path))
    diff = pd.read_csv(tmp_path / "tiers" / "tiers-diff.csv")
    assert "C039" in set(diff.loc[diff["change"] == "promoted", "client_id"])
    assert "promoted" in result.output


def test_capacity_warning(world: Path, tmp_path: Path) -> None:
    config = world / "routeplan.toml"
    config.write_text(config.read_text() + "\n[workday]\nmax_visits_per_day = 1\n")
    result = run("--data", str(world), "tier", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert "Warning: tiers need" in result.output and "can make at most 10" in result.output


def test_tiering_lives_in_the_plan_store(world: Path, tmp_path: Path) -> None:
    """`tier` saves its tiering in the store; no tiers.csv is read back as 'previous'."""
    from routeplan.planning.store import PlanStore

    assert run("--data", str(world), "tier", "--out", str(tmp_path)).exit_code == 0
    written = pd.read_csv(tmp_path / "tiers" / "tiers.csv")
    with PlanStore(world / "plan.sqlite") as store:
        stored = store.load_tiers()
    assert stored is not None
    assert dict(zip(stored["client_id"], stored["tier"], strict=True)) == dict(
        zip(written["client_id"], written["tier"], strict=True)
    )
    (tmp_path / "tiers" / "tiers.csv").write_text("client_id,tier\nC001,AAA\n")
    again = run("--data", str(world), "tier", "--out", str(tmp_path))
    assert again.exit_code == 0 and "no changes" in again.output
