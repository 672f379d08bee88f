"""Scale benchmark: time and peak memory of a full `build --week N` as clients and reps grow.

For each size (clients, reps) a seeded synthetic country is written to a temporary data
folder; then, in a fresh process per run (so peak memory is that run's alone), the same
library call as `routeplan build` runs with 1 and 2 local workers. Printed as a table with
the growth ratio between sizes; also written to benchmarks/results/scale.md.

    python benchmarks/scale.py                      # 1,000 / 10,000 / 40,000 clients
    python benchmarks/scale.py --sizes 1000:3 --workers 1

After each size's builds, as a manager would: `zones balance` (its workload calibrated by the
routed week in the store), the new zones applied, the same week built again; drops before and
after, and each rep's drive estimate (the density formula alone, and times the rep's factor
learned from the first build) against the routed drive (`--no-balance` skips it).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = "1000:3,10000:25,40000:100"


def settings_toml(seconds: float) -> str:
    """``routeplan.toml`` of the synthetic world with ``seconds`` of search per rep-week."""
    from routeplan.synthetic import WORLD_SETTINGS

    return f"{WORLD_SETTINGS}\n[solver]\nseconds_per_rep_week = {seconds}\n"


def one_run(data: Path, workers: int, week: int) -> dict[str, float]:
    from routeplan.jobs.build import run_build
    from routeplan.planning.prepare import DataSource

    started = time.perf_counter()
    outcome = run_build(
        DataSource(data), week, out_dir=data / "out", maps_dir=data / "maps", workers=workers
    )
    total = time.perf_counter() - started
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    plan = outcome.result.plan
    return {
        **{f"{k}_s": v for k, v in outcome.seconds.items()},
        "total_s": total,
        "peak_main_mib": peak_self,
        "peak_worker_mib": peak_children,
        "due": len(outcome.result.due),
        "planned": len(plan.routes),
        "dropped": len(plan.dropped),
    }


def estimate_vs_routed(due, plan, factors: dict[str, float]) -> dict[str, float]:
    """Per rep, the week's drive estimate over the routed drive: median and share within ±15 %.

    The estimate of a rep is the calendar's density estimate of the visits it routed, times
    the rep's travel factor learned from routed weeks (``factors``; 1.0 = the formula alone).
    """
    import numpy as np

    from routeplan.planning.capacity_check import factor_of

    estimate = due.drop_duplicates("client_id").set_index("client_id")["travel_min"]
    routes = plan.routes[plan.routes["client_id"].isin(estimate.index)]
    est = routes.groupby("rep_id")["client_id"].apply(lambda c: float(estimate[c].sum()))
    routed = plan.days.groupby("rep_id")["travel_min"].sum()
    out: dict[str, float] = {}
    for name, scale in (("formula", {}), ("calibrated", factors)):
        ratios = np.array(
            [
                est[r] * factor_of(scale, str(r)) / routed[r]
                for r in est.index
                if routed.get(r, 0.0) > 0
            ]
        )
        out[f"{name}_median"] = float(np.median(ratios)) if len(ratios) else float("nan")
        out[f"{name}_within15"] = float(np.mean(np.abs(ratios - 1) <= 0.15)) if len(ratios) else 0
    return out


def apply_zones(data: Path, result) -> None:
    """What a manager does with `zones balance`: the new zones and each client's zone in place."""
    import pandas as pd

    from routeplan.io.writers import write_csv

    result.zones[["zone", "geometry"]].to_file(data / "zones.geojson", driver="GeoJSON")
    clients = pd.read_csv(data / "clients.csv", dtype=str, keep_default_na=False)
    zone = result.assignment.set_index("client_id")["zone"]
    clients["zone"] = clients["client_id"].map(zone).fillna(clients["zone"])
    write_csv(clients, data / "clients.csv")


def plan_week(source, week: int, workers: int):
    """`build` without its exports and maps (the benchmark's second build reads only the
    plan): load, calendar, routing, and the week saved in the store."""
    from routeplan.planning.prepare import prepare
    from routeplan.planning.store import PlanStore
    from routeplan.planning.store_lock import store_writer
    from routeplan.planning.week import build_week

    with store_writer(source.store_file), PlanStore(source.store_file) as store:
        prepared = prepare(source.data_dir, previous_tiers=store.load_tiers())
        result = build_week(prepared, week, store=store, workers=workers)
        store.save_tiers(prepared.clients)
        store.save_week_plan(result.plan)
    return result


