"""One writer at a time per plan store: an OS lock on ``<store>.lock`` holding the writer's PID.

The lock is an advisory ``flock`` (``msvcrt.locking`` on Windows) on a file beside the store.
The operating system releases it when the process ends, however it ends (``kill -9``
included), so a crashed build never leaves a stale lock. A second writer waits up to
``wait_s`` seconds, then stops with a message naming the store and the PID holding it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from routeplan.errors import StoreError
from routeplan.i18n import _

DEFAULT_WAIT_S = 10.0
"""How long a second build waits for the store before giving up."""

WAIT_ENV = "ROUTEPLAN_STORE_WAIT_S"
"""Environment variable overriding :data:`DEFAULT_WAIT_S` (seconds)."""

_POLL_S = 0.1


def lock_path(store: Path) -> Path:
    """Return the lock file of ``store`` (``plan.sqlite.lock``)."""
    return store.with_name(store.name + ".lock")


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


def _wait_s(wait_s: float | None) -> float:
    if wait_s is not None:
        return wait_s
    try:
        return float(os.environ.get(WAIT_ENV, DEFAULT_WAIT_S))
    except ValueError:
        return DEFAULT_WAIT_S


@contextmanager
def store_writer(store: Path, *, wait_s: float | None = None) -> Iterator[Path]:
    """Hold the write lock of ``store`` for the ``with`` block.

    Parameters
    ----------
    store
        The plan store file (its folder must exist or be creatable).
    wait_s
        Seconds to wait for another writer; default :data:`DEFAULT_WAIT_S` or
        ``$ROUTEPLAN_STORE_WAIT_S``.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    StoreError
        When another process still holds the lock after ``wait_s`` (names its PID), or the
        lock file cannot be created.

    """
    path = lock_path(Path(store))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise StoreError(
            _("cannot create the lock file {path}: {reason}", path=path, reason=exc.strerror),
            hint=_("check the folder of the plan store and its permissions"),
        ) from exc
    try:
        deadline = time.monotonic() + _wait_s(wait_s)
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise StoreError(
                    _(
                        "the plan store {store} is in use by another routeplan process "
                        "(PID {pid}); stopped after waiting {seconds} s",
                        store=store,
                        pid=_holder(path),
                        seconds=round(_wait_s(wait_s)),
                    ),
                    hint=_("wait for the other build to finish, then run this one again"),
                )
            time.sleep(_POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield path
    finally:
        handle.close()
