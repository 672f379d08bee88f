"""The week unit: exports and maps behind one link, versions collected, exports alone."""

from __future__ import annotations

import os
from pathlib import Path

from helpers.exports_fixtures import settings_for, small_reps, small_week_plan

from routeplan.io.exports import write_week_outputs
from routeplan.io.week_unit import begin_week_unit, unit_dir


def _commit_week(out: Path, maps: Path, text: str) -> None:
    unit = begin_week_unit(out, maps, 2, settings=settings_for())
    assert unit.maps_staging is not None
    (unit.exports_staging / "routes.csv").write_text(text)
    (unit.maps_staging / "R1.html").write_text(text)
    unit.commit()


def test_one_switch_shows_both_parts_of_one_build_and_old_versions_go(tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    _commit_week(out, maps, "first")
    _commit_week(out, maps, "second")
    assert (out / "week-02" / "routes.csv").read_text() == "second"
    assert (maps / "week-02" / "R1.html").read_text() == "second"
    unit = unit_dir(out, 2)
    assert sorted(p.name for p in unit.iterdir()) == sorted(
        ["current", os.readlink(unit / "current")]
    )


def test_a_discarded_week_leaves_the_old_one(tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    _commit_week(out, maps, "first")
    unit = begin_week_unit(out, maps, 2, settings=settings_for())
    (unit.exports_staging / "routes.csv").write_text("half")
    unit.discard()
    assert (out / "week-02" / "routes.csv").read_text() == "first"
    assert len(list(unit_dir(out, 2).iterdir())) == 2  # current and its version


def test_exports_written_alone_keep_the_weeks_maps(tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    _commit_week(out, maps, "built")
    settings = settings_for()
    written = write_week_outputs(
        small_week_plan(2, settings), out, settings=settings, reps=small_reps()
    )
    assert out / "week-02" / "routes.csv" in written["csv"]
    assert (out / "week-02" / "routes.csv").read_text() != "built"
    assert (maps / "week-02" / "R1.html").read_text() == "built"
