"""A week's output folder: its manifest and the check that it holds this week.

``<out_dir>/week-NN/plan.json`` names the week and the cycle; a folder whose manifest names
another week (or another cycle) is never written into. The manifest lists every file of the
folder with its SHA-256 and, per rep, the files made for that rep. A week is built as a new
version and switched in whole with its maps (:mod:`routeplan.io.week_unit`), so it is
replaced, never patched: files you add to a week folder by hand go with the old version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from routeplan.config import Settings
from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.io.atomic import recover_folder
from routeplan.io.writers import writing
from routeplan.version import __version__

MANIFEST = "plan.json"
"""File name of a week folder's manifest."""

MAPS_MANIFEST = "maps.json"
"""File name of a maps week folder's manifest (files and their SHA-256)."""


def week_dir(out_dir: Path, week: int) -> Path:
    """Return the folder of week ``week`` under ``out_dir`` (``week-03``)."""
    return out_dir / f"week-{week:02d}"


def week_manifest(week: int, settings: Settings) -> dict[str, Any]:
    """Return the manifest of week ``week``: what makes one week's folder differ from another's.

    Parameters
    ----------
    week
        The 1-based cycle week.
    settings
        The settings (``[cycle]``).

    Returns
    -------
    dict
        ``week``, ``cycle_start``, ``week_start``, ``week_end``, ``timezone``, ``generator``,
        ``files`` (empty; filled by :func:`write_manifest`).

    """
    monday, sunday = settings.cycle.check_week(week)
    return {
        "week": week,
        "cycle_start": settings.cycle.start_date.isoformat(),
        "week_start": monday.isoformat(),
        "week_end": sunday.isoformat(),
        "timezone": settings.cycle.timezone,
        "generator": f"routeplan {__version__}",
        "files": [],
    }


def read_manifest(path: Path) -> dict[str, Any]:
    """Read a week folder's manifest; refuse a file that is not one."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["week"]), str(manifest["cycle_start"])
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise RouteplanError(
            _(
                "{path} is not a routeplan manifest; refusing to write into {folder}",
                path=path,
                folder=path.parent,
            ),
            hint=_("move the folder away or pick another --out folder"),
        ) from exc
    return dict(manifest)


def check_week_folder(folder: Path, week: int, *, settings: Settings) -> None:
    """Refuse ``folder`` when it holds another week or another cycle (reads only).

    Raises
    ------
    RouteplanError
        When the week is outside the cycle or the folder's manifest names another week or
        cycle.

    """
    manifest = week_manifest(week, settings)
    path = folder / MANIFEST
    if not path.exists():
        return
    old = read_manifest(path)
    old_week, old_cycle = int(old["week"]), str(old["cycle_start"])
    if old_week != manifest["week"] or old_cycle != manifest["cycle_start"]:
        raise RouteplanError(
            _(
                "{folder} holds week {old_week} of the cycle starting {old_cycle}; refusing "
                "to overwrite it with week {week} of the cycle starting {cycle}",
                folder=folder,
                old_week=old_week,
                old_cycle=old_cycle,
                week=manifest["week"],
                cycle=manifest["cycle_start"],
            ),
            hint=_("pick another --out folder or move the old files away"),
        )


def claim_week_folder(out_dir: Path, week: int, *, settings: Settings) -> Path:
    """Create (or reuse) the folder of week ``week``; refuse one that holds another week.

    A new folder gets a manifest ``plan.json`` at once, so no other week can be written into
    it later.

    Parameters
    ----------
    out_dir
        The output root.
    week
        The 1-based cycle week.
    settings
        The settings (``[cycle]``).

    Returns
    -------
    pathlib.Path
        ``out_dir/week-NN``.

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, the folder cannot be written, or its manifest
        names another week or another cycle.

    """
    folder = week_dir(Path(out_dir), week)
    recover_folder(folder)
    check_week_folder(folder, week, settings=settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise RouteplanError(
            _(
                "cannot write to output folder {folder}: {reason}",
                folder=folder,
                reason=exc.strerror or exc,
            ),
            hint=_("pick another --out folder or fix its permissions"),
        ) from exc
    path = folder / MANIFEST
    if not path.exists():
        manifest = week_manifest(week, settings)
        path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def file_digests(folder: Path, files: Iterable[Path]) -> dict[str, str]:
    """SHA-256 of each file, keyed by its path relative to ``folder`` (POSIX), sorted."""
    digests = {}
    for path in files:
        digests[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(digests.items()))


def write_manifest(
    folder: Path,
    manifest: Mapping[str, Any],
    files: Iterable[Path],
    *,
    name: str = MANIFEST,
) -> Path:
    """Write ``manifest`` with ``files`` (relative, sorted) and their ``sha256`` into ``folder``.

    Parameters
    ----------
    folder
        The (staging) folder.
    manifest
        The fields to write (e.g. :func:`week_manifest` plus ``reps``).
    files
        Every file of the folder but the manifest.
    name
        The manifest's file name.

    Returns
    -------
    pathlib.Path
        The manifest file.

    """
    digests = file_digests(folder, files)
    content = {**manifest, "files": list(digests), "sha256": digests}
    path = folder / name
    with writing(path):
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
