"""Several search plans on one rep-week side by side, in processes; the best result wins."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from routeplan.routing.problem import RepWeekProblem, RepWeekSolution
from routeplan.routing.search import plan_for
from routeplan.routing.single import solve_one


def _run(args: tuple[RepWeekProblem, float, int, int, bool]) -> RepWeekSolution:
    problem, time_limit_s, seed, worker, repeatable = args
    plan = plan_for(seed, worker)
    return solve_one(problem, time_limit_s=time_limit_s, plan=plan, repeatable=repeatable)


def solve_portfolio(
    problem: RepWeekProblem, *, time_limit_s: float, seed: int, workers: int, repeatable: bool
) -> RepWeekSolution:
    """Run ``workers`` search plans in processes and keep the best solution.

    Parameters
    ----------
    problem
        The rep-week.
    time_limit_s
        Wall-clock limit of each search.
    seed
        Rotates the portfolio of plans (worker ``w`` runs ``plan_for(seed, w)``).
    workers
        Number of processes.
    repeatable
        Stop each search after a fixed amount of work too (see ``routing.solve``).

    Returns
    -------
    RepWeekSolution
        The solution with the lowest objective among those that found one (ties: first
        worker); ``runtime_s`` is set by the caller.

    """
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(
            pool.map(_run, [(problem, time_limit_s, seed, w, repeatable) for w in range(workers)])
        )
    found = [r for r in results if r.status != "NO_SOLUTION"] or results
    return min(found, key=lambda r: r.objective)
