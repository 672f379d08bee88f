"""Search settings for the rep-week model: first solution, metaheuristic, limits.

Every search stops on a **work limit**, a number of solutions found (OR-Tools'
``solution_limit``), never on the clock: the same problem, plan and effort give the same
routes on a quiet or a loaded machine. The effort is given in nominal seconds and turned into
solutions by :func:`work_limit`, scaled by the number of visits, so that one nominal second
costs roughly one CPU second on a quiet core of the machine it was calibrated on. The wall
clock is only a far safety net (:data:`SAFETY_FACTOR` times the effort); when it fires the
solution says so (``stats["clock_stopped"]``).

The default plan runs OR-Tools' iterated local search (ruin and recreate with
simulated-annealing acceptance), which on one core beats guided local search at equal work
(see ``benchmarks/results/solomon.md``). With several workers the second plan is a different
search, not a copy: iterated local search that also ruins by slack-induced string removal;
further plans run guided local search and vary the ruin and the first solution.
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
    step), reinserts them by the first-solution heuristic ``recreate`` and descends with a
    lean set of operators; a simulated-annealing rule accepts the result, cooling from
    ``temperatures[0]`` to ``temperatures[1]`` times the mean arc cost over the time limit.
    Every plan of :data:`PORTFOLIO` recreates by local cheapest insertion; sequential cheapest
    insertion (route by route) closed the rep-week gaps but lost on 400-customer problems, so it
    stays a benchmark's choice (``benchmarks/results/rep_weeks.md``, tenth session).
    """

    first_solution: str = "LOCAL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambdas: tuple[float, ...] = (0.1,)
    extra_routes: int = 0
    ruin: tuple[str, ...] = ()
    ruin_visits: int = 10
    temperatures: tuple[float, float] = (0.5, 0.003)
    recreate: str = "LOCAL_CHEAPEST_INSERTION"


DEFAULT_RUIN_VISITS = 20
"""Visits the default plan's random walk removes per step (was 10, the second plan's size).

Larger steps move whole pieces of routes, which wide time windows need: on Solomon at 10 s,
one worker, R201 1180.24 → 1159.38, R207 818.54 → 805.11, RC208 808.91 → 783.04 (PyVRP at
equal CPU 1147.80, 797.99, 778.93); over the 56, see ``benchmarks/results/solomon.md``. On
the over-full synthetic rep-weeks it drops fewer visits (R001 3 → 2)."""

PORTFOLIO: tuple[SearchPlan, ...] = (
    SearchPlan(ruin=("random_walk",), ruin_visits=DEFAULT_RUIN_VISITS),
    SearchPlan(ruin=("sisr", "random_walk")),
    SearchPlan(gls_lambdas=(0.1, 0.5)),
    SearchPlan(ruin=("sisr", "random_walk"), temperatures=(0.1, 0.001)),
    SearchPlan(first_solution="PATH_CHEAPEST_ARC", gls_lambdas=(0.1, 0.5)),
    SearchPlan(first_solution="PARALLEL_CHEAPEST_INSERTION", gls_lambdas=(0.1, 0.5)),
    SearchPlan(first_solution="SAVINGS", gls_lambdas=(0.1, 0.5)),
    SearchPlan(gls_lambdas=(0.1, 0.5), extra_routes=2),
)
"""Search plans: worker 0 always runs the first; ``seed`` rotates the others among workers.

The second (what worker 1 runs under seed 0) ruins by slack-induced string removal or by a
random walk, one at random per step: another neighbourhood, so another trajectory, where
guided local search as the second worker never beat the first on Solomon (issue 21)."""

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

LUNCH_SLOW_OPERATORS: tuple[str, ...] = ("use_relocate",)
"""Also left out under ruin and recreate when some day has a lunch break.

With break intervals, relocating single visits stalled the whole search on some rep-weeks:
on demo week 12, rep R5 (35 visits) found no new solution after its first 3 ms and spun in
constraint failures (8.4 million in 60 s) until the safety-net clock; week 1 the same. Without
it, over the 72 rep-weeks of the demo cycle at the build's effort: no rep-week stalled (longest
11.7 s, was 60 s at the clock), 65 gave the same routes, the sum of objectives fell 1.3 %
(441,860 → 436,015; worst single change +10.6 %, week 11 R6). Other operators (or-opt,
exchange, cross, the ruin itself) still move single visits. Models without breaks (Solomon)
keep it."""

