"""Time write_week_outputs and the KPI report on a synthetic large week.

Usage: python benchmarks/bench_exports.py [--reps 100] [--stops-per-day 8]
Prints seconds per output kind (one run each; the machine's other load matters).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from routeplan.config import CycleConfig, Settings
from routeplan.io import writers_tables
from routeplan.io.exports import write_week_outputs
from routeplan.kpis.report import kpi_tables, write_report_html
from routeplan.model.plan import WeekPlan


def synthetic_week(reps: int, stops_per_day: int, *, week: int, settings: Settings) -> WeekPlan:
    rng = np.random.default_rng(0)
    monday = settings.cycle.week_start(week)
    routes, days = [], []
    for r in range(reps):
        rep_id = f"R{r:03d}"
        home = (60.1 + rng.random() * 0.2, 24.8 + rng.random() * 0.4)
        for d, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri"]):
            date = (monday + dt.timedelta(days=d)).isoformat()
            minute = 8 * 60
            for seq in range(1, stops_per_day + 1):
                minute += 15
                start = minute
                minute += 30
                routes.append(
                    (
                        week,
                        rep_id,
                        date,
                        name,
                        seq,
                        f"{rep_id}-{d}-{seq}",
                        f"Client {seq}",
                        "A",
                        home[0] + rng.normal(0, 0.02),
                        home[1] + rng.normal(0, 0.04),
                        "Street 1",
                        f"{start // 60:02d}:{start % 60:02d}",
                        f"{start // 60:02d}:{start % 60:02d}",
                        f"{minute // 60:02d}:{minute % 60:02d}",
                        30,
                        0,
                        15.0,
                        6.0,
                        False,
                        "due",
                    )
                )
            end = minute + 20
            days.append(
                (
                    week,
                    rep_id,
                    date,
                    name,
                    stops_per_day,
                    "08:00",
                    f"{end // 60:02d}:{end % 60:02d}",
                    15.0 * stops_per_day + 20,
                    50.0,
                    30 * stops_per_day,
                    home[0],
                    home[1],
                )
            )
    from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS

    return WeekPlan(
        week,
        pd.DataFrame(routes, columns=list(ROUTE_COLUMNS)),
        pd.DataFrame(days, columns=list(DAY_COLUMNS)),
        pd.DataFrame(columns=list(DROPPED_COLUMNS)),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--stops-per-day", type=int, default=8)
    args = parser.parse_args()
    settings = Settings(cycle=CycleConfig(weeks=12))
    plan = synthetic_week(args.reps, args.stops_per_day, week=3, settings=settings)
    reps = pd.DataFrame({"rep_id": plan.days["rep_id"].unique(), "name": "x"})
    print(f"{args.reps} reps, {len(plan.routes)} stops, {len(plan.days)} rep-days")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        written = write_week_outputs(plan, Path(tmp), settings=settings, reps=reps)
        total = time.perf_counter() - start
        print(f"write_week_outputs: {total:.2f} s, {sum(map(len, written.values()))} files")
        start = time.perf_counter()
        writers_tables.write_week_xlsx(plan, Path(tmp) / "again.xlsx", reps=reps)
        print(f"  of which xlsx (rerun alone): {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        tables = kpi_tables(plan, settings=settings, reps=reps)
        write_report_html(tables, Path(tmp) / "report.html", week=3)
        print(f"kpi_tables + write_report_html: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
