"""A local equirectangular projection in kilometres, for distances within a region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection around (``lat0``, ``lon0``) in kilometres."""

    lat0: float
    lon0: float

    @property
    def _kx(self) -> float:
        return float(np.radians(1.0) * EARTH_RADIUS_KM * np.cos(np.radians(self.lat0)))

    @property
    def _ky(self) -> float:
        return float(np.radians(1.0) * EARTH_RADIUS_KM)

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Project degrees to an ``(n, 2)`` array of kilometres."""
        x = (np.asarray(lon, dtype=float) - self.lon0) * self._kx
        y = (np.asarray(lat, dtype=float) - self.lat0) * self._ky
        return np.column_stack([x, y])

    def inverse(self, xy: np.ndarray) -> np.ndarray:
        """Kilometres back to an ``(n, 2)`` array of (lon, lat) degrees."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        return np.column_stack([xy[:, 0] / self._kx + self.lon0, xy[:, 1] / self._ky + self.lat0])

    def to_local(self, geom: BaseGeometry) -> BaseGeometry:
        """Project a WGS84 geometry to local kilometres."""
        return shapely.transform(geom, lambda c: self.forward(c[:, 0], c[:, 1]))

    def to_wgs84(self, geom: BaseGeometry) -> BaseGeometry:
        """Project a local geometry back to WGS84 (lon, lat)."""
        return shapely.transform(geom, self.inverse)


def projection_for(lat: np.ndarray, lon: np.ndarray) -> LocalProjection:
    """Return the local projection centred on the points' bounding box."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return LocalProjection(
        lat0=float((lat.min() + lat.max()) / 2), lon0=float((lon.min() + lon.max()) / 2)
    )
