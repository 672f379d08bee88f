"""One scenario, measured: balance the zones for it, then load, coverage, drive and money.

Each scenario (the baseline too) goes through the same steps, so the comparison is fair:

1. apply it (:func:`~routeplan.capacity.scenario.apply_scenario`); accounts whose
   recommendation is a dropped channel leave the field plan (they cost
   ``[costs] remote_per_year`` each instead);
2. drive per visit: the baseline's (routed where built, else the calibrated estimate) times
   the change of the density estimate the scenario causes (fewer accounts or visits around an
   account mean longer drives between them);
3. an automatic ``zones balance`` (:func:`~routeplan.territory.balance.balance_zones`) for the
   scenario's rep count; then each account's drive per visit moves by the change of its
   zone's share of the daily legs from home and back (:mod:`~routeplan.capacity.home_legs`:
   more reps, smaller zones nearer home, shorter legs);
4. per rep: weekly workload against the rep's working week, visits that fit by tier priority
   (:mod:`~routeplan.capacity.headcount`); reps needed by the workload method; cost to serve
   and margin after service over the year.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from routeplan.capacity.costs import cadence_of, estimated_travel, visit_cost
from routeplan.capacity.headcount import (
    RepCapacity,
    compliance_by_tier,
    fit_by_priority,
    reps_needed,
)
from routeplan.capacity.home_legs import home_leg_minutes, shift_home_legs
from routeplan.capacity.scenario import Scenario, apply_scenario
from routeplan.config import Settings
from routeplan.model.repday import rep_day
from routeplan.territory.balance import BalanceOptions, BalanceResult, balance_zones

REP_COLUMNS: tuple[str, ...] = (
    "zone",
    "rep_id",
    "accounts",
    "visits_per_week",
    "workload_h",
    "drive_h",
    "capacity_h",
    "utilisation",
    "slot_utilisation",
    "coverage",
)
"""Columns of :attr:`ScenarioResult.per_rep`."""


@dataclass(frozen=True)
class CapacityWorld:
    """Today's accounts with their baseline costs, reps, zones and settings.

    Attributes
    ----------
    accounts
        Prepared clients with ``travel_min_per_visit``, ``km_per_visit``,
        ``annual_margin`` and ``recommendation`` (from the baseline cost to serve).
    reps, zones, settings
        Today's reps, zone polygons and settings.

    """

    accounts: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame
    settings: Settings

    def baseline_estimate(self) -> pd.Series:
        """The uncalibrated density estimate of today's drive per visit."""
        return estimated_travel(self.accounts, self.settings)["travel_min"]


@dataclass
class ScenarioResult:
    """What a scenario gives, ready to compare with the baseline."""

    scenario: Scenario
    n_reps: int
    reps_needed: int
    per_rep: pd.DataFrame
    coverage: float
    compliance: dict[str, float]
    drive_h: float
    cost_to_serve: float
    margin_after_service: float
    field_accounts: int
    remote_accounts: int
    balance: BalanceResult
    accounts: pd.DataFrame
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def workload_mean_h(self) -> float:
        """Mean weekly workload per rep (hours)."""
        return float(self.per_rep["workload_h"].mean())

    @property
    def workload_max_h(self) -> float:
        """Heaviest rep's weekly workload (hours)."""
        return float(self.per_rep["workload_h"].max())

    @property
    def workload_spread(self) -> float:
        """Largest relative deviation of a rep's workload from the mean."""
        mean = self.workload_mean_h
        return float((self.per_rep["workload_h"] / mean - 1).abs().max()) if mean > 0 else 0.0

    @property
    def max_slot_utilisation(self) -> float:
        """The busiest rep's visits ÷ visit slots (days × ``max_visits_per_day``)."""
        return float(self.per_rep["slot_utilisation"].max())

    @property
    def max_utilisation(self) -> float:
        """The busiest rep's workload ÷ working time."""
        return float(self.per_rep["utilisation"].max())

    def metrics(self) -> dict[str, object]:
        """One row of ``scenarios.csv`` (machine column names)."""
        row: dict[str, object] = {
            "scenario": self.scenario.name,
            "changes": self.scenario.describe(),
            "reps": self.n_reps,
            "reps_needed": self.reps_needed,
            "field_accounts": self.field_accounts,
            "remote_accounts": self.remote_accounts,
            "workload_mean_h": round(self.workload_mean_h, 2),
            "workload_max_h": round(self.workload_max_h, 2),
            "workload_spread": round(self.workload_spread, 4),
            "max_utilisation": round(self.max_utilisation, 4),
            "max_slot_utilisation": round(self.max_slot_utilisation, 4),
            "drive_h_per_week": round(self.drive_h, 2),
            "coverage": round(self.coverage, 4),
        }
        row.update({f"compliance_{t}": round(v, 4) for t, v in self.compliance.items()})
        row["cost_to_serve"] = round(self.cost_to_serve, 2)
        row["margin_after_service"] = round(self.margin_after_service, 2)
        row["seconds"] = round(self.seconds, 2)
        return row


