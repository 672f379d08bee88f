"""Plan quality over a whole cycle: would a sales manager sign these weeks?

Builds every week of the cycle in order (weeks 1..12) into a temporary plan store, as
``routeplan build --week N`` does (catch-ups of dropped visits included), once with the
planner's old behaviour (``baseline``: the settings that switch the new rules off) and once
with the current defaults (``new``), in one process, on three data sets: the Helsinki demo
(``data/demo``), a seeded synthetic world (:mod:`routeplan.synthetic`) and the Andorra
road-network demo (``data/andorra``, routed on the OSM road graph). It measures the shape of
the weeks: drive hours, day-length spread per rep-week, empty and short days, the longest
stretch without a 30-minute pause, areas visited on more than one day, day compactness,
weekly-slot consistency, compliance per tier, unservable accounts, drops by reason and the
build time.

    python benchmarks/plan_quality.py [--quick] [--sets demo,synthetic,andorra]
                                      [--seconds 0.5] [--weeks 12]

``--quick`` builds weeks 1-3 only and writes nothing unless ``--out`` is given. Writes
``benchmarks/results/plan_quality.md``. Routing stops on a deterministic work limit (see
:mod:`routeplan.routing.search`), one worker, so the figures do not depend on the machine's
load; the build seconds do (the load average is printed with them).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

import routeplan.routing.search
from routeplan.config import Settings
from routeplan.kpis.measures import cadence_compliance
from routeplan.kpis.shape import (
    areas_of,
    areas_on_several_days,
    day_compactness,
    day_spread,
    day_table,
    several_day_areas_by_cause,
    slot_consistency,
)
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import Prepared, prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.week import build_week

REPO = Path(__file__).resolve().parents[1]

RESULTS = REPO / "benchmarks" / "results" / "plan_quality.md"

SAFETY_FACTOR = 2000.0
"""The benchmark's safety-net clock, in multiples of the nominal effort (the build's is
:data:`routeplan.routing.search.SAFETY_FACTOR`): on a machine loaded 8x, the build's net
stopped whole Andorra rep-weeks before their first solution, so the figures depended on the
load; the plans come from the work limit alone only when the clock never fires."""

SYNTHETIC_REPS = 5
SYNTHETIC_CLIENTS = 400 * SYNTHETIC_REPS
SYNTHETIC_SEED = 1


def _update(settings: Settings, section: str, **values: object) -> Settings:
    part = getattr(settings, section).model_copy(update=values)
    return settings.model_copy(update={section: part})


LEGACY: dict[str, dict[str, object]] = {
    "workday": {
        "max_stretch_min": 0,
        "shape": "free",
        "day_areas": False,
        "regular_slots": False,
        "count_waiting": False,
    },
    "calendar": {"exclude_unservable": False, "make_up_weekly": False},
}
"""The settings that give the planner's behaviour before issue 16."""


def baseline_settings(settings: Settings) -> Settings:
    """The planner as it was before issue 16: every new plan-shape rule switched off."""
    for section, values in LEGACY.items():
        settings = _update(settings, section, **values)
    return settings


VARIANTS: dict[str, Callable[[Settings], Settings]] = {
    "baseline": baseline_settings,
    "new": lambda s: s,
}

ABLATIONS: dict[str, dict[str, object]] = {
    "new, free days": {"shape": "free"},
    "new, no day areas": {"day_areas": False},
    "new, no slots": {"regular_slots": False},
    "new, no stretch rule": {"max_stretch_min": 0},
}
"""``--ablation``: the defaults with one ``[workday]`` rule switched off (what each costs)."""


def _ablation(values: dict[str, object]) -> Callable[[Settings], Settings]:
    return lambda s: _update(s, "workday", **values)


