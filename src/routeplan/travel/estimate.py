"""The one estimate of drive minutes per visit, from the local density of visits.

Used by the cycle calendar (to balance each rep's weeks) and by the territory balancer (to
balance zones), so both judge workload by the same rule. A tour through points of density
ρ (visits per km² and week) is about ``BHH_CONSTANT / √ρ`` km per stop (Beardwood–Halton–
Hammersley), times the road circuity, driven at the configured speed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from routeplan.travel.projection import projection_for

BHH_CONSTANT = 0.7124
"""Tour length per point ≈ BHH_CONSTANT / √density for uniformly spread points."""
MIN_RADIUS_KM = 0.05
"""Smallest neighbourhood radius (clients in one building still need a short drive)."""
MAX_TRAVEL_MIN_PER_VISIT = 90.0
"""Cap for isolated clients."""


def _density_minutes(
    xy_km: np.ndarray,
    visits_per_week: np.ndarray,
    *,
    speed_kmh: float,
    circuity: float,
    k_neighbours: int,
) -> np.ndarray:
    n = len(xy_km)
    k = min(k_neighbours + 1, n)
    dist, idx = cKDTree(xy_km).query(xy_km, k=k)
    dist = np.asarray(dist).reshape(n, k)
    idx = np.asarray(idx).reshape(n, k)
    radius = np.maximum(dist[:, -1], MIN_RADIUS_KM)
    visits = np.maximum(visits_per_week[idx].sum(axis=1), 1e-9)
    density = visits / (np.pi * radius**2)
    km = BHH_CONSTANT * circuity / np.sqrt(density)
    return np.minimum(km / speed_kmh * 60.0, MAX_TRAVEL_MIN_PER_VISIT)


def travel_min_per_visit(
    lat: np.ndarray,
    lon: np.ndarray,
    visits_per_week: np.ndarray,
    *,
    speed_kmh: float,
    circuity: float,
    k_neighbours: int = 8,
    group: np.ndarray | None = None,
) -> np.ndarray:
    """Estimated drive minutes per visit of every client.

    The density around a client is the weekly visits of its ``k_neighbours`` nearest clients
    (and its own) over the disc reaching the farthest of them; with ``group`` (e.g. each
    client's rep) neighbours are taken within the same group only.

    Parameters
    ----------
    lat, lon
        Coordinates in degrees.
    visits_per_week
        Average visits per week of each client (2 for AAA, 1/12 for B every 12 weeks).
    speed_kmh, circuity
        The travel model (``[travel] speed_kmh`` and ``circuity``).
    k_neighbours
        Neighbours used for the density.
    group
        Optional group label per client.

    Returns
    -------
    numpy.ndarray
        Minutes per visit.

    Examples
    --------
    >>> import numpy as np
    >>> lat = np.array([60.17, 60.17, 60.18]); lon = np.array([24.94, 24.95, 24.94])
    >>> minutes = travel_min_per_visit(lat, lon, np.ones(3), speed_kmh=30, circuity=1.35)
    >>> bool((minutes > 0).all() and (minutes <= MAX_TRAVEL_MIN_PER_VISIT).all())
    True

    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    visits = np.asarray(visits_per_week, dtype=float)
    out = np.zeros(len(lat))
    if len(lat) == 0:
        return out
    xy = projection_for(lat, lon).forward(lon, lat)
    codes = np.zeros(len(lat), dtype=int) if group is None else pd.factorize(pd.Series(group))[0]
    for code in np.unique(codes):
        idx = np.flatnonzero(codes == code)
        out[idx] = _density_minutes(
            xy[idx], visits[idx], speed_kmh=speed_kmh, circuity=circuity, k_neighbours=k_neighbours
        )
    return out
