"""The managers' workbook has the same bytes whenever the same plan is written."""

from __future__ import annotations

import time
import zipfile

from helpers.exports_fixtures import settings_for, small_week_plan

from routeplan.io.plan_files import write_week_xlsx
from routeplan.io.stable_zip import ZIP_EPOCH


def test_the_same_plan_gives_the_same_workbook_bytes_a_while_later(tmp_path) -> None:
    plan = small_week_plan(2, settings_for())
    first = write_week_xlsx(plan, tmp_path / "a.xlsx").read_bytes()
    time.sleep(2.1)  # zip stamps have a 2-second resolution: the clock has moved for them
    second = write_week_xlsx(plan, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        assert {entry.date_time for entry in archive.infolist()} == {ZIP_EPOCH}
        core = archive.read("docProps/core.xml")
    assert core.count(b"2027-01-11T00:00:00Z") == 2  # created and modified: the plan's date
    assert not list(tmp_path.glob(".*restamp*"))  # no staging file left
