"""``solve``: route one rep-week, with one search plan or a portfolio of them."""

from __future__ import annotations

import time

from routeplan.routing.portfolio import solve_portfolio
from routeplan.routing.problem import RepWeekProblem, RepWeekSolution
from routeplan.routing.search import SearchPlan, plan_for
from routeplan.routing.single import solve_one


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
        Nominal effort of the search, in seconds of a quiet core: turned into a work limit
        (solutions found, scaled by the number of visits; see
        :func:`routeplan.routing.search.work_limit`) that stops the search. The wall clock
        stops it only at ``SAFETY_FACTOR`` times this (reported as
        ``stats["clock_stopped"]``).
    seed
        Rotates the plans of workers after the first (worker 0 always runs the default
        plan, whose searches have no random choice but OR-Tools' own fixed-seed ones).
    workers
        Processes searching side by side with different plans (the best result wins). Keep
        1 when rep-weeks already run in parallel.
    plan
        Override the search plan chosen by ``seed`` (benchmarks compare strategies).
    repeatable
        True (the default, what ``build`` runs): stop on the work limit, so the same
        problem, seed and effort give the same routes on any machine and load, and with a
        portfolio the same winner. False searches until the clock passes ``time_limit_s``
        (the old behaviour; benchmarks only).

    Returns
    -------
    RepWeekSolution
        Ordered stops per day with times, dropped visits with reasons, status and objective.

    """
    started = time.perf_counter()
    if workers > 1:
        solution = solve_portfolio(
            problem, time_limit_s=time_limit_s, seed=seed, workers=workers, repeatable=repeatable
        )
    else:
        chosen = plan if plan is not None else plan_for(seed, 0)
        solution = solve_one(problem, time_limit_s=time_limit_s, plan=chosen, repeatable=repeatable)
    solution.runtime_s = time.perf_counter() - started
    return solution
