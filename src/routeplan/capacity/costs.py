"""Cost to serve every account against the margin it leaves.

A visit costs ``(service_min + travel_min_per_visit) / 60 × rep_hour + km_per_visit × per_km``;
an account's yearly cost to serve is that times its visits a year (visits per week of its
cadence × ``[costs] weeks_per_year``). Its annual margin is ``revenue × margin``.
``serve_ratio = cost_to_serve / annual_margin`` (empty when the margin is 0).

Drive per visit: the account's share of the routed legs in the built weeks (see
:mod:`routeplan.capacity.travel_share`) where it was routed, else the density estimate of
:func:`routeplan.territory.workload.client_workload` calibrated by the routed weeks (the ratio
of routed to estimated drive over the accounts routed; 1 when nothing was routed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from routeplan.config import Settings
from routeplan.territory.workload import client_workload, visits_and_service

COST_COLUMNS: tuple[str, ...] = (
    "visits_per_year",
    "service_min",
    "travel_min_per_visit",
    "km_per_visit",
    "travel_source",
    "hours_per_year",
    "annual_margin",
    "cost_to_serve",
    "margin_after_service",
    "serve_ratio",
)
"""Columns :func:`cost_to_serve` adds."""

TRAVEL_SOURCES: tuple[str, ...] = ("routed", "estimate")
"""Values of ``travel_source``: the built weeks' legs, or the calibrated density estimate."""


@dataclass(frozen=True)
class Travel:
    """Drive per visit of every account and where it comes from.

    Attributes
    ----------
    frame
        Same index as the clients: ``travel_min_per_visit``, ``km_per_visit``,
        ``travel_source``.
    calibration
        Routed ÷ estimated drive over the accounts routed (1.0 when none were).
    routed_accounts
        Accounts whose drive comes from routed legs.

    """

    frame: pd.DataFrame
    calibration: float
    routed_accounts: int


def is_prospect(clients: pd.DataFrame) -> pd.Series:
    """Mask of the accounts with ``stage = prospect``."""
    if "stage" not in clients:
        return pd.Series(False, index=clients.index)
    return clients["stage"].fillna("").astype(str).str.strip().str.lower().eq("prospect")


def with_own_service(clients: pd.DataFrame, given: pd.DataFrame) -> pd.DataFrame:
    """The clients with ``service_min`` as the file gave it (empty: the tier's minutes).

    Tiering fills every empty ``service_min`` with the tier's minutes; a scenario that changes
    a tier's ``service_min`` must reach those accounts, so the cadence is applied afresh.

    Parameters
    ----------
    clients
        Prepared clients (``client_id``, ``service_min`` filled).
    given
        The clients as read (``client_id``, optional ``service_min``).

    Returns
    -------
    pandas.DataFrame
        A copy whose ``service_min`` is the file's value or NaN.

    """
    out = clients.copy()
    if "service_min" not in given:
        out["service_min"] = np.nan
        return out
    own = pd.to_numeric(given["service_min"], errors="coerce")
    own.index = given["client_id"].astype(str)
    out["service_min"] = out["client_id"].astype(str).map(own[~own.index.duplicated()])
    return out


def cadence_of(clients: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Visits per week and service minutes of every account (prospects: their own cadence).

    Parameters
    ----------
    clients
        ``tier``, optional ``service_min`` (own minutes) and ``stage``.
    settings
        ``[cadence.<tier>]`` and ``[capacity] prospect_every_weeks`` / ``prospect_service_min``.

    Returns
    -------
    pandas.DataFrame
        ``visits_per_week`` and ``service_min``, same index.

    """
    tier = clients["tier"].astype(str)
    visits, service = visits_and_service(tier, clients, settings)
    prospect = is_prospect(clients)
    capacity = settings.capacity
    visits = visits.where(~prospect, 1.0 / capacity.prospect_every_weeks)
    service = service.where(~prospect, float(capacity.prospect_service_min))
    return pd.DataFrame(
        {"visits_per_week": visits.astype(float), "service_min": service.astype(float)},
        index=clients.index,
    )


def estimated_travel(clients: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Density-estimated drive minutes and km per visit (uncalibrated)."""
    minutes = client_workload(clients, settings)["travel_min_per_visit"].astype(float)
    km = minutes / 60.0 * settings.travel.speed_kmh
    return pd.DataFrame({"travel_min": minutes, "km": km}, index=clients.index)


def travel_per_visit(
    clients: pd.DataFrame, settings: Settings, routed: pd.DataFrame | None = None
) -> Travel:
    """Drive per visit: routed where the account was routed, else the calibrated estimate.

    Parameters
    ----------
    clients
        ``client_id``, ``lat``, ``lon``, ``revenue``, ``tier``.
    settings
        Cadence and travel settings (for the estimate).
    routed
        From :func:`routeplan.capacity.travel_share.routed_travel_share` (indexed by
        ``client_id``), or None when no week was built.

    Returns
    -------
    Travel
        The drive per visit and the calibration factor.

    """
    estimate = estimated_travel(clients, settings)
    ids = clients["client_id"].astype(str)
    if routed is None or routed.empty:
        mask = pd.Series(False, index=clients.index)
        minutes, km = estimate["travel_min"], estimate["km"]
    else:
        mask = ids.isin(routed.index)
        mask = pd.Series(mask.to_numpy(), index=clients.index)
        own = routed.reindex(ids.to_numpy())
        own.index = clients.index
        est_sum = float(estimate.loc[mask, "travel_min"].sum())
        factor = float(own.loc[mask, "routed_travel_min"].sum()) / est_sum if est_sum else 1.0
        factor = factor if factor > 0 else 1.0
        minutes = own["routed_travel_min"].where(mask, estimate["travel_min"] * factor)
        km = own["routed_km"].where(mask, estimate["km"] * factor)
        frame = _travel_frame(minutes, km, mask)
        return Travel(frame, factor, int(mask.sum()))
    return Travel(_travel_frame(minutes, km, mask), 1.0, 0)


def _travel_frame(minutes: pd.Series, km: pd.Series, routed: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "travel_min_per_visit": minutes.astype(float),
            "km_per_visit": km.astype(float),
            "travel_source": np.where(routed, TRAVEL_SOURCES[0], TRAVEL_SOURCES[1]),
        },
        index=minutes.index,
    )


