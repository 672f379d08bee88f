"""Territory balance at scale: 40,000 synthetic clients, 100 reps (dense centre, sparse outskirts).

Runs the rebalance from today's zones (Voronoi of homes, badly unbalanced) and from scratch,
and reports time, workload spread before/after, mean Polsby–Popper and clients moved.

    python benchmarks/zones_balance.py [--clients 40000] [--reps 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from zones_city import synthetic_city

from routeplan.config import Settings
from routeplan.territory.balance import BalanceOptions, balance_zones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=40_000)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    t = time.perf_counter()
    clients, reps, zones = synthetic_city(args.clients, args.reps, seed=args.seed)
    print(
        f"synthetic city: {len(clients)} clients, {len(reps)} reps ({time.perf_counter() - t:.1f}s)"
    )
    header = (
        f"{'start':<14}{'time_s':>8}{'spread_before':>15}{'spread_after':>14}"
        f"{'pp_before':>11}{'pp_after':>10}{'home_km_b':>10}{'home_km_a':>10}{'moved':>8}  checks"
    )
    print(header)
    runs = [
        ("today's zones", None, BalanceOptions()),
        ("from scratch", None, BalanceOptions(from_scratch=True)),
        ("balanced", "scratch", BalanceOptions()),
        (f"{args.reps - 1} reps", "scratch", BalanceOptions(n_reps=args.reps - 1)),
        (f"{args.reps + 1} reps", "scratch", BalanceOptions(n_reps=args.reps + 1)),
    ]
    balanced = None
    for label, start, opts in runs:
        data, current = clients, zones
        if start == "scratch":  # start from the balanced plan: rep changes on a good map
            data = clients.assign(zone=balanced.assignment["zone"].to_numpy())
            current = balanced.zones[["zone", "rep_id", "geometry"]]
        t = time.perf_counter()
        res = balance_zones(data, Settings(), zones=current, reps=reps, options=opts)
        if label == "from scratch":
            balanced = res
        took = time.perf_counter() - t
        s = res.summary
        ok = "all ok" if all(res.checks.values()) else str(res.checks)
        print(
            f"{label:<14}{took:>8.1f}{res.spread_before:>15.3f}{res.spread_after:>14.3f}"
            f"{s['polsby_popper_before'].mean():>11.3f}{s['polsby_popper_after'].mean():>10.3f}"
            f"{s['home_km_before'].mean():>10.2f}{s['home_km_after'].mean():>10.2f}"
            f"{res.moved_clients:>8}  {ok}"
        )


if __name__ == "__main__":
    main()
