"""Replace a whole output folder at once: stage beside it, then swap in one rename.

A week's files are written into a hidden staging folder next to the target
(``.week-03.staging-<pid>``); when every file is there the staging folder takes the target's
place. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``: at every instant the target
path holds either the complete old folder or the complete new one. Elsewhere the old folder is
first renamed aside (``.week-03.old-<pid>``) and the new one renamed in; a crash between the two
renames leaves the old folder aside, and :func:`recover_folder` (called before every build)
puts it back.

:func:`crash_point` lets tests kill a build at a named stage (``ROUTEPLAN_CRASH_AT``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path

from routeplan.errors import RouteplanError
from routeplan.i18n import _

CRASH_ENV = "ROUTEPLAN_CRASH_AT"
"""Environment variable naming a :func:`crash_point` at which the process exits at once."""

CRASH_EXIT_CODE = 75
"""Exit code of a process stopped by :func:`crash_point`."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def crash_point(stage: str) -> None:
    """Exit the process at once (no cleanup) when ``$ROUTEPLAN_CRASH_AT`` is ``stage``.

    For the tests of killed builds; does nothing otherwise.

    Parameters
    ----------
    stage
        The name of this point of the build, e.g. ``"exports-staged"``.

    """
    if os.environ.get(CRASH_ENV) == stage:
        sys.stdout.flush()
        os._exit(CRASH_EXIT_CODE)


def staging_path(target: Path) -> Path:
    """Return the staging folder of ``target`` for this process (beside it, hidden)."""
    return target.parent / f".{target.name}.staging-{os.getpid()}"


def _aside_path(target: Path) -> Path:
    return target.parent / f".{target.name}.old-{os.getpid()}"


def remove(path: Path) -> None:
    """Remove a folder, file or link (a link itself, never what it points to); quietly."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
        return
    shutil.rmtree(path, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a process of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path, kind: str) -> list[tuple[Path, int]]:
    prefix = f".{target.name}.{kind}-"
    found = []
    if target.parent.is_dir():
        for path in target.parent.iterdir():
            if path.name.startswith(prefix) and path.name[len(prefix) :].isdigit():
                found.append((path, int(path.name[len(prefix) :])))
    return found


def _move_error(staging: Path, target: Path, exc: OSError) -> RouteplanError:
    """The one-line error of a folder that could not be moved into place."""
    return RouteplanError(
        _(
            "cannot move {staging} into place as {target}: {reason}",
            staging=staging,
            target=target,
            reason=exc.strerror or exc,
        ),
        hint=_("check the output folder's permissions and free space"),
    )


def recover_folder(target: Path, *, keep_staging: bool = False) -> None:
    """Undo what a killed build left beside ``target``.

    A folder set aside by an interrupted swap goes back in place when ``target`` is missing;
    staging and set-aside folders of processes that no longer run are removed.

    Parameters
    ----------
    target
        A week folder (exports or maps).
    keep_staging
        Keep the staging folders (a journal still needs them, see
        :func:`routeplan.io.week_unit.finish_interrupted`).

    """
    for aside, pid in _leftovers(target, "old"):
        if pid_alive(pid) and pid != os.getpid():
            continue
        if os.path.lexists(target):
            remove(aside)
            continue
        try:
            os.rename(aside, target)
        except OSError as exc:
            raise _move_error(aside, target, exc) from exc
    for staging, pid in [] if keep_staging else _leftovers(target, "staging"):
        if not pid_alive(pid) or pid == os.getpid():
            remove(staging)


def new_staging(target: Path) -> Path:
    """Create an empty staging folder for ``target`` (its parent is created too).

    Raises
    ------
    RouteplanError
        When ``target`` is a file or the folder cannot be created (names it).

    """
    staging = staging_path(target)
    if target.exists() and not target.is_dir():
        raise RouteplanError(
            _("cannot write to output folder {folder}: it is a file", folder=target),
            hint=_("move the file away or pick another --out / --maps folder"),
        )
    try:
        if os.path.lexists(staging):
            remove(staging)
        staging.mkdir(parents=True)
    except OSError as exc:
        raise RouteplanError(
            _(
                "cannot write to output folder {folder}: {reason}",
                folder=target.parent,
                reason=exc.strerror or exc,
            ),
            hint=_("pick another --out folder or fix its permissions"),
        ) from exc
    return staging


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2``; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(done == 0)


def swap_into_place(staging: Path, target: Path, *, exchange: bool = True) -> None:
    """Put the complete ``staging`` folder (or link) at ``target``; the old ``target`` is removed.

    Parameters
    ----------
    staging
        A folder made by :func:`new_staging`, every file written, or a link.
    target
        Where it goes.
    exchange
        Try the one-step Linux exchange first; False always renames the old folder aside,
        so a staging folder still there is one not yet in place.

    Raises
    ------
    RouteplanError
        When the rename fails (names both folders).

    """
    try:
        if not os.path.lexists(target):
            os.rename(staging, target)
            return
        if exchange and _exchange(staging, target):
            remove(staging)
            return
        aside = _aside_path(target)
        os.rename(target, aside)
        crash_point("swap-aside")
        os.rename(staging, target)
        remove(aside)
    except OSError as exc:
        raise _move_error(staging, target, exc) from exc


def discard(staging: Path) -> None:
    """Remove a staging folder (after a failed build)."""
    remove(staging)
