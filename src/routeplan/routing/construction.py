"""Construction of our own handed to OR-Tools: first routes spread over more vehicles.

Guided local search rarely splits a long route in two: on wide time windows an insertion
heuristic packs visits into few long routes and the search stays in that basin. Here the
first solution is built on a copy of the model whose days take at most
``ceil(visits / (routes + extra_routes))`` visits, then read into the real model as its
initial assignment (``ReadAssignmentFromRoutes``); the search may merge routes again.
"""

from __future__ import annotations

import dataclasses
import math

from ortools.constraint_solver import pywrapcp

from routeplan.routing.model import BuiltModel, build_model
from routeplan.routing.problem import RepWeekProblem
from routeplan.routing.search import Limits, SearchPlan, search_parameters


def _first_routes(built: BuiltModel, plan: SearchPlan, *, clock_s: float) -> list[list[int]] | None:
    """Routes (as variable indices, per vehicle) of the first solution of ``plan``."""
    routing = built.routing
    params = search_parameters(plan, limits=Limits(1, clock_s))
    found = routing.SolveWithParameters(params)
    if found is None:
        return None
    routes: list[list[int]] = []
    for v in range(routing.vehicles()):
        index = found.Value(routing.NextVar(routing.Start(v)))
        route = []
        while not routing.IsEnd(index):
            route.append(index)
            index = found.Value(routing.NextVar(index))
        routes.append(route)
    return routes


def spread_initial(
    problem: RepWeekProblem,
    built: BuiltModel,
    plan: SearchPlan,
    *,
    extra_routes: int,
    clock_s: float,
) -> pywrapcp.Assignment | None:
    """Build an initial assignment of ``built`` spread over ``extra_routes`` more days.

    Parameters
    ----------
    problem
        The rep-week ``built`` was made from.
    built
        The real model; its solver is used for a first solution and the returned assignment.
    plan
        Gives the first-solution strategy.
    extra_routes
        How many more non-empty routes than the unconstrained first solution to aim for.
    clock_s
        Safety-net clock of each of the two constructions (each stops at its first
        solution).

    Returns
    -------
    Assignment or None
        The spread routes as an assignment of ``built``; None when no spread solution exists.

    """
    first = _first_routes(built, plan, clock_s=clock_s)
    if first is None:
        return None
    used = sum(1 for r in first if r)
    m = len(built.candidates)
    cap = math.ceil(m / min(used + extra_routes, len(problem.days)))
    days = [dataclasses.replace(d, max_visits=min(d.max_visits, cap)) for d in problem.days]
    capped = build_model(dataclasses.replace(problem, days=days), built.candidates)
    spread = _first_routes(capped, plan, clock_s=clock_s)
    if spread is None:
        return None
    return built.routing.ReadAssignmentFromRoutes(spread, True)
