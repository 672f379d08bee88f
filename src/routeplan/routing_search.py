"""Search settings for the rep-week model: first solution, metaheuristic, limits.

The default portfolio (one entry per worker) starts from parallel cheapest insertion, which
finds feasible routes under tight time windows where path-cheapest-arc fails, and improves
it with guided local search until the time limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.duration_pb2 import Duration
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

FirstSolution = routing_enums_pb2.FirstSolutionStrategy
Metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchPlan:
    """One search run: how to build the first solution and how to improve it."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1


PORTFOLIO: tuple[SearchPlan, ...] = (
    SearchPlan(),
    SearchPlan(first_solution="LOCAL_CHEAPEST_INSERTION", gls_lambda=0.2),
    SearchPlan(first_solution="SAVINGS", gls_lambda=0.1),
    SearchPlan(first_solution="PATH_CHEAPEST_ARC", gls_lambda=0.3),
)
"""Search plans in the order workers take them; ``seed`` rotates the list."""


REPEATABLE_SOLUTIONS_PER_S = 100
"""Work budget of a repeatable search: local-search solutions per second of time limit."""


def plan_for(seed: int, worker: int) -> SearchPlan:
    """Return the search plan worker ``worker`` runs under ``seed``."""
    return PORTFOLIO[(seed + worker) % len(PORTFOLIO)]


def search_parameters(
    plan: SearchPlan, *, time_limit_s: float, repeatable: bool = False
) -> pywrapcp.DefaultRoutingSearchParameters:
    """OR-Tools search parameters of ``plan`` under a wall-clock limit.

    Parameters
    ----------
    plan
        First-solution strategy and metaheuristic.
    time_limit_s
        Wall-clock limit of the whole search, in seconds.
    repeatable
        Also stop after ``REPEATABLE_SOLUTIONS_PER_S * time_limit_s`` solutions, a limit on
        work rather than time, so that runs that stop on it are exactly repeatable.

    Returns
    -------
    RoutingSearchParameters
        The protobuf to pass to ``SolveWithParameters``.

    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FirstSolution, plan.first_solution)
    params.local_search_metaheuristic = getattr(Metaheuristic, plan.metaheuristic)
    params.guided_local_search_lambda_coefficient = plan.gls_lambda
    limit = Duration()
    limit.FromNanoseconds(max(1, int(time_limit_s * 1e9)))
    params.time_limit.CopyFrom(limit)
    if repeatable:
        params.solution_limit = max(1, int(REPEATABLE_SOLUTIONS_PER_S * time_limit_s))
    return params
