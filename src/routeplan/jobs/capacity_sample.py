"""``--route-sample N``: route N rep-weeks of a scenario with the real solver, against the estimate.

The scenario's balanced zones and cadences get an in-memory cycle calendar; N rep-weeks are
picked evenly over the reps and the weeks of the cycle, routed exactly as ``build`` routes
them (same problems, solver and time limit) and their routed hours compared with the
workload method's estimate: of every due visit (``estimated_h``) and of the visits the solver
could plan (``estimated_planned_h``, the like-for-like check of the estimate).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from routeplan.capacity.evaluate import ScenarioResult
from routeplan.capacity.scenario import apply_scenario
from routeplan.model.plan import WeekPlan
from routeplan.planning.executor import make_executor
from routeplan.planning.prepare import Prepared, travel_provider
from routeplan.planning.problems import rep_week_problem
from routeplan.planning.week import due_visits, plan_from_solutions, solve_all

SAMPLE_COLUMNS: tuple[str, ...] = (
    "rep_id",
    "week",
    "due_visits",
    "planned",
    "dropped",
    "estimated_h",
    "estimated_planned_h",
    "routed_h",
    "estimated_drive_h",
    "routed_drive_h",
)
"""Columns of ``route-sample.csv``: one row per rep-week routed."""


@dataclass
class RouteSample:
    """The routed sample: one row per rep-week, totals and the time it took."""

    table: pd.DataFrame
    seconds: float

    @property
    def ratio(self) -> float:
        """Routed hours ÷ the estimate of the same (planned) visits; 1 = the estimate was exact."""
        estimated = float(self.table["estimated_planned_h"].sum())
        return float(self.table["routed_h"].sum()) / estimated if estimated else float("nan")


def scenario_reps(result: ScenarioResult, reps: pd.DataFrame) -> pd.DataFrame:
    """The scenario's reps: today's row (with its new zone) or a new rep homed in its zone."""
    by_id = reps.set_index("rep_id", drop=False)
    rows = []
    for zone, group in result.accounts.groupby("zone", sort=True):
        rep_id = str(group["rep_id"].iloc[0])
        if rep_id in by_id.index:
            row = by_id.loc[rep_id].to_dict()
        else:
            centre = group[["lat", "lon"]].mean().to_numpy()
            home = group.iloc[int(np.argmin(((group[["lat", "lon"]] - centre) ** 2).sum(axis=1)))]
            row = {"rep_id": rep_id, "name": rep_id, "home_lat": home["lat"]}
            row["home_lon"] = home["lon"]
        row["zone"] = str(zone)
        rows.append(row)
    return pd.DataFrame(rows)


def _picks(reps: list[str], weeks: int, n: int) -> list[tuple[str, int]]:
    """N rep-weeks spread evenly over the reps and the cycle (deterministic)."""
    n = min(n, len(reps) * weeks)
    step = len(reps) / n
    return sorted({(reps[int(i * step)], 1 + (i * 7) % weeks) for i in range(n)})


def route_sample(
    prepared: Prepared, result: ScenarioResult, n: int, *, workers: int | None = None
) -> RouteSample:
    """Route ``n`` rep-weeks of ``result``'s scenario and compare with the estimate.

    Parameters
    ----------
    prepared
        Today's prepared inputs (settings, travel model).
    result
        The scenario, evaluated (balanced zones, accounts with their minutes).
    n
        Rep-weeks to route.
    workers
        Local worker processes (default from settings).

    Returns
    -------
    RouteSample
        One row per rep-week routed and the time it took.

    """
    started = time.perf_counter()
    settings, _reps, _k = apply_scenario(prepared.settings, prepared.reps, result.scenario)
    reps = scenario_reps(result, _reps)
    clients = result.accounts.reset_index(drop=True)
    clients["service_min"] = clients["service_min"].round().astype(int)
    scenario = replace(
        prepared, settings=settings, clients=clients, inputs=replace(prepared.inputs, reps=reps)
    )
    provider = travel_provider(scenario)
    executor = make_executor(workers=settings.solver.workers if workers is None else workers)
    per_visit = clients.set_index("client_id")
    rows = []
    picks = _picks(sorted(reps["rep_id"].astype(str)), settings.cycle.weeks, n)
    by_id = reps.set_index("rep_id", drop=False)
    indexed = clients.set_index("client_id", drop=False)
    for week in sorted({w for _r, w in picks}):
        chosen = [r for r, w in picks if w == week]
        due = due_visits(scenario, week)
        due = due[due["rep_id"].isin(chosen)]
        problems = {
            rep_id: rep_week_problem(
                by_id.loc[rep_id],
                due[due["rep_id"] == rep_id],
                indexed,
                settings,
                provider,
                week=week,
            )
            for rep_id in chosen
        }
        solutions, failures = solve_all(problems, executor, settings)
        plan = plan_from_solutions(scenario, problems, solutions, failures, due, week=week)
        for rep_id in chosen:
            rows.append(_row(rep_id, week, due, plan, per_visit))
    return RouteSample(
        pd.DataFrame(rows, columns=list(SAMPLE_COLUMNS)), time.perf_counter() - started
    )


def _row(
    rep_id: str, week: int, due: pd.DataFrame, plan: WeekPlan, per_visit: pd.DataFrame
) -> dict[str, object]:
    mine = due[due["rep_id"] == rep_id]
    days = plan.days[plan.days["rep_id"] == rep_id]
    routes = plan.routes[plan.routes["rep_id"] == rep_id]
    dropped = plan.dropped[plan.dropped["rep_id"] == rep_id]
    minutes = per_visit.loc[mine["client_id"], ["service_min", "travel_min_per_visit"]]
    planned = per_visit.loc[routes["client_id"], ["service_min", "travel_min_per_visit"]]
    return {
        "rep_id": rep_id,
        "week": week,
        "due_visits": len(mine),
        "planned": len(routes),
        "dropped": len(dropped),
        "estimated_h": round(float(minutes.to_numpy().sum()) / 60.0, 2),
        "estimated_planned_h": round(float(planned.to_numpy().sum()) / 60.0, 2),
        "routed_h": round(float(days["travel_min"].sum() + days["service_min"].sum()) / 60.0, 2),
        "estimated_drive_h": round(float(minutes["travel_min_per_visit"].sum()) / 60.0, 2),
        "routed_drive_h": round(float(days["travel_min"].sum()) / 60.0, 2),
    }
