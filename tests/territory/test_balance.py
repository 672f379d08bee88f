from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from helpers.zones_city import synthetic_city
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.cli.main import main
from routeplan.config import Settings
from routeplan.errors import InfeasibleError, InputError
from routeplan.planning.prepare import prepare
from routeplan.territory.balance import BalanceOptions, balance_zones
from routeplan.territory.workload import client_workload, fallback_tiers

SETTINGS = Settings()


@pytest.fixture(scope="module")
def city():
    return synthetic_city(1200, 8, seed=3)


@pytest.fixture(scope="module")
def balanced(city):
    clients, reps, zones = city
    return balance_zones(clients, SETTINGS, zones=zones, reps=reps)


def _assert_valid(result, clients, k):
    # every client exactly once, in a zone whose polygon holds it
    a = result.assignment
    assert len(a) == len(clients)
    assert a["client_id"].is_unique
    assert a["zone"].notna().all()
    assert a["zone"].nunique() == k
    points = shapely.points(clients["lon"], clients["lat"])
    geoms = result.zones.set_index("zone").geometry
    hits = np.array([shapely.covers(g, points) for g in geoms])
    assert (hits.sum(axis=0) == 1).all()
    own = geoms.index.get_indexer(a["zone"])
    assert hits[own, np.arange(len(points))].all()
    # contiguous: one polygon per zone, no overlaps
    assert (result.zones.geom_type == "Polygon").all()
    assert result.checks["contiguous"]
    loads = a.groupby("zone")["workload_min"].sum()
    assert (loads / loads.mean() - 1).abs().max() <= 0.05 + 1e-9
    assert result.checks["balanced"]


def test_synthetic_city_becomes_balanced_and_contiguous(city, balanced):
    clients, _, _ = city
    assert balanced.spread_before > 0.5  # the Voronoi-of-homes start is far off
    assert balanced.spread_after <= 0.05
    _assert_valid(balanced, clients, 8)
    s = balanced.summary
    assert s["moved_in"].sum() == s["moved_out"].sum() == balanced.moved_clients
    assert {"workload_h_before", "workload_h_after", "polsby_popper_after"} <= set(s.columns)
    assert (s["polsby_popper_after"] > 0.15).all()


def test_already_balanced_moves_nothing(city, balanced):
    clients, reps, _ = city
    again = clients.assign(zone=balanced.assignment["zone"].to_numpy())
    result = balance_zones(again, SETTINGS, zones=balanced.zones, reps=reps)
    assert result.moved_clients == 0
    assert (result.assignment["zone"] == result.assignment["zone_before"]).all()


def test_locked_clients_and_zones_are_kept(city):
    clients, reps, zones = city
    rng = np.random.default_rng(0)
    locked = np.zeros(len(clients), dtype=bool)
    locked[rng.choice(len(clients), 40, replace=False)] = True
    # lock the zone that is already closest to the mean so the target stays feasible
    base = balance_zones(clients, SETTINGS, zones=zones, reps=reps)
    again = clients.assign(zone=base.assignment["zone"].to_numpy(), locked=locked)
    # unbalance: clear the zone of one zone's unlocked clients, then lock another zone
    dev = base.summary.set_index("zone")["workload_dev_after"].abs().sort_values()
    keep = dev.index[0]
    result = balance_zones(
        again.assign(zone=again["zone"].where((again["zone"] != dev.index[-1]) | locked, None)),
        SETTINGS,
        zones=None,
        reps=reps,
        options=BalanceOptions(locked_zones=(keep,), n_reps=8),
    )
    a = result.assignment
    assert result.checks["locks_respected"]
    assert (a.loc[locked, "zone"] == again.loc[locked, "zone"]).all()
    assert set(a.index[a["zone"] == keep]) == set(again.index[again["zone"] == keep])


@pytest.mark.parametrize("k", [7, 9])
def test_remove_or_add_a_rep(city, k):
    clients, reps, zones = city
    result = balance_zones(
        clients, SETTINGS, zones=zones, reps=reps, options=BalanceOptions(n_reps=k)
    )
    _assert_valid(result, clients, k)
    assert result.zones["rep_id"].is_unique


def test_from_scratch_is_balanced_and_deterministic(city):
    clients, reps, zones = city
    opts = BalanceOptions(from_scratch=True, seed=5)
    first = balance_zones(clients, SETTINGS, zones=zones, reps=reps, options=opts)
    second = balance_zones(clients, SETTINGS, zones=zones, reps=reps, options=opts)
    _assert_valid(first, clients, 8)
    assert first.assignment["zone"].equals(second.assignment["zone"])
    # new regions keep the names of the old zones they overlap most
    assert set(first.zones["zone"]) == set(zones["zone"])


def test_more_reps_than_locations_is_an_input_error():
    clients, _, zones = synthetic_city(12, 3, seed=1)
    with pytest.raises(InputError, match="13 reps but only 12"):
        balance_zones(clients, SETTINGS, zones=zones, options=BalanceOptions(n_reps=13))


