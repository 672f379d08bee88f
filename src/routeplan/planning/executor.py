"""Run independent tasks (rep-weeks) on local processes or a Dask cluster, one interface."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class TaskResult:
    """The outcome of one task: its key, and either a value or the error it raised."""

    key: str
    value: Any = None
    error: str | None = None


class Executor(Protocol):
    """Runs ``fn`` over tasks and yields results as they finish (in any order)."""

    def run(
        self, fn: Callable[[Any], Any], tasks: Sequence[tuple[str, Any]]
    ) -> Iterator[TaskResult]:
        """Yield one :class:`TaskResult` per task as it finishes."""
        ...


def default_workers() -> int:
    """Number of usable cores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1
_WATCHDOG_S = 1.0


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCHDOG_S)
    os._exit(1)


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when process ``parent`` ends, even by ``kill -9``.

    On Linux the kernel sends the worker SIGKILL when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread checks the parent every second.
    A worker whose parent is already gone exits at once.

    Parameters
    ----------
    parent
        PID of the process that started the pool.

    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:  # pragma: no cover - macOS and Windows
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


@dataclass(frozen=True)
class LocalExecutor:
    """Worker processes on this machine; ``workers=1`` runs in-process (easy to debug).

    Workers end with the main process, however it ends (:func:`die_with_parent`).
    """

    workers: int = 0

    def run(
        self, fn: Callable[[Any], Any], tasks: Sequence[tuple[str, Any]]
    ) -> Iterator[TaskResult]:
        """Yield one :class:`TaskResult` per task as it finishes."""
        workers = self.workers or default_workers()
        if workers == 1 or len(tasks) <= 1:
            for key, task in tasks:
                yield _call(fn, key, task)
            return
        with ProcessPoolExecutor(
            max_workers=min(workers, len(tasks)),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            futures: dict[Future[Any], str] = {pool.submit(fn, task): key for key, task in tasks}
            for future in as_completed(futures):
                yield _outcome(futures[future], future)


@dataclass(frozen=True)
class DaskExecutor:
    """Tasks on a Dask distributed cluster at ``address`` (e.g. ``tcp://host:8786``)."""

    address: str

    def run(
        self, fn: Callable[[Any], Any], tasks: Sequence[tuple[str, Any]]
    ) -> Iterator[TaskResult]:
        """Yield one :class:`TaskResult` per task as it finishes."""
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(self.address) as client:
            futures = {
                client.submit(fn, task, key=f"routeplan-{key}", pure=False): key
                for key, task in tasks
            }
            for future in dask_completed(list(futures)):
                yield _outcome(futures[future], future)


def _call(fn: Callable[[Any], Any], key: str, task: Any) -> TaskResult:
    try:
        return TaskResult(key, fn(task))
    except Exception as exc:  # a failing task must not lose the others' results
        return TaskResult(key, error=f"{type(exc).__name__}: {exc}")


def _outcome(key: str, future: Any) -> TaskResult:
    try:
        return TaskResult(key, future.result())
    except Exception as exc:  # reported with its key, the others go on
        return TaskResult(key, error=f"{type(exc).__name__}: {exc}")


def make_executor(*, workers: int = 0, scheduler: str | None = None) -> Executor:
    """A Dask executor when ``scheduler`` is given, else local processes."""
    if scheduler:
        return DaskExecutor(scheduler)
    return LocalExecutor(workers)