def rep_capacity(rep: pd.Series | None, settings: Settings) -> RepCapacity:
    """One rep's week from its resolved working day."""
    day = rep_day(rep, settings.workday)
    days = len(day.workdays)
    return RepCapacity(float(day.available_min * days), float(day.max_visits * days))


def scenario_accounts(
    world: CapacityWorld, settings: Settings, scenario: Scenario, estimate: pd.Series
) -> pd.DataFrame:
    """The field accounts of a scenario with visits, minutes and cost per week and year."""
    accounts = world.accounts
    on_field = ~accounts["recommendation"].isin(scenario.drop_channels)
    field_accounts = accounts[on_field].copy()
    own = field_accounts.get("own_service_min", field_accounts["service_min"])
    cadence = cadence_of(field_accounts.assign(service_min=own), settings)
    change = np.ones(len(field_accounts))
    if not scenario.is_baseline:
        new = estimated_travel(field_accounts, settings)["travel_min"].to_numpy(float)
        old = estimate[on_field].to_numpy(float)
        change = np.divide(new, old, out=np.ones_like(new), where=old > 0)
    field_accounts["visits_per_week"] = cadence["visits_per_week"]
    field_accounts["service_min"] = cadence["service_min"]
    field_accounts["travel_min_per_visit"] *= change
    field_accounts["km_per_visit"] *= change
    return with_costs(field_accounts, settings)