def visit_cost(
    service_min: pd.Series, travel_min: pd.Series, km: pd.Series, settings: Settings
) -> pd.Series:
    """Cost of one visit: its minutes at ``rep_hour`` plus its km at ``per_km``."""
    costs = settings.costs
    return (service_min + travel_min) / 60.0 * costs.rep_hour + km * costs.per_km


def cost_to_serve(clients: pd.DataFrame, travel: Travel, settings: Settings) -> pd.DataFrame:
    """Yearly cost to serve, annual margin and what is left of it, per account.

    Parameters
    ----------
    clients
        ``client_id``, ``tier``, ``revenue``, ``margin``, optional ``service_min``, ``stage``.
    travel
        From :func:`travel_per_visit`.
    settings
        ``[costs]``, ``[cadence.<tier>]`` and ``[capacity]`` (prospect cadence).

    Returns
    -------
    pandas.DataFrame
        The clients with :data:`COST_COLUMNS` added (``service_min`` becomes the minutes
        used; the file's own value stays in ``own_service_min``).

    """
    cadence = cadence_of(clients, settings)
    out = clients.copy()
    if "service_min" in clients:  # kept for scenarios that change a tier's minutes
        out["own_service_min"] = pd.to_numeric(clients["service_min"], errors="coerce")
    out["visits_per_year"] = cadence["visits_per_week"] * settings.costs.weeks_per_year
    out["service_min"] = cadence["service_min"]
    for column in ("travel_min_per_visit", "km_per_visit", "travel_source"):
        out[column] = travel.frame[column]
    per_visit = visit_cost(
        out["service_min"], out["travel_min_per_visit"], out["km_per_visit"], settings
    )
    minutes = out["service_min"] + out["travel_min_per_visit"]
    out["hours_per_year"] = out["visits_per_year"] * minutes / 60.0
    out["annual_margin"] = out["revenue"].astype(float) * out["margin"].astype(float)
    out["cost_to_serve"] = out["visits_per_year"] * per_visit
    out["margin_after_service"] = out["annual_margin"] - out["cost_to_serve"]
    margin = out["annual_margin"].where(out["annual_margin"] > 0)
    out["serve_ratio"] = out["cost_to_serve"] / margin
    return out


def cost_summary(costs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Accounts, visits, hours, cost to serve and margin per value of ``by``.

    Parameters
    ----------
    costs
        From :func:`cost_to_serve` (plus ``recommendation`` when present).
    by
        ``tier``, ``zone`` or ``rep_id``.

    Returns
    -------
    pandas.DataFrame
        One row per group and a ``total`` row: ``accounts``, ``visits_per_year``,
        ``hours_per_year``, ``cost_to_serve``, ``annual_margin``, ``margin_after_service``,
        ``serve_ratio`` and, with recommendations, one ``<recommendation>`` count column each.

    """
    columns = ["visits_per_year", "hours_per_year", "cost_to_serve", "annual_margin"]
    columns.append("margin_after_service")
    grouped = costs.groupby(by, sort=True)
    table = grouped[columns].sum()
    table.insert(0, "accounts", grouped.size())
    margin = table["annual_margin"].where(table["annual_margin"] > 0)
    table["serve_ratio"] = table["cost_to_serve"] / margin
    if "recommendation" in costs:
        counts = pd.crosstab(costs[by], costs["recommendation"])
        table = table.join(counts).fillna(0)
    table.loc["total"] = table.sum(numeric_only=True)
    total = table.at["total", "annual_margin"]
    table.at["total", "serve_ratio"] = (
        table.at["total", "cost_to_serve"] / total if total > 0 else np.nan
    )
    table.index.name = by
    table = table.reset_index()
    counts_columns = [
        c for c in table.columns if c == "accounts" or c not in (by, *columns, "serve_ratio")
    ]
    return table.astype(dict.fromkeys(counts_columns, int))
