"""The ``routeplan capacity`` job: cost to serve, recommendations, scenarios, headcount, files.

Reads the inputs and (when it exists) the plan store's built weeks, writes
``OUT/capacity/``: ``accounts.csv``, ``summary-tier.csv``, ``summary-zone.csv``,
``summary-rep.csv``, ``scenarios.csv``, ``workload.csv``, ``capacity.html`` (+
``plotly.min.js``) and, with the headcount search, ``find-reps/zones.geojson`` and
``find-reps/assignment.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.offline

from routeplan.capacity.compare import comparison_table
from routeplan.capacity.costs import (
    COST_COLUMNS,
    cost_summary,
    cost_to_serve,
    travel_per_visit,
    with_own_service,
)
from routeplan.capacity.evaluate import CapacityWorld, ScenarioResult, evaluate_scenario
from routeplan.capacity.find_reps import FindReps, find_reps
from routeplan.capacity.page import PLOTLY_FILE, capacity_html
from routeplan.capacity.recommend import recommend
from routeplan.capacity.scenario import Scenario
from routeplan.capacity.travel_share import routed_travel_share
from routeplan.i18n import _, current_language
from routeplan.io.writers import ensure_dir, write_csv
from routeplan.jobs.capacity_sample import RouteSample, route_sample
from routeplan.planning.prepare import DataSource, Prepared, prepare, prepare_source
from routeplan.planning.store import PlanStore
from routeplan.stopwatch import timed

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "client_id",
    "name",
    "tier",
    "stage",
    "zone",
    "rep_id",
    "revenue",
    "margin",
    *COST_COLUMNS,
    "recommendation",
    "recommendation_reason",
)
"""Columns of ``accounts.csv`` (machine names, stable English)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class CapacityOutcome:
    """What ``routeplan capacity`` produced."""

    prepared: Prepared
    accounts: pd.DataFrame
    summaries: dict[str, pd.DataFrame]
    results: list[ScenarioResult]
    calibration: float
    routed_weeks: list[int]
    headcount: FindReps | None = None
    sample: RouteSample | None = None
    written: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def safe_text(table: pd.DataFrame) -> pd.DataFrame:
    """The table as written: no cell a spreadsheet would run as a formula, floats rounded.

    Text starting with ``= + - @`` (or a tab / CR) gets a leading apostrophe; ratios keep 4
    decimals, money, hours and minutes 2.
    """
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            ratio = column in ("serve_ratio", "margin", "utilisation", "coverage")
            out[column] = out[column].round(4 if ratio else 2)
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [
                f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
                for v in out[column]
            ]
    return out


def routed_weeks(store_file: Path) -> tuple[pd.DataFrame | None, list[int]]:
    """Every built week's drive share per account, from the plan store if it exists."""
    if not store_file.exists():
        return None, []
    with PlanStore(store_file) as store:
        weeks = store.saved_weeks()
        plans = [p for p in (store.load_week_plan(w) for w in weeks) if p is not None]
    if not plans:
        return None, []
    routes = pd.concat([p.routes for p in plans], ignore_index=True)
    days = pd.concat([p.days for p in plans], ignore_index=True)
    return routed_travel_share(routes, days), weeks


def account_costs(prepared: Prepared, store_file: Path) -> tuple[pd.DataFrame, float, list[int]]:
    """Cost to serve and recommendation of every account; the calibration and weeks used."""
    routed, weeks = routed_weeks(store_file)
    clients = with_own_service(prepared.clients, prepared.inputs.clients)
    travel = travel_per_visit(clients, prepared.settings, routed)
    costs = cost_to_serve(clients, travel, prepared.settings)
    return recommend(costs, prepared.settings), travel.calibration, weeks


