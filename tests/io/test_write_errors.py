"""A full disk or a missing permission while writing is one line naming the path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import folium
import icalendar
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.exports_fixtures import settings_for, small_week_plan
from helpers.world import write_world

from routeplan.cli.main import main
from routeplan.errors import RouteplanError
from routeplan.io.gpx import write_gpx
from routeplan.io.ics import write_rep_ics
from routeplan.io.plan_files import write_routes_geojson, write_week_xlsx
from routeplan.io.week_folder import write_manifest
from routeplan.io.writers import write_csv
from routeplan.maps.rep_map import save_map

FULL = Path("/dev/full")  # every write fails with ENOSPC
PLAN = small_week_plan(2, settings_for())

WRITERS: dict[str, Callable[[Path], object]] = {
    "csv": lambda path: write_csv(pd.DataFrame({"a": [1]}), path),
    "geojson": lambda path: write_routes_geojson(PLAN, path),
    "xlsx": lambda path: write_week_xlsx(PLAN, path),
    "ics": lambda path: write_rep_ics(icalendar.Calendar(), path),
    "gpx": lambda path: write_gpx(
        __import__("xml.etree.ElementTree").etree.ElementTree.Element("gpx"), path
    ),
    "map": lambda path: save_map(folium.Map(), path),
    "manifest": lambda path: write_manifest(path.parent, {"week": 1}, [], name=path.name),
}


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_full_disk_is_one_line_naming_the_file(kind: str) -> None:
    with pytest.raises(RouteplanError) as info:
        WRITERS[kind](FULL)
    message = str(info.value)
    assert "/dev/full" in message and "No space left on device" in message
    assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_is_one_line_naming_the_file(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(RouteplanError, match=r"cannot write .*a\.csv: Permission denied"):
            WRITERS["csv"](tmp_path / "a.csv")
    finally:
        tmp_path.chmod(0o700)


def test_a_build_whose_maps_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    data = write_world(tmp_path / "data")
    blocker = tmp_path / "maps"
    blocker.mkdir()
    (blocker / "week-01").write_text("a file where the week's maps folder goes")
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
            str(blocker),
        ],
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "week-01" in errors[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "week-01").exists()
