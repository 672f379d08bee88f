"""A killed build leaves the old week or the new one, exports and maps alike, never a mix.

Each rebuild below changes every client's name, so every export and map of the new week
differs from the old one. A forked build exits at once, without any cleanup
(``ROUTEPLAN_CRASH_AT``), at each stage of the commit; the folders are then read back whole:
both the complete old week, or both the complete new one. The fallbacks (no symbolic links,
no ``renameat2``) are forced by replacing ``links_supported`` and ``_exchange``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import write_world

from routeplan.cli.main import main
from routeplan.io import atomic, week_unit
from routeplan.io.atomic import CRASH_EXIT_CODE, recover_folder
from routeplan.planning.store import PlanStore

FORK = multiprocessing.get_context("fork")  # the child starts with everything imported
STAGES = ("exports-staged", "maps-staged", "links-in-place", "outputs-in-place")
NO_LINKS = frozenset({"links"})  # as on a file system without symbolic links
NO_EXCHANGE = frozenset({"exchange"})  # as without Linux renameat2
Patches = frozenset[str]


def _args(data: Path, out: Path, maps: Path) -> list[str]:
    return ["--data", str(data), "build", "--week", "1", "--out", str(out), "--maps", str(maps)]


def _patched(patches: Patches, monkeypatch: pytest.MonkeyPatch) -> None:
    if "links" in patches:
        monkeypatch.setattr(week_unit, "links_supported", lambda folder: False)
    if "exchange" in patches:
        monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)


def _run_until_crash(args: list[str], crash_at: str, patches: Patches) -> None:
    os.environ["ROUTEPLAN_CRASH_AT"] = crash_at
    _patched(patches, pytest.MonkeyPatch())
    CliRunner().invoke(main, args)
    os._exit(1)  # the build ended without reaching its crash point


def _killed_build(
    data: Path, out: Path, maps: Path, *, crash_at: str, patches: Patches = frozenset()
) -> int:
    """A build in a forked process that exits at once (no cleanup) at ``crash_at``."""
    process = FORK.Process(
        target=_run_until_crash, args=(_args(data, out, maps), crash_at, patches)
    )
    process.start()
    process.join(timeout=300)
    return int(process.exitcode if process.exitcode is not None else -1)


def _build(data: Path, out: Path, maps: Path, *, patches: Patches = frozenset()) -> None:
    """A whole build in this process (faster), with the same patches as a forked one."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _patched(patches, monkeypatch)
        result = CliRunner().invoke(main, _args(data, out, maps))
    assert result.exit_code == 0, result.output


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


def _week(out: Path, maps: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return _snapshot(out / "week-01"), _snapshot(maps / "week-01")


def _is_new_week(out: Path, maps: Path) -> bool:
    """Both folders complete, and both of the rebuild (its client names everywhere)."""
    exports, week_maps = out / "week-01", maps / "week-01"
    if not (_complete(exports, "plan.json") and _complete(week_maps, "maps.json")):
        return False
    names = set(pd.read_csv(exports / "routes.csv")["name"])
    rep_maps = [p.read_text(encoding="utf-8") for p in week_maps.glob("*.html")]
    return all(n.startswith("Cliente ") for n in names) and all("Cliente " in m for m in rep_maps)


def _rename_clients(data: Path) -> None:
    clients = pd.read_csv(data / "clients.csv", dtype=str, keep_default_na=False)
    clients["name"] = "Cliente " + clients["client_id"]  # the next build differs in every file
    clients.to_csv(data / "clients.csv", index=False)


def _no_leftovers(out: Path, maps: Path) -> None:
    """Only the week's links, its one current version and nothing staged are left."""
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".weeks"]
    assert not [p for p in maps.iterdir() if p.name.startswith(".")]
    unit = out / ".weeks" / "week-01"
    versions = sorted(p.name for p in unit.iterdir())
    assert versions == sorted(["current", os.readlink(unit / "current")])


def _template(factory: pytest.TempPathFactory, patches: Patches) -> Path:
    """A tiny world with week 1 built (once per session), then its clients renamed."""
    folder = factory.mktemp("built")
    data = write_world(folder / "data")
    _build(data, folder / "out", folder / "maps", patches=patches)
    _rename_clients(data)
    return folder


def _copy(template: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    shutil.copytree(template, tmp_path / "w", symlinks=True)  # the links are relative
    return tmp_path / "w" / "data", tmp_path / "w" / "out", tmp_path / "w" / "maps"


@pytest.fixture(scope="session")
def linked_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, frozenset())


@pytest.fixture(scope="session")
def folders_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, NO_LINKS | NO_EXCHANGE)


