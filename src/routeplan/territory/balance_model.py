"""The types a rebalance is built from: the manager's options and the per-block arrays.

Both :mod:`routeplan.territory.balance` (the search) and
:mod:`routeplan.territory.balance_result` (the result) read them, so they sit below both.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from routeplan.territory.shapes import BlockGraph
from routeplan.travel.projection import LocalProjection


@dataclass(frozen=True)
class BalanceOptions:
    """What the territory manager asks for.

    Parameters
    ----------
    n_reps
        Number of zones wanted (default: as many as today).
    from_scratch
        Ignore today's zones (locks still hold).
    move_weight
        Cost of moving clients to another rep, relative to workload imbalance.
    revenue_weight
        Weight of revenue imbalance beyond ``revenue_tolerance``.
    compactness_weight
        Weight of the squared distance of workload to its zone centre.
    home_weight
        0–1: how far each zone's centre is pulled from its workload centroid towards its
        rep's home (``reps.home_lat/home_lon``); 1 makes compactness "close to home".
    locked_zones
        Zones that must not change at all.
    remove_zones
        Zones to dissolve when ``n_reps`` is lower than today (default: the lightest ones).
    tolerance
        Target: every zone within ±tolerance of the mean workload.
    revenue_tolerance
        Revenue deviation tolerated without cost.
    max_passes, time_limit_s
        Stop the local search after this many passes over the boundary or this many seconds.
    seed
        Seed of the k-means start.

    """

    n_reps: int | None = None
    from_scratch: bool = False
    move_weight: float = 1.0
    revenue_weight: float = 1.0
    compactness_weight: float = 1.0
    home_weight: float = 0.0
    locked_zones: tuple[str, ...] = ()
    remove_zones: tuple[str, ...] = ()
    tolerance: float = 0.05
    revenue_tolerance: float = 0.15
    max_passes: int = 500
    time_limit_s: float = 300.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_reps is not None and self.n_reps < 1:
            msg = f"n_reps must be at least 1, got {self.n_reps}."
            raise ValueError(msg)
        if not 0 < self.tolerance < 1:
            msg = f"tolerance must be in (0, 1), got {self.tolerance}."
            raise ValueError(msg)
        weights = (self.move_weight, self.revenue_weight, self.compactness_weight)
        if min(weights) < 0:
            msg = "weights must not be negative."
            raise ValueError(msg)
        if not 0 <= self.home_weight <= 1:
            msg = f"home_weight must be in [0, 1], got {self.home_weight}."
            raise ValueError(msg)


@dataclass
class Blocks:
    """Per-block arrays derived from the clients (a block is one client site)."""

    xy: np.ndarray
    site_of: np.ndarray
    weight: np.ndarray
    revenue: np.ndarray
    count: np.ndarray
    current: np.ndarray
    orig_count: np.ndarray
    locked_zone: np.ndarray


@dataclass(frozen=True)
class BalanceInputs:
    """The clients and today's territory, read and coded once.

    Attributes
    ----------
    clients, wl
        The clients (indexed 0..n-1) and their workload.
    client_ids
        The clients' ids as text.
    names
        Today's zone names, sorted; zone codes index them.
    current
        Every client's zone code today (``-1`` for none).
    locked
        Mask of the clients that must keep their zone.
    zones, reps
        Today's zone polygons and reps, if given.
    proj, xy
        The local projection and the clients' positions in it (km).

    """

    clients: pd.DataFrame
    wl: pd.DataFrame
    client_ids: list[str]
    names: list[str]
    current: np.ndarray
    locked: np.ndarray
    zones: gpd.GeoDataFrame | None
    reps: pd.DataFrame | None
    proj: LocalProjection
    xy: np.ndarray


@dataclass(frozen=True)
class Partition:
    """The blocks, their Voronoi graph, the final zone code of every block and the names."""

    blocks: Blocks
    graph: BlockGraph
    zone_of: np.ndarray
    names: list[str]
