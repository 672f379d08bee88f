"""Scale benchmark: time and peak memory of a full `build --week N` as clients and reps grow.

For each size (clients, reps) a seeded synthetic country is written to a temporary data
folder; then, in a fresh process per run (so peak memory is that run's alone), the same
library call as `routeplan build` runs with 1 and 2 local workers. Printed as a table with
the growth ratio between sizes; also written to benchmarks/results/scale.md.

    python benchmarks/scale.py                      # 1,000 / 10,000 / 40,000 clients
    python benchmarks/scale.py --sizes 1000:3 --workers 1
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
SETTINGS = """
# A national distributor: 400 accounts per rep (the demo has 250), so shorter visits and up to
# 15 a day keep the default cadences within a working week.
[cycle]
weeks = 12
start_date = 2027-01-04

[cadence.A]
service_min = 25

[cadence.B]
service_min = 15

[workday]
max_visits_per_day = 15

[travel]
speed_kmh = 50.0

[solver]
seconds_per_rep_week = {seconds}
"""


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=SIZES, help="clients:reps pairs, comma separated")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seconds", type=float, default=2.0, help="solver seconds per rep-week")
    parser.add_argument("--week", type=int, default=12)
    parser.add_argument("--one", nargs=2, metavar=("DATA", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(Path(args.one[0]), int(args.one[1]), args.week)))
        return

    from routeplan.synthetic import synthetic_world, write_world

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pair in args.sizes.split(","):
            n_clients, n_reps = (int(x) for x in pair.split(":"))
            started = time.perf_counter()
            world = synthetic_world(n_clients, n_reps, seed=1)
            data = write_world(
                world,
                Path(tmp) / f"w{n_clients}",
                settings_toml=SETTINGS.format(seconds=args.seconds),
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
                result = json.loads(out.stdout.strip().splitlines()[-1])
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
    table = format_table(rows, args.seconds)
    print(table)
    Path(__file__).with_name("results").mkdir(exist_ok=True)
    (Path(__file__).with_name("results") / "scale.md").write_text(table + "\n")


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
