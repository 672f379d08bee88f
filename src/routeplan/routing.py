"""OR-Tools model for one rep-week: arrays and dataclasses in, dataclasses out.

The problem knows nothing about files, maps or geopandas: locations are rows of a travel
matrix, times are seconds since midnight, days are indices into ``RepWeekProblem.days``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routeplan.routing_construct import spread_initial
from routeplan.routing_model import BuiltModel, Candidate, build_model, fits_day, horizon_of
from routeplan.routing_search import SearchPlan, plan_for, search_parameters, work_limit

TIER_PENALTY_S: dict[str, int] = {"AAA": 10_000_000, "AA": 1_000_000, "A": 100_000, "B": 10_000}
"""Default cost of dropping one visit, in objective units (seconds of driving), by tier."""


@dataclass(frozen=True)
class Day:
    """One workday of the rep: one OR-Tools vehicle.

    ``start_node``/``end_node`` are rows of the travel matrix (the rep's home or office; they
    may differ). The rep leaves at or after ``start_s`` and is back by ``end_s``; up to
    ``overtime_max_s`` more is allowed at a cost per second. When ``lunch_start_s`` is set and
    ``lunch_s > 0``, a break of ``lunch_s`` seconds starts within ``lunch_window_s`` of
    ``lunch_start_s`` (default ±60 min), never during a visit. ``capacity`` bounds the summed
    ``Visit.demand`` of the day (None: no bound).
    """

    weekday: int
    start_node: int
    end_node: int
    start_s: int
    end_s: int
    lunch_start_s: int | None = None
    lunch_s: int = 0
    max_visits: int = 12
    overtime_max_s: int = 0
    lunch_window_s: int = 3600
    capacity: int | None = None


@dataclass(frozen=True)
class Visit:
    """One visit to schedule this week.

    ``allowed_days`` are indices into ``RepWeekProblem.days``. ``windows`` are opening
    intervals in seconds since midnight (one or two a day). Visits with the same ``client_id``
    are put on different days at least ``min_gap_days`` apart (in weekdays). Service starts
    and ends inside one window; no windows means open all day. ``penalty`` (objective units)
    overrides :data:`TIER_PENALTY_S`. ``locked_day`` (an index into the days) pins the visit to
    that day whatever ``allowed_days`` says, and it is dropped only if it cannot fit at all;
    ``locked_seq`` (1-based) fixes its order among the locked visits of that day (other visits
    may still go between them).
    """

    visit_id: str
    client_id: str
    node: int
    service_s: int
    tier: str
    allowed_days: tuple[int, ...]
    windows: tuple[tuple[int, int], ...] = ()
    min_gap_days: int = 1
    penalty: int | None = None
    locked_day: int | None = None
    locked_seq: int | None = None
    demand: int = 0


@dataclass
class RepWeekProblem:
    """One rep's week: travel matrices over locations, the workdays and the visits.

    ``duration_s`` (drive seconds, the objective) and ``distance_m`` are square integer
    matrices over locations. ``day_balance_weight`` > 0 adds that many objective units per
    second of the spread between the earliest start and the latest return over the week
    (evens out day lengths). ``allow_drops=False`` makes every visit mandatory (benchmarks).
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    days: list[Day]
    visits: list[Visit]
    rep_id: str = ""
    day_balance_weight: int = 0
    allow_drops: bool = True

    def __post_init__(self) -> None:
        n = self.duration_s.shape[0]
        if self.duration_s.shape != (n, n) or self.distance_m.shape != (n, n):
            msg = "duration_s and distance_m must be square and of the same shape."
            raise ValueError(msg)
        for visit in self.visits:
            if not 0 <= visit.node < n:
                msg = f"visit {visit.visit_id} refers to node {visit.node} outside the matrix."
                raise ValueError(msg)
            days = (
                *visit.allowed_days,
                *([visit.locked_day] if visit.locked_day is not None else []),
            )
            if any(not 0 <= d < len(self.days) for d in days):
                msg = f"visit {visit.visit_id} allows a day outside 0..{len(self.days) - 1}."
                raise ValueError(msg)