def test_locked_heavy_zone_makes_balance_impossible(city):
    clients, _, zones = city
    loads = client_workload(clients, SETTINGS)["workload_min"].groupby(clients["zone"]).sum()
    heavy = str(loads.idxmax())
    with pytest.raises(InfeasibleError, match=f"zone {heavy} is locked"):
        balance_zones(clients, SETTINGS, zones=zones, options=BalanceOptions(locked_zones=(heavy,)))


def test_locked_clients_above_the_band_are_explained(city):
    clients, _, _ = city
    everything = clients.assign(zone="Z001", locked=True)
    everything.loc[0, "locked"] = False
    everything.loc[0, "zone"] = "Z002"
    with pytest.raises(InfeasibleError, match="clients locked to zone Z001 alone carry"):
        balance_zones(everything, SETTINGS, zones=None)


def test_overlaps_gaps_and_outside_clients_are_reported(city):
    clients, reps, zones = city
    bad = zones.copy()
    geoms = list(bad.geometry)
    geoms[0] = geoms[0].buffer(0.01)  # overlaps its neighbours
    geoms[1] = geoms[1].buffer(-0.01)  # leaves a gap (and clients outside)
    bad = bad.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326"))
    result = balance_zones(clients, SETTINGS, zones=bad, reps=reps)
    text = " | ".join(result.warnings)
    assert "overlap" in text and "Z001" in text
    assert "gap" in text
    assert "outside every zone" in text
    assert result.checks["every_client_once"]


def test_workload_model_dense_is_cheaper_to_reach():
    rng = np.random.default_rng(0)
    dense = rng.normal(0, 0.002, size=(50, 2))
    sparse = rng.normal(0, 0.2, size=(50, 2)) + 1.0
    pts = np.vstack([dense, sparse])
    clients = pd.DataFrame(
        {"lat": 60 + pts[:, 0], "lon": 25 + pts[:, 1], "revenue": 1.0, "tier": "B"}
    )
    wl = client_workload(clients, SETTINGS)
    assert wl["travel_min_per_visit"][:50].mean() < wl["travel_min_per_visit"][50:].mean() / 5
    b = SETTINGS.cadence["B"]
    expected = (b.service_min + wl["travel_min_per_visit"]) / b.every_weeks
    assert np.allclose(wl["workload_min"], expected)


def test_fallback_tiers_follow_revenue_shares():
    revenue = pd.Series(np.arange(1000, 0, -1), dtype=float)
    tiers = fallback_tiers(revenue, SETTINGS)
    assert tiers.value_counts().to_dict() == {"AAA": 10, "AA": 30, "A": 150, "B": 810}
    assert tiers.iloc[0] == "AAA" and tiers.iloc[-1] == "B"


def _demo_dir() -> Path | None:
    d = Path(__file__).parents[2] / "data" / "demo"
    return d if (d / "clients.csv").exists() else None


@pytest.mark.skipif(_demo_dir() is None, reason="demo data not present")
@pytest.mark.parametrize("opts", [BalanceOptions(n_reps=7), BalanceOptions(from_scratch=True)])
def test_demo_data_balanced(opts):
    from routeplan.config import load_settings

    d = _demo_dir()
    clients = pd.read_csv(d / "clients.csv", dtype={"client_id": str, "zone": str, "tier": str})
    reps = pd.read_csv(d / "reps.csv", dtype={"rep_id": str, "zone": str})
    zones = gpd.read_file(d / "zones.geojson")
    result = balance_zones(
        clients, load_settings(d / "routeplan.toml"), zones=zones, reps=reps, options=opts
    )
    _assert_valid(result, clients, opts.n_reps or len(zones))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(120, 300),
    k=st.integers(2, 5),
    n_locked=st.integers(0, 10),
)
def test_invariants_hold_on_random_cities(seed, n, k, n_locked):
    clients, reps, zones = synthetic_city(n, k, seed=seed)
    rng = np.random.default_rng(seed)
    locked = np.zeros(n, dtype=bool)
    locked[rng.choice(n, n_locked, replace=False)] = True
    try:
        result = balance_zones(clients.assign(locked=locked), SETTINGS, zones=zones, reps=reps)
    except InfeasibleError as exc:  # a random lock set may make balance impossible: explained
        assert "locked" in str(exc)
        return
    a = result.assignment
    assert len(a) == n and a["zone"].notna().all()
    assert result.checks["contiguous"] and result.checks["every_client_once"]
    assert (a.loc[locked, "zone"] == a.loc[locked, "zone_before"]).all()
    assert (result.zones.geom_type == "Polygon").all()


def _write_data(folder, clients, reps, zones):
    """A data folder in the input contract (name and margin added to the city's clients)."""
    folder.mkdir()
    clients.assign(name=clients["client_id"], margin=0.3).to_csv(
        folder / "clients.csv", index=False
    )
    reps.assign(name=reps["rep_id"]).to_csv(folder / "reps.csv", index=False)
    zones.to_file(folder / "zones.geojson", driver="GeoJSON")
    (folder / "routeplan.toml").write_text("# every setting at its default\n")
    return folder