@pytest.fixture
def built(linked_template: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Week 1 built (as links to one version); the next build renames every client."""
    return _copy(linked_template, tmp_path)


@pytest.fixture
def built_without_links(folders_template: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Week 1 built as two real folders (no links); the next build renames every client."""
    return _copy(folders_template, tmp_path)


@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_rebuild_leaves_the_old_week_or_the_new_never_a_mix(
    built: tuple[Path, Path, Path], stage: str
) -> None:
    data, out, maps = built
    old = _week(out, maps)
    old_names = _names_in_store(data / "plan.sqlite")
    assert _killed_build(data, out, maps, crash_at=stage) == CRASH_EXIT_CODE
    if stage == "outputs-in-place":
        assert _is_new_week(out, maps)
    else:
        assert _week(out, maps) == old
    # the store still holds the previous week: it is saved only after its outputs
    assert _names_in_store(data / "plan.sqlite") == old_names
    # the next build cleans up and completes the week
    _build(data, out, maps)
    assert _is_new_week(out, maps)
    _no_leftovers(out, maps)
    assert all(name.startswith("Cliente ") for name in _names_in_store(data / "plan.sqlite"))


def test_both_documented_paths_follow_one_switched_link(built: tuple[Path, Path, Path]) -> None:
    _data, out, maps = built
    unit = out / ".weeks" / "week-01"
    assert os.readlink(out / "week-01") == ".weeks/week-01/current/exports"
    assert (maps / "week-01").resolve() == (unit / "current" / "maps").resolve()
    assert not os.path.isabs(os.readlink(maps / "week-01"))  # the project folder can move


def test_a_killed_first_build_leaves_no_week(world: Path, tmp_path: Path) -> None:
    out, maps = tmp_path / "out", tmp_path / "maps"
    assert _killed_build(world, out, maps, crash_at="links-in-place") == CRASH_EXIT_CODE
    assert not (out / "week-01").exists() and not (maps / "week-01").exists()  # links to nothing
    assert _names_in_store(world / "plan.sqlite") == set()
    _build(world, out, maps)
    assert _complete(out / "week-01", "plan.json") and _complete(maps / "week-01", "maps.json")
    _no_leftovers(out, maps)


@pytest.mark.parametrize(
    ("stage", "patches"),
    [
        ("adopted-exports", frozenset()),  # between the two folders becoming links
        ("swap-aside", NO_EXCHANGE),  # the exports folder renamed aside, its link not yet in
        ("links-in-place", NO_EXCHANGE),
    ],
)
def test_week_folders_of_the_old_layout_are_adopted_safely(
    built_without_links: tuple[Path, Path, Path], stage: str, patches: Patches
) -> None:
    """Real week folders (an older routeplan, or no links) become links without a mix."""
    data, out, maps = built_without_links
    assert not (out / "week-01").is_symlink() and not (maps / "week-01").is_symlink()
    old = _week(out, maps)
    assert _killed_build(data, out, maps, crash_at=stage, patches=patches) == CRASH_EXIT_CODE
    if stage != "swap-aside":
        assert _week(out, maps) == old
    for folder in (out / "week-01", maps / "week-01"):
        recover_folder(folder)  # what every build does first: a folder set aside goes back
    assert _week(out, maps) == old
    _build(data, out, maps, patches=patches)
    assert _is_new_week(out, maps)
    assert (out / "week-01").is_symlink() and (maps / "week-01").is_symlink()
    _no_leftovers(out, maps)


@pytest.mark.parametrize(
    ("stage", "new_after_kill"),
    [
        ("exports-staged", False),
        ("swap-aside", None),  # the old maps renamed aside, the new not yet in: finished next
        ("maps-in-place", None),  # between the two swaps: finished by the next start
    ],
)
def test_without_links_or_exchange_a_killed_build_is_completed_or_undone(
    built_without_links: tuple[Path, Path, Path], stage: str, new_after_kill: bool | None
) -> None:
    """The fallback: two folders renamed aside and in, journaled, rolled forward."""
    from routeplan.io.week_unit import finish_interrupted

    data, out, maps = built_without_links
    old = _week(out, maps)
    patches = NO_LINKS | NO_EXCHANGE
    assert _killed_build(data, out, maps, crash_at=stage, patches=patches) == CRASH_EXIT_CODE
    if new_after_kill is not None:
        assert _is_new_week(out, maps) if new_after_kill else _week(out, maps) == old
    finish_interrupted(out / "week-01")  # what every build does first
    if stage == "exports-staged":  # nothing journaled: the staged folders are just removed
        assert _week(out, maps) == old
    else:  # journaled: every staged folder is complete, so the swaps are finished
        assert _is_new_week(out, maps)
    _build(data, out, maps, patches=patches)
    assert _is_new_week(out, maps)
    assert not [p for p in (*out.iterdir(), *maps.iterdir()) if p.name.startswith(".")]


def test_exports_and_maps_cannot_share_one_folder(world: Path, tmp_path: Path) -> None:
    args = ["--data", str(world), "build", "--week", "1"]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path), "--maps", str(tmp_path)])
    assert result.exit_code == 1
    assert "cannot share the folder" in result.output
    assert not (tmp_path / "week-01").exists()


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


def test_a_week_set_aside_by_an_interrupted_swap_is_put_back(tmp_path: Path) -> None:
    target = tmp_path / "week-01"
    aside = tmp_path / ".week-01.old-999999999"  # no such process
    aside.mkdir()
    (aside / "routes.csv").write_text("old week")
    stale = tmp_path / ".week-01.staging-999999999"
    stale.mkdir()
    recover_folder(target)
    assert (target / "routes.csv").read_text() == "old week"
    assert not aside.exists() and not stale.exists()


def test_the_rename_aside_fallback_replaces_a_folder_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routeplan.io import atomic

    monkeypatch.setattr(atomic, "_exchange", lambda first, second: False)
    target, staging = tmp_path / "week-01", tmp_path / ".week-01.staging-1"
    target.mkdir()
    (target / "old.csv").write_text("old")
    staging.mkdir()
    (staging / "new.csv").write_text("new")
    atomic.swap_into_place(staging, target)
    assert [p.name for p in tmp_path.iterdir()] == ["week-01"]
    assert [p.name for p in target.iterdir()] == ["new.csv"]
