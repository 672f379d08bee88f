"""Write the week plan's tables and the rejects of a run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeplan.errors import RouteplanError
from routeplan.plan import WeekPlan


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) or fail with a clear error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RouteplanError(
            f"cannot create output folder {path}: {exc.strerror}",
            hint="choose a writable folder with --out",
        ) from exc
    return path


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV or fail naming the file."""
    try:
        table.to_csv(path, index=False)
    except OSError as exc:
        raise RouteplanError(
            f"cannot write {path}: {exc.strerror}", hint="choose a writable --out"
        ) from exc
    return path


def write_week_tables(plan: WeekPlan, folder: Path) -> list[Path]:
    """``routes.csv``, ``days.csv`` and ``dropped.csv`` of one week."""
    ensure_dir(folder)
    return [
        write_csv(plan.routes, folder / "routes.csv"),
        write_csv(plan.days, folder / "days.csv"),
        write_csv(plan.dropped, folder / "dropped.csv"),
    ]


def write_rejects(rejects: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """One ``rejects-<file>.csv`` per input file with rows left out, each with its reason."""
    ensure_dir(folder)
    return [write_csv(table, folder / f"rejects-{name}.csv") for name, table in rejects.items()]
