"""Rep-weeks of the demos and a synthetic world: the build's default effort vs a long run.

Usage::

    python benchmarks/rep_weeks.py --out benchmarks/results/rep_weeks.md
    python benchmarks/rep_weeks.py --demo-weeks 2 --andorra-weeks --synthetic-reps 0 --long-factor 5

Problems are built by the production path (``prepare`` → ``due_visits`` →
``rep_week_problems``: lunch, opening windows, spacing, allowed days, drop penalties). Each
is solved as ``routeplan build`` solves it (``solve(problem, time_limit_s=effort)``, one
worker, the deterministic work limit) and compared with the best of a long run: each plan of
``--long-plans`` at ``--long-factor`` times the effort. The ratio is of objectives (drive
seconds plus drop penalties and overtime), so a dropped visit counts. CPU seconds are
``time.process_time`` of this process around each solve.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rep_weeks_io import andorra_problems, demo_problems, synthetic_problems

from routeplan.routing import PORTFOLIO, RepWeekProblem, solve

DEFAULT_EFFORT_S = 2.0
"""The build's default ``[solver] seconds_per_rep_week``."""


@dataclass
class Result:
    """One rep-week: the default solve and the best long run."""

    key: str
    visits: int
    objective: int
    dropped: int
    cpu_s: float
    wall_s: float
    long_objective: int
    long_dropped: int
    long_cpu_s: float
    load: float
    clock_stopped: bool

    @property
    def ratio(self) -> float:
        """Default objective over the best long-run objective."""
        return self.objective / self.long_objective if self.long_objective else 1.0


def run_one(
    key: str, problem: RepWeekProblem, *, effort_s: float, factor: float, plans: list[int]
) -> Result:
    """Solve ``problem`` at the default effort, then with each long plan."""
    cpu, wall = time.process_time(), time.perf_counter()
    default = solve(problem, time_limit_s=effort_s)
    cpu_s, wall_s = time.process_time() - cpu, time.perf_counter() - wall
    cpu = time.process_time()
    longs = [solve(problem, time_limit_s=effort_s * factor, plan=PORTFOLIO[k]) for k in plans]
    best = min([default, *longs], key=lambda s: s.objective)
    return Result(
        key,
        len(problem.visits),
        default.objective,
        len(default.dropped),
        cpu_s,
        wall_s,
        best.objective,
        len(best.dropped),
        time.process_time() - cpu,
        os.getloadavg()[0],
        default.stats.get("clock_stopped", 0.0) > 0,
    )


HEADER = (
    "| rep-week | visits | default objective | dropped | CPU s | wall s "
    "| best long objective | dropped | long CPU s | ratio | load | clock stopped |"
)


def _row(r: Result) -> str:
    return (
        f"| {r.key} | {r.visits} | {r.objective} | {r.dropped} | {r.cpu_s:.1f} | {r.wall_s:.1f} "
        f"| {r.long_objective} | {r.long_dropped} | {r.long_cpu_s:.1f} | {r.ratio:.4f} "
        f"| {r.load:.1f} | {'yes' if r.clock_stopped else 'no'} |"
    )


def _summary(results: list[Result], args: argparse.Namespace) -> list[str]:
    out = [
        "",
        f"Default: `solve(problem, time_limit_s={args.effort:g})`, one worker, work limit "
        f"(what build runs). Long run: plans {args.long_plans} of the portfolio at "
        f"{args.long_factor:g}x the effort, best objective (the default's own result included).",
    ]
    for label in sorted({r.key.split("/")[0] for r in results}):
        group = [r for r in results if r.key.startswith(label + "/")]
        ratios = [r.ratio for r in group]
        within = sum(x <= 1.01 for x in ratios)
        out.append(
            f"{label}: {len(group)} rep-weeks, ratio mean {statistics.mean(ratios):.4f}, "
            f"worst {max(ratios):.4f}, within 1 %: {within}/{len(group)}; default CPU s per "
            f"rep-week mean {statistics.mean(r.cpu_s for r in group):.2f} "
            f"(max {max(r.cpu_s for r in group):.2f}), wall s mean "
            f"{statistics.mean(r.wall_s for r in group):.2f}."
        )
    loads = [r.load for r in results]
    out.append(f"Load average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f}.")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--effort", type=float, default=DEFAULT_EFFORT_S)
    parser.add_argument("--demo-weeks", type=int, nargs="*", default=[2, 5])
    parser.add_argument("--andorra-weeks", type=int, nargs="*", default=[2])
    parser.add_argument("--synthetic-reps", type=int, default=8, help="0: no synthetic world")
    parser.add_argument("--long-factor", type=float, default=10.0)
    parser.add_argument(
        "--long-plans",
        type=int,
        nargs="*",
        default=[0, 1, 2, 3],
        help="portfolio plans of the long run (with one worker a seed does not change a plan, "
        "so four different plans stand for the issue's four seeds)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    problems = demo_problems(tuple(args.demo_weeks)) if args.demo_weeks else {}
    if args.andorra_weeks:
        problems |= andorra_problems(tuple(args.andorra_weeks))
    if args.synthetic_reps:
        problems |= synthetic_problems(400 * args.synthetic_reps, args.synthetic_reps, (1,))
    lines = [HEADER, "|" + "---|" * 12]
    print(HEADER, flush=True)
    results = []
    for key, problem in problems.items():
        result = run_one(
            key, problem, effort_s=args.effort, factor=args.long_factor, plans=args.long_plans
        )
        results.append(result)
        lines.append(_row(result))
        print(lines[-1], flush=True)
        if args.out:  # rows so far, so that a run cut short still leaves its table
            args.out.write_text("\n".join(lines) + "\n")
    summary = _summary(results, args)
    print("\n".join(summary), flush=True)
    if args.out:
        args.out.write_text("\n".join([*lines, *summary]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
