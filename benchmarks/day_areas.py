"""Day areas and regular slots over the demo cycle: the figures of issue 16's calendar side.

Runs the two variants of ``benchmarks/plan_quality.py`` (``baseline`` = the ``LEGACY``
settings, ``new`` = the defaults) with its harness, weeks 1..12 built in order into a fresh
store, and adds the figures of the calendar side: areas on several days with a twice-weekly
client's second visit left out (it is on two days by definition), weekly visits against the
first visit on their usual weekday (the stored slot), and monthly (A) clients kept on one
weekday. The routing search stops on its own work limit (``routeplan.routing.search``), so
the plans do not depend on the machine's load.

    python benchmarks/day_areas.py [--weeks 12] [--seconds 0.5]

Writes ``benchmarks/results/day_areas.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import plan_quality as pq

from routeplan.config import minutes_of
from routeplan.planning.prepare import prepare

RESULTS = pq.REPO / "benchmarks" / "results" / "day_areas.md"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} % of {whole}" if whole else "-"


def calendar_figures(routes: pd.DataFrame, clients: pd.DataFrame) -> dict[str, object]:
    """The extra figures of one variant's routes (see the module docstring)."""
    routes = routes.assign(catch_up=routes["catch_up"].astype(bool))
    routes["area"] = routes["client_id"].map(clients.set_index("client_id")["area"])
    ordered = routes.sort_values(["week", "date", "seq"])
    second = (ordered["tier"] == "AAA") & ordered.duplicated(["week", "client_id"])
    stats = (
        ordered[~second]
        .groupby(["week", "rep_id", "area"])
        .agg(visits=("client_id", "size"), days=("date", "nunique"))
    )
    repeated = stats[stats["visits"] >= 2]
    weekly = routes[(routes["tier"] == "AA") & ~routes["catch_up"]].sort_values("week")
    weekly = weekly.assign(minute=weekly["start"].map(minutes_of))
    kept = 0
    for _, grp in weekly.groupby("client_id"):
        counts = grp["day"].value_counts()
        day = sorted(counts[counts == counts.max()].index)[0]
        first = grp.loc[grp["day"] == day, "minute"].iloc[0]
        kept += int(((grp["day"] == day) & ((grp["minute"] - first).abs() <= 60)).sum())
    monthly = routes[(routes["tier"] == "A") & ~routes["catch_up"]]
    days = monthly.groupby("client_id")["day"].agg(["nunique", "size"])
    days = days[days["size"] >= 2]
    return {
        "areas on 2+ days, a twice-weekly client's 2nd visit left out": (
            f"{int((repeated['days'] > 1).sum())} of {len(repeated)}"
        ),
        "weekly visits on their usual weekday, ±60 min of the first visit on it": _share(
            kept, len(weekly)
        ),
        "monthly (A) clients seen 2+ times, always on one weekday": _share(
            int((days["nunique"] == 1).sum()), len(days)
        ),
    }


def main() -> None:
    """Run both variants over the cycle and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="seconds per rep-week")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of the cycle to build")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    base = prepare(pq.DEMO)
    results: dict[str, dict[str, object]] = {}
    for name, variant in pq.VARIANTS.items():
        prepared = dataclasses.replace(base, settings=variant(base.settings))
        seconds = args.seconds / pq.CLOCK_FACTOR  # run_cycle multiplies it back
        plans, facts = pq.run_cycle(prepared, weeks=args.weeks, seconds=seconds)
        results[name] = pq.measure(plans, facts, prepared)
        routes = pd.concat([p.routes for p in plans], ignore_index=True)
        results[name].update(calendar_figures(routes, base.clients))
        print(f"{name}: {results[name]['build seconds (cycle)']} s", flush=True)
    args.out.write_text(pq.table(results) + "\n", encoding="utf-8")
    print(pq.table(results))


if __name__ == "__main__":
    main()
