"""A week's exports and maps as ONE unit: versions behind a single switched link.

Layout (``out`` = ``--out``, ``maps`` = ``--maps``)::

    out/.weeks/week-12/v-<pid>-<n>/exports/    the files of one build
    out/.weeks/week-12/v-<pid>-<n>/maps/
    out/.weeks/week-12/current -> v-<pid>-<n>  the build readers see
    out/week-12  -> .weeks/week-12/current/exports
    maps/week-12 -> <relative path to> out/.weeks/week-12/current/maps

A build writes a whole new version folder, then replaces ``current`` with one rename of a new
link over it (atomic on every POSIX system, no ``renameat2`` needed). Both documented paths
resolve through ``current`` each time they are opened, so at every instant they show the same
build, the old or the new one, never one's exports beside the other's maps. Versions no
longer current are removed after the switch (and, if a build was killed, at the next build).

A week folder left as a real folder (by an older routeplan, or where links could not be
made) is first adopted: copied into a version that becomes ``current``, then replaced by its
link (one ``renameat2`` exchange, else rename aside + rename in, undone by
:func:`routeplan.io.atomic.recover_folder`); each step leaves the same old files in view.

Where the file system cannot make links (Windows without the symlink privilege, FAT), the
week falls back to two folders each staged beside its target and swapped in whole; a
journal file (``.week-12.commit-<pid>``) written before the first swap lets the next build
finish the second one, so a kill between the two swaps is completed, not left mixed.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from routeplan.config import Settings
from routeplan.errors import RouteplanError
from routeplan.i18n import _
from routeplan.io.atomic import (
    crash_point,
    new_staging,
    pid_alive,
    recover_folder,
    remove,
    staging_path,
    swap_into_place,
)
from routeplan.io.week_folder import check_week_folder, week_dir

WEEKS_DIR = ".weeks"
"""Hidden folder of ``--out`` holding every week's versions."""

CURRENT = "current"
"""Name of the link, inside a week's unit folder, to the version readers see."""

EXPORTS, MAPS = "exports", "maps"


def unit_dir(out_dir: Path, week: int) -> Path:
    """Return the folder holding the versions of week ``week`` (``out/.weeks/week-03``)."""
    return Path(out_dir) / WEEKS_DIR / f"week-{week:02d}"


def links_supported(folder: Path) -> bool:
    """Whether symbolic links can be made in ``folder`` (created if missing)."""
    probe = folder / f".link-test-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove(probe)
        os.symlink(".", probe, target_is_directory=True)
    except (OSError, NotImplementedError):
        return False
    remove(probe)
    return True


def _write_error(folder: Path, exc: OSError) -> RouteplanError:
    return RouteplanError(
        _(
            "cannot write to output folder {folder}: {reason}",
            folder=folder,
            reason=exc.strerror or exc,
        ),
        hint=_("pick another --out folder or fix its permissions"),
    )


def _version_pid(name: str) -> int | None:
    parts = name.split("-")
    if len(parts) >= 3 and parts[0] == "v" and parts[1].isdigit():
        return int(parts[1])
    if name.startswith(".current-") and name[len(".current-") :].isdigit():
        return int(name[len(".current-") :])
    return None


def collect(unit: Path) -> None:
    """Remove the versions of ``unit`` no longer current (but those a running build writes)."""
    if not unit.is_dir():
        return
    current = os.readlink(unit / CURRENT) if (unit / CURRENT).is_symlink() else None
    for path in unit.iterdir():
        pid = _version_pid(path.name)
        if path.name in (CURRENT, current) or pid is None:
            continue
        if pid == os.getpid() or not pid_alive(pid):
            remove(path)


def switch(unit: Path, version: str) -> None:
    """Point ``unit/current`` at ``version`` with one rename (atomic)."""
    tmp = unit / f".current-{os.getpid()}"
    remove(tmp)
    os.symlink(version, tmp, target_is_directory=True)
    os.replace(tmp, unit / CURRENT)


def _link_text(link: Path, target: Path) -> str:
    """What ``link`` should hold to reach ``target``: relative when possible."""
    try:
        return os.path.relpath(target.absolute(), link.parent.absolute())
    except ValueError:  # another drive (Windows)
        return str(target.absolute())