BOOL_FALSE = optional_boolean_pb2.BOOL_FALSE

SOLUTIONS_PER_S_AT_100 = 450
"""Work of one nominal second of an iterated local search on a 100-visit problem, in
solutions (calibrated: the default plan finds about this many per CPU second on Solomon R101
on this project's 2-core machine; see ``benchmarks/results/solomon.md``)."""

GLS_SOLUTIONS_PER_S_AT_100 = 40
"""The same for guided local search, whose solutions cost far more (each is a full
penalised descent step: 1000 solutions on R101 took 24 CPU seconds)."""

LUNCH_COST_FACTOR = 2.0
"""A model with lunch breaks costs about this many times more per solution and visit (break
intervals make every time-dimension check dearer).

Measured at the build's effort after the lunch window took over the 4.5 h rule (see
:mod:`routeplan.routing.lunch`), in solutions per CPU second scaled to 100 visits: demo
weeks 2 and 12, 12 rep-weeks, 87–476 (median about 200); synthetic world, 4 rep-weeks,
245–447; without lunch 450 (:data:`SOLUTIONS_PER_S_AT_100`). It was 4 while the break-distance
rule was in every model; at 4 a 2 s effort bought 0.5–0.8 CPU s on the synthetic rep-weeks."""

MIN_WORK = 50
"""Fewest solutions any search may stop after (tiny problems, tiny efforts)."""

SAFETY_FACTOR = 100.0
"""The wall clock stops a search only after this many times its nominal effort ...

Far on purpose: OR-Tools cools the annealing of an iterated local search by the larger of
the shares of its work and of its clock limit used, so the clock limit must stay well beyond
any slowdown for the schedule to follow the work alone. Nearer nets fired on this project's
shared 2-core machine: at load 7 with two CPU burners beside it a demo rep-week got 2.1 CPU
seconds in 20 wall seconds (10 times its 2 s effort), and at load 15 another used 4.7 CPU
seconds in 60 wall seconds (30 times).
"""

SAFETY_FLOOR_S = 2.0
"""... and never before this many seconds.

The net is scaled by ``visits / 100`` only for models under :data:`SMALL_MODEL_VISITS`
visits: a small model whose search has run out of new solutions (two visits of one client,
say) would otherwise wait for the clock, at 300 s it once stalled the test suite, and its best
solution no longer changes, so stopping it early cannot change the plan. Real rep-weeks keep
the whole net: scaled down (88 s for a 44-visit demo week at 2 s) it fired at load 15 beside
two CPU burners and changed three reps' routes (``tests/e2e/test_demo_build.py``).
"""

SMALL_MODEL_VISITS = 20
"""Models with fewer visits get the scaled-down net (see :data:`SAFETY_FLOOR_S`)."""


