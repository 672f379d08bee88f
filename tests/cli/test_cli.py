"""The CLI end to end on a tiny world: exit codes, messages, files, plan invariants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import tiny_clients, write_world

from routeplan.cli.main import main
from routeplan.travel.haversine import HaversineProvider


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_is_a_manual() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "build" in result.output and "--data" in result.output
    build_help = run("build", "--help")
    assert "--week" in build_help.output and "dropped.csv" in build_help.output


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients["margin"] = clients["margin"].astype(object)
    clients.loc[4, "margin"] = "1.7"
    folder = write_world(tmp_path / "data", clients=clients)
    result = run("--data", str(folder), "build", "--week", "1", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1
    assert "clients.csv, row 6, column 'margin'" in lines[0]
    assert "Traceback" not in result.output


def test_week_outside_cycle(world: Path, tmp_path: Path) -> None:
    result = run("--data", str(world), "build", "--week", "9", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "week 9 is outside the cycle (weeks 1-4)" in result.output


def test_build_writes_a_valid_plan(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    result = run(
        "--data", str(world), "build", "--week", "2", "--out", str(out), "--maps", str(maps)
    )
    assert result.exit_code == 0, result.output
    folder = out / "week-02"
    routes = pd.read_csv(folder / "routes.csv")
    days = pd.read_csv(folder / "days.csv")
    dropped = pd.read_csv(folder / "dropped.csv")
    assert (maps / "week-02" / "index.html").exists()
    assert (maps / "week-02" / "R1.html").exists() and (maps / "week-02" / "R2.html").exists()
    assert len(routes) > 0
    # every route starts and ends at home: the first leg is the drive from home
    reps = pd.read_csv(world / "reps.csv").set_index("rep_id")
    first = routes[routes["seq"] == 1]
    home = reps.loc[first["rep_id"]]
    travel = HaversineProvider()
    expected_km = [
        travel.matrices(np.array([h, c]), np.array([hl, cl])).distance_m[0, 1] / 1000
        for h, hl, c, cl in zip(
            home["home_lat"], home["home_lon"], first["lat"], first["lon"], strict=True
        )
    ]
    assert np.allclose(first["km"], expected_km, atol=0.01)
    assert (days["home_lat"].to_numpy() == reps.loc[days["rep_id"], "home_lat"].to_numpy()).all()
    # no route exceeds the working day
    worked = days[days["visits"] > 0]
    assert (worked["start"] >= "08:00").all() and (worked["end"] <= "17:00").all()
    # each visit of a client is planned or reported, never both, never lost
    assert set(routes["client_id"]).isdisjoint(set(dropped["client_id"]) - set(routes["client_id"]))
    assert "Week 2: planned/due visits per tier" in result.output


def test_build_on_osm_roads(tmp_path: Path) -> None:
    from helpers.world import DEMO, REPO

    from routeplan.travel.osm.matrix import OsmProvider

    demo = pd.read_csv(DEMO / "clients.csv", dtype=str, keep_default_na=False)
    centre = demo[demo["source"] == "osm"].head(30).copy()
    centre["opens"], centre["closes"] = "", ""
    reps = pd.DataFrame(
        [{"rep_id": "R1", "name": "Aino", "home_lat": 60.1699, "home_lon": 24.9384, "zone": "Z1"}]
    )
    folder = tmp_path / "data"
    folder.mkdir()
    centre.to_csv(folder / "clients.csv", index=False)
    reps.to_csv(folder / "reps.csv", index=False)
    ring = [[24.93, 60.16], [24.96, 60.16], [24.96, 60.18], [24.93, 60.18], [24.93, 60.16]]
    zones = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"zone": "Z1"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    import json

    (folder / "zones.geojson").write_text(json.dumps(zones))
    osm = REPO / "data" / "osm" / "helsinki.osm.pbf"
    (folder / "routeplan.toml").write_text(
        f'[cycle]\nweeks = 4\n[travel]\nmode = "osm"\nosm_file = "{osm}"\n'
        "[solver]\nseconds_per_rep_week = 0.5\nworkers = 1\n"
    )
    out = tmp_path / "out"
    result = run(
        "--data",
        str(folder),
        "build",
        "--week",
        "1",
        "--out",
        str(out),
        "--maps",
        str(tmp_path / "m"),
    )
    assert result.exit_code == 0, result.output
    routes = pd.read_csv(out / "week-01" / "routes.csv")
    assert len(routes) > 0
    first = routes[routes["seq"] == 1].iloc[0]
    road = OsmProvider(osm).matrices(
        np.array([60.1699, first["lat"]]), np.array([24.9384, first["lon"]])
    )
    assert first["km"] == pytest.approx(road.distance_m[0, 1] / 1000, abs=0.01)
    assert (folder / ".cache" / "travel").is_dir()


def test_a_failing_rep_week_is_reported_and_the_others_kept(world: Path, monkeypatch) -> None:
    from routeplan.planning import week as planner
    from routeplan.planning.prepare import prepare

    real_solve = planner.solve

    def flaky(problem, **kwargs):
        if problem.rep_id == "R2":
            raise RuntimeError("solver crashed")
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(planner, "solve", flaky)
    result = planner.build_week(prepare(world), 2, workers=1)
    assert set(result.failures) == {"R2"}
    assert set(result.plan.routes["rep_id"]) == {"R1"}
    lost = result.plan.dropped[result.plan.dropped["rep_id"] == "R2"]
    assert len(lost) == (result.due["rep_id"] == "R2").sum()
    assert lost["reason"].str.contains("solver crashed").all()
    assert "rep R2, week 2: routing failed" in result.warnings[0]


def test_client_outside_every_zone_goes_to_the_nearest_and_is_listed(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients.loc[0, ["lat", "lon"]] = [60.30, 24.85]  # 5.5 km north of zone Z1
    folder = write_world(tmp_path / "data", clients=clients)
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 0
    assert "1 client outside every zone, given the nearest: C000 (" in result.output
    from routeplan.planning.prepare import prepare

    placed = prepare(folder).clients.set_index("client_id").loc["C000"]
    assert (placed["zone"], placed["zone_source"]) == ("Z1", "nearest")
    assert 5000 < placed["zone_distance_m"] < 6000