@contextlib.contextmanager
def data_folder(name: str) -> Iterator[Path]:
    """A private copy of data set ``name`` (its road cache and plan store stay out of the repo)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if name == "synthetic":
            from routeplan.synthetic import WORLD_SETTINGS, synthetic_world, write_world

            world = synthetic_world(SYNTHETIC_CLIENTS, SYNTHETIC_REPS, seed=SYNTHETIC_SEED)
            yield write_world(world, root / "synthetic", settings_toml=WORLD_SETTINGS)
            return
        folder = root / name
        shutil.copytree(REPO / "data" / name, folder, ignore=shutil.ignore_patterns(".*"))
        (root / "osm").symlink_to(REPO / "data" / "osm")  # the Andorra demo's ../osm/ extract
        yield folder


def run_cycle(prepared: Prepared, *, weeks: int, seconds: float) -> tuple[list[WeekPlan], dict]:
    """Build weeks 1..``weeks`` in order into a fresh store; the plans and run facts."""
    settings = _update(prepared.settings, "solver", seconds_per_rep_week=seconds, workers=1)
    prepared = dataclasses.replace(prepared, settings=settings)
    plans: list[WeekPlan] = []
    facts: dict[str, object] = {"warnings": [], "clock_stopped": 0}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, PlanStore(Path(tmp) / "plan.sqlite") as store:
        for week in range(1, weeks + 1):
            result = build_week(prepared, week, store=store, workers=1)
            store.save_week_plan(result.plan)
            plans.append(result.plan)
            facts["warnings"] = [*facts["warnings"], *result.warnings]  # type: ignore[misc]
            facts["clock_stopped"] = int(facts["clock_stopped"]) + sum(  # type: ignore[call-overload]
                int(s.stats.get("clock_stopped", 0)) for s in result.solutions.values()
            )
            if result.unservable is not None and len(result.unservable):
                facts["unservable"] = set(result.unservable["client_id"])
        calendar = store.load_calendar()
    facts["seconds"] = time.perf_counter() - started
    facts["calendar"] = calendar
    return plans, facts


def _area_days(routes: pd.DataFrame, clients: pd.DataFrame) -> float:
    """Mean number of days a rep spends in an area it visits at least twice in a week."""
    if routes.empty:
        return 0.0
    frame = routes.assign(area=areas_of(routes, clients).to_numpy())
    stats = (
        frame[frame["area"] != ""]
        .groupby(["week", "rep_id", "area"])
        .agg(visits=("client_id", "size"), days=("date", "nunique"))
    )
    repeated = stats[stats["visits"] >= 2]
    return round(float(repeated["days"].mean()), 2) if len(repeated) else 0.0


def _long_wait_days(routes: pd.DataFrame) -> int:
    """Working days whose waits at clients (arrived before the visit starts) add up to over 1 h."""
    if routes.empty:
        return 0
    waits = routes.groupby(["week", "rep_id", "date"])["wait_min"].sum()
    return int((waits > 60).sum())


def measure(plans: list[WeekPlan], facts: dict, prepared: Prepared) -> dict[str, object]:
    """Every figure of the table for one variant."""
    settings = prepared.settings
    days = day_table([p.routes for p in plans], [p.days for p in plans])
    spread = day_spread(days)
    routes = pd.concat([p.routes for p in plans], ignore_index=True)
    dropped = pd.concat([p.dropped for p in plans], ignore_index=True)
    repeated, several = areas_on_several_days(routes, prepared.clients)
    causes = several_day_areas_by_cause(routes, prepared.clients)
    weekly = [t for t, c in settings.cadence.items() if c.visits_per_week == 1]
    in_slot, counted = slot_consistency(routes, tiers=weekly)
    calendar = facts["calendar"]
    due = calendar[calendar["week"] <= len(plans)]
    # as the build's KPIs do: accounts left out of routing are counted apart, not as missed
    unservable = facts.get("unservable")
    due = due[~due["client_id"].isin(unservable or set())]
    compliance = cadence_compliance(
        due, routes, None, through_week=len(plans), tier_order=settings.tier_names
    ).set_index("tier")
    worked = days[days["visits"] > 0]
    out: dict[str, object] = {
        "drive hours (cycle)": round(days["travel_min"].sum() / 60, 1),
        "waiting hours at clients (cycle)": round(routes["wait_min"].sum() / 60, 1),
        "days with over 1 h of waiting": _long_wait_days(routes),
        "visits planned (cycle)": len(routes),
        "workdays": len(days),
        "empty workdays": int((days["visits"] == 0).sum()),
        "days with 1-3 visits": int(((days["visits"] > 0) & (days["visits"] <= 3)).sum()),
        "days at the visit cap": int((days["visits"] >= settings.workday.max_visits_per_day).sum()),
        "rep-weeks with an empty day beside a day of 8+": spread.empty_beside_full,
        "day length CV per rep-week (median)": spread.median_cv,
        "longest/shortest day per rep-week (median)": spread.median_max_over_min,
        "longest/shortest day per rep-week (worst)": spread.max_max_over_min,
        "rep-weeks with longest > 2x shortest": f"{spread.over_2x} of {spread.rep_weeks}",
        "rep-weeks with a day < 2 h beside one > 7 h": spread.short_beside_long,
        "mean day start": _clock(worked["start_min"].mean()),
        "days starting after 11:30": int((worked["start_min"] > 690).sum()),
        "longest stretch without 30 min off (max, h)": round(worked["stretch_min"].max() / 60, 2),
        "days with a stretch > 4.5 h": int((worked["stretch_min"] > 270).sum()),
        "areas visited 2+ times in a rep-week": repeated,
        "... of them on more than one day": several,
        "... of those, more work than a mean day": causes.more_than_a_day,
        "... of those, with a client seen twice": causes.repeat_client,
        "... of those, the rest (would fit one day)": causes.avoidable,
        "days per such area (mean)": _area_days(routes, prepared.clients),
        "day compactness (day spread / week spread)": day_compactness(routes),
        "weekly visits in their slot (weekday ±60 min)": _share(in_slot, counted),
        "unservable accounts (reported once)": "-" if unservable is None else len(unservable),
    }
    for tier in settings.tier_names:
        if tier in compliance.index:
            out[f"compliance {tier} %"] = compliance.loc[tier, "compliance_pct"]
    out["drops (visits, cycle)"] = len(dropped)
    for reason, n in sorted(Counter(dropped["reason"]).items()):
        out[f"drops: {reason}"] = n
    out["rep-weeks stopped by the safety-net clock"] = facts["clock_stopped"]
    out["build seconds (cycle)"] = round(float(facts["seconds"]), 1)
    return out


def _clock(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} % of {whole}" if whole else "-"


def table(results: dict[str, dict[str, object]]) -> str:
    """Markdown table: one row per figure, one column per variant."""
    names = list(results)
    keys = list(dict.fromkeys(k for r in results.values() for k in r))
    lines = ["| figure | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for key in keys:
        cells = [str(results[n].get(key, 0 if key.startswith("drops:") else "-")) for n in names]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


DESCRIPTIONS = {
    "demo": "Helsinki demo (`data/demo`, haversine travel)",
    "synthetic": (
        f"synthetic world (`routeplan.synthetic`, {SYNTHETIC_CLIENTS} accounts, "
        f"{SYNTHETIC_REPS} reps, seed {SYNTHETIC_SEED}, `routeplan.synthetic.WORLD_SETTINGS`)"
    ),
    "andorra": "Andorra road-network demo (`data/andorra`, OSM road graph)",
}


def run_set(
    name: str,
    *,
    weeks: int,
    seconds: float,
    dump: Path | None,
    variants: dict[str, Callable[[Settings], Settings]],
) -> tuple[str, dict[str, dict[str, object]]]:
    """Every variant over the cycle of one data set: its heading and figures."""
    results: dict[str, dict[str, object]] = {}
    with data_folder(name) as folder:
        base = prepare(folder)
        for variant, settings_of in variants.items():
            prepared = dataclasses.replace(base, settings=settings_of(base.settings))
            plans, facts = run_cycle(prepared, weeks=weeks, seconds=seconds)
            results[variant] = measure(plans, facts, prepared)
            if dump:
                _dump(dump, f"{name}-{variant}", plans)
            load = os.getloadavg()[0]
            print(
                f"{name} {variant}: {results[variant]['build seconds (cycle)']} s "
                f"(load {load:.1f})",
                flush=True,
            )
    heading = (
        f"{DESCRIPTIONS[name]}: {len(base.reps)} reps, {len(base.clients)} clients, weeks 1-{weeks}"
    )
    return heading, results


def _dump(folder: Path, label: str, plans: list[WeekPlan]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for attr in ("routes", "days", "dropped"):
        frame = pd.concat([getattr(p, attr) for p in plans], ignore_index=True)
        frame.to_csv(folder / f"{label}-{attr}.csv", index=False)


def _commit() -> str:
    run = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    return run.stdout.strip() or "?"


def main() -> None:
    """Run both variants over the cycle of each data set and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="search work per rep-week")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of the cycle to build")
    parser.add_argument("--quick", action="store_true", help="weeks 1-3, no results file")
    parser.add_argument("--sets", default="demo,synthetic,andorra", help="comma-separated")
    parser.add_argument("--out", type=Path, help=f"results file (default {RESULTS})")
    parser.add_argument("--dump", type=Path, help="also write each variant's routes/days here")
    parser.add_argument(
        "--ablation", action="store_true", help="also the defaults with one rule off at a time"
    )
    parser.add_argument("--only-new", action="store_true", help="skip the baseline")
    args = parser.parse_args()
    routeplan.routing.search.SAFETY_FACTOR = SAFETY_FACTOR  # type: ignore[misc]
    variants = dict(VARIANTS)
    if args.only_new:
        del variants["baseline"]
    if args.ablation:
        variants |= {k: _ablation(v) for k, v in ABLATIONS.items()}
    weeks = 3 if args.quick else args.weeks
    out = args.out or (None if args.quick else RESULTS)
    started = time.perf_counter()
    sections = []
    for name in args.sets.split(","):
        heading, results = run_set(
            name, weeks=weeks, seconds=args.seconds, dump=args.dump, variants=variants
        )
        sections.append(f"## {heading}\n\n{table(results)}\n")
        print(sections[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (
        "# Plan quality over the cycle\n\n"
        f"Weeks 1-{weeks} built in order into one plan store per variant (catch-ups "
        f"included), the search work of {args.seconds} s per rep-week (a deterministic work "
        "limit: machine load does not change the plans), one worker. `baseline` is the "
        "planner with the plan-shape rules of issue 16 switched off (`LEGACY` in the "
        "script), `new` the defaults. Build seconds are wall time on a shared 2-core "
        f"machine, load average at the end {load} (1, 5, 15 min); the whole run took "
        f"{time.perf_counter() - started:.0f} s.\n\n"
        + "\n".join(sections)
        + f"\nProduced by `python benchmarks/plan_quality.py` at commit {_commit()}.\n"
    )
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
