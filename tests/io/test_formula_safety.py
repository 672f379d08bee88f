"""Exports never turn CRM text into spreadsheet formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.exports_fixtures import settings_for, small_reps, small_week_plan
from helpers.world import tiny_clients, tiny_reps, write_world
from hypothesis import given
from hypothesis import strategies as st

from routeplan.cli.main import main
from routeplan.io.exports import routes_from_csv, write_week_outputs
from routeplan.io.tables import read_table
from routeplan.io.writers import FORMULA_TRIGGERS, formula_safe, formula_unsafe
from routeplan.model.plan import WeekPlan

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil","rep")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+2",
    "\r=1+2",
    "'=already quoted",
]


def _dangerous(text: str) -> bool:
    """A text a spreadsheet would run as a formula (a negative number is just a number)."""
    try:
        float(text)
    except ValueError:
        return text[:1] in FORMULA_TRIGGERS
    return False


@pytest.mark.parametrize("text", ["\r", "\t", "\r1", "\t1", "\r\n"])
def test_a_lone_tab_or_cr_is_neutralised_not_taken_for_a_number(text: str) -> None:
    assert formula_safe(text) == "'" + text  # hypothesis found "\r": the number rule let it pass
    assert formula_unsafe(formula_safe(text)) == text


@pytest.mark.parametrize("text", ["-74,08", "+1.234,5", "1 234,5", "1\u202f234,5", "-0.5"])
def test_numbers_as_locales_write_them_stay_as_they_are(text: str) -> None:
    assert formula_safe(text) == text


@given(st.text(max_size=20))
def test_neutralising_is_undone_exactly(text: str) -> None:
    safe = formula_safe(text)
    assert not _dangerous(safe)
    assert formula_unsafe(safe) == text


def _hostile_plan() -> WeekPlan:
    plan = small_week_plan(2, settings_for())
    routes = plan.routes.copy()
    routes["name"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(routes))]
    routes.loc[0, "lon"] = -24.94  # a negative number stays a number
    days = plan.days.copy()
    days.loc[0, "home_lon"] = -24.94
    dropped = plan.dropped.copy()
    if len(dropped):
        dropped["name"] = HOSTILE[0]
    return WeekPlan(plan.week, routes, days, dropped)


def test_xlsx_has_no_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    plan = _hostile_plan()
    reps = small_reps().assign(name=HOSTILE[1])
    written = write_week_outputs(plan, tmp_path, settings=settings_for(), reps=reps)
    workbook = openpyxl.load_workbook(written["xlsx"][0])
    texts, numbers = [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not _dangerous(cell.value), cell.value
                elif isinstance(cell.value, float | int):
                    numbers.append(cell.value)
    shown = {text.replace("\r", "\n") for text in texts}  # XML keeps no bare CR
    for hostile in HOSTILE:
        assert formula_safe(hostile).replace("\r", "\n") in shown
    assert -24.94 in numbers


def test_csv_reads_back_unchanged_but_for_the_prefix(tmp_path: Path) -> None:
    plan = _hostile_plan()
    written = write_week_outputs(plan, tmp_path, settings=settings_for(), reps=small_reps())
    routes_csv = next(p for p in written["csv"] if p.name == "routes.csv")
    with routes_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == [formula_safe(n) for n in plan.routes["name"]]
    assert all(not _dangerous(v) for r in rows for v in r.values())
    assert rows[0]["lon"] == "-24.94"
    pd.testing.assert_series_equal(routes_from_csv(routes_csv)["name"], plan.routes["name"])


def test_reading_keeps_a_tab_before_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text('client_id,name\nC1,"\t=1+2"\nC2,  plain  \n', encoding="utf-8")
    table = read_table(path)
    assert table.loc[2, "name"] == "\t=1+2"
    assert table.loc[3, "name"] == "plain"


@pytest.mark.parametrize("hostile", ["\t=1+2", "=cmd|' /C calc'!A0"])
def test_a_build_with_hostile_names_writes_no_formula(tmp_path: Path, hostile: str) -> None:
    clients = tiny_clients()
    clients["name"] = hostile
    reps = tiny_reps().assign(name='=HYPERLINK("http://evil","rep")')
    data = write_world(tmp_path / "data", clients=clients, reps=reps)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "--data",
            str(data),
            "build",
            "--week",
            "1",
            "--out",
            str(out),
            "--maps",
            str(tmp_path / "maps"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    folder = out / "week-01"
    for name in ("routes.csv", "dropped.csv", "days.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            cells = [v for row in csv.reader(handle) for v in row]
        assert not [v for v in cells if _dangerous(v)], name
    routes = pd.read_csv(folder / "routes.csv", dtype=str, keep_default_na=False)
    assert set(routes["name"]) == {formula_safe(hostile)}
    workbook = openpyxl.load_workbook(folder / "week-01.xlsx")
    formulas = [
        cell.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
