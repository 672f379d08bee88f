"""Travel-time and distance matrices between points.

A :class:`MatrixProvider` turns points (lat/lon, WGS84) into a duration matrix in seconds and
a distance matrix in metres. The default, :class:`HaversineProvider`, needs no data files:
great-circle distance times a circuity factor at a constant speed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class TravelMatrices:
    """Square matrices over the same points: ``duration_s`` (int) and ``distance_m`` (int)."""

    duration_s: np.ndarray
    distance_m: np.ndarray


class MatrixProvider(Protocol):
    """Anything that builds travel matrices for a list of points."""

    def matrices(self, lat: np.ndarray, lon: np.ndarray) -> TravelMatrices:
        """Travel matrices between all pairs of the points."""
        ...


def haversine_m(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in metres, broadcasting over the inputs.

    Parameters
    ----------
    lat1, lon1, lat2, lon2
        Coordinates in degrees.

    Returns
    -------
    numpy.ndarray
        Distances in metres.

    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class HaversineProvider:
    """Straight-line distance × circuity, driven at ``speed_kmh``."""

    speed_kmh: float = 30.0
    circuity: float = 1.35

    def matrices(self, lat: np.ndarray, lon: np.ndarray) -> TravelMatrices:
        """Travel matrices between all pairs of the points.

        Parameters
        ----------
        lat, lon
            Coordinates in degrees, one entry per point.

        Returns
        -------
        TravelMatrices
            Road-like distance in metres and duration in seconds, rounded to integers.

        """
        lat = np.asarray(lat, dtype=float)
        lon = np.asarray(lon, dtype=float)
        road_m = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) * self.circuity
        duration = road_m / (self.speed_kmh / 3.6)
        return TravelMatrices(
            duration_s=np.rint(duration).astype(np.int64),
            distance_m=np.rint(road_m).astype(np.int64),
        )
