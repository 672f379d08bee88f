"""The calendar and log commands through click, on a copy of the demo data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.world import DEMO

from routeplan.cli.main import main
from routeplan.planning.store import PlanStore

cli = main  # the real command group, with calendar and log wired in


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("plan.sqlite*", ".cache"))
    return target


def test_calendar_builds_once_then_is_unchanged_and_pins(data) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["--data", str(data), "calendar"])
    assert first.exit_code == 0, first.output
    assert "Calendar built (all)" in first.output and "spread" in first.output
    assert (data / "plan.sqlite").exists()
    again = runner.invoke(cli, ["--data", str(data), "calendar", "--client", "C0001"])
    assert again.exit_code == 0 and "Calendar unchanged" in again.output
    assert "C0001" in again.output
    pinned = runner.invoke(cli, ["--data", str(data), "calendar", "--pin", "C0002", "--day", "Tue"])
    assert pinned.exit_code == 0, pinned.output
    with PlanStore(data / "plan.sqlite") as store:
        cal = store.load_calendar()
    assert set(cal.loc[cal["client_id"] == "C0002", "days"]) == {"Tue"}
    bad = runner.invoke(cli, ["--data", str(data), "calendar", "--pin", "NOPE", "--week", "2"])
    assert bad.exit_code == 2 and "unknown client 'NOPE'" in bad.output


def test_log_import_records_and_reports_unknown_clients(data, tmp_path) -> None:
    runner = CliRunner()
    good = tmp_path / "visits.csv"
    good.write_text("client_id,date,status\nC0001,2027-01-05,done\nC0003,2027-01-05,missed\n")
    result = runner.invoke(cli, ["--data", str(data), "log", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Recorded 2 new visits" in result.output
    with PlanStore(data / "plan.sqlite") as store:
        assert store.backlog(2)["client_id"].tolist() == ["C0003"]
    bad = tmp_path / "bad.csv"
    bad.write_text("client_id,date,status\nX999,2027-01-05,done\n")
    result = runner.invoke(cli, ["--data", str(data), "log", "import", str(bad)])
    assert result.exit_code == 1
    assert "row 2, column 'client_id': unknown client 'X999'" in result.output


def test_foreign_store_is_a_clear_error(data) -> None:
    (data / "plan.sqlite").write_text("not a database")
    result = CliRunner().invoke(cli, ["--data", str(data), "calendar"])
    assert result.exit_code == 1
    assert "not a SQLite file" in result.output
