"""Compare road travel times with the haversine model, to calibrate its circuity factor.

The haversine model drives ``great-circle distance × circuity`` at ``speed_kmh``. On the same
points, the ratio road time / model time tells how far off it is: a median ratio of 1.2 means
the model is 20% optimistic, and ``circuity × 1.2`` would match the roads on the median pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from routeplan.errors import InputError, Problem
from routeplan.i18n import _
from routeplan.travel.haversine import HaversineProvider, haversine_m
from routeplan.travel.osm.matrix import OsmProvider

MIN_PAIR_DISTANCE_M = 200.0
"""Pairs closer than this (great circle) are left out: access time to the road dominates them."""


@dataclass(frozen=True)
class TravelCheck:
    """Road vs haversine on a set of points.

    Attributes
    ----------
    points
        Points compared (inside the extract's area, sampled down to ``max_points``).
    skipped
        Points left out because they lie outside the extract's area.
    pairs
        Ordered pairs compared (at least :data:`MIN_PAIR_DISTANCE_M` apart).
    median_ratio, p90_ratio
        Median and 90th percentile of road seconds / haversine-model seconds.
    median_circuity
        Median of road metres / great-circle metres (the circuity the roads show).
    median_road_kmh
        Median average speed of the road trips.
    circuity, speed_kmh
        The haversine model's settings.

    """

    points: int
    skipped: int
    pairs: int
    median_ratio: float
    p90_ratio: float
    median_circuity: float
    median_road_kmh: float
    circuity: float
    speed_kmh: float

    @property
    def suggested_circuity(self) -> float:
        """Circuity that makes the model match road time on the median pair (same speed)."""
        return self.circuity * self.median_ratio

    def to_frame(self) -> pd.DataFrame:
        """Return the figures as a two-column table (``measure``, ``value``) for printing."""
        rows = [
            ("points compared", self.points),
            ("points outside the extract (skipped)", self.skipped),
            ("pairs compared", self.pairs),
            ("road / haversine time, median", round(self.median_ratio, 3)),
            ("road / haversine time, p90", round(self.p90_ratio, 3)),
            ("road km / straight-line km, median", round(self.median_circuity, 3)),
            ("road speed km/h, median", round(self.median_road_kmh, 1)),
            (f"suggested circuity at {self.speed_kmh:g} km/h", round(self.suggested_circuity, 2)),
        ]
        return pd.DataFrame(
            {
                "measure": [measure for measure, _ in rows],
                "value": pd.Series([value for _, value in rows], dtype=object),
            }
        )


def travel_check(
    road: OsmProvider,
    model: HaversineProvider,
    lat: np.ndarray,
    lon: np.ndarray,
    *,
    labels: list[str] | None = None,
    max_points: int | None = None,
    seed: int = 0,
    min_pair_distance_m: float = MIN_PAIR_DISTANCE_M,
) -> TravelCheck:
    """Compare road travel times with the haversine model on the same points.

    Parameters
    ----------
    road
        The OSM road provider.
    model
        The haversine model to calibrate.
    lat, lon
        Coordinates in degrees; points outside the extract's area are skipped and counted.
    labels
        A name per point for warnings (e.g. client ids).
    max_points
        Compare a seeded random sample of at most this many of the points inside the extract
        (None compares all).
    seed
        Seed of the sample.
    min_pair_distance_m
        Pairs closer than this are left out.

    Returns
    -------
    TravelCheck
        Median and p90 of the time ratio and the implied circuity.

    Raises
    ------
    InputError
        When fewer than two points lie inside the extract, or no pair is far enough apart.

    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    inside = road.graph.outside_m(lat, lon) <= road.snap_warn_m
    keep = np.flatnonzero(inside)
    if max_points is not None and len(keep) > max_points:
        keep = np.sort(np.random.default_rng(seed).choice(keep, max_points, replace=False))
    lat, lon = lat[keep], lon[keep]
    names = [labels[i] for i in keep] if labels is not None else None
    source = road.graph.source
    if len(lat) < 2:
        problem = Problem(
            source, _("only {count} of the points lie inside the extract's area", count=len(lat))
        )
        raise InputError([problem], hint=_("use an extract that covers the clients"))
    road_m = road.matrices(lat, lon, labels=names)
    model_m = model.matrices(lat, lon)
    straight_m = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    pairs = (straight_m >= min_pair_distance_m) & (model_m.duration_s > 0)
    if not pairs.any():
        problem = Problem(
            source, _("no two points are {metres:.0f} m apart", metres=min_pair_distance_m)
        )
        raise InputError([problem], hint=_("compare points spread over the extract"))
    ratio = road_m.duration_s[pairs] / model_m.duration_s[pairs]
    circuity = road_m.distance_m[pairs] / straight_m[pairs]
    speed = road_m.distance_m[pairs] / np.maximum(road_m.duration_s[pairs], 1) * 3.6
    return TravelCheck(
        points=len(keep),
        skipped=int((~inside).sum()),
        pairs=int(pairs.sum()),
        median_ratio=float(np.median(ratio)),
        p90_ratio=float(np.quantile(ratio, 0.9)),
        median_circuity=float(np.median(circuity)),
        median_road_kmh=float(np.median(speed)),
        circuity=model.circuity,
        speed_kmh=model.speed_kmh,
    )