def test_cli_writes_zones_tables_and_map(tmp_path, city):
    data = _write_data(tmp_path / "data", *city)
    out = tmp_path / "out"
    args = ["--data", str(data), "zones", "balance", "--reps", "9", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "checks: all passed" in result.output
    written = gpd.read_file(out / "zones.geojson")
    assert len(written) == 9 and (written.geom_type == "Polygon").all()
    summary = pd.read_csv(out / "summary.csv")
    assert summary["workload_dev_after"].abs().max() <= 0.05
    html = (out / "before_after.html").read_text()
    assert "Before (8 zones)" in html and "After (9 zones)" in html


def test_cli_reports_an_impossible_lock_in_one_line(tmp_path, city):
    clients, reps, zones = city
    data = _write_data(tmp_path / "data", clients, reps, zones)
    (data / "routeplan.toml").write_text("[tiers.potential]\nenabled = false\n")
    tiered = prepare(data).clients
    loads = client_workload(tiered, SETTINGS)["workload_min"].groupby(tiered["zone"]).sum()
    heavy = str(loads.idxmax())
    args = [
        "--data",
        str(data),
        "zones",
        "balance",
        "--lock-zone",
        heavy,
        "--out",
        str(tmp_path / "o"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"zone {heavy} is locked" in errors[0]


def test_no_zones_today_designs_from_scratch_or_asks_for_reps(city):
    clients, _, _ = city
    fresh = clients.drop(columns="zone")
    with pytest.raises(InputError, match="no client has a zone"):
        balance_zones(fresh, SETTINGS)
    result = balance_zones(fresh, SETTINGS, options=BalanceOptions(n_reps=4))
    _assert_valid(result, clients, 4)
    assert result.moved_clients == 0
    one = balance_zones(fresh, SETTINGS, options=BalanceOptions(n_reps=1))
    assert one.assignment["zone"].nunique() == 1 and one.checks["contiguous"]


def test_removing_a_named_zone_dissolves_it(city):
    clients, reps, zones = city
    result = balance_zones(
        clients, SETTINGS, zones=zones, reps=reps, options=BalanceOptions(remove_zones=("Z003",))
    )
    _assert_valid(result, clients, 7)
    assert "Z003" not in set(result.zones["zone"])
    assert (result.assignment.loc[clients["zone"] == "Z003", "moved"]).all()
    with pytest.raises(InputError, match="2 zone\\(s\\) to remove but 7 reps"):
        balance_zones(
            clients,
            SETTINGS,
            zones=zones,
            options=BalanceOptions(n_reps=7, remove_zones=("Z003", "Z004")),
        )


def test_home_weight_pulls_zones_towards_homes(city, balanced):
    clients, reps, zones = city
    near = balance_zones(
        clients, SETTINGS, zones=zones, reps=reps, options=BalanceOptions(home_weight=1.0)
    )
    _assert_valid(near, clients, 8)
    weighted = near.summary["home_km_after"] @ near.summary["workload_h_after"]
    baseline = balanced.summary["home_km_after"] @ balanced.summary["workload_h_after"]
    assert weighted < baseline
    with pytest.raises(ValueError, match="home_weight"):
        BalanceOptions(home_weight=1.5)


def test_locked_column_read_from_text(city, balanced):
    clients, reps, _ = city
    again = clients.assign(zone=balanced.assignment["zone"].to_numpy())
    flags = np.where(np.arange(len(clients)) % 50 == 0, "yes", "false").astype(object)
    flags[1] = None
    result = balance_zones(again.assign(locked=flags), SETTINGS, zones=balanced.zones, reps=reps)
    assert result.moved_clients == 0  # already balanced; "false" must not lock
    moved = balance_zones(
        again.assign(locked=flags),
        SETTINGS,
        zones=balanced.zones,
        reps=reps,
        options=BalanceOptions(n_reps=9),
    )
    kept = flags == "yes"
    assert (moved.assignment.loc[kept, "zone"] == again.loc[kept, "zone"]).all()
    assert moved.assignment.loc[~kept, "moved"].any()
    # every zone holds a locked client, so none can be dissolved for 7 reps
    with pytest.raises(InfeasibleError, match="7 reps asked but 8 zones are locked or hold"):
        balance_zones(
            again.assign(locked=flags),
            SETTINGS,
            zones=balanced.zones,
            options=BalanceOptions(n_reps=7),
        )


def test_cli_unwritable_out_is_one_line(tmp_path, city):
    data = _write_data(tmp_path / "data", *city)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the output folder should be")
    out = blocked / "zones"  # below a file: the folder cannot be created
    args = ["--data", str(data), "zones", "balance", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"cannot create output folder {out}" in errors[0]
    assert "Traceback" not in result.output