@dataclass
class WeekUnit:
    """A week being written: where to stage each part, and how to put them in place.

    Attributes
    ----------
    exports, maps
        The documented folders (``out/week-NN``, ``maps/week-NN``; ``maps`` None when only
        the exports are written: the current maps are kept).
    exports_staging, maps_staging
        Where to write the new files.
    unit
        The week's unit folder (None in the fallback without links).
    version
        The new version folder (None in the fallback).

    """

    exports: Path
    maps: Path | None
    exports_staging: Path
    maps_staging: Path | None
    unit: Path | None = None
    version: Path | None = None

    def placed(self, path: Path) -> Path:
        """The documented path of a file written in a staging folder."""
        staged_map = self.maps_staging is not None and path.is_relative_to(self.maps_staging)
        if self.maps is not None and self.maps_staging is not None and staged_map:
            return self.maps / path.relative_to(self.maps_staging)
        return self.exports / path.relative_to(self.exports_staging)

    def discard(self) -> None:
        """Remove what was staged (a failed build leaves the previous week in view)."""
        if self.version is not None:
            remove(self.version)
            return
        remove(self.exports_staging)
        if self.maps_staging is not None:
            remove(self.maps_staging)

    def commit(self) -> None:
        """Put the staged week in place as one unit (see the module's docstring)."""
        try:
            if self.unit is None or self.version is None:
                _commit_folders(self)
                return
            self._adopt_real_folders()
            self._link(self.exports, EXPORTS)
            if self.maps is not None:
                self._link(self.maps, MAPS)
            crash_point("links-in-place")
            switch(self.unit, self.version.name)
        except OSError as exc:
            raise _write_error(self.exports.parent, exc) from exc
        collect(self.unit)

    def _parts(self) -> list[tuple[Path, str]]:
        parts = [(self.exports, EXPORTS)]
        return parts + ([(self.maps, MAPS)] if self.maps is not None else [])

    def _adopt_real_folders(self) -> None:
        """Make real week folders part of ``current`` before they are replaced by links."""
        assert self.unit is not None
        real = [(path, part) for path, part in self._parts() if _is_real_folder(path)]
        if not real:
            return
        adopted = self.unit / f"v-{os.getpid()}-{time.time_ns()}-adopted"
        current = self.unit / CURRENT
        for part in (EXPORTS, MAPS):
            source = dict((p, f) for f, p in real).get(part, current / part)
            if source.is_dir():
                shutil.copytree(source, adopted / part, symlinks=True)
        adopted.mkdir(parents=True, exist_ok=True)
        switch(self.unit, adopted.name)
        crash_point("adopted")
        for path, part in real:
            link = staging_path(path)
            remove(link)
            os.symlink(_link_text(path, current / part), link, target_is_directory=True)
            swap_into_place(link, path)
            crash_point(f"adopted-{part}")

    def _link(self, path: Path, part: str) -> None:
        """Make ``path`` a link to ``current/<part>`` (replacing another link in one rename)."""
        assert self.unit is not None
        text = _link_text(path, self.unit / CURRENT / part)
        if path.is_symlink() and os.readlink(path) == text:
            return
        if os.path.lexists(path) and not path.is_symlink():
            raise RouteplanError(
                _("cannot write to output folder {folder}: it is a file", folder=path),
                hint=_("move the file away or pick another --out / --maps folder"),
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = staging_path(path)
        remove(tmp)
        os.symlink(text, tmp, target_is_directory=True)
        os.replace(tmp, path)


def _is_folder_or_link(path: Path) -> bool:
    return path.is_symlink() or path.is_dir()


def _is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _journal(exports: Path) -> Path:
    return exports.parent / f".{exports.name}.commit-{os.getpid()}"


def _commit_folders(week: WeekUnit) -> None:
    """The fallback without links: swap maps, then exports, journaled for the next build.

    The swaps rename the old folder aside (no exchange), so a staging folder still there
    after a kill is one not yet in place: :func:`finish_interrupted` swaps it in.
    """
    journal = _journal(week.exports)
    pairs = [(EXPORTS, week.exports_staging, week.exports)]
    if week.maps is not None and week.maps_staging is not None:
        pairs.insert(0, (MAPS, week.maps_staging, week.maps))
    journal.write_text("".join(f"{s}\t{t}\n" for _p, s, t in pairs), encoding="utf-8")
    crash_point("journal-written")
    for part, staging, target in pairs:
        swap_into_place(staging, target, exchange=False)
        crash_point(f"{part}-in-place")
    journal.unlink()


def finish_interrupted(exports: Path) -> None:
    """Finish the swaps a killed fallback build journaled beside ``exports`` (roll forward).

    The journal is written once every staged folder is complete, so each one still waiting
    beside its target goes in (after undoing a half-done swap); then the journal goes.

    Raises
    ------
    RouteplanError
        When a folder cannot be moved into place (names both).

    """
    prefix = f".{exports.name}.commit-"
    if not exports.parent.is_dir():
        return
    for journal in sorted(exports.parent.glob(f"{prefix}*")):
        pid = journal.name[len(prefix) :]
        if not pid.isdigit() or (pid_alive(int(pid)) and int(pid) != os.getpid()):
            continue
        lines = journal.read_text(encoding="utf-8").splitlines()
        for line in lines:
            staging, _tab, target = line.partition("\t")
            recover_folder(Path(target), keep_staging=True)
            if Path(staging).is_dir():
                swap_into_place(Path(staging), Path(target), exchange=False)
        journal.unlink()


def begin_week_unit(
    out_dir: Path, maps_dir: Path | None, week: int, *, settings: Settings
) -> WeekUnit:
    """Check the week's folders and open empty staging folders for its exports and maps.

    Parameters
    ----------
    out_dir
        The output root (``--out``).
    maps_dir
        The maps root (``--maps``); None writes only the exports (the current maps stay).
    week
        The 1-based cycle week.
    settings
        The settings (``[cycle]``).

    Returns
    -------
    WeekUnit
        Write into its staging folders, then :meth:`WeekUnit.commit` (or
        :meth:`WeekUnit.discard`).

    Raises
    ------
    RouteplanError
        When the week is outside the cycle, the exports folder holds another week, both
        roots give one folder, or the output folders cannot be written.

    """
    exports = week_dir(Path(out_dir), week)
    maps = week_dir(Path(maps_dir), week) if maps_dir is not None else None
    if maps is not None and maps.absolute() == exports.absolute():
        raise RouteplanError(
            _("exports and maps cannot share the folder {folder}", folder=exports),
            hint=_("give --out and --maps different folders"),
        )
    finish_interrupted(exports)
    for path in (exports, maps):
        if path is not None:
            recover_folder(path)
    check_week_folder(exports, week, settings=settings)
    for path in (exports, maps):
        if path is not None and os.path.lexists(path) and not _is_folder_or_link(path):
            raise RouteplanError(
                _("cannot write to output folder {folder}: it is a file", folder=path),
                hint=_("move the file away or pick another --out / --maps folder"),
            )
    roots = [Path(out_dir)] + ([Path(maps_dir)] if maps_dir is not None else [])
    if not all(links_supported(root) for root in roots):
        return _begin_folders(exports, maps)
    unit = unit_dir(Path(out_dir), week)
    version = unit / f"v-{os.getpid()}-{time.time_ns()}"
    try:
        collect(unit)
        (version / EXPORTS).mkdir(parents=True)
        (version / MAPS).mkdir()
        if maps is None and (unit / CURRENT / MAPS).is_dir():
            shutil.rmtree(version / MAPS)
            shutil.copytree(unit / CURRENT / MAPS, version / MAPS, symlinks=True)
    except OSError as exc:
        remove(version)
        raise _write_error(Path(out_dir), exc) from exc
    return WeekUnit(exports, maps, version / EXPORTS, version / MAPS, unit, version)


def _begin_folders(exports: Path, maps: Path | None) -> WeekUnit:
    exports_staging = new_staging(exports)
    try:
        maps_staging = new_staging(maps) if maps is not None else None
    except BaseException:
        remove(exports_staging)
        raise
    return WeekUnit(exports, maps, exports_staging, maps_staging)
