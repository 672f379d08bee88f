"""Build the OR-Tools routing model of one rep-week (no search, no results).

Routing nodes are numbered visits first (``0 .. m-1``, one per planned visit, even when two
visits share a matrix row), then one node per distinct start/end location of the days. Every
day is one vehicle. Dimensions:

``time``
    seconds since midnight; transit = service at the origin + drive time. Service must start
    and end inside one opening window; the day starts at or after ``Day.start_s`` and ends by
    ``Day.end_s + Day.overtime_max_s``, each second past ``end_s`` costs
    :data:`OVERTIME_COST_PER_S`. Lunch is an OR-Tools break interval.
``visits``
    counts the stops of a day (cap ``Day.max_visits``); also orders locked visits.
``load``
    Solomon-style demand against ``Day.capacity`` (only when some visit has a demand).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp

from routeplan.routing.lunch import lunch_window, settings_window
from routeplan.routing.problem import Day, RepWeekProblem, Visit

OVERTIME_COST_PER_S = 5
"""Objective units per second of overtime past ``Day.end_s`` (drive time costs 1 per second)."""

SLOT_COST_PER_S = 1
"""Objective units per second a visit starts outside its regular slot (see ``Visit.slot_s``)."""

LOCKED_PENALTY = 100_000_000_000
"""Penalty for dropping a locked visit: it is dropped only when it cannot be planned at all."""


@dataclass
class Candidate:
    """A visit that entered the model, with the days it can still go on."""

    visit_index: int
    days: tuple[int, ...]


@dataclass
class BuiltModel:
    """The OR-Tools objects of one rep-week, kept together for search and extraction."""

    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time: pywrapcp.RoutingDimension
    candidates: list[Candidate]
    breaks: dict[int, pywrapcp.IntervalVar] = field(default_factory=dict)
    visits_dim: pywrapcp.RoutingDimension | None = None
    load_dim: pywrapcp.RoutingDimension | None = None


def usable_windows(visit: Visit, horizon: int) -> list[tuple[int, int]]:
    """Ranges of service start times of ``visit``: start and end of service in one window.

    Parameters
    ----------
    visit
        The visit.
    horizon
        Latest time of the model (used when the visit has no windows).

    Returns
    -------
    list of (int, int)
        Sorted, disjoint ``(earliest_start, latest_start)`` ranges; empty when no window is
        long enough for the service.

    """
    if not visit.windows:
        return [(0, horizon)]
    ranges = sorted(
        (open_s, close_s - visit.service_s)
        for open_s, close_s in visit.windows
        if close_s - visit.service_s >= open_s
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in ranges:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def fits_day(problem: RepWeekProblem, visit: Visit, day: Day, horizon: int) -> bool:
    """Whether ``visit`` alone fits ``day``: reachable from home in a window and back in time.

    Parameters
    ----------
    problem
        The rep-week (for the drive times).
    visit
        The visit.
    day
        The candidate day.
    horizon
        Latest time of the model.

    Returns
    -------
    bool
        True when a route home → visit → home respects the window and the day's hours.

    """
    dur = problem.duration_s
    latest_end = day.end_s + day.overtime_max_s
    out = int(dur[day.start_node, visit.node])
    back = int(dur[visit.node, day.end_node])
    for lo, hi in usable_windows(visit, horizon):
        start = max(lo, day.start_s + out)
        if start <= hi and start + visit.service_s + back <= latest_end:
            return True
    return False


def horizon_of(problem: RepWeekProblem) -> int:
    """Latest time any cumul of the model may take."""
    ends = [d.end_s + d.overtime_max_s for d in problem.days]
    closes = [c for v in problem.visits for _, c in v.windows]
    return int(max([*ends, *closes, 0])) + 1


def build_model(problem: RepWeekProblem, candidates: list[Candidate]) -> BuiltModel:
    """Build the routing model over the candidate visits.

    Parameters
    ----------
    problem
        The rep-week.
    candidates
        Visits that fit at least one day on their own, with those days.

    Returns
    -------
    BuiltModel
        Manager, model and dimensions, ready for search.

    """
    days = problem.days
    visits = [problem.visits[c.visit_index] for c in candidates]
    m = len(visits)
    depot_nodes = sorted({d.start_node for d in days} | {d.end_node for d in days})
    depot_index = {node: m + k for k, node in enumerate(depot_nodes)}
    matrix_node = np.array([v.node for v in visits] + depot_nodes, dtype=np.int64)
    service = np.array([v.service_s for v in visits] + [0] * len(depot_nodes), dtype=np.int64)
    starts = [depot_index[d.start_node] for d in days]
    ends = [depot_index[d.end_node] for d in days]
    manager = pywrapcp.RoutingIndexManager(len(matrix_node), len(days), starts, ends)
    routing = pywrapcp.RoutingModel(manager)

    drive = np.asarray(problem.duration_s, dtype=np.int64)[np.ix_(matrix_node, matrix_node)]
    cost_cb = routing.RegisterTransitMatrix(drive.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    time_cb = routing.RegisterTransitMatrix((drive + service[:, None]).tolist())
    horizon = horizon_of(problem)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    built = BuiltModel(manager=manager, routing=routing, time=time, candidates=candidates)

    _day_hours(built, days)
    service_starts = [usable_windows(visit, horizon) for visit in visits]
    _windows_and_days(built, problem, visits, service_starts)
    _visit_count(built, problem, visits)
    _load(built, problem, visits)
    _lunch(built, days, visits, service, service_starts)
    _waiting(built, days)
    _day_shape(built, days, service)
    _preferred_days(built, problem, visits, drive)
    _slots(built, visits)
    _spacing(built, problem)
    _locked_order(built, visits)
    if problem.day_balance_weight > 0:
        time.SetGlobalSpanCostCoefficient(problem.day_balance_weight)
    return built


def _day_hours(built: BuiltModel, days: list[Day]) -> None:
    """Set working hours per day and report each day as tight as it can be.

    The finalizer makes each day end as early as it can, then starts it as late as that end
    allows (leaving home no earlier than needed, no waiting). The order matters: maximising
    the start first would push every day against its end.
    """
    routing, time = built.routing, built.time
    for v in range(len(days)):
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(v)))
    for v, day in enumerate(days):
        latest = day.end_s + day.overtime_max_s
        start = time.CumulVar(routing.Start(v))
        end = time.CumulVar(routing.End(v))
        start.SetRange(day.start_s, latest_leave(day))
        end.SetRange(day.start_s, latest)
        if day.overtime_max_s > 0:
            time.SetCumulVarSoftUpperBound(routing.End(v), day.end_s, OVERTIME_COST_PER_S)
        routing.AddVariableMaximizedByFinalizer(start)


def latest_leave(day: Day) -> int:
    """Latest time the rep may leave home on ``day``.

    Any time of the working day, except when waiting is counted (``wait_cost_per_s`` > 0)
    and the lunch break falls in the day: then no later than the earliest lunch start of the
    settings (``lunch_start_s - lunch_window_s``, 11:00 on the demo). The break is slack of
    the time dimension, so with waiting counted a lunch taken on the road costs and one
    taken at home before leaving does not: without the bound days took lunch at home and
    left after 11:30 (27 days of demo weeks 1-3 built in order; with it none, waiting
    133 → 11 h; see ``[workday] count_waiting`` in ``routeplan.planning.problems``).
    """
    latest = day.end_s + day.overtime_max_s
    if day.wait_cost_per_s <= 0 or day.lunch_start_s is None or day.lunch_s <= 0:
        return latest
    earliest_lunch, _ = settings_window(day)
    if earliest_lunch <= day.start_s:
        return latest
    return min(latest, earliest_lunch)


def _windows_and_days(
    built: BuiltModel,
    problem: RepWeekProblem,
    visits: list[Visit],
    starts: list[list[tuple[int, int]]],
) -> None:
    routing, time, manager = built.routing, built.time, built.manager
    for node, (cand, visit) in enumerate(zip(built.candidates, visits, strict=True)):
        index = manager.NodeToIndex(node)
        ranges = starts[node]
        cumul = time.CumulVar(index)
        cumul.SetRange(ranges[0][0], ranges[-1][1])
        for (_, hi), (lo, _) in itertools.pairwise(ranges):
            cumul.RemoveInterval(hi + 1, lo - 1)
        if len(cand.days) < len(problem.days):
            routing.VehicleVar(index).SetValues([-1, *cand.days])
        if problem.allow_drops:
            routing.AddDisjunction([index], penalty_of(visit))


def penalty_of(visit: Visit) -> int:
    """Objective cost of dropping ``visit``: its own penalty, or far more when locked."""
    if visit.locked_day is not None:
        return LOCKED_PENALTY
    return visit.penalty


def _visit_count(built: BuiltModel, problem: RepWeekProblem, visits: list[Visit]) -> None:
    m = len(visits)
    needs_cap = any(d.max_visits < m for d in problem.days)
    needs_order = any(v.locked_seq is not None for v in visits)
    if not (needs_cap or needs_order):
        return
    routing, manager = built.routing, built.manager
    ones = [1 if manager.IndexToNode(i) < m else 0 for i in range(manager.GetNumberOfIndices())]
    ones_cb = routing.RegisterUnaryTransitVector(ones)
    caps = [min(d.max_visits, m) for d in problem.days]
    routing.AddDimensionWithVehicleCapacity(ones_cb, 0, caps, True, "visits")
    built.visits_dim = routing.GetDimensionOrDie("visits")


def _load(built: BuiltModel, problem: RepWeekProblem, visits: list[Visit]) -> None:
    if not any(v.demand for v in visits) and all(d.capacity is None for d in problem.days):
        return
    routing, manager = built.routing, built.manager
    m = len(visits)
    demand = [
        visits[manager.IndexToNode(i)].demand if manager.IndexToNode(i) < m else 0
        for i in range(manager.GetNumberOfIndices())
    ]
    big = sum(demand) + 1
    caps = [big if d.capacity is None else d.capacity for d in problem.days]
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitVector(demand), 0, caps, True, "load"
    )
    built.load_dim = routing.GetDimensionOrDie("load")


def _lunch(
    built: BuiltModel,
    days: list[Day],
    visits: list[Visit],
    service: np.ndarray,
    starts: list[list[tuple[int, int]]],
) -> None:
    """One lunch break per day, in :func:`routeplan.routing.lunch.lunch_window`, and the rule.

    No stretch of a day may last longer than ``Day.max_stretch_s`` without the break: kept
    by the window where it can be, else by OR-Tools' break-distance rule (between two breaks
    of at least the lunch's length, leaving home and coming back counting as such, at most
    ``max_stretch_s`` seconds may pass).
    """
    routing, manager, time = built.routing, built.manager, built.time
    solver = routing.solver()
    node_visit_transits = [int(service[manager.IndexToNode(i)]) for i in range(routing.Size())]
    for v, day in enumerate(days):
        if day.lunch_start_s is None or day.lunch_s <= 0:
            continue
        on_day = [
            (starts[k], visits[k].service_s)
            for k, cand in enumerate(built.candidates)
            if v in cand.days
        ]
        window = lunch_window(day, on_day)
        brk = solver.FixedDurationIntervalVar(
            window.earliest_s, window.latest_s, day.lunch_s, False, f"lunch {v}"
        )
        time.SetBreakIntervalsOfVehicle([brk], v, node_visit_transits)
        built.breaks[v] = brk
        if not window.rule_kept:
            time.SetBreakDistanceDurationOfVehicle(day.max_stretch_s, day.lunch_s, v)


def _waiting(built: BuiltModel, days: list[Day]) -> None:
    """Each second a rep waits on a day costs ``Day.wait_cost_per_s`` (the time slack)."""
    for v, day in enumerate(days):
        if day.wait_cost_per_s > 0:
            built.time.SetSlackCostCoefficientForVehicle(day.wait_cost_per_s, v)


def _day_shape(built: BuiltModel, days: list[Day], service: np.ndarray) -> None:
    """Soft bounds on each day's service time and a cost per day used (see :class:`Day`).

    A ``work`` dimension sums the service seconds of a day's visits; its end cumul gets a soft
    lower bound ``min_work_s`` (an empty day pays for all of it) and a soft upper bound
    ``max_work_s``, each second outside costing ``shape_cost_per_s``.
    """
    shaped = [d for d in days if d.shape_cost_per_s > 0 and (d.min_work_s or d.max_work_s)]
    routing, manager = built.routing, built.manager
    for v, day in enumerate(days):
        if day.used_cost > 0:
            routing.SetFixedCostOfVehicle(day.used_cost, v)
    if not shaped:
        return
    work = [int(service[manager.IndexToNode(i)]) for i in range(manager.GetNumberOfIndices())]
    total = int(sum(work)) + 1
    routing.AddDimension(routing.RegisterUnaryTransitVector(work), 0, total, True, "work")
    dim = routing.GetDimensionOrDie("work")
    for v, day in enumerate(days):
        if day.shape_cost_per_s <= 0:
            continue
        if day.min_work_s > 0:
            # an empty day pays too: OR-Tools skips the costs of unused vehicles otherwise
            routing.SetVehicleUsedWhenEmpty(True, v)
            dim.SetCumulVarSoftLowerBound(routing.End(v), day.min_work_s, day.shape_cost_per_s)
        if day.max_work_s is not None:
            dim.SetCumulVarSoftUpperBound(routing.End(v), day.max_work_s, day.shape_cost_per_s)


def _preferred_days(
    built: BuiltModel, problem: RepWeekProblem, visits: list[Visit], drive: np.ndarray
) -> None:
    """Arc costs per day: driving to a visit off its preferred day costs ``off_day_cost`` more.

    Each vehicle gets its own arc-cost matrix (the drive times plus the cost on arcs into
    visits that prefer another day), so the first solution already groups a day's area and
    local search still moves a visit when the drive it saves is worth more.
    """
    preferred = [v.preferred_day for v in visits]
    costs = [problem.off_day_cost if v.off_day_cost is None else v.off_day_cost for v in visits]
    if max(costs, default=0) <= 0 or all(p is None for p in preferred):
        return
    routing = built.routing
    pad = drive.shape[0] - len(visits)
    for v in range(len(problem.days)):
        extra = np.array(
            [0 if p is None or p == v else c for p, c in zip(preferred, costs, strict=True)]
            + [0] * pad,
            dtype=np.int64,
        )
        callback = routing.RegisterTransitMatrix((drive + extra[None, :]).tolist())
        routing.SetArcCostEvaluatorOfVehicle(callback, v)


def _slots(built: BuiltModel, visits: list[Visit]) -> None:
    """Soft bounds on the start of service of visits with a regular slot."""
    manager, time = built.manager, built.time
    for node, visit in enumerate(visits):
        if visit.slot_s is None:
            continue
        index = manager.NodeToIndex(node)
        low = max(visit.slot_s - visit.slot_tolerance_s, 0)
        time.SetCumulVarSoftLowerBound(index, low, SLOT_COST_PER_S)
        time.SetCumulVarSoftUpperBound(
            index, visit.slot_s + visit.slot_tolerance_s, SLOT_COST_PER_S
        )


def _spacing(built: BuiltModel, problem: RepWeekProblem) -> None:
    routing, manager = built.routing, built.manager
    solver = routing.solver()
    by_client: dict[str, list[int]] = {}
    for node, cand in enumerate(built.candidates):
        by_client.setdefault(problem.visits[cand.visit_index].client_id, []).append(node)
    weekday = [d.weekday for d in problem.days]
    for nodes in by_client.values():
        for a, b in itertools.combinations(nodes, 2):
            ca, cb = built.candidates[a], built.candidates[b]
            gap = max(
                problem.visits[ca.visit_index].min_gap_days,
                problem.visits[cb.visit_index].min_gap_days,
            )
            tuples = [
                (da, db)
                for da in (-1, *ca.days)
                for db in (-1, *cb.days)
                if da < 0 or db < 0 or abs(weekday[da] - weekday[db]) >= gap
            ]
            va = routing.VehicleVar(manager.NodeToIndex(a))
            vb = routing.VehicleVar(manager.NodeToIndex(b))
            solver.Add(solver.AllowedAssignments([va, vb], tuples))


def _locked_order(built: BuiltModel, visits: list[Visit]) -> None:
    if built.visits_dim is None:
        return
    routing, manager, count = built.routing, built.manager, built.visits_dim
    solver = routing.solver()
    by_day: dict[int, list[tuple[int, int]]] = {}
    for node, visit in enumerate(visits):
        if visit.locked_day is not None and visit.locked_seq is not None:
            by_day.setdefault(visit.locked_day, []).append((visit.locked_seq, node))
    for seq_nodes in by_day.values():
        ordered = [node for _, node in sorted(seq_nodes)]
        for a, b in itertools.pairwise(ordered):
            ia, ib = manager.NodeToIndex(a), manager.NodeToIndex(b)
            both = routing.ActiveVar(ia) * routing.ActiveVar(ib)
            big = len(visits) + 1
            solver.Add(count.CumulVar(ia) + 1 <= count.CumulVar(ib) + big * (1 - both))