def manager_run(data: Path, workers: int, week: int) -> dict[str, float]:
    """After a build of ``week``: `zones balance` (calibrated by it), apply, plan it again."""
    from routeplan.jobs.zones import run_balance
    from routeplan.planning.capacity_check import POOLED, travel_factors
    from routeplan.planning.prepare import DataSource
    from routeplan.planning.store import PlanStore
    from routeplan.territory.balance import BalanceOptions

    source = DataSource(data)
    with PlanStore(source.store_file) as store:
        before = store.load_week_plan(week)
        calendar = store.load_calendar()
    assert before is not None and calendar is not None
    factors = travel_factors([before], calendar)
    started = time.perf_counter()
    result, _paths = run_balance(source, BalanceOptions(), out_dir=data / "out" / "zones")
    balance_s = time.perf_counter() - started
    apply_zones(data, result)
    started = time.perf_counter()
    built = plan_week(source, week, workers)
    build_s = time.perf_counter() - started
    plan = built.plan
    return {
        "balance_s": balance_s,
        "moved_clients": result.moved_clients,
        "spread_before": result.spread_before,
        "spread_after": result.spread_after,
        "build_s": build_s,
        "due": len(built.due),
        "planned": len(plan.routes),
        "dropped": len(plan.dropped),
        "capacity_warnings": sum("routeplan zones balance" in w for w in built.warnings),
        **estimate_vs_routed(built.due, plan, factors),
        "factor_pooled": factors.get(POOLED, 1.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=SIZES, help="clients:reps pairs, comma separated")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seconds", type=float, default=2.0, help="solver seconds per rep-week")
    parser.add_argument("--week", type=int, default=12)
    parser.add_argument(
        "--no-balance", action="store_true", help="skip the `zones balance` and rebuild step"
    )
    parser.add_argument("--one", nargs=2, metavar=("DATA", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--manager", nargs=2, metavar=("DATA", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(Path(args.one[0]), int(args.one[1]), args.week)))
        return
    if args.manager:
        print(json.dumps(manager_run(Path(args.manager[0]), int(args.manager[1]), args.week)))
        return

    from routeplan.synthetic import synthetic_world, write_world

    rows: list[dict] = []
    managers: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in args.sizes.split(","):
            n_clients, n_reps = (int(x) for x in pair.split(":"))
            started = time.perf_counter()
            world = synthetic_world(n_clients, n_reps, seed=1)
            data = write_world(
                world,
                Path(tmp) / f"w{n_clients}",
                settings_toml=settings_toml(args.seconds),
            )
            generate_s = time.perf_counter() - started
            for workers in (int(w) for w in args.workers.split(",")):
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--one",
                        str(data),
                        str(workers),
                        "--week",
                        str(args.week),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                result = _last_json(out.stdout)
                rows.append(
                    {
                        "clients": n_clients,
                        "reps": n_reps,
                        "workers": workers,
                        "generate_s": generate_s,
                        **result,
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
            if not args.no_balance:
                managers.append(_manager(data, rows[-1], args.week))
                print(json.dumps(managers[-1]), flush=True)
    table = format_table(rows, args.seconds) + "\n\n" + format_manager(managers)
    print(table)
    Path(__file__).with_name("results").mkdir(exist_ok=True)
    (Path(__file__).with_name("results") / "scale.md").write_text(table + "\n")


def _last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def _manager(data: Path, last: dict, week: int) -> dict:
    """The manager step after the size's last build, in a fresh process."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--manager",
            str(data),
            str(last["workers"]),
            "--week",
            str(week),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return {
        "clients": last["clients"],
        "reps": last["reps"],
        "workers": last["workers"],
        "due_before": last["due"],
        "dropped_before": last["dropped"],
        **_last_json(out.stdout),
    }


def format_manager(rows: list[dict]) -> str:
    """Drops before and after `zones balance`, and the drive estimate against routed drive."""
    header = [
        "clients",
        "reps",
        "dropped before (of due)",
        "balance s",
        "clients moved",
        "workload spread",
        "dropped after (of due)",
        "over-capacity warnings",
        "estimate ÷ routed per rep, median: formula → calibrated",
        "reps within ±15 %: formula → calibrated",
        "pooled travel factor",
    ]
    lines = [
        "After the build: `zones balance` (its workload calibrated by the routed week), the new "
        "zones applied, the same week built again. Estimate = the calendar's density estimate "
        "of each rep's routed visits, alone and times the rep's factor learned from the first "
        "build.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---:|" * len(header),
    ]
    for r in rows:
        cells = [
            f"{r['clients']:,}",
            r["reps"],
            f"{r['dropped_before']} of {r['due_before']} "
            f"({100 * r['dropped_before'] / max(r['due_before'], 1):.1f} %)",
            f"{r['balance_s']:.1f}",
            r["moved_clients"],
            f"{100 * r['spread_before']:.1f} % → {100 * r['spread_after']:.1f} %",
            f"{r['dropped']} of {r['due']} ({100 * r['dropped'] / max(r['due'], 1):.1f} %)",
            r["capacity_warnings"],
            f"{r['formula_median']:.2f} → {r['calibrated_median']:.2f}",
            f"{100 * r['formula_within15']:.0f} % → {100 * r['calibrated_within15']:.0f} %",
            f"{r['factor_pooled']:.2f}",
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


STAGES = (
    "load",
    "zones",
    "tiers",
    "calendar",
    "matrices",
    "routing",
    "tables",
    "kpis",
    "exports",
    "maps",
)


def format_table(rows: list[dict], seconds: float) -> str:
    header = [
        "clients",
        "reps",
        "workers",
        *(f"{s} s" for s in STAGES),
        "total s",
        "growth vs previous size",
        "peak main MiB",
        "peak worker MiB",
        "due",
        "planned",
        "dropped",
    ]
    lines = [
        f"Scale: full build --week N (as `routeplan build`), {seconds:g} s per rep-week, "
        "2-core machine; every run in a fresh process.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---:|" * len(header),
    ]
    previous: dict[int, dict] = {}
    for row in rows:
        before = previous.get(row["workers"])
        growth = ""
        if before:
            time_ratio = row["total_s"] / before["total_s"]
            growth = f"×{time_ratio:.2f} time for ×{row['reps'] / before['reps']:.1f} reps"
        previous[row["workers"]] = row
        cells = [
            f"{row['clients']:,}",
            row["reps"],
            row["workers"],
            *(f"{row.get(f'{s}_s', 0.0):.1f}" for s in STAGES),
            f"{row['total_s']:.1f}",
            growth,
            f"{row['peak_main_mib']:.0f}",
            f"{row['peak_worker_mib']:.0f}",
            row["due"],
            row["planned"],
            row["dropped"],
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
