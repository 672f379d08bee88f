"""The Andorra road-mode demo: build time per stage, and what road mode changes vs haversine.

Usage::

    python benchmarks/road_demo.py [--week 12] [--seconds 2] [--out benchmarks/results/road_demo.md]

1. ``build --week N`` on a fresh copy of ``data/andorra`` twice (cold: no road cache; warm),
   the library call the CLI makes, with the seconds of every stage; the road graph load
   alone is timed too.
2. The same due visits planned on haversine matrices and on road matrices (same solver,
   same time limit), both plans then driven on the road graph: drive minutes and km, and
   how many rep-days changed their set of visits or their order.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from routeplan.jobs.build import run_build  # noqa: E402
from routeplan.planning.prepare import DataSource, prepare, travel_provider  # noqa: E402
from routeplan.planning.week import cycle_calendar, due_visits, rep_week_problems  # noqa: E402
from routeplan.routing import RepWeekProblem, RepWeekSolution, solve  # noqa: E402
from routeplan.travel.haversine import HaversineProvider  # noqa: E402
from routeplan.travel.osm.graph import load_road_graph  # noqa: E402
from routeplan.travel.osm.matrix import resolve_osm_file, road_speeds  # noqa: E402

STAGES = ("load", "zones", "tiers", "calendar", "matrices", "routing", "tables", "kpis")
STAGES += ("exports", "maps")


def build_seconds(folder: Path, week: int) -> dict[str, float]:
    started = time.perf_counter()
    outcome = run_build(DataSource(folder), week, out_dir=folder / "out", maps_dir=folder / "maps")
    seconds = dict(outcome.seconds)
    seconds["total"] = time.perf_counter() - started
    seconds["planned"] = len(outcome.result.plan.routes)
    seconds["due"] = len(outcome.result.due)
    return seconds


def driven(problem_on_roads: RepWeekProblem, solution: RepWeekSolution) -> tuple[float, float]:
    """Road minutes and km of ``solution``'s routes (home → stops → home)."""
    dur, dist = problem_on_roads.duration_s, problem_on_roads.distance_m
    seconds = metres = 0
    for route in solution.routes:
        if not route.stops:
            continue
        day = problem_on_roads.days[route.day]
        nodes = [day.start_node, *(s.node for s in route.stops), day.end_node]
        seconds += sum(int(dur[a, b]) for a, b in itertools.pairwise(nodes))
        metres += sum(int(dist[a, b]) for a, b in itertools.pairwise(nodes))
    return seconds / 60, metres / 1000


def day_sets(solution: RepWeekSolution) -> dict[int, tuple[str, ...]]:
    return {r.day: tuple(s.visit_id for s in r.stops) for r in solution.routes if r.stops}


def compare(folder: Path, week: int, seconds: float) -> dict[str, float]:
    prepared = prepare(folder)
    due = due_visits(prepared, week, calendar=cycle_calendar(prepared))
    travel = prepared.settings.travel
    road = rep_week_problems(prepared, due, travel_provider(prepared), week=week)
    flat = HaversineProvider(speed_kmh=travel.speed_kmh, circuity=travel.circuity)
    straight = rep_week_problems(prepared, due, flat, week=week)
    out = {"road_min": 0.0, "road_km": 0.0, "hav_min": 0.0, "hav_km": 0.0, "hav_promised_min": 0.0}
    out |= {"days": 0, "days_other_visits": 0, "days_other_order": 0}
    for rep_id in sorted(road):
        on_roads = solve(road[rep_id], time_limit_s=seconds)
        on_lines = solve(straight[rep_id], time_limit_s=seconds)
        minutes, km = driven(road[rep_id], on_roads)
        out["road_min"] += minutes
        out["road_km"] += km
        minutes, km = driven(road[rep_id], on_lines)
        out["hav_min"] += minutes
        out["hav_km"] += km
        out["hav_promised_min"] += on_lines.travel_s / 60
        a, b = day_sets(on_roads), day_sets(on_lines)
        for day in sorted(set(a) | set(b)):
            out["days"] += 1
            if sorted(a.get(day, ())) != sorted(b.get(day, ())):
                out["days_other_visits"] += 1
            elif a.get(day) != b.get(day):
                out["days_other_order"] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "andorra"
        shutil.copytree(REPO / "data" / "andorra", folder, ignore=shutil.ignore_patterns(".cache"))
        shutil.copytree(REPO / "data" / "osm", Path(tmp) / "osm")
        prepared = prepare(folder)
        started = time.perf_counter()
        graph = load_road_graph(
            resolve_osm_file(prepared.settings.travel.osm_file, base_dir=folder),
            speeds=road_speeds(prepared.settings.travel),
        )
        graph_s = time.perf_counter() - started
        cold = build_seconds(folder, args.week)
        warm = build_seconds(folder, args.week)
        figures = compare(folder, args.week, args.seconds)
    lines = [
        f"# Andorra road demo, week {args.week} ({args.seconds:g} s per rep-week)",
        "",
        f"Road graph from the extract alone: {graph_s:.2f} s ({len(graph.lat)} nodes).",
        "",
        "| stage | cold (no road cache) s | warm s |",
        "|---|--:|--:|",
        *(f"| {s} | {cold.get(s, 0):.2f} | {warm.get(s, 0):.2f} |" for s in (*STAGES, "total")),
        "",
        f"Planned {warm['planned']:.0f} of {warm['due']:.0f} due visits.",
        "",
        "| same due visits | drive min on roads | km on roads |",
        "|---|--:|--:|",
        f"| planned on haversine (promised {figures['hav_promised_min']:.1f} min) "
        f"| {figures['hav_min']:.1f} | {figures['hav_km']:.1f} |",
        f"| planned on roads | {figures['road_min']:.1f} | {figures['road_km']:.1f} |",
        "",
        f"Road plan / haversine plan, driven on roads: "
        f"{figures['road_min'] / figures['hav_min']:.3f} of the minutes. Of "
        f"{figures['days']:.0f} rep-days, {figures['days_other_visits']:.0f} have another set of "
        f"visits and {figures['days_other_order']:.0f} the same visits in another order.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
