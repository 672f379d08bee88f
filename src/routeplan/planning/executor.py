"""Run independent tasks (rep-weeks) on local processes or a Dask cluster, one interface."""

from __future__ import annotations

import os
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


@dataclass(frozen=True)
class LocalExecutor:
    """Worker processes on this machine; ``workers=1`` runs in-process (easy to debug)."""

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
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
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
