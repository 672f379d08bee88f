"""Capacity at scale: cost to serve and one what-if scenario on 40,000 accounts, 100 reps.

Measures, once each (no loops: the machine is shared):

- cost to serve and recommendations of every account (density estimate, no built weeks);
- the baseline (automatic zones balance + estimates);
- one scenario (``--reps +2 --cadence B=every_weeks:8``): balance for 102 reps + estimates;
- ``--route-sample N`` on that scenario (real solver, ``[solver]`` time limit per rep-week).

    python benchmarks/capacity.py [--clients 40000] [--reps 100] [--route-sample 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from routeplan.capacity.evaluate import CapacityWorld, evaluate_scenario
from routeplan.capacity.scenario import Scenario, scenario_from_options
from routeplan.jobs.capacity import account_costs
from routeplan.jobs.capacity_sample import route_sample
from routeplan.planning.prepare import prepare
from routeplan.synthetic import synthetic_world, write_world


def _line(
    label: str, seconds: float, result: object | None = None, cpu: float | None = None
) -> None:
    extra = ""
    if result is not None:
        r = result
        extra = (
            f"  reps {r.n_reps}, needed {r.reps_needed}, workload mean {r.workload_mean_h:.1f} h "
            f"max {r.workload_max_h:.1f} h spread {r.workload_spread:.1%}, coverage "
            f"{r.coverage:.1%}, drive {r.drive_h:,.0f} h/week, cost {r.cost_to_serve:,.0f}"
        )
    cpu_text = f" (cpu {cpu:.1f} s)" if cpu is not None else ""
    print(f"{label:<42}{seconds:>8.1f} s{cpu_text}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=40_000)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--route-sample", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_world(synthetic_world(args.clients, args.reps), Path(tmp) / "world")
        t = time.perf_counter()
        prepared = prepare(folder)
        _line(f"prepare ({args.clients:,} accounts, {args.reps} reps)", time.perf_counter() - t)
        t = time.perf_counter()
        accounts, _factor, _weeks = account_costs(prepared, Path(tmp) / "none.sqlite")
        _line("cost to serve + recommendations", time.perf_counter() - t)
        counts = accounts["recommendation"].value_counts().to_dict()
        print(f"  recommendations: {counts}")
        world = CapacityWorld(accounts, prepared.reps, prepared.zones, prepared.settings)
        estimate = world.baseline_estimate()
        t, c = time.perf_counter(), time.process_time()
        base = evaluate_scenario(world, Scenario(), estimate=estimate)
        _line(
            "baseline (balance + estimates)",
            time.perf_counter() - t,
            base,
            cpu=time.process_time() - c,
        )
        scenario = scenario_from_options(
            prepared.settings.tier_names, reps="+2", cadence=["B=every_weeks:8"]
        )
        t, c = time.perf_counter(), time.process_time()
        result = evaluate_scenario(world, scenario, estimate=estimate)
        _line(
            "scenario reps +2, B every 8 weeks",
            time.perf_counter() - t,
            result,
            cpu=time.process_time() - c,
        )
        if args.route_sample:
            sample = route_sample(prepared, result, args.route_sample)
            table = sample.table
            _line(f"--route-sample {args.route_sample}", sample.seconds)
            print(
                f"  routed {table['routed_h'].sum():.1f} h vs estimated "
                f"{table['estimated_planned_h'].sum():.1f} h for the same visits "
                f"(ratio {sample.ratio:.2f}); "
                f"{table['dropped'].sum()} of {table['due_visits'].sum()} visits dropped"
            )


if __name__ == "__main__":
    main()