@dataclass(frozen=True)
class Stop:
    """A visit as planned: times in seconds since midnight, leg from the previous stop."""

    visit_id: str
    client_id: str
    node: int
    seq: int
    arrive_s: int
    start_s: int
    depart_s: int
    travel_s: int
    distance_m: int

    @property
    def wait_s(self) -> int:
        """Seconds waited between arrival and the start of service (lunch included)."""
        return self.start_s - self.arrive_s

    @property
    def service_s(self) -> int:
        """Seconds of service at the stop."""
        return self.depart_s - self.start_s


@dataclass
class DayRoute:
    """One day's route: stops in order, plus the drive home."""

    day: int
    stops: list[Stop]
    start_s: int
    end_s: int
    travel_s: int
    distance_m: int
    lunch_start_s: int | None = None


@dataclass(frozen=True)
class Dropped:
    """A visit that could not be planned, with the reason (never silent)."""

    visit_id: str
    client_id: str
    tier: str
    reason: str


@dataclass
class RepWeekSolution:
    """The routes of one rep-week."""

    routes: list[DayRoute]
    dropped: list[Dropped]
    status: str
    objective: int
    runtime_s: float
    rep_id: str = ""
    stats: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.runtime_s < 0:
            msg = "Negative runtime not understood."
            raise ValueError(msg)

    @property
    def travel_s(self) -> int:
        """Total driving seconds of the week."""
        return sum(r.travel_s for r in self.routes)

    @property
    def distance_m(self) -> int:
        """Total driving metres of the week."""
        return sum(r.distance_m for r in self.routes)


REASON_NO_DAY = "no allowed workday"
REASON_HOURS = "outside opening hours on every allowed day"
REASON_SPACING = "does not fit: other visits of the client take the allowed days (spacing)"
REASON_CAPACITY = "does not fit: week is full (capacity)"
REASON_LOAD = "does not fit: vehicle load (capacity)"
REASON_TIME = "does not fit: no time left on the allowed days (time window)"
REASON_NO_SOLUTION = "no feasible plan found within the time limit"


def solve(
    problem: RepWeekProblem,
    *,
    time_limit_s: float,
    seed: int = 0,
    workers: int = 1,
    plan: SearchPlan | None = None,
    repeatable: bool = True,
) -> RepWeekSolution:
    """Route one rep-week: every visit is planned on a day or returned as dropped.

    Parameters
    ----------
    problem
        Travel matrices, workdays (vehicles) and visits.
    time_limit_s
        Wall-clock limit of the search, in seconds.
    seed
        Chooses the search plan (first solution and guided-local-search settings).
    workers
        Processes searching side by side with different plans (the best result wins). Keep
        1 when rep-weeks already run in parallel.
    plan
        Override the search plan chosen by ``seed`` (benchmarks compare strategies).
    repeatable
        Also stop after a fixed amount of work (``REPEATABLE_SOLUTIONS_PER_S`` local-search
        solutions per second of ``time_limit_s``), which on small and mid-sized weeks comes
        before the clock: the same problem, seed and time limit then give the same routes on
        any machine. False searches until the clock stops (benchmarks).

    Returns
    -------
    RepWeekSolution
        Ordered stops per day with times, dropped visits with reasons, status and objective.

    """
    started = time.perf_counter()
    if workers > 1:
        from routeplan.routing_parallel import solve_portfolio

        solution = solve_portfolio(
            problem, time_limit_s=time_limit_s, seed=seed, workers=workers, repeatable=repeatable
        )
    else:
        chosen = plan if plan is not None else plan_for(seed, 0)
        solution = _solve_one(
            problem, time_limit_s=time_limit_s, plan=chosen, repeatable=repeatable
        )
    solution.runtime_s = time.perf_counter() - started
    return solution


