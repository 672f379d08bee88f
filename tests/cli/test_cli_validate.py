"""``routeplan validate``: every problem listed and written; --skip-invalid keeps the rest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from helpers.world import TOML, tiny_clients, write_world

from routeplan.cli.main import main


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


SIX_BAD_ROWS = {
    # pandas row -> (column, value, kind)
    1: ("revenue", "mucho", "not_a_number"),
    4: ("margin", "1.7", "out_of_range"),
    7: ("lat", "", "empty"),
    10: ("opens", "25:00", "not_a_time"),
    13: ("client_id", "C000", "duplicate_id"),
    16: ("zone", "Z9", "unknown_zone"),
}


def six_bad_rows(tmp_path: Path) -> Path:
    clients = tiny_clients().astype(object)
    for row, (column, value, _kind) in SIX_BAD_ROWS.items():
        clients.loc[row, column] = value
    return write_world(tmp_path / "data", clients=clients)


def test_validate_lists_all_six_and_writes_the_rejects_file(tmp_path: Path) -> None:
    folder = six_bad_rows(tmp_path)
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 1
    rejects = pd.read_csv(folder / "validation" / "rejects-clients.csv", dtype=str)
    assert list(rejects.columns[:6]) == ["file", "row", "column", "value", "problem", "hint"]
    expected = {(str(row + 2), column, kind) for row, (column, _v, kind) in SIX_BAD_ROWS.items()}
    assert set(zip(rejects["row"], rejects["column"], rejects["kind"], strict=True)) == expected
    assert set(rejects["file"]) == {"clients.csv"}
    assert rejects["problem"].str.len().min() > 5
    for row, (column, _value, kind) in SIX_BAD_ROWS.items():
        assert str(row + 2) in result.output and column in result.output
        assert f"{kind}: 1" in result.output
    assert "6 problems (first 6 shown)" in result.output


def test_skip_invalid_build_plans_every_other_row(tmp_path: Path) -> None:
    folder = six_bad_rows(tmp_path)
    result = run("--data", str(folder), "--skip-invalid", "validate")
    assert result.exit_code == 0  # row problems only: build can leave them out
    out = tmp_path / "out"
    maps = tmp_path / "maps"  # not the default ./maps: a test writes only under tmp_path
    result = run(
        "--data", str(folder), "--skip-invalid", "build", "--week", "1",
        "--out", str(out), "--maps", str(maps),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from routeplan.planning.prepare import prepare

    prepared = prepare(folder, skip_invalid=True)
    bad_ids = {tiny_clients().loc[row, "client_id"] for row in SIX_BAD_ROWS if row != 13}
    kept = set(prepared.clients["client_id"])
    assert len(prepared.clients) == 40 - 6
    assert not kept & bad_ids
    assert "6 invalid rows of clients left out" in result.output


def test_invalid_time_zone_is_caught_by_validate(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    (folder / "routeplan.toml").write_text(
        TOML.replace("[cycle]", '[cycle]\ntimezone = "America/Bogotá"')
    )
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 1
    assert "zone 'America/Bogotá'; did you mean" in result.output  # the table wraps the rest
    assert "America/Bogota'?" in result.output
    rejects = pd.read_csv(folder / "validation" / "rejects-routeplan.csv", dtype=str)
    assert list(rejects["kind"]) == ["settings"]
    assert "unknown time zone 'America/Bogotá'" in rejects.to_csv()


def test_skip_invalid_still_stops_on_a_file_wide_problem(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data", clients=tiny_clients().drop(columns=["revenue"]))
    result = run("--data", str(folder), "--skip-invalid", "validate")
    assert result.exit_code == 1
    assert "required column is missing" in result.output
    out = tmp_path / "out"
    maps = tmp_path / "maps"  # not the default ./maps: a test writes only under tmp_path
    result = run(
        "--data", str(folder), "--skip-invalid", "build", "--week", "1",
        "--out", str(out), "--maps", str(maps),
    )  # fmt: skip
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: " + errors[0].removeprefix("Error: ")]
    assert "column 'revenue': required column is missing" in errors[0]
    assert "more problem" not in errors[0]


def test_spanish_validate_messages(tmp_path: Path) -> None:
    clients = tiny_clients().astype(object)
    clients.loc[0, "revenue"] = "mucho"
    folder = write_world(tmp_path / "data", clients=clients)
    toml = folder / "routeplan.toml"
    toml.write_text(toml.read_text() + '\n[ui]\nlanguage = "es-CO"\n')
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 1
    assert "1 problema" in result.output
    rejects = pd.read_csv(folder / "validation" / "rejects-clients.csv", dtype=str)
    assert rejects["problem"].iloc[0] == "'mucho' no es un número (leído con punto decimal)"
    assert rejects["kind"].iloc[0] == "not_a_number"  # machine codes stay English


def test_validate_prints_setup_warnings_and_lists_them(tmp_path: Path) -> None:
    clients = tiny_clients().astype(object)
    clients.loc[3, ["opens", "closes"]] = ["18:00", "23:00"]
    folder = write_world(tmp_path / "data", clients=clients)
    result = run("--data", str(folder), "validate")
    assert result.exit_code == 0
    assert "Setup: 1 client can never be visited" in result.output
    assert "fix: check opens/closes" in result.output
    table = pd.read_csv(folder / "validation" / "setup-warnings.csv", dtype=str)
    assert list(table["check"]) == ["hours_never_overlap"]
    assert list(table["subject"]) == ["C003"]
