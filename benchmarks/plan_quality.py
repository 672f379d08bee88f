"""Plan quality over a whole cycle: would a sales manager sign these weeks?

Builds every week of the demo cycle in order (weeks 1..12) into a temporary plan store, as
``routeplan build --week N`` does (catch-ups of dropped visits included), once with the
planner's old behaviour (``baseline``: the settings that switch the new rules off) and once
with the current defaults (``new``), in one process, and measures the shape of the weeks:
drive hours, day-length spread per rep-week, empty and short days, the longest stretch
without a 30-minute pause, areas visited on more than one day, day compactness, weekly-slot
consistency, compliance per tier, unservable accounts and drops by reason.

    python benchmarks/plan_quality.py [--seconds 0.5] [--weeks 12]

Writes ``benchmarks/results/plan_quality.md``. Routing is repeatable (a fixed work limit per
rep-week, one worker), so the figures do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

import routeplan.routing.single
from routeplan.config import Settings
from routeplan.kpis.measures import cadence_compliance
from routeplan.kpis.shape import (
    areas_on_several_days,
    day_compactness,
    day_spread,
    day_table,
    slot_consistency,
)
from routeplan.model.plan import WeekPlan
from routeplan.planning.prepare import Prepared, prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.week import build_week

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo"
RESULTS = REPO / "benchmarks" / "results" / "plan_quality.md"


def _update(settings: Settings, section: str, **values: object) -> Settings:
    part = getattr(settings, section).model_copy(update=values)
    return settings.model_copy(update={section: part})


LEGACY: dict[str, dict[str, object]] = {
    "workday": {"max_stretch_min": 0, "shape": "free", "day_areas": False, "regular_slots": False},
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


CLOCK_FACTOR = 40
"""The wall clock a rep-week gets, as a multiple of its nominal seconds: the search stops on
its work limit (that of the nominal seconds), so a loaded machine gives the same plans."""


def _work_limit_of() -> Callable[[float], int]:
    nominal = routeplan.routing.single.work_limit

    def limit(time_limit_s: float) -> int:
        return nominal(time_limit_s / CLOCK_FACTOR)

    return limit


def run_cycle(prepared: Prepared, *, weeks: int, seconds: float) -> tuple[list[WeekPlan], dict]:
    """Build weeks 1..``weeks`` in order into a fresh store; the plans and run facts."""
    settings = _update(
        prepared.settings, "solver", seconds_per_rep_week=seconds * CLOCK_FACTOR, workers=1
    )
    prepared = dataclasses.replace(prepared, settings=settings)
    plans: list[WeekPlan] = []
    facts: dict[str, object] = {"warnings": []}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, PlanStore(Path(tmp) / "plan.sqlite") as store:
        for week in range(1, weeks + 1):
            result = build_week(prepared, week, store=store, workers=1)
            store.save_week_plan(result.plan)
            plans.append(result.plan)
            facts["warnings"] = [*facts["warnings"], *result.warnings]  # type: ignore[misc]
            if result.unservable is not None and len(result.unservable):
                facts["unservable"] = len(result.unservable)
        calendar = store.load_calendar()
    facts["seconds"] = time.perf_counter() - started
    facts["calendar"] = calendar
    return plans, facts


def measure(plans: list[WeekPlan], facts: dict, prepared: Prepared) -> dict[str, object]:
    """Every figure of the table for one variant."""
    settings = prepared.settings
    days = day_table([p.routes for p in plans], [p.days for p in plans])
    spread = day_spread(days)
    routes = pd.concat([p.routes for p in plans], ignore_index=True)
    dropped = pd.concat([p.dropped for p in plans], ignore_index=True)
    repeated, several = areas_on_several_days(routes, prepared.clients)
    weekly = [t for t, c in settings.cadence.items() if c.visits_per_week == 1]
    in_slot, counted = slot_consistency(routes, tiers=weekly)
    calendar = facts["calendar"]
    due = calendar[calendar["week"] <= len(plans)]
    compliance = cadence_compliance(
        due, routes, None, through_week=len(plans), tier_order=settings.tier_names
    ).set_index("tier")
    worked = days[days["visits"] > 0]
    unservable = facts.get("unservable")
    out: dict[str, object] = {
        "drive hours (cycle)": round(days["travel_min"].sum() / 60, 1),
        "workdays": len(days),
        "empty workdays": int((days["visits"] == 0).sum()),
        "days with 1-3 visits": int(((days["visits"] > 0) & (days["visits"] <= 3)).sum()),
        "days at the visit cap": int((days["visits"] >= 12).sum()),
        "rep-weeks with an empty day beside a day of 8+": spread.empty_beside_full,
        "day length CV per rep-week (median)": spread.median_cv,
        "longest/shortest day per rep-week (median)": spread.median_max_over_min,
        "rep-weeks with longest > 2x shortest": spread.over_2x,
        "rep-weeks with a day < 2 h beside one > 7 h": spread.short_beside_long,
        "mean day start": _clock(worked["start_min"].mean()),
        "days starting after 11:30": int((worked["start_min"] > 690).sum()),
        "longest stretch without 30 min off (max, h)": round(worked["stretch_min"].max() / 60, 2),
        "days with a stretch > 4.5 h": int((worked["stretch_min"] > 270).sum()),
        "areas visited 2+ times in a rep-week": repeated,
        "... of them on more than one day": several,
        "day compactness (day spread / week spread)": day_compactness(routes),
        "weekly visits in their slot (weekday ±60 min)": _share(in_slot, counted),
        "unservable accounts (reported once)": "-" if unservable is None else unservable,
    }
    for tier in settings.tier_names:
        if tier in compliance.index:
            out[f"compliance {tier} %"] = compliance.loc[tier, "compliance_pct"]
    out["drops (visits, cycle)"] = len(dropped)
    for reason, n in sorted(Counter(dropped["reason"]).items()):
        out[f"drops: {reason}"] = n
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


def main() -> None:
    """Run both variants over the cycle and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="seconds per rep-week")
    parser.add_argument("--weeks", type=int, default=12, help="weeks of the cycle to build")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--dump", type=Path, help="also write each variant's routes/days here")
    args = parser.parse_args()
    base = prepare(DEMO)
    routeplan.routing.single.work_limit = _work_limit_of()  # type: ignore[assignment]
    results: dict[str, dict[str, object]] = {}
    for name, variant in VARIANTS.items():
        prepared = dataclasses.replace(base, settings=variant(base.settings))
        plans, facts = run_cycle(prepared, weeks=args.weeks, seconds=args.seconds)
        results[name] = measure(plans, facts, prepared)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            for attr in ("routes", "days", "dropped"):
                frame = pd.concat([getattr(p, attr) for p in plans], ignore_index=True)
                frame.to_csv(args.dump / f"{name}-{attr}.csv", index=False)
        print(f"{name}: {results[name]['build seconds (cycle)']} s", flush=True)
    text = (
        "# Plan quality over the demo cycle\n\n"
        f"Demo data (Helsinki, {len(base.reps)} reps, {len(base.clients)} clients), weeks "
        f"1-{args.weeks} built in order into one plan store (catch-ups included), "
        f"the search work of {args.seconds} s per rep-week (a fixed work limit, the clock "
        f"{CLOCK_FACTOR}x longer as a safety net, so machine load does not change the plans), "
        "one worker. `baseline` is the "
        "planner with the plan-shape rules of issue 16 switched off (`LEGACY` in the "
        "script), `new` the defaults.\n\n"
        f"{table(results)}\n\n"
        "Produced by `python benchmarks/plan_quality.py`.\n"
    )
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
