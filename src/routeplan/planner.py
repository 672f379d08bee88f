"""Orchestration: load, tier, assign zones, calendar, route every rep-week, gather the plan."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from routeplan.calendar import build_calendar, due_in_week
from routeplan.config import Settings, load_settings
from routeplan.errors import RouteplanError
from routeplan.executor import make_executor
from routeplan.io.readers import Inputs, load_inputs
from routeplan.plan import WeekPlan
from routeplan.plan_tables import rep_week_tables, week_plan
from routeplan.problems import rep_week_problem
from routeplan.routing import RepWeekProblem, RepWeekSolution, solve
from routeplan.territories import assign_zones
from routeplan.tiers import assign_tiers
from routeplan.travel import HaversineProvider, MatrixProvider

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while a long step runs."""


@dataclass
class Prepared:
    """Validated inputs, tiered and assigned to zones: the state every command starts from."""

    settings: Settings
    inputs: Inputs
    clients: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame
    data_dir: Path
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    """What ``build --week N`` produced."""

    plan: WeekPlan
    due: pd.DataFrame
    solutions: dict[str, RepWeekSolution]
    failures: dict[str, str]
    seconds: float
    warnings: list[str] = field(default_factory=list)


def prepare(
    data_dir: Path, *, config_path: Path | None = None, skip_invalid: bool = False
) -> Prepared:
    """Load and validate the inputs, tier the clients and assign them to zones.

    Parameters
    ----------
    data_dir
        Folder with clients, reps, zones and (by default) ``routeplan.toml``.
    config_path
        Settings file; default ``data_dir / "routeplan.toml"``.
    skip_invalid
        Leave bad rows out (returned in ``inputs.rejects``) instead of failing.

    Returns
    -------
    Prepared
        Clients with ``tier``, ``tier_reason``, ``zone``, ``rep_id`` and ``service_min``.

    """
    settings = load_settings(config_path or data_dir / "routeplan.toml")
    inputs = load_inputs(data_dir, settings, skip_invalid=skip_invalid)
    clients = assign_zones(inputs.clients, inputs.zones)
    clients = assign_tiers(clients, settings.tiers, source=str(inputs.files["clients"]))
    default_service = clients["tier"].map({t: c.service_min for t, c in settings.cadence.items()})
    clients["service_min"] = clients["service_min"].fillna(default_service).astype(int)
    warnings = []
    outside = clients[clients["zone_source"] == "nearest"]
    if len(outside):
        listed = ", ".join(
            f"{c} ({d:.0f} m)"
            for c, d in zip(outside["client_id"], outside["zone_distance_m"], strict=True)
        )
        warnings.append(f"{len(outside)} client(s) outside every zone, given the nearest: {listed}")
    for name, rejects in inputs.rejects.items():
        warnings.append(f"{len(rejects)} invalid row(s) of {name} left out (see rejects)")
    return Prepared(
        settings=settings,
        inputs=inputs,
        clients=clients,
        reps=inputs.reps,
        zones=inputs.zones,
        data_dir=data_dir,
        warnings=warnings,
    )


def travel_provider(settings: Settings) -> MatrixProvider:
    """The travel model the settings ask for."""
    return HaversineProvider(speed_kmh=settings.travel.speed_kmh, circuity=settings.travel.circuity)


def due_visits(prepared: Prepared, week: int) -> pd.DataFrame:
    """Every visit due in ``week``, one row per visit with a stable ``visit_id``."""
    settings = prepared.settings
    if not 1 <= week <= settings.cycle.weeks:
        raise RouteplanError(
            f"week {week} is outside the cycle of {settings.cycle.weeks} weeks",
            hint=f"use --week 1..{settings.cycle.weeks} or change [cycle] weeks",
        )
    calendar = build_calendar(
        prepared.clients, settings, reps=prepared.reps, seed=settings.solver.seed
    )
    due = due_in_week(calendar, week).copy()
    due["visit_id"] = [
        f"{c}/w{w}/{n}"
        for c, w, n in zip(due["client_id"], due["week"], due["visit_no"], strict=True)
    ]
    due["catch_up"] = False
    return due


@dataclass(frozen=True)
class RepWeekTask:
    """One unit of parallel work: a routing problem and its search settings."""

    problem: RepWeekProblem
    time_limit_s: float
    seed: int


def solve_task(task: RepWeekTask) -> RepWeekSolution:
    """Solve one rep-week (runs in a worker process or on a Dask worker)."""
    return solve(task.problem, time_limit_s=task.time_limit_s, seed=task.seed)


def build_week(
    prepared: Prepared,
    week: int,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Plan ``week`` for every rep.

    Parameters
    ----------
    prepared
        Output of :func:`prepare`.
    week
        Week of the cycle, 1-based.
    workers
        Local worker processes (default from settings; 0 = number of cores).
    scheduler
        Dask scheduler address; overrides local workers.
    progress
        Callback for progress bars.

    Returns
    -------
    BuildResult
        The plan, the due visits, per-rep solutions and any rep whose solve failed.

    """
    started = time.perf_counter()
    settings = prepared.settings
    due = due_visits(prepared, week)
    clients = prepared.clients.set_index("client_id", drop=False)
    provider = travel_provider(settings)
    tasks: list[tuple[str, RepWeekTask]] = []
    problems: dict[str, RepWeekProblem] = {}
    for rep in prepared.reps.itertuples(index=False):
        rep_row = pd.Series(rep._asdict())
        rep_due = due[due["rep_id"] == rep.rep_id]
        problem, _ = rep_week_problem(rep_row, rep_due, clients, settings, provider, week=week)
        problems[rep.rep_id] = problem
        tasks.append(
            (
                rep.rep_id,
                RepWeekTask(problem, settings.solver.seconds_per_rep_week, settings.solver.seed),
            )
        )

    executor = make_executor(
        workers=settings.solver.workers if workers is None else workers,
        scheduler=scheduler or settings.solver.scheduler,
    )
    solutions: dict[str, RepWeekSolution] = {}
    failures: dict[str, str] = {}
    for done, result in enumerate(executor.run(solve_task, tasks), start=1):
        if result.error is not None:
            failures[result.key] = result.error
        else:
            solutions[result.key] = result.value
        if progress:
            progress("routing", done, len(tasks))

    due_by_visit = due.set_index("visit_id")
    routes, days, dropped = [], [], []
    reps = prepared.reps.set_index("rep_id", drop=False)
    for rep_id in sorted(solutions):
        r, d, x = rep_week_tables(
            problems[rep_id],
            solutions[rep_id],
            rep=reps.loc[rep_id],
            due=due_by_visit,
            clients=clients,
            settings=settings,
            week=week,
        )
        routes += r
        days += d
        dropped += x
    for rep_id in sorted(failures):
        for visit in due[due["rep_id"] == rep_id].itertuples(index=False):
            client = clients.loc[visit.client_id]
            dropped.append(
                {
                    "week": week,
                    "rep_id": rep_id,
                    "client_id": visit.client_id,
                    "name": client["name"],
                    "tier": visit.tier,
                    "lat": client["lat"],
                    "lon": client["lon"],
                    "reason": f"rep-week could not be solved: {failures[rep_id]}",
                }
            )
    plan = week_plan(week, routes, days, dropped)
    warnings = [f"rep {k}: routing failed: {v}" for k, v in sorted(failures.items())]
    return BuildResult(
        plan=plan,
        due=due,
        solutions=solutions,
        failures=failures,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )
