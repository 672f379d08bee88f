"""Solve one rep-week with one search plan: model, search, routes, reasons for drops."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routeplan.routing.construction import spread_initial
from routeplan.routing.model import (
    BuiltModel,
    Candidate,
    build_model,
    fits_day,
    horizon_of,
    usable_windows,
)
from routeplan.routing.problem import (
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_LOAD,
    REASON_NO_DAY,
    REASON_NO_SOLUTION,
    REASON_SPACING,
    REASON_TIME,
    Day,
    DayRoute,
    Dropped,
    RepWeekProblem,
    RepWeekSolution,
    Stop,
    Visit,
)
from routeplan.routing.retime import arrival, retime_day
from routeplan.routing.search import Limits, SearchPlan, limits_for, search_parameters


def solve_one(
    problem: RepWeekProblem, *, time_limit_s: float, plan: SearchPlan, repeatable: bool
) -> RepWeekSolution:
    """Route ``problem`` with one search ``plan`` (see :func:`routeplan.routing.solve`).

    Visits that fit no day on their own are dropped before the model is built; the others
    are planned or dropped with the reason the final routes give. ``runtime_s`` is left 0;
    ``stats`` holds the work limit, the safety-net clock, whether the clock stopped the
    search (``clock_stopped`` 1.0: the result may differ run to run) and the CPU seconds.
    """
    cpu_started = time.process_time()
    horizon = horizon_of(problem)
    candidates, dropped = _prefilter(problem, horizon)
    if not candidates:
        routes = [_empty_route(i, d) for i, d in enumerate(problem.days)]
        return RepWeekSolution(routes, dropped, "OPTIMAL", 0, 0.0, problem.rep_id)
    built = build_model(problem, candidates)
    lunch = any(brk is not None for brk in built.breaks.values())
    limits = limits_for(
        time_limit_s,
        len(candidates),
        lunch=lunch,
        iterated=bool(plan.ruin),
        repeatable=repeatable,
    )
    outcome = _search(problem, built, plan, limits, lunch=lunch)
    stats = {
        "candidates": float(len(candidates)),
        "work_limit": float(limits.solutions or 0),
        "safety_net_s": limits.clock_s,
        "clock_stopped": float(outcome.clock_stopped),
        "cpu_s": time.process_time() - cpu_started,
    }
    if outcome.best is None:
        routes = [_empty_route(i, d) for i, d in enumerate(problem.days)]
        dropped += [_dropped(problem.visits[c.visit_index], REASON_NO_SOLUTION) for c in candidates]
        return RepWeekSolution(routes, dropped, "NO_SOLUTION", 0, 0.0, problem.rep_id, stats)
    routes = _retimed(problem, built, _extract_routes(problem, built, outcome.best), horizon)
    dropped += _explain_drops(problem, built, routes)
    objective = int(outcome.best.ObjectiveValue())
    return RepWeekSolution(routes, dropped, outcome.status, objective, 0.0, problem.rep_id, stats)


@dataclass
class _Outcome:
    """Best assignment of a search and its status.

    ``clock_stopped``: the safety-net clock, not the work limit, ended some phase.
    """

    best: pywrapcp.Assignment | None
    status: str
    clock_stopped: bool


CLOCK_MARGIN = 0.98
"""A phase that ran this share of its clock limit is taken as stopped by the clock."""


def _search(
    problem: RepWeekProblem, built: BuiltModel, plan: SearchPlan, limits: Limits, *, lunch: bool
) -> _Outcome:
    """Run the phases of ``plan``; each later phase restarts from the best solution so far.

    The work and the safety-net clock are split evenly among the guided-local-search
    phases (an iterated local search is one phase).
    """
    routing = built.routing
    initial = None
    if plan.extra_routes:
        initial = spread_initial(
            problem, built, plan, extra_routes=plan.extra_routes, clock_s=limits.clock_s / 4
        )
    phases = 1 if plan.ruin else len(plan.gls_lambdas)
    phase_limits = limits.split(phases)
    arc_cost = _mean_arc_cost(problem, built) if plan.ruin else 0.0
    outcome = _Outcome(None, "NOT_SOLVED", clock_stopped=False)
    for phase in range(phases):
        params = search_parameters(
            plan, limits=phase_limits, phase=phase, mean_arc_cost=arc_cost, lunch=lunch
        )
        start = outcome.best if outcome.best is not None else initial
        started = time.perf_counter()
        if plan.ruin:
            # Iterated local search builds its own first solution (no start assignment).
            found = routing.SolveWithIteratedLocalSearch(params)
        elif start is None:
            found = routing.SolveWithParameters(params)
        else:
            found = routing.SolveFromAssignmentWithParameters(start, params)
        if time.perf_counter() - started >= CLOCK_MARGIN * phase_limits.clock_s:
            outcome.clock_stopped = True
        best = outcome.best
        if found is not None and (best is None or found.ObjectiveValue() < best.ObjectiveValue()):
            outcome.best = routing.solver().Assignment(found)
        if outcome.best is not None or phase == 0:
            outcome.status = _STATUS.get(routing.status(), str(routing.status()))
    if outcome.best is not None and outcome.status == "NOT_SOLVED":
        outcome.status = "SUCCESS"  # iterated local search leaves the status unset
    return outcome


def _mean_arc_cost(problem: RepWeekProblem, built: BuiltModel) -> float:
    """Mean drive time between two distinct locations of the model (the arc cost scale)."""
    nodes = sorted(
        {problem.visits[c.visit_index].node for c in built.candidates}
        | {d.start_node for d in problem.days}
        | {d.end_node for d in problem.days}
    )
    if len(nodes) < 2:
        return 0.0
    sub = np.asarray(problem.duration_s, dtype=np.float64)[np.ix_(nodes, nodes)]
    return float(sub.sum() - np.trace(sub)) / (len(nodes) * (len(nodes) - 1))


_STATUS: dict[int, str] = {
    value: name.removeprefix("ROUTING_")
    for name, value in routing_enums_pb2.RoutingSearchStatus.Value.items()
}
"""OR-Tools search status by value: SUCCESS (time limit reached with a solution), OPTIMAL,
FAIL_TIMEOUT, INFEASIBLE, ..."""


def _dropped(visit: Visit, reason: str) -> Dropped:
    return Dropped(visit.visit_id, visit.client_id, visit.tier, reason)


def _days_of(visit: Visit) -> tuple[int, ...]:
    if visit.locked_day is not None:
        return (visit.locked_day,)
    return tuple(sorted(set(visit.allowed_days)))


def _prefilter(problem: RepWeekProblem, horizon: int) -> tuple[list[Candidate], list[Dropped]]:
    candidates: list[Candidate] = []
    dropped: list[Dropped] = []
    for i, visit in enumerate(problem.visits):
        days = _days_of(visit)
        if not days:
            dropped.append(_dropped(visit, REASON_NO_DAY))
            continue
        fitting = tuple(d for d in days if fits_day(problem, visit, problem.days[d], horizon))
        if not fitting:
            dropped.append(_dropped(visit, REASON_HOURS))
            continue
        candidates.append(Candidate(i, fitting))
    return candidates, dropped


def _empty_route(index: int, day: Day) -> DayRoute:
    return DayRoute(
        day=index, stops=[], start_s=day.start_s, end_s=day.start_s, travel_s=0, distance_m=0
    )


def _extract_routes(
    problem: RepWeekProblem, built: BuiltModel, assignment: pywrapcp.Assignment
) -> list[DayRoute]:
    routing, manager, time_dim = built.routing, built.manager, built.time
    lunches = _lunch_starts(built, assignment)
    dur, dist = problem.duration_s, problem.distance_m
    routes: list[DayRoute] = []
    for v, day in enumerate(problem.days):
        index = routing.Start(v)
        if routing.IsEnd(assignment.Value(routing.NextVar(index))):
            routes.append(_empty_route(v, day))
            continue
        day_start = assignment.Value(time_dim.CumulVar(index))
        prev_node, depart = day.start_node, day_start
        lunch = lunches.get(v)
        stops: list[Stop] = []
        travel_total = dist_total = 0
        index = assignment.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            visit = problem.visits[built.candidates[node].visit_index]
            leg_s, leg_m = int(dur[prev_node, visit.node]), int(dist[prev_node, visit.node])
            start = assignment.Value(time_dim.CumulVar(index))
            arrive = arrival(depart, leg_s, start, lunch, day.lunch_s)
            stops.append(
                Stop(
                    visit.visit_id,
                    visit.client_id,
                    visit.node,
                    len(stops) + 1,
                    arrive,
                    start,
                    start + visit.service_s,
                    leg_s,
                    leg_m,
                )
            )
            travel_total += leg_s
            dist_total += leg_m
            prev_node, depart = visit.node, start + visit.service_s
            index = assignment.Value(routing.NextVar(index))
        travel_total += int(dur[prev_node, day.end_node])
        dist_total += int(dist[prev_node, day.end_node])
        end = assignment.Value(time_dim.CumulVar(index))
        routes.append(DayRoute(v, stops, day_start, end, travel_total, dist_total, lunch))
    return routes


def _retimed(
    problem: RepWeekProblem, built: BuiltModel, routes: list[DayRoute], horizon: int
) -> list[DayRoute]:
    """Each day with its waiting moved to before leaving home (see :mod:`.retime`)."""
    by_id = {v.visit_id: v for v in problem.visits}
    out = []
    for route in routes:
        visits = [by_id[s.visit_id] for s in route.stops]
        brk = built.breaks.get(route.day)
        out.append(
            retime_day(
                route,
                problem.days[route.day],
                visits,
                [usable_windows(v, horizon) for v in visits],
                lunch_latest_s=None if brk is None else int(brk.StartMax()),
            )
        )
    return out


def _lunch_starts(built: BuiltModel, assignment: pywrapcp.Assignment) -> dict[int, int]:
    if not built.breaks:
        return {}
    container = assignment.IntervalVarContainer()
    values = {}
    for k in range(container.Size()):
        element = container.Element(k)
        values[element.Var().Name()] = (element.StartValue(), element.PerformedValue())
    out: dict[int, int] = {}
    for v, brk in built.breaks.items():
        start, performed = values.get(brk.Name(), (None, 0))
        if start is not None and performed:
            out[v] = int(start)
    return out


def _explain_drops(
    problem: RepWeekProblem, built: BuiltModel, routes: list[DayRoute]
) -> list[Dropped]:
    planned = {stop.visit_id for route in routes for stop in route.stops}
    day_of_client: dict[str, list[int]] = {}
    for route in routes:
        for stop in route.stops:
            day_of_client.setdefault(stop.client_id, []).append(route.day)
    load: dict[int, int] = {}
    demand = {v.visit_id: v.demand for v in problem.visits}
    for route in routes:
        load[route.day] = sum(demand[s.visit_id] for s in route.stops)
    out: list[Dropped] = []
    for cand in built.candidates:
        visit = problem.visits[cand.visit_index]
        if visit.visit_id in planned:
            continue
        weekday = [problem.days[d].weekday for d in day_of_client.get(visit.client_id, [])]
        open_days = [
            d
            for d in cand.days
            if all(abs(problem.days[d].weekday - w) >= visit.min_gap_days for w in weekday)
        ]
        cap = problem.days
        if not open_days:
            reason = REASON_SPACING
        elif all(len(routes[d].stops) >= cap[d].max_visits for d in open_days):
            reason = REASON_CAPACITY
        elif all(
            cap[d].capacity is not None and load[d] + visit.demand > (cap[d].capacity or 0)
            for d in open_days
        ):
            reason = REASON_LOAD
        else:
            reason = REASON_TIME
        out.append(_dropped(visit, reason))
    return out
