"""The CLI end to end on a tiny world: exit codes, messages, files, plan invariants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from conftest import tiny_clients, write_world
from routeplan.cli import main
from routeplan.travel import HaversineProvider


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
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1
    assert "clients.csv, row 6, column 'margin'" in lines[0]
    assert "Traceback" not in result.output


def test_week_outside_cycle(world: Path, tmp_path: Path) -> None:
    result = run("--data", str(world), "build", "--week", "9", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "week 9 is outside the cycle of 4 weeks" in result.output


def test_build_writes_a_valid_plan(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    result = run(
        "--data", str(world), "build", "--week", "2", "--out", str(out), "--maps", str(maps)
    )
    assert result.exit_code == 0, result.output
    folder = out / "week-2"
    routes = pd.read_csv(folder / "routes.csv")
    days = pd.read_csv(folder / "days.csv")
    dropped = pd.read_csv(folder / "dropped.csv")
    assert (maps / "week-2" / "index.html").exists()
    assert (maps / "week-2" / "R1.html").exists() and (maps / "week-2" / "R2.html").exists()
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
