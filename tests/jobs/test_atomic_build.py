"""A killed build leaves each week folder complete (old or new), and the store says so last."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from routeplan.cli.main import main
from routeplan.io.atomic import CRASH_EXIT_CODE
from routeplan.planning.store import PlanStore

STAGES = ("exports-staged", "maps-staged", "maps-in-place", "outputs-in-place")


def _build(data: Path, out: Path, maps: Path, *, crash_at: str | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "ROUTEPLAN_CRASH_AT"}
    if crash_at:
        env["ROUTEPLAN_CRASH_AT"] = crash_at
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "routeplan.cli.main",
            "--data",
            str(data),
            "build",
            "--week",
            "1",
            "--out",
            str(out),
            "--maps",
            str(maps),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert crash_at or done.returncode == 0, done.stderr
    return done.returncode


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _complete(folder: Path, manifest_name: str) -> bool:
    """Every file the folder's manifest lists is there with its SHA-256, and nothing else."""
    files = _snapshot(folder)
    manifest = json.loads(files.pop(manifest_name))
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return digests == manifest["sha256"] and sorted(files) == manifest["files"]


def _names_in_store(store: Path) -> set[str]:
    with PlanStore(store) as plans:
        plan = plans.load_week_plan(1)
    return set() if plan is None else set(plan.routes["name"])


@pytest.fixture
def built(world: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    out, maps = tmp_path / "out", tmp_path / "maps"
    _build(world, out, maps)
    clients = pd.read_csv(world / "clients.csv", dtype=str, keep_default_na=False)
    clients["name"] = "Cliente " + clients["client_id"]  # the next build differs in every file
    clients.to_csv(world / "clients.csv", index=False)
    return world, out, maps


@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_rebuild_leaves_complete_weeks(built: tuple[Path, Path, Path], stage: str) -> None:
    data, out, maps = built
    old_exports, old_maps = _snapshot(out / "week-01"), _snapshot(maps / "week-01")
    old_names = _names_in_store(data / "plan.sqlite")
    assert _build(data, out, maps, crash_at=stage) == CRASH_EXIT_CODE
    exports_now, maps_now = _snapshot(out / "week-01"), _snapshot(maps / "week-01")
    for now, old, folder, manifest in (
        (exports_now, old_exports, out / "week-01", "plan.json"),
        (maps_now, old_maps, maps / "week-01", "maps.json"),
    ):
        assert now == old or (_complete(folder, manifest) and now != old)
    new_maps = stage in ("maps-in-place", "outputs-in-place")
    assert (maps_now != old_maps) == new_maps
    assert (exports_now != old_exports) == (stage == "outputs-in-place")
    # the store still holds the previous week: it is saved only after its outputs
    assert _names_in_store(data / "plan.sqlite") == old_names
    # the next build cleans up and completes the week
    _build(data, out, maps)
    assert _complete(out / "week-01", "plan.json") and _complete(maps / "week-01", "maps.json")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert not [p for p in maps.iterdir() if p.name.startswith(".")]
    assert all(name.startswith("Cliente ") for name in _names_in_store(data / "plan.sqlite"))


def test_a_killed_first_build_leaves_no_week(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    assert _build(world, out, maps, crash_at="maps-staged") == CRASH_EXIT_CODE
    assert not (out / "week-01").exists() and not (maps / "week-01").exists()
    assert _names_in_store(world / "plan.sqlite") == set()


def test_the_week_is_not_saved_when_its_exports_fail(world: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should go")
    result = CliRunner().invoke(
        main,
        [
            "--data",
            str(world),
            "build",
            "--week",
            "1",
            "--out",
            str(blocker / "out"),
            "--maps",
            str(tmp_path / "maps"),
        ],
    )
    assert result.exit_code == 1
    assert "cannot write to output folder" in result.output
    with PlanStore(world / "plan.sqlite") as plans:
        assert plans.saved_weeks() == []
    assert not (tmp_path / "maps" / "week-01").exists()
