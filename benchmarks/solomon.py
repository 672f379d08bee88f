"""Solomon VRPTW: what ``routeplan build`` runs per rep-week beside PyVRP at equal CPU time.

Usage::

    python benchmarks/solomon.py --effort 10 --out benchmarks/results/solomon.md
    python benchmarks/solomon.py --only C101 C201 R101 R105 R201 R207 RC101 RC105 RC201 RC208
    python benchmarks/solomon.py --only R101 --plan gls --clock   # the old default, by the clock

Per instance the engines run back to back, never at the same time: ours with one worker
(``solve(problem, time_limit_s=effort)``, exactly the call ``build`` makes per rep-week: it
stops on the deterministic work limit of ``effort`` nominal seconds), then PyVRP on one core
stopped when its own process has used the CPU seconds ours used, then (``--workers2``) our
two-worker portfolio. Every engine's CPU seconds (``time.process_time`` in its process; the
sum over worker processes for the portfolio) and the load average are recorded. Distances
are real Euclidean lengths; every route set is checked in double precision (windows,
capacity, each client once).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from solomon_io import (
    SCALE,
    SolomonInstance,
    bks,
    check_routes,
    fleet_for,
    read_solomon,
    route_cost,
    to_problem,
)

from routeplan.routing import PORTFOLIO, solve
from routeplan.routing.search import SOLUTIONS_PER_S_AT_100, SearchPlan, work_limit

PLANS: dict[str, SearchPlan] = {
    "default": PORTFOLIO[0],
    "sisr": PORTFOLIO[1],
    "gls": PORTFOLIO[2],
    "seq-recreate": dataclasses.replace(PORTFOLIO[0], recreate="SEQUENTIAL_CHEAPEST_INSERTION"),
}
"""Plans a run may force for one worker (``gls``: the default before the work limit;
``seq-recreate``: the default recreating route by route, tried in the tenth session)."""

DEFAULT_DIR = Path("/work/shared/bench/solomon")
SUBSET = ("C101", "C201", "R101", "R105", "R201", "R207", "RC101", "RC105", "RC201", "RC208")
"""The stratified ten of issue 21."""


@dataclass
class Run:
    """One engine on one instance."""

    distance: float
    vehicles: int
    cpu_s: float
    wall_s: float
    feasible: bool
    load: float
    clock_stopped: bool = False


@dataclass(frozen=True)
class Options:
    """What to run: effort, workers, plan and stopping rule of ours."""

    effort_s: float
    plan: SearchPlan | None
    clock: bool
    workers2: bool
    pyvrp: bool


def run_ours(instance: SolomonInstance, options: Options, *, workers: int) -> Run:
    """Our engine as ``build`` calls it (or with ``options``' plan and stopping rule)."""
    problem = to_problem(instance)
    cpu, wall = time.process_time(), time.perf_counter()
    solution = solve(
        problem,
        time_limit_s=options.effort_s,
        workers=workers,
        plan=options.plan if workers == 1 else None,
        repeatable=not options.clock,
    )
    cpu_s = time.process_time() - cpu
    if workers > 1:
        cpu_s += solution.stats.get("cpu_s_all", 0.0)
    routes = [[s.node for s in r.stops] for r in solution.routes if r.stops]
    feasible = not solution.dropped and not check_routes(instance, routes)
    return Run(
        route_cost(instance, routes),
        len(routes),
        cpu_s,
        time.perf_counter() - wall,
        feasible,
        os.getloadavg()[0],
        solution.stats.get("clock_stopped", 0.0) > 0,
    )


class MaxCpuTime:
    """PyVRP stopping criterion: stop when this process has used ``seconds`` of CPU."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: float | None = None

    def __call__(self, best_cost: float) -> bool:
        now = time.process_time()
        if self.started is None:
            self.started = now
        return now - self.started >= self.seconds


def run_pyvrp(instance: SolomonInstance, *, cpu_s: float, seed: int = 0) -> Run:
    """PyVRP on one core, stopped after ``cpu_s`` CPU seconds of its search."""
    from pyvrp import Model

    matrix = instance.scaled_matrix()
    model = Model()
    locations = [model.add_location(x=float(x), y=float(y)) for x, y in instance.xy]
    early, late = int(instance.ready[0]) * SCALE, int(instance.due[0]) * SCALE
    depot = model.add_depot(locations[0], tw_early=early, tw_late=late)
    model.add_vehicle_type(
        num_available=fleet_for(instance),
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=early,
        tw_late=late,
    )
    for i in range(1, len(locations)):
        model.add_client(
            locations[i],
            delivery=int(instance.demand[i]),
            service_duration=int(instance.service[i]) * SCALE,
            tw_early=int(instance.ready[i]) * SCALE,
            tw_late=int(instance.due[i]) * SCALE,
        )
    for i, frm in enumerate(locations):
        for j, to in enumerate(locations):
            if i != j:
                model.add_edge(frm, to, distance=int(matrix[i, j]), duration=int(matrix[i, j]))
    cpu, wall = time.process_time(), time.perf_counter()
    result = model.solve(stop=MaxCpuTime(cpu_s), seed=seed, display=False)
    routes = [[a.idx + 1 for a in r if a.is_client()] for r in result.best.routes()]
    feasible = result.best.is_feasible() and not check_routes(instance, routes)
    return Run(
        route_cost(instance, routes),
        len(routes),
        time.process_time() - cpu,
        time.perf_counter() - wall,
        feasible,
        os.getloadavg()[0],
    )


HEADER = (
    "| instance | ours 1w dist | veh | CPU s | PyVRP dist | veh | CPU s | ratio 1w "
    "| ours 2w dist | CPU s (both) | ratio 2w | load | ours gap to BKS |"
)


def _row(name: str, runs: dict[str, Run], bks_dist: float) -> tuple[str, float, float]:
    """One table row, the 1-worker ratio and the 2-worker ratio (nan when not run)."""
    nan = float("nan")
    one, ref, two = runs["ours"], runs.get("pyvrp"), runs.get("two")
    ratio1 = one.distance / ref.distance if ref and one.feasible else nan
    ratio2 = two.distance / ref.distance if ref and two and two.feasible else nan
    cells = [
        name,
        f"{one.distance:.2f}" + ("" if one.feasible else " INFEASIBLE"),
        str(one.vehicles),
        f"{one.cpu_s:.1f}",
        f"{ref.distance:.2f}" + ("" if ref.feasible else " INFEASIBLE") if ref else "",
        str(ref.vehicles) if ref else "",
        f"{ref.cpu_s:.1f}" if ref else "",
        f"{ratio1:.4f}",
        f"{two.distance:.2f}" + ("" if two.feasible else " INFEASIBLE") if two else "",
        f"{two.cpu_s:.1f}" if two else "",
        f"{ratio2:.4f}",
        f"{max(r.load for r in runs.values()):.1f}",
        f"{one.distance / bks_dist - 1:+.2%}" if bks_dist == bks_dist else "",
    ]
    return "| " + " | ".join(cells) + " |", ratio1, ratio2


def _summary(options: Options, names: list[str], runs: list[dict[str, Run]]) -> list[str]:
    ratio1 = [r["ours"].distance / r["pyvrp"].distance for r in runs if "pyvrp" in r]
    ratio2 = [r["two"].distance / r["pyvrp"].distance for r in runs if "two" in r and "pyvrp" in r]
    feasible = sum(r["ours"].feasible for r in runs)
    clocked = sum(r["ours"].clock_stopped for r in runs)
    cpu = [r["ours"].cpu_s for r in runs]
    loads = [r["ours"].load for r in runs]
    fleet = "25 (per 100 customers, at most twice the file's vehicles)"
    rule = (
        f"clock limit {options.effort_s:g} s (old behaviour)"
        if options.clock
        else f"work limit of {options.effort_s:g} nominal s = {work_limit(options.effort_s, 100)}"
        f" solutions on 100 visits ({SOLUTIONS_PER_S_AT_100} per s at 100 visits)"
    )
    out = [
        "",
        f"Instances: {len(names)}; ours 1 worker, {rule}; "
        f"plan {'forced' if options.plan else 'default (what build runs)'}; "
        f"PyVRP 1 core, stopped at the CPU seconds ours used; fleet {fleet}, vehicles free.",
        f"Ours feasible: {feasible}/{len(names)}; safety-net clock fired: {clocked}; "
        f"ours CPU s per instance: mean "
        f"{statistics.mean(cpu):.1f}, range {min(cpu):.1f}-{max(cpu):.1f}; "
        f"load average (1 min) {min(loads):.1f}-{max(loads):.1f}.",
    ]
    if ratio1:
        out.append(
            f"Distance ratio ours 1 worker / PyVRP: mean {statistics.mean(ratio1):.4f}, "
            f"worst {max(ratio1):.4f}."
        )
    if ratio2:
        out.append(
            f"Distance ratio ours 2 workers / the same PyVRP run: mean "
            f"{statistics.mean(ratio2):.4f}, worst {max(ratio2):.4f}."
        )
    return out


def _path_of(folder: Path, name: str) -> Path:
    """The file of instance ``name`` (``C1_4_2`` finds ``C1_4_2.400.36.vrptw``)."""
    exact = folder / f"{name}.vrptw"
    if exact.exists():
        return exact
    matches = sorted(folder.glob(f"{name}.*.vrptw"))
    if not matches:
        msg = f"no instance {name!r} in {folder}"
        raise SystemExit(msg)
    return matches[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances",
        "--dir",
        dest="dir",
        type=Path,
        default=DEFAULT_DIR,
        help="folder of .vrptw files (Solomon, or Gehring & Homberger; not bundled)",
    )
    parser.add_argument("--effort", type=float, default=10.0, help="nominal seconds")
    parser.add_argument("--only", nargs="*", help="instance names (default: all 56)")
    parser.add_argument("--subset", action="store_true", help="the stratified ten")
    parser.add_argument("--plan", choices=sorted(PLANS), help="force one plan (1 worker)")
    parser.add_argument("--clock", action="store_true", help="stop ours on the clock (old)")
    parser.add_argument("--workers2", action="store_true", help="also run 2 workers")
    parser.add_argument("--no-pyvrp", action="store_true")
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args(argv)
    options = Options(
        effort_s=args.effort,
        plan=PLANS[args.plan] if args.plan else None,
        clock=args.clock,
        workers2=args.workers2,
        pyvrp=not args.no_pyvrp,
    )
    best = bks(args.dir / "bks.csv")
    names = (
        list(SUBSET)
        if args.subset
        else args.only or sorted(p.stem for p in args.dir.glob("*.vrptw"))
    )
    lines = [HEADER, "|" + "---|" * 13]
    print(HEADER, flush=True)
    all_runs: list[dict[str, Run]] = []
    for name in names:
        instance = read_solomon(_path_of(args.dir, name))
        name = instance.name
        runs = {"ours": run_ours(instance, options, workers=1)}
        if options.pyvrp:
            runs["pyvrp"] = run_pyvrp(instance, cpu_s=runs["ours"].cpu_s)
        if options.workers2:
            runs["two"] = run_ours(instance, options, workers=2)
        row, _, _ = _row(name, runs, best.get(name, (float("nan"), 0))[0])
        print(row, flush=True)
        lines.append(row)
        if args.out:  # rows so far, so that a run cut short still leaves its table
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text("\n".join(lines) + "\n")
        all_runs.append(runs)
    summary = _summary(options, names, all_runs)
    print("\n".join(summary), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join([*lines, *summary]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
