"""The whole ``build --week N`` job as one library call, timed stage by stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from routeplan.exports import week_dir, write_week_outputs
from routeplan.io.writers import write_rejects
from routeplan.planner import BuildResult, Prepared, Progress, build_week, prepare
from routeplan.render import write_week_maps
from routeplan.store import STORE_FILENAME, PlanStore


@dataclass
class BuildOutcome:
    """Everything a build produced, with the seconds each stage took."""

    prepared: Prepared
    result: BuildResult
    written: list[Path]
    folder: Path
    seconds: dict[str, float] = field(default_factory=dict)


def run_build(
    data_dir: Path,
    week: int,
    *,
    out_dir: Path,
    maps_dir: Path,
    config_path: Path | None = None,
    store_path: Path | None = None,
    skip_invalid: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> BuildOutcome:
    """Load, plan ``week`` and write its tables and maps.

    Parameters
    ----------
    data_dir
        Input folder (clients, reps, zones, routeplan.toml).
    week
        Week of the cycle, 1-based.
    out_dir
        Exports go to ``out_dir/week-NN/`` (see :func:`routeplan.exports.write_week_outputs`).
    maps_dir
        Maps go to ``maps_dir/week-NN/``.
    config_path
        Settings file, default ``data_dir/routeplan.toml``.
    store_path
        The plan store (calendar, week plans, visit log), default ``data_dir/plan.sqlite``.
    skip_invalid
        Leave bad input rows out (written to ``rejects-*.csv``) instead of failing.
    workers
        Local worker processes; None = settings.
    scheduler
        Dask scheduler address; None = settings.
    progress
        Progress callback.

    Returns
    -------
    BuildOutcome
        The plan, the files written and the stage timings (``prepare``, ``plan``, ``write``).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    prepared = prepare(data_dir, config_path=config_path, skip_invalid=skip_invalid)
    seconds["prepare"] = time.perf_counter() - started

    started = time.perf_counter()
    with PlanStore(store_path or prepared.data_dir / STORE_FILENAME) as store:
        result = build_week(
            prepared, week, store=store, workers=workers, scheduler=scheduler, progress=progress
        )
        store.save_week_plan(result.plan)
    seconds["plan"] = time.perf_counter() - started

    started = time.perf_counter()
    route_lines = {key: [p for leg in lines for p in leg] for key, lines in result.legs.items()}
    exported = write_week_outputs(
        result.plan, out_dir, settings=prepared.settings, reps=prepared.reps, legs=route_lines
    )
    folder = week_dir(out_dir, week)
    written = [path for paths in exported.values() for path in paths]
    written += write_rejects(prepared.inputs.rejects, folder)
    written += write_week_maps(
        result.plan, prepared, week_dir(maps_dir, week), legs=result.legs, progress=progress
    )
    seconds["write"] = time.perf_counter() - started
    return BuildOutcome(
        prepared=prepared, result=result, written=written, folder=folder, seconds=seconds
    )
