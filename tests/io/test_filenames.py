"""Safe, unique file names for rep ids: no path escapes, no reserved names, no two reps one file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.exports_fixtures import settings_for, small_reps, small_week_plan
from helpers.world import tiny_reps, write_world

from routeplan.cli.main import main
from routeplan.errors import RouteplanError
from routeplan.io.exports import write_week_outputs
from routeplan.io.filenames import file_stem, inside
from routeplan.io.readers import check_reps
from routeplan.model.plan import WeekPlan

HOSTILE = ["../../evil", "/abs/evil", "a/b", "..", ".", "", "CON", "lpt1.txt", "index", "x" * 300]


@pytest.mark.parametrize("rep_id", HOSTILE)
def test_a_stem_is_one_plain_name(rep_id: str) -> None:
    stem = file_stem(rep_id)
    assert stem and "/" not in stem and "\\" not in stem and not stem.startswith(".")
    assert len(stem) <= 80
    assert stem.split(".")[0].lower() not in {"index", "con", "lpt1"}
    assert Path(stem).name == stem


def test_inside_refuses_a_path_outside_its_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, tmp_path / "a.html") == tmp_path / "a.html"
    with pytest.raises(RouteplanError, match="outside the output folder"):
        inside(tmp_path / "maps", tmp_path / "maps" / ".." / "evil.html")


def _reps(*ids: str) -> pd.DataFrame:
    base = tiny_reps().iloc[0]
    rows = [{**base.to_dict(), "rep_id": rep_id, "zone": f"Z{i}"} for i, rep_id in enumerate(ids)]
    table = pd.DataFrame(rows).astype(str)
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table


@pytest.mark.parametrize(
    ("first", "second"), [("R 1", "R_1"), ("r1", "R1"), ("index", "index_"), ("a/b", "a_b")]
)
def test_ids_that_give_one_file_name_are_refused_naming_both_rows(first: str, second: str) -> None:
    checked = check_reps(_reps("R9", first, second), file="reps.csv")
    messages = [str(p) for p in checked.problems]
    assert len(messages) == 1
    assert "reps.csv, row 4, column 'rep_id'" in messages[0]
    assert f"'{first}'" in messages[0] and "row 3" in messages[0]


def _renamed(plan: WeekPlan, names: dict[str, str]) -> WeekPlan:
    return WeekPlan(
        plan.week,
        plan.routes.assign(rep_id=plan.routes["rep_id"].replace(names)),
        plan.days.assign(rep_id=plan.days["rep_id"].replace(names)),
        plan.dropped.assign(rep_id=plan.dropped["rep_id"].replace(names)),
    )


def test_hostile_rep_ids_write_only_inside_the_week_folder(tmp_path: Path) -> None:
    settings = settings_for()
    plan = _renamed(small_week_plan(2, settings), {"R1": "../../evil", "R2": "/abs/evil"})
    out = tmp_path / "deep" / "out"
    written = write_week_outputs(plan, out, settings=settings, reps=small_reps())
    folder = out / "week-02"
    for paths in written.values():
        for path in paths:
            assert path.resolve().is_relative_to(folder.resolve()), path
    assert sorted(p.name for p in (folder / "ics").iterdir()) == ["abs_evil.ics", "evil.ics"]
    assert not (tmp_path / "evil.ics").exists() and not Path("/abs").exists()
    manifest = json.loads((folder / "plan.json").read_text())
    assert manifest["reps"]["../../evil"]["ics"] == "ics/evil.ics"
    assert manifest["reps"]["/abs/evil"]["map"] == "abs_evil.html"
    assert manifest["reps"]["../../evil"]["gpx"]
    for rep in manifest["reps"].values():
        assert rep["ics"] in manifest["files"]
        assert all(gpx in manifest["files"] for gpx in rep["gpx"])


def test_a_rep_called_index_keeps_its_map_and_the_managers_theirs(tmp_path: Path) -> None:
    reps = tiny_reps()
    reps.loc[0, "rep_id"] = "index"
    data = write_world(tmp_path / "data", reps=reps)
    maps = tmp_path / "maps"
    result = CliRunner().invoke(
        main,
        [
            "--data",
            str(data),
            "build",
            "--week",
            "1",
            "--out",
            str(tmp_path / "out"),
            "--maps",
            str(maps),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    rep_map = (maps / "week-01" / "index_.html").read_text(encoding="utf-8")
    managers = (maps / "week-01" / "index.html").read_text(encoding="utf-8")
    assert "(index)" in rep_map
    assert rep_map != managers


def test_validate_names_both_rows_of_ids_sharing_a_file_name(tmp_path: Path) -> None:
    reps = tiny_reps()
    reps.loc[0, "rep_id"], reps.loc[1, "rep_id"] = "R 1", "R_1"
    data = write_world(tmp_path / "data", reps=reps)
    result = CliRunner().invoke(main, ["--data", str(data), "validate"])
    assert result.exit_code == 1
    rejects = pd.read_csv(data / "validation" / "rejects-reps.csv", dtype=str)
    clash = rejects[rejects["column"] == "rep_id"]
    assert clash["row"].tolist() == ["3"]
    assert "'R_1'" in clash["problem"].iloc[0] and "'R 1' on row 2" in clash["problem"].iloc[0]
