"""Solomon VRPTW: routeplan's OR-Tools engine beside PyVRP at the same time limit.

Usage::

    python benchmarks/solomon.py --time-limit 10 --out benchmarks/results/solomon.md
    python benchmarks/solomon.py --only R101 RC101 R105 C101 R201 RC201

Engines run one after the other on each instance (never at the same time), PyVRP on one core,
ours with ``--workers`` processes. Distances are real Euclidean lengths of the routes found;
every route set is checked in double precision (windows, capacity, each client once).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from solomon_io import (
    FLEET,
    SCALE,
    SolomonInstance,
    bks,
    check_routes,
    read_solomon,
    route_cost,
    to_problem,
)

from routeplan.routing import solve
from routeplan.routing.search import SearchPlan

BASELINE = SearchPlan(first_solution="PATH_CHEAPEST_ARC", gls_lambdas=(0.1,))
"""The plain OR-Tools model of the issue: path cheapest arc + guided local search."""

DEFAULT_DIR = Path("/work/shared/bench/solomon")


@dataclass
class Run:
    """One engine on one instance."""

    distance: float
    vehicles: int
    seconds: float
    feasible: bool


def run_ours(
    instance: SolomonInstance,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    plan: SearchPlan | None = None,
) -> Run:
    problem = to_problem(instance)
    started = time.perf_counter()
    solution = solve(
        problem,
        time_limit_s=time_limit_s,
        seed=seed,
        workers=workers,
        plan=plan,
        repeatable=False,
    )
    seconds = time.perf_counter() - started
    routes = [[s.node for s in r.stops] for r in solution.routes if r.stops]
    feasible = not solution.dropped and not check_routes(instance, routes)
    return Run(route_cost(instance, routes), len(routes), seconds, feasible)


def run_pyvrp(instance: SolomonInstance, *, time_limit_s: float, seed: int) -> Run:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    matrix = instance.scaled_matrix()
    model = Model()
    locations = [model.add_location(x=float(x), y=float(y)) for x, y in instance.xy]
    depot = model.add_depot(
        locations[0], tw_early=int(instance.ready[0]) * SCALE, tw_late=int(instance.due[0]) * SCALE
    )
    model.add_vehicle_type(
        num_available=FLEET,
        capacity=instance.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=int(instance.ready[0]) * SCALE,
        tw_late=int(instance.due[0]) * SCALE,
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
    started = time.perf_counter()
    result = model.solve(stop=MaxRuntime(time_limit_s), seed=seed, display=False)
    seconds = time.perf_counter() - started
    routes = [[a.idx + 1 for a in r if a.is_client()] for r in result.best.routes()]
    feasible = result.best.is_feasible() and not check_routes(instance, routes)
    return Run(route_cost(instance, routes), len(routes), seconds, feasible)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="processes for our engine")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="instance names (default: all)")
    parser.add_argument("--no-pyvrp", action="store_true")
    parser.add_argument(
        "--baseline", action="store_true", help="plain path-cheapest-arc + GLS (the 'before')"
    )
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args(argv)

    best = bks(args.dir / "bks.csv")
    names = args.only or sorted(p.stem for p in args.dir.glob("*.vrptw"))
    header = (
        "| instance | ours dist | ours veh | ours s | pyvrp dist | pyvrp veh | pyvrp s "
        "| ratio | ours gap to BKS | pyvrp gap to BKS |"
    )
    lines = [header, "|" + "---|" * 10]
    print(header, flush=True)
    ratios: list[float] = []
    gaps: list[float] = []
    feasible = 0
    for name in names:
        instance = read_solomon(args.dir / f"{name}.vrptw")
        ours = run_ours(
            instance,
            time_limit_s=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            plan=BASELINE if args.baseline else None,
        )
        feasible += ours.feasible
        bks_dist = best[name][0]
        gap = ours.distance / bks_dist - 1 if ours.feasible else float("nan")
        if ours.feasible:
            gaps.append(gap)
        ours_cell = f"{ours.distance:.2f}" + ("" if ours.feasible else " INFEASIBLE")
        if args.no_pyvrp:
            row = (
                f"| {name} | {ours_cell} | {ours.vehicles} | {ours.seconds:.1f} "
                f"| | | | | {gap:+.2%} | |"
            )
        else:
            ref = run_pyvrp(instance, time_limit_s=args.time_limit, seed=args.seed)
            ratio = ours.distance / ref.distance if ours.feasible else float("nan")
            if ours.feasible:
                ratios.append(ratio)
            ref_gap = ref.distance / bks_dist - 1
            row = (
                f"| {name} | {ours_cell} | {ours.vehicles} | {ours.seconds:.1f} "
                f"| {ref.distance:.2f}{'' if ref.feasible else ' INFEASIBLE'} | {ref.vehicles} "
                f"| {ref.seconds:.1f} | {ratio:.4f} | {gap:+.2%} | {ref_gap:+.2%} |"
            )
        print(row, flush=True)
        lines.append(row)
    summary = [
        "",
        f"Instances: {len(names)}; time limit {args.time_limit:g} s per engine per instance; "
        f"our workers: {args.workers}; PyVRP: 1 core; fleet {FLEET}, vehicles free.",
        f"Ours feasible: {feasible}/{len(names)}.",
        f"Mean gap of ours to BKS distance (feasible instances): "
        f"{statistics.mean(gaps) if gaps else float('nan'):+.2%}.",
    ]
    if ratios:
        summary.append(
            f"Mean distance ratio ours/PyVRP (feasible instances): {statistics.mean(ratios):.4f}; "
            f"worst {max(ratios):.4f}."
        )
    print("\n".join(summary), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join([*lines, *summary]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
