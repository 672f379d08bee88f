"""Client workload model: weekly minutes each client costs its rep.

A client's weekly workload is its tier's visits per week × (service minutes + travel minutes
per visit). Travel per visit is estimated from the local density of visits with the classic
Beardwood–Halton–Hammersley constant: a tour through points of density ρ (per km²) is about
0.7124/√ρ km per stop, times the road circuity, driven at the configured speed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.config import Settings
from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.travel.estimate import travel_min_per_visit

WORKLOAD_COLUMNS: list[str] = [
    "visits_per_week",
    "service_min",
    "travel_min_per_visit",
    "workload_min",
]


def fallback_tiers(revenue: pd.Series, settings: Settings) -> pd.Series:
    """Tiers by revenue rank using the configured account shares (top 1% AAA, …).

    A stand-in for the real tiering when the clients have no ``tier`` column filled.
    """
    order = list(settings.tiers.order)
    shares = settings.tiers.shares.shares
    rank = revenue.rank(method="first", ascending=False).to_numpy() / max(len(revenue), 1)
    tiers = np.full(len(revenue), order[-1], dtype=object)
    edge = 0.0
    for tier in order[:-1]:
        low = edge
        edge += shares.get(tier, 0.0)
        tiers[(rank > low) & (rank <= edge)] = tier
    return pd.Series(tiers, index=revenue.index, name="tier")


def visits_and_service(
    tier: pd.Series, clients: pd.DataFrame, settings: Settings
) -> tuple[pd.Series, pd.Series]:
    """Each client's visits per week (its tier's cadence) and service minutes.

    Parameters
    ----------
    tier
        Each client's tier; every one has a ``[cadence.<tier>]`` section.
    clients
        Optionally ``service_min``: a client's own minutes; empty cells take the tier's.
    settings
        Cadence per tier (visits per week or every N weeks, service minutes).

    Returns
    -------
    tuple of pandas.Series
        ``(visits_per_week, service_min)``, indexed as ``tier``.

    """
    visits = tier.map({t: c.visits_per_cycle_week for t, c in settings.cadence.items()})
    default_service = tier.map({t: float(c.service_min) for t, c in settings.cadence.items()})
    service = default_service
    if "service_min" in clients:
        own = pd.to_numeric(clients["service_min"], errors="coerce")
        service = own.where(own.notna(), default_service)
    return visits, service


def client_workload(clients: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Weekly workload of every client.

    Parameters
    ----------
    clients
        Columns ``lat``, ``lon``, ``revenue`` and optionally ``tier`` (empty cells are tiered
        by revenue rank), ``service_min`` (empty cells take the tier's cadence) and
        ``travel_factor`` (routed ÷ estimated drive of the client's area, learned from routed
        weeks; it scales the density estimate, empty cells read 1.0).
    settings
        Cadence per tier (visits per week or every N weeks, service minutes) and travel speed
        and circuity.

    Returns
    -------
    pandas.DataFrame
        Same index; columns ``tier`` plus :data:`WORKLOAD_COLUMNS` (minutes per week).

    """
    tier = clients["tier"] if "tier" in clients else pd.Series(np.nan, index=clients.index)
    tier = tier.astype(object).where(tier.notna() & (tier.astype(str) != ""), None)
    fallback = fallback_tiers(clients["revenue"].astype(float), settings)
    tier = tier.fillna(fallback).astype(str)
    unknown = sorted(set(tier) - set(settings.cadence))
    if unknown:
        raise InputError(
            [
                Problem("clients.csv", _("tier {tier!r} has no cadence", tier=t), column="tier")
                for t in unknown
            ],
            hint=_("add a [cadence.<tier>] section to routeplan.toml"),
        )
    visits, service = visits_and_service(tier, clients, settings)
    travel = travel_min_per_visit(
        clients["lat"].to_numpy(float),
        clients["lon"].to_numpy(float),
        visits.to_numpy(float),
        speed_kmh=settings.travel.speed_kmh,
        circuity=settings.travel.circuity,
        k_neighbours=settings.calendar.knn,
    )
    if "travel_factor" in clients:
        factor = pd.to_numeric(clients["travel_factor"], errors="coerce").to_numpy(float)
        travel = travel * np.where(np.isfinite(factor) & (factor > 0), factor, 1.0)
    out = pd.DataFrame(
        {
            "tier": tier,
            "visits_per_week": visits.astype(float),
            "service_min": service.astype(float),
            "travel_min_per_visit": travel,
        },
        index=clients.index,
    )
    out["workload_min"] = out["visits_per_week"] * (
        out["service_min"] + out["travel_min_per_visit"]
    )
    return out


def zone_table(
    clients: pd.DataFrame, *, zone_column: str = "zone", tiers: list[str] | None = None
) -> pd.DataFrame:
    """Workload, revenue and client counts (total and by tier) of every zone.

    Parameters
    ----------
    clients
        Columns ``zone_column``, ``tier``, ``revenue`` and ``workload_min``.
    zone_column
        The column holding each client's zone.
    tiers
        Tier order for the ``clients_<tier>`` columns (default: the tiers present, sorted).

    Returns
    -------
    pandas.DataFrame
        One row per zone: ``zone``, ``clients``, ``clients_<tier>``…, ``workload_h`` (hours
        per week), ``revenue``, ``workload_dev`` and ``revenue_dev`` (relative to the mean).

    """
    tiers = tiers or sorted(clients["tier"].unique())
    grouped = clients.groupby(zone_column, sort=True)
    table = pd.DataFrame(
        {
            "clients": grouped.size(),
            "workload_h": grouped["workload_min"].sum() / 60.0,
            "revenue": grouped["revenue"].sum().astype(float),
        }
    )
    counts = pd.crosstab(clients[zone_column], clients["tier"]).reindex(columns=tiers, fill_value=0)
    for t in tiers:
        table[f"clients_{t}"] = counts[t].reindex(table.index, fill_value=0).astype(int)
    table["workload_dev"] = table["workload_h"] / table["workload_h"].mean() - 1.0
    mean_rev = table["revenue"].mean()
    table["revenue_dev"] = table["revenue"] / mean_rev - 1.0 if mean_rev > 0 else 0.0
    table.index.name = "zone"
    return table.reset_index()