def _solve_one(
    problem: RepWeekProblem, *, time_limit_s: float, plan: SearchPlan, repeatable: bool
) -> RepWeekSolution:
    horizon = horizon_of(problem)
    candidates, dropped = _prefilter(problem, horizon)
    status = "OPTIMAL"
    if not candidates:
        routes = [_empty_route(i, d) for i, d in enumerate(problem.days)]
        return RepWeekSolution(routes, dropped, status, 0, 0.0, problem.rep_id)
    built = build_model(problem, candidates)
    assignment, status = _search(
        problem, built, plan, time_limit_s=time_limit_s, repeatable=repeatable
    )
    if assignment is None:
        routes = [_empty_route(i, d) for i, d in enumerate(problem.days)]
        dropped += [_dropped(problem.visits[c.visit_index], REASON_NO_SOLUTION) for c in candidates]
        return RepWeekSolution(routes, dropped, "NO_SOLUTION", 0, 0.0, problem.rep_id)
    routes = _extract_routes(problem, built, assignment)
    dropped += _explain_drops(problem, built, routes)
    return RepWeekSolution(
        routes,
        dropped,
        status,
        int(assignment.ObjectiveValue()),
        0.0,
        problem.rep_id,
        stats={"candidates": float(len(candidates))},
    )


def _search(
    problem: RepWeekProblem,
    built: BuiltModel,
    plan: SearchPlan,
    *,
    time_limit_s: float,
    repeatable: bool,
) -> tuple[pywrapcp.Assignment | None, str]:
    """Run the phases of ``plan``; each later phase restarts from the best solution so far."""
    routing = built.routing
    deadline = time.perf_counter() + time_limit_s
    initial = None
    if plan.extra_routes:
        initial = spread_initial(
            problem,
            built,
            plan,
            extra_routes=plan.extra_routes,
            time_limit_s=time_limit_s / 4,
        )
    phases = 1 if plan.ruin else len(plan.gls_lambdas)
    phase_s = (deadline - time.perf_counter()) / phases
    limit = work_limit(time_limit_s / phases) if repeatable else None
    arc_cost = _mean_arc_cost(problem, built) if plan.ruin else 0.0
    best = None
    status = "NOT_SOLVED"
    for phase in range(phases):
        budget = phase_s if phase < phases - 1 else deadline - time.perf_counter()
        params = search_parameters(
            plan,
            time_limit_s=max(budget, 0.01),
            solution_limit=limit,
            phase=phase,
            mean_arc_cost=arc_cost,
        )
        start = best if best is not None else initial
        if plan.ruin:
            # Iterated local search builds its own first solution (no start assignment).
            found = routing.SolveWithIteratedLocalSearch(params)
        elif start is None:
            found = routing.SolveWithParameters(params)
        else:
            found = routing.SolveFromAssignmentWithParameters(start, params)
        if found is not None and (best is None or found.ObjectiveValue() < best.ObjectiveValue()):
            best = routing.solver().Assignment(found)
        if best is not None or phase == 0:
            status = _STATUS.get(routing.status(), str(routing.status()))
    if best is not None and status == "NOT_SOLVED":
        status = "SUCCESS"  # iterated local search leaves the status unset
    return best, status


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
            arrive = _arrival(depart, leg_s, start, lunch, day.lunch_s)
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


def _arrival(depart: int, leg_s: int, start: int, lunch: int | None, lunch_s: int) -> int:
    """Arrival at a stop: drive right away, unless lunch falls before the start of service.

    When the lunch break lies between the previous departure and this start, the rep eats
    first if it begins before they would arrive, then drives.
    """
    arrive = depart + leg_s
    if lunch is not None and depart <= lunch and lunch + lunch_s <= start and lunch < arrive:
        arrive = lunch + lunch_s + leg_s
    return min(arrive, start)


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
