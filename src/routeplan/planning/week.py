"""Orchestration: load, tier, assign zones, calendar, route every rep-week, gather the plan."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from routeplan.calendar.construction import build_calendar
from routeplan.calendar.servable import unservable_clients
from routeplan.calendar.updates import visits_for_week
from routeplan.config import Settings
from routeplan.i18n import _, ngettext
from routeplan.io.plan_files import stops_by_rep_day
from routeplan.model.plan import WeekPlan
from routeplan.model.reasons import reason_text
from routeplan.planning.calendar_sync import load_or_build_calendar
from routeplan.planning.capacity_check import capacity_warnings, over_capacity, travel_factors
from routeplan.planning.executor import Executor, make_executor
from routeplan.planning.prepare import Prepared, Progress, travel_provider
from routeplan.planning.problems import rep_week_problem
from routeplan.planning.reasons import failed_code
from routeplan.planning.store import PlanStore
from routeplan.planning.tables import rep_week_tables, week_plan
from routeplan.routing import RepWeekProblem, RepWeekSolution, solve
from routeplan.stopwatch import timed
from routeplan.travel.haversine import MatrixProvider
from routeplan.travel.osm.matrix import route_legs


@dataclass
class BuildResult:
    """What ``build --week N`` produced."""

    plan: WeekPlan
    due: pd.DataFrame
    solutions: dict[str, RepWeekSolution]
    failures: dict[str, str]
    legs: dict[tuple[str, str], list[list[tuple[float, float]]]]
    seconds: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    calendar: pd.DataFrame | None = None
    """The cycle calendar the week was planned from (KPIs reuse it)."""
    unservable: pd.DataFrame | None = None
    """Accounts left out of routing: hours that never meet the rep's day."""


def day_legs(
    plan: WeekPlan, provider: MatrixProvider
) -> dict[tuple[str, str], list[list[tuple[float, float]]]]:
    """Road (or straight) geometry of every rep-day: home → stops → home, one line per leg."""
    legs = {}
    for (rep_id, date), stops in stops_by_rep_day(plan.routes).items():
        day = plan.days[(plan.days["rep_id"] == rep_id) & (plan.days["date"] == date)].iloc[0]
        lat = np.concatenate([[day["home_lat"]], stops["lat"].to_numpy(float)])
        lon = np.concatenate([[day["home_lon"]], stops["lon"].to_numpy(float)])
        order = [0, *range(1, len(stops) + 1), 0]
        legs[(rep_id, date)] = route_legs(provider, lat, lon, order)
    return legs


def cycle_calendar(prepared: Prepared, store: PlanStore | None = None) -> pd.DataFrame:
    """The cycle calendar, read once per build.

    From the store it is brought up to date (built and saved on first use, new clients added
    without moving the others); without a store it is built in memory.
    """
    if store is None:
        return build_calendar(prepared.clients, prepared.settings, reps=prepared.reps)
    calendar, _changes = load_or_build_calendar(
        store, prepared.clients, prepared.settings, reps=prepared.reps
    )
    return calendar


def due_visits(
    prepared: Prepared,
    week: int,
    *,
    store: PlanStore | None = None,
    calendar: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every visit to route in ``week``, one row per visit with a stable ``visit_id``.

    With a plan store, missed or dropped visits of earlier weeks come back as catch-ups.

    Parameters
    ----------
    prepared
        Output of :func:`prepare`.
    week
        Week of the cycle, 1-based.
    store
        The plan store, or None.
    calendar
        The cycle calendar when already at hand (default :func:`cycle_calendar`).

    Returns
    -------
    pandas.DataFrame
        Calendar rows of the week plus ``catch_up``, ``priority`` and ``visit_id``.
    """
    settings = prepared.settings
    settings.cycle.check_week(week)
    if calendar is None:
        calendar = cycle_calendar(prepared, store)
    backlog = (
        store.backlog(week, weekly_clients=weekly_clients(calendar, settings))
        if store is not None
        else None
    )
    due = visits_for_week(calendar, week, settings, backlog=backlog)
    excluded = unservable_of(prepared)
    if len(excluded):
        due = due[~due["client_id"].isin(set(excluded["client_id"]))]
    due = with_slots(due.reset_index(drop=True), store, week=week, settings=settings)
    kind = np.where(due["catch_up"], "c", "")
    due["visit_id"] = [
        f"{c}/w{w}/{k}{n}"
        for c, w, k, n in zip(due["client_id"], due["week"], kind, due["visit_no"], strict=True)
    ]
    return due


def with_slots(
    due: pd.DataFrame, store: PlanStore | None, *, week: int, settings: Settings
) -> pd.DataFrame:
    """Add ``slot`` (HH:MM or empty): the regular time of a weekly visit on its one weekday.

    Only visits of weekly tiers pinned to one weekday get a slot (from
    :meth:`PlanStore.slots`); routing keeps them within ``[workday] slot_tolerance_min``.
    """
    due = due.assign(slot="")
    if store is None or not settings.workday.regular_slots or due.empty:
        return due
    slots = store.slots(week)
    if slots.empty:
        return due
    start = slots.set_index(["client_id", "day"])["start"]
    weekly = (due["phase"] == 0) & ~due["catch_up"].astype(bool)
    single = ~due["days"].astype(str).str.contains(" ")
    keys = list(zip(due["client_id"], due["days"].astype(str), strict=True))
    found = [str(start.get(k, "")) for k in keys]
    due["slot"] = [f if ok else "" for f, ok in zip(found, weekly & single, strict=True)]
    return due


def free_day_notes(plan: WeekPlan, settings: Settings) -> list[str]:
    """With ``[workday] shape = "compact"``, the workdays left free on purpose, per rep."""
    if settings.workday.shape != "compact":
        return []
    free = plan.days[plan.days["visits"] == 0]
    return [
        _(
            "rep {rep}, week {week}: {days} left free on purpose (shape = compact), e.g. for "
            "prospecting",
            rep=rep_id,
            week=plan.week,
            days=", ".join(f"{d} {date}" for d, date in zip(grp["day"], grp["date"], strict=True)),
        )
        for rep_id, grp in free.groupby("rep_id", sort=True)
    ]


def _capacity_warnings(
    prepared: Prepared,
    due: pd.DataFrame,
    calendar: pd.DataFrame,
    store: PlanStore | None,
    *,
    week: int,
) -> list[str]:
    """Rep-weeks over capacity by the travel estimate calibrated on the stored weeks."""
    plans = []
    if store is not None:
        plans = [p for w in store.saved_weeks() if w < week and (p := store.load_week_plan(w))]
    factors = travel_factors(plans, calendar)
    return capacity_warnings(over_capacity(prepared, due, week=week, factors=factors), week=week)


def weekly_clients(calendar: pd.DataFrame, settings: Settings) -> set[str]:
    """Clients of weekly tiers (calendar rows with ``phase == 0``) whose misses are made up.

    Empty when ``[calendar] make_up_weekly`` is off: their next regular visit then closes a
    miss, as for every-N clients.
    """
    if not settings.calendar.make_up_weekly:
        return set()
    return set(calendar.loc[calendar["phase"] == 0, "client_id"].astype(str))


def unservable_of(prepared: Prepared) -> pd.DataFrame:
    """Accounts left out of routing because their hours never meet the rep's day.

    Empty when ``[calendar] exclude_unservable`` is off (they are then dropped every week).
    """
    found = unservable_clients(prepared.clients, prepared.reps, prepared.settings)
    return found if prepared.settings.calendar.exclude_unservable else found.iloc[0:0]


def unservable_warning(unservable: pd.DataFrame) -> list[str]:
    """One line for the accounts left out of routing (none when there are none)."""
    if unservable.empty:
        return []
    return [
        ngettext(
            "{count} account can never be visited within its rep's working hours and is left "
            "out of routing (see unservable.csv): {ids}",
            "{count} accounts can never be visited within their rep's working hours and are "
            "left out of routing (see unservable.csv): {ids}",
            len(unservable),
            ids=", ".join(unservable["client_id"]),
        )
    ]


@dataclass(frozen=True)
class RepWeekTask:
    """One unit of parallel work: a routing problem and its search settings."""

    problem: RepWeekProblem
    time_limit_s: float
    seed: int


def solve_task(task: RepWeekTask) -> RepWeekSolution:
    """Solve one rep-week (runs in a worker process or on a Dask worker)."""
    return solve(task.problem, time_limit_s=task.time_limit_s, seed=task.seed)


def rep_week_problems(
    prepared: Prepared, due: pd.DataFrame, provider: MatrixProvider, *, week: int
) -> dict[str, RepWeekProblem]:
    """One routing problem per rep (travel matrix over home and that rep's due clients only)."""
    clients = prepared.clients.set_index("client_id", drop=False)
    problems = {}
    for rep in prepared.reps.itertuples(index=False):
        rep_due = due[due["rep_id"] == rep.rep_id]
        problems[rep.rep_id] = rep_week_problem(
            pd.Series(rep._asdict()), rep_due, clients, prepared.settings, provider, week=week
        )
    return problems


def solve_all(
    problems: dict[str, RepWeekProblem],
    executor: Executor,
    settings: Settings,
    *,
    progress: Progress | None = None,
) -> tuple[dict[str, RepWeekSolution], dict[str, str]]:
    """Solve every rep-week on ``executor``; a failing rep-week is returned with its error."""
    tasks = [
        (rep_id, RepWeekTask(problem, settings.solver.seconds_per_rep_week, settings.solver.seed))
        for rep_id, problem in problems.items()
    ]
    solutions: dict[str, RepWeekSolution] = {}
    failures: dict[str, str] = {}
    for done, result in enumerate(executor.run(solve_task, tasks), start=1):
        if result.error is not None:
            failures[result.key] = result.error
        else:
            solutions[result.key] = result.value
        if progress:
            progress("routing", done, len(tasks))
    return solutions, failures


def plan_from_solutions(
    prepared: Prepared,
    problems: dict[str, RepWeekProblem],
    solutions: dict[str, RepWeekSolution],
    failures: dict[str, str],
    due: pd.DataFrame,
    *,
    week: int,
) -> WeekPlan:
    """The week's tables, in rep order; every visit of a failed rep-week is dropped with why."""
    clients = prepared.clients.set_index("client_id", drop=False)
    reps = prepared.reps.set_index("rep_id", drop=False)
    due_by_visit = due.set_index("visit_id")
    routes: list[dict] = []
    days: list[dict] = []
    dropped: list[dict] = []
    for rep_id in sorted(solutions):
        r, d, x = rep_week_tables(
            problems[rep_id],
            solutions[rep_id],
            rep=reps.loc[rep_id],
            due=due_by_visit,
            clients=clients,
            settings=prepared.settings,
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
                    "reason_code": failed_code(failures[rep_id]),
                    "reason": reason_text(failed_code(failures[rep_id])),
                    "catch_up": bool(visit.catch_up),
                    "priority": int(visit.priority),
                }
            )
    return week_plan(week, routes, days, dropped)


def build_week(
    prepared: Prepared,
    week: int,
    *,
    store: PlanStore | None = None,
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
    store
        The plan store (calendar, earlier weeks, visit log); None plans from an in-memory
        calendar with no catch-ups.
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
    seconds: dict[str, float] = {}
    settings = prepared.settings
    with timed(seconds, "calendar"):
        calendar = cycle_calendar(prepared, store)
        due = due_visits(prepared, week, store=store, calendar=calendar)
        capacity = _capacity_warnings(prepared, due, calendar, store, week=week)
    provider = travel_provider(prepared)
    with timed(seconds, "matrices"):
        problems = rep_week_problems(prepared, due, provider, week=week)
    with timed(seconds, "routing"):
        executor = make_executor(
            workers=settings.solver.workers if workers is None else workers,
            scheduler=scheduler or settings.solver.scheduler,
        )
        solutions, failures = solve_all(problems, executor, settings, progress=progress)
    with timed(seconds, "tables"):
        plan = plan_from_solutions(prepared, problems, solutions, failures, due, week=week)
        legs = day_legs(plan, provider)
    unservable = unservable_of(prepared)
    failed = [
        _(
            "rep {rep}, week {week}: routing failed, its visits are in dropped.csv: {error}",
            rep=k,
            week=week,
            error=v,
        )
        for k, v in sorted(failures.items())
    ]
    warnings = unservable_warning(unservable) + capacity + free_day_notes(plan, settings) + failed
    return BuildResult(
        plan=plan,
        due=due,
        solutions=solutions,
        failures=failures,
        legs=legs,
        seconds=seconds,
        warnings=warnings,
        calendar=calendar,
        unservable=unservable,
    )
