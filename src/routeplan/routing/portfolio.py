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

    Each plan stops on its own work limit, so each result, and the winner, is the same
    whatever the order in which the processes finish or how the machine is loaded.

    Parameters
    ----------
    problem
        The rep-week.
    time_limit_s
        Nominal effort of each search (see :func:`routeplan.routing.search.limits_for`).
    seed
        Rotates the portfolio of plans (worker ``w`` runs ``plan_for(seed, w)``).
    workers
        Number of processes.
    repeatable
        Stop each search on its work limit (see ``routing.solve``).

    Returns
    -------
    RepWeekSolution
        The solution with the lowest objective among those that found one (ties: the lower
        worker index); ``stats`` gains ``worker`` (the winner), ``cpu_s_all`` (CPU seconds
        of all workers) and ``clock_stopped`` (1.0 when the clock ended any worker);
        ``runtime_s`` is set by the caller.

    """
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(
            pool.map(_run, [(problem, time_limit_s, seed, w, repeatable) for w in range(workers)])
        )
    ranked = [(r.status == "NO_SOLUTION", r.objective, w, r) for w, r in enumerate(results)]
    _, _, worker, best = min(ranked, key=lambda t: t[:3])
    best.stats["worker"] = float(worker)
    best.stats["cpu_s_all"] = sum(r.stats.get("cpu_s", 0.0) for r in results)
    best.stats["clock_stopped"] = max(r.stats.get("clock_stopped", 0.0) for r in results)
    return best
