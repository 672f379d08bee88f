"""Search settings for the rep-week model: first solution, metaheuristic, limits.

The default plan starts from local cheapest insertion, which finds feasible routes under
tight time windows where path-cheapest-arc fails, and improves them with guided local search
until the time limit. With several workers, the second plan runs OR-Tools' iterated local
search (ruin and recreate with simulated-annealing acceptance), which escapes local optima
that guided local search keeps circling (see ``benchmarks/results/solomon.md``); further
plans start from path cheapest arc (often a better basin when
windows are wide, but no solution at all when they are tight), parallel cheapest insertion
and savings.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.duration_pb2 import Duration
from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2
from ortools.util import optional_boolean_pb2

FirstSolution = routing_enums_pb2.FirstSolutionStrategy
Metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchPlan:
    """One search run: how to build the first solution and how to improve it.

    ``gls_lambdas`` split the time limit into equal phases; each phase restarts guided local
    search from the best solution so far with its own penalty factor (fresh penalties move the
    search to another basin; a small factor intensifies, a large one diversifies).
    ``extra_routes`` > 0 starts from a construction spread over that many more routes (see
    :mod:`routeplan.routing.construction`).

    A non-empty ``ruin`` replaces guided local search by OR-Tools' iterated local search: each
    step removes about ``ruin_visits`` visits (``"random_walk"``: a walk through neighbouring
    visits and routes; ``"sisr"``: slack-induced string removal; several: one at random per
    step), reinserts them by local cheapest insertion and descends with a lean set of
    operators; a simulated-annealing rule accepts the result, cooling from
    ``temperatures[0]`` to ``temperatures[1]`` times the mean arc cost over the time limit.
    """

    first_solution: str = "LOCAL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambdas: tuple[float, ...] = (0.1,)
    extra_routes: int = 0
    ruin: tuple[str, ...] = ()
    ruin_visits: int = 10
    temperatures: tuple[float, float] = (0.5, 0.003)


PORTFOLIO: tuple[SearchPlan, ...] = (
    SearchPlan(gls_lambdas=(0.1, 0.5)),
    SearchPlan(ruin=("random_walk",)),
    SearchPlan(ruin=("sisr", "random_walk"), temperatures=(0.1, 0.001)),
    SearchPlan(first_solution="PATH_CHEAPEST_ARC", gls_lambdas=(0.1, 0.5)),
    SearchPlan(first_solution="PARALLEL_CHEAPEST_INSERTION", gls_lambdas=(0.1, 0.5)),
    SearchPlan(first_solution="SAVINGS", gls_lambdas=(0.1, 0.5)),
    SearchPlan(gls_lambdas=(0.1, 0.5), extra_routes=2),
)
"""Search plans: worker 0 always runs the first; ``seed`` rotates the others among workers."""

SLOW_OPERATORS: tuple[str, ...] = (
    "use_relocate_expensive_chain",
    "use_light_relocate_pair",
    "use_lin_kernighan",
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
)
"""Local-search operators left out under ruin and recreate: costly per descent, and the
perturbation does their job (it moves whole chains of visits)."""

BOOL_FALSE = optional_boolean_pb2.BOOL_FALSE

REPEATABLE_SOLUTIONS_PER_S = 100
"""Work budget of a repeatable search: local-search solutions per second of time limit."""


def work_limit(time_limit_s: float) -> int:
    """Solutions a repeatable search may visit in ``time_limit_s`` (nominal, machine-free)."""
    return max(1, int(REPEATABLE_SOLUTIONS_PER_S * time_limit_s))


def plan_for(seed: int, worker: int) -> SearchPlan:
    """Return the search plan worker ``worker`` runs under ``seed``.

    Worker 0 always runs the robust default (local cheapest insertion finds feasible routes
    under tight windows). OR-Tools' guided local search has no random choices and its
    iterated local search repeats itself run to run (tested), so the seed only decides
    which of the other plans the extra workers run.
    """
    if worker == 0:
        return PORTFOLIO[0]
    others = len(PORTFOLIO) - 1
    return PORTFOLIO[1 + (seed + worker - 1) % others]


def search_parameters(
    plan: SearchPlan,
    *,
    time_limit_s: float,
    solution_limit: int | None = None,
    phase: int = 0,
    mean_arc_cost: float = 0.0,
) -> pywrapcp.DefaultRoutingSearchParameters:
    """OR-Tools search parameters of ``plan`` under a wall-clock limit.

    Parameters
    ----------
    plan
        First-solution strategy and metaheuristic.
    time_limit_s
        Wall-clock limit of this search (phase), in seconds.
    solution_limit
        Also stop after this many solutions: a limit on work rather than time, so that runs
        that stop on it are exactly repeatable (see :func:`work_limit`).
    phase
        Which entry of ``plan.gls_lambdas`` to use.
    mean_arc_cost
        Scale of the annealing temperatures of an iterated local search (``plan.ruin``); 0
        lets OR-Tools sample arc costs itself (temperatures 0.1 and 0.001 of their mean).

    Returns
    -------
    RoutingSearchParameters
        The protobuf to pass to ``SolveWithParameters``.

    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FirstSolution, plan.first_solution)
    params.local_search_metaheuristic = getattr(Metaheuristic, plan.metaheuristic)
    params.guided_local_search_lambda_coefficient = plan.gls_lambdas[phase]
    limit = Duration()
    limit.FromNanoseconds(max(1, int(time_limit_s * 1e9)))
    params.time_limit.CopyFrom(limit)
    if solution_limit is not None:
        params.solution_limit = solution_limit
    if plan.ruin:
        _iterated(params, plan, mean_arc_cost)
    return params


def _iterated(
    params: pywrapcp.DefaultRoutingSearchParameters, plan: SearchPlan, mean_arc_cost: float
) -> None:
    """Configure ruin-and-recreate iterated local search (``SolveWithIteratedLocalSearch``)."""
    params.use_iterated_local_search = True
    params.local_search_metaheuristic = Metaheuristic.GREEDY_DESCENT
    ils = params.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    for name in plan.ruin:
        strategy = rr.ruin_strategies.add()
        if name == "random_walk":
            strategy.random_walk.num_removed_visits = plan.ruin_visits
        elif name == "sisr":
            strategy.sisr.avg_num_removed_visits = plan.ruin_visits
            strategy.sisr.max_removed_sequence_size = plan.ruin_visits
            strategy.sisr.bypass_factor = 0.01
        else:
            msg = f"unknown ruin strategy {name!r} (random_walk, sisr)"
            raise ValueError(msg)
    rr.ruin_composition_strategy = routing_ils_pb2.RuinCompositionStrategy.RUN_ONE_RANDOMLY
    rr.recreate_strategy.heuristic = FirstSolution.LOCAL_CHEAPEST_INSERTION
    ils.improve_perturbed_solution = True
    sa = ils.reference_solution_acceptance_strategy.simulated_annealing
    sa.cooling_schedule_strategy = routing_ils_pb2.CoolingScheduleStrategy.EXPONENTIAL
    if mean_arc_cost > 0:
        sa.automatic_temperatures = False
        sa.initial_temperature = plan.temperatures[0] * mean_arc_cost
        sa.final_temperature = plan.temperatures[1] * mean_arc_cost
    else:
        sa.automatic_temperatures = True
    ops = params.local_search_operators
    for name in SLOW_OPERATORS:
        setattr(ops, name, BOOL_FALSE)