def with_costs(field_accounts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``workload_min`` (a week) and ``cost_to_serve`` (a year) from visits and minutes."""
    visits = field_accounts["visits_per_week"]
    field_accounts["workload_min"] = visits * (
        field_accounts["service_min"] + field_accounts["travel_min_per_visit"]
    )
    per_visit = visit_cost(
        field_accounts["service_min"],
        field_accounts["travel_min_per_visit"],
        field_accounts["km_per_visit"],
        settings,
    )
    field_accounts["cost_to_serve"] = visits * settings.costs.weeks_per_year * per_visit
    return field_accounts


def today_home_legs(world: CapacityWorld) -> pd.Series:
    """Home-leg minutes per visit of every account in today's zones, reps and cadences."""
    accounts = world.accounts.assign(
        visits_per_week=world.accounts["visits_per_year"] / world.settings.costs.weeks_per_year
    )
    return home_leg_minutes(accounts, world.reps, world.settings)


def _per_rep(
    field_accounts: pd.DataFrame, reps: pd.DataFrame, settings: Settings
) -> tuple[pd.DataFrame, dict[str, float], dict[str, float]]:
    """Per zone: load, capacity, utilisation and coverage; and fits and due per tier."""
    order = settings.tier_names
    by_rep = reps.set_index("rep_id", drop=False) if len(reps) else reps
    rows, fits_total, due_total = [], dict.fromkeys(order, 0.0), dict.fromkeys(order, 0.0)
    for zone, group in field_accounts.groupby("zone", sort=True):
        rep_id = str(group["rep_id"].iloc[0])
        rep = by_rep.loc[rep_id] if rep_id in by_rep.index else None
        capacity = rep_capacity(rep, settings)
        load = pd.DataFrame(
            {
                "minutes": group.groupby("tier")["workload_min"].sum(),
                "visits": group.groupby("tier")["visits_per_week"].sum(),
            }
        )
        fits = fit_by_priority(load, capacity, order)
        for tier, value in fits.items():
            fits_total[tier] = fits_total.get(tier, 0.0) + value
            due_total[tier] = due_total.get(tier, 0.0) + float(load.at[tier, "visits"])
        minutes = float(load["minutes"].sum())
        visits = float(load["visits"].sum())
        drive = float((group["visits_per_week"] * group["travel_min_per_visit"]).sum())
        rows.append(
            {
                "zone": str(zone),
                "rep_id": rep_id,
                "accounts": len(group),
                "visits_per_week": visits,
                "workload_h": minutes / 60.0,
                "drive_h": drive / 60.0,
                "capacity_h": capacity.minutes / 60.0,
                "utilisation": minutes / capacity.minutes if capacity.minutes else np.inf,
                "slot_utilisation": visits / capacity.visits if capacity.visits else np.inf,
                "coverage": sum(fits.values()) / visits if visits else 1.0,
            }
        )
    return pd.DataFrame(rows, columns=list(REP_COLUMNS)), fits_total, due_total


def evaluate_scenario(
    world: CapacityWorld,
    scenario: Scenario,
    *,
    estimate: pd.Series | None = None,
    n_reps: int | None = None,
) -> ScenarioResult:
    """Balance the zones for ``scenario`` and measure it.

    Parameters
    ----------
    world
        Today's accounts (with baseline costs and recommendations), reps, zones, settings.
    scenario
        What changes (the baseline changes nothing).
    estimate
        :meth:`CapacityWorld.baseline_estimate`, when already computed.
    n_reps
        Force the rep count (the headcount search); default the scenario's.

    Returns
    -------
    ScenarioResult
        Reps needed, workload per rep, coverage, compliance per tier, drive, money.

    """
    started = time.perf_counter()
    settings, reps, k = apply_scenario(world.settings, world.reps, scenario)
    k = n_reps or k
    estimate = world.baseline_estimate() if estimate is None else estimate
    field_accounts = scenario_accounts(world, settings, scenario, estimate)
    options = BalanceOptions(n_reps=k, time_limit_s=settings.capacity.balance_time_limit_s)
    balance = balance_zones(
        field_accounts.reset_index(drop=True),
        settings,
        zones=world.zones,
        reps=reps,
        options=options,
    )
    placed = balance.assignment.set_index("client_id")
    ids = field_accounts["client_id"].astype(str)
    field_accounts["zone"] = placed["zone"].reindex(ids).to_numpy()
    field_accounts["rep_id"] = placed["rep_id"].reindex(ids).to_numpy()
    after = home_leg_minutes(field_accounts, reps, settings)
    field_accounts = with_costs(
        shift_home_legs(field_accounts, today_home_legs(world), after, settings), settings
    )
    per_rep, fits, due = _per_rep(field_accounts, reps, settings)
    mean_capacity = RepCapacity(
        float(per_rep["capacity_h"].mean() * 60.0),
        float(np.mean([rep_capacity(r, settings).visits for _i, r in reps.iterrows()]))
        if len(reps)
        else rep_capacity(None, settings).visits,
    )
    remote = len(world.accounts) - len(field_accounts)
    cost = float(field_accounts["cost_to_serve"].sum()) + remote * settings.costs.remote_per_year
    return ScenarioResult(
        scenario=scenario,
        n_reps=k,
        reps_needed=reps_needed(
            float(field_accounts["workload_min"].sum()),
            float(field_accounts["visits_per_week"].sum()),
            mean_capacity,
            target=settings.capacity.target_utilisation,
        ),
        per_rep=per_rep,
        coverage=sum(fits.values()) / sum(due.values()) if sum(due.values()) else 1.0,
        compliance=compliance_by_tier(due, fits),
        drive_h=float(per_rep["drive_h"].sum()),
        cost_to_serve=cost,
        margin_after_service=float(world.accounts["annual_margin"].sum()) - cost,
        field_accounts=len(field_accounts),
        remote_accounts=remote,
        balance=balance,
        accounts=field_accounts,
        seconds=time.perf_counter() - started,
        warnings=list(balance.warnings),
    )
