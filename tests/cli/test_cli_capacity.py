"""``routeplan capacity`` end to end on the bundled demo: files, side-by-side table, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from helpers.world import DEMO

from routeplan.cli.main import main


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["--data", str(DEMO), *args], catch_exceptions=False)


def test_capacity_writes_accounts_scenarios_and_page(tmp_path: Path) -> None:
    result = run(
        "--store",
        str(tmp_path / "none.sqlite"),
        "capacity",
        "--reps",
        "+1",
        "--cadence",
        "B=every_weeks:8",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output and "reps=+1 B=every_weeks:8" in result.output
    folder = tmp_path / "capacity"
    accounts = pd.read_csv(folder / "accounts.csv")
    for column in ("cost_to_serve", "margin_after_service", "recommendation"):
        assert column in accounts
    assert accounts["recommendation_reason"].notna().all()
    assert len(accounts) == 1500
    scenarios = pd.read_csv(folder / "scenarios.csv")
    assert scenarios["reps"].tolist() == [6, 7]
    # B every 8 instead of 12 weeks: more B visits, more cost
    assert scenarios["cost_to_serve"].iloc[1] > scenarios["cost_to_serve"].iloc[0]
    page = (folder / "capacity.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js">' in page and (folder / "plotly.min.js").exists()
    assert len(page) < 1_000_000
    assert not (tmp_path / "none.sqlite").exists()


def test_unknown_tier_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run("capacity", "--cadence", "Z=every_weeks:8", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "unknown tier 'Z'" in result.output
    assert "Traceback" not in result.output


def test_negative_reps_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run("capacity", "--reps", "-9", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "leaves -3 reps" in result.output
    assert "Traceback" not in result.output


def test_saved_scenario_and_spanish_labels(tmp_path: Path) -> None:
    config = tmp_path / "routeplan.toml"
    config.write_text(
        (DEMO / "routeplan.toml").read_text(encoding="utf-8") + '\n[ui]\nlanguage = "es"\n',
        encoding="utf-8",
    )
    scenario = tmp_path / "more.toml"
    scenario.write_text('name = "dos asesores más"\nreps = "+2"\n', encoding="utf-8")
    result = run(
        "--config",
        str(config),
        "--store",
        str(tmp_path / "none.sqlite"),
        "capacity",
        "--scenario",
        str(scenario),
        "--day-end",
        "18:00",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "dos asesores más" in result.output
    assert "costo de servicio al año" in result.output
    scenarios = pd.read_csv(tmp_path / "capacity" / "scenarios.csv")
    assert scenarios["changes"].iloc[1] == "reps=+2 day_end=18:00"
    accounts = pd.read_csv(tmp_path / "capacity" / "accounts.csv")
    assert accounts["recommendation_reason"].str.contains("margen").all()