@dataclass(frozen=True)
class Limits:
    """When one search (phase) stops: after ``solutions``, or when the clock passes ``clock_s``.

    ``solutions`` None searches until the clock (benchmarks of the old behaviour only).
    """

    solutions: int | None
    clock_s: float

    def __post_init__(self) -> None:
        if self.clock_s <= 0 or (self.solutions is not None and self.solutions < 1):
            msg = "A search needs a positive clock limit and at least one solution."
            raise ValueError(msg)

    def split(self, phases: int) -> Limits:
        """The limits of one of ``phases`` equal phases (work and clock both split)."""
        solutions = None if self.solutions is None else max(1, self.solutions // phases)
        return Limits(solutions, self.clock_s / phases)


def work_limit(
    time_limit_s: float, visits: int, *, lunch: bool = False, iterated: bool = True
) -> int:
    """Solutions a search of ``time_limit_s`` nominal seconds may find on ``visits`` visits.

    The cost of one solution grows about linearly with the number of visits (each descent
    scans neighbourhoods of every visit), so the count is scaled by ``100 / visits``, and
    divided by :data:`LUNCH_COST_FACTOR` when the days have lunch breaks.

    Parameters
    ----------
    time_limit_s
        Nominal effort, in seconds of a quiet core.
    visits
        Visits in the model.
    lunch
        Whether some day of the model has a lunch break.
    iterated
        Iterated local search (True) or guided local search (its own, lower rate).

    Returns
    -------
    int
        The work limit, at least :data:`MIN_WORK`.

    """
    rate = SOLUTIONS_PER_S_AT_100 if iterated else GLS_SOLUTIONS_PER_S_AT_100
    per_s = rate * 100 / max(visits, 10)
    if lunch:
        per_s /= LUNCH_COST_FACTOR
    return max(MIN_WORK, round(per_s * time_limit_s))


def limits_for(
    time_limit_s: float,
    visits: int,
    *,
    lunch: bool = False,
    iterated: bool = True,
    repeatable: bool = True,
) -> Limits:
    """Work limit and far clock limit of a search of ``time_limit_s`` nominal seconds.

    ``lunch`` and ``iterated`` as in :func:`work_limit`; ``repeatable=False`` returns the
    clock alone, at ``time_limit_s`` (the old behaviour).
    """
    if not repeatable:
        return Limits(None, max(time_limit_s, 0.01))
    share = 1.0 if visits >= SMALL_MODEL_VISITS else visits / 100
    clock = max(SAFETY_FACTOR * time_limit_s * share, SAFETY_FLOOR_S)
    return Limits(work_limit(time_limit_s, visits, lunch=lunch, iterated=iterated), clock)


def plan_for(seed: int, worker: int) -> SearchPlan:
    """Return the search plan worker ``worker`` runs under ``seed``.

    Worker 0 always runs the default, what ``build`` runs (iterated local search; its first
    solution is local cheapest insertion, which finds feasible routes under tight windows).
    OR-Tools' guided local search has no random choices and its iterated local search uses
    a fixed seed of its own (tested repeatable), so the seed only decides which of the other
    plans the extra workers run (seed 0: worker 1 runs string removal and random walks).
    """
    if worker == 0:
        return PORTFOLIO[0]
    others = len(PORTFOLIO) - 1
    return PORTFOLIO[1 + (seed + worker - 1) % others]


def search_parameters(
    plan: SearchPlan,
    *,
    limits: Limits,
    phase: int = 0,
    mean_arc_cost: float = 0.0,
    lunch: bool = False,
) -> pywrapcp.DefaultRoutingSearchParameters:
    """OR-Tools search parameters of ``plan`` under ``limits``.

    Parameters
    ----------
    plan
        First-solution strategy and metaheuristic.
    limits
        Work limit (``solution_limit``) and safety-net clock (``time_limit``) of this search
        (phase). The large-neighbourhood sub-searches get the same clock, so that no
        100 ms default cuts them short on a loaded machine.
    phase
        Which entry of ``plan.gls_lambdas`` to use.
    mean_arc_cost
        Scale of the annealing temperatures of an iterated local search (``plan.ruin``); 0
        lets OR-Tools sample arc costs itself (temperatures 0.1 and 0.001 of their mean).
    lunch
        Whether some day of the model has a lunch break (see :data:`LUNCH_SLOW_OPERATORS`).

    Returns
    -------
    RoutingSearchParameters
        The protobuf to pass to ``SolveWithParameters``.

    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FirstSolution, plan.first_solution)
    params.local_search_metaheuristic = getattr(Metaheuristic, plan.metaheuristic)
    params.guided_local_search_lambda_coefficient = plan.gls_lambdas[phase]
    clock = Duration()
    clock.FromNanoseconds(max(1, int(limits.clock_s * 1e9)))
    params.time_limit.CopyFrom(clock)
    if limits.solutions is not None:
        params.lns_time_limit.CopyFrom(clock)
        params.solution_limit = limits.solutions
    if plan.ruin:
        _iterated(params, plan, mean_arc_cost)
        if lunch:
            for name in LUNCH_SLOW_OPERATORS:
                setattr(params.local_search_operators, name, BOOL_FALSE)
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
    if plan.recreate not in FirstSolution.Value.DESCRIPTOR.values_by_name:
        msg = f"unknown recreate heuristic {plan.recreate!r} (a FirstSolutionStrategy name)"
        raise ValueError(msg)
    rr.recreate_strategy.heuristic = getattr(FirstSolution, plan.recreate)
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