def summaries(accounts: pd.DataFrame, tiers: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Cost summaries per tier (in tier order), zone and rep."""
    out = {by: cost_summary(accounts, by) for by in ("tier", "zone", "rep_id")}
    rank = {t: i for i, t in enumerate([*tiers, "total"])}
    out["tier"] = out["tier"].sort_values("tier", key=lambda s: s.map(rank)).reset_index(drop=True)
    return out


def _write_page(folder: Path, outcome: CapacityOutcome, comparison: pd.DataFrame) -> list[Path]:
    plotly_js = folder / PLOTLY_FILE
    if not plotly_js.exists():
        plotly_js.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    tables = {_("Scenarios side by side"): comparison}
    tables[_("Cost to serve per tier")] = outcome.summaries["tier"]
    page = folder / "capacity.html"
    page.write_text(
        capacity_html(
            outcome.results,
            outcome.accounts,
            tables,
            tiers=outcome.prepared.settings.tier_names,
            language=current_language(),
            max_cost_share=outcome.prepared.settings.costs.max_cost_share,
        ),
        encoding="utf-8",
    )
    return [page, plotly_js]


def _write(folder: Path, outcome: CapacityOutcome, comparison: pd.DataFrame) -> list[Path]:
    accounts = outcome.accounts
    written = [
        write_csv(
            safe_text(accounts[[c for c in ACCOUNT_COLUMNS if c in accounts]]),
            folder / "accounts.csv",
        )
    ]
    for by, table in outcome.summaries.items():
        name = "rep" if by == "rep_id" else by
        written.append(write_csv(safe_text(table), folder / f"summary-{name}.csv"))
    rows = pd.DataFrame([r.metrics() for r in outcome.results])
    written.append(write_csv(safe_text(rows), folder / "scenarios.csv"))
    workload = pd.concat(
        [r.per_rep.assign(scenario=r.scenario.name) for r in outcome.results], ignore_index=True
    )
    written.append(write_csv(safe_text(workload), folder / "workload.csv", columns=["scenario"]))
    if outcome.headcount is not None:
        sub = ensure_dir(folder / "find-reps")
        zones = sub / "zones.geojson"
        outcome.headcount.result.balance.zones.to_file(zones, driver="GeoJSON")
        assignment = safe_text(outcome.headcount.result.balance.assignment)
        written += [zones, write_csv(assignment, sub / "assignment.csv")]
    if outcome.sample is not None:
        written.append(write_csv(safe_text(outcome.sample.table), folder / "route-sample.csv"))
    return written + _write_page(folder, outcome, comparison)


@dataclass(frozen=True)
class CapacityRequest:
    """What the command asks for besides the baseline."""

    scenarios: tuple[Scenario, ...] = ()
    find_reps: bool = False
    target: float | None = None
    route_sample: int = 0


def run_capacity(source: DataSource, request: CapacityRequest, *, out_dir: Path) -> CapacityOutcome:
    """Cost to serve, recommendations, the baseline and every scenario, the headcount answer.

    Parameters
    ----------
    source
        Inputs, settings and plan store (built weeks give the routed drive).
    request
        Scenarios, the headcount search and the routed sample.
    out_dir
        Output root; files go to ``out_dir/capacity/``.

    Returns
    -------
    CapacityOutcome
        Accounts, summaries, scenario results and the files written.

    """
    seconds: dict[str, float] = {}
    with timed(seconds, "prepare"):
        prepared = (
            prepare_source(source)  # the last build's tiering (hysteresis) from the store
            if source.store_file.exists()
            else prepare(
                source.data_dir, config_path=source.config_path, skip_invalid=source.skip_invalid
            )
        )
    settings = prepared.settings
    with timed(seconds, "cost to serve"):
        accounts, calibration, weeks = account_costs(prepared, source.store_file)
    world = CapacityWorld(accounts, prepared.reps, prepared.zones, settings)
    estimate = world.baseline_estimate()
    with timed(seconds, "scenarios"):
        results = [evaluate_scenario(world, Scenario(), estimate=estimate)]
        results += [evaluate_scenario(world, s, estimate=estimate) for s in request.scenarios]
    outcome = CapacityOutcome(
        prepared, accounts, summaries(accounts, settings.tier_names), results, calibration, weeks
    )
    if request.find_reps:
        target = request.target or settings.capacity.target_utilisation
        with timed(seconds, "find reps"):
            outcome.headcount = find_reps(world, target=target, estimate=estimate)
    if request.route_sample:
        with timed(seconds, "route sample"):
            outcome.sample = route_sample(prepared, results[-1], request.route_sample)
    folder = ensure_dir(out_dir / "capacity")
    outcome.written = _write(folder, outcome, comparison_table(results, settings.tier_names))
    outcome.seconds = seconds
    return outcome
