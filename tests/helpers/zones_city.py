"""A seeded synthetic city for territory tests and benchmarks: dense centre, sparse outskirts.

Today's zones are Voronoi cells of the reps' homes, so the zone holding the centre is far
heavier than the outskirts: a realistic unbalanced start.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import Voronoi

LAT0, LON0 = 60.17, 24.94
KM_LAT = 1 / 111.2
KM_LON = 1 / (111.2 * np.cos(np.radians(LAT0)))


def _to_deg(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([LON0 + xy[:, 0] * KM_LON, LAT0 + xy[:, 1] * KM_LAT])


def synthetic_city(
    n_clients: int, n_reps: int, *, seed: int = 0, radius_km: float = 15.0
) -> tuple[pd.DataFrame, pd.DataFrame, gpd.GeoDataFrame]:
    """Clients, reps and today's zones (Voronoi of homes) of a seeded synthetic city."""
    rng = np.random.default_rng(seed)
    n_dense = int(n_clients * 0.7)
    dense = rng.normal(0.0, radius_km / 7, size=(n_dense, 2))
    r = radius_km * np.sqrt(rng.uniform(0, 1, n_clients - n_dense))
    a = rng.uniform(0, 2 * np.pi, n_clients - n_dense)
    sparse = np.column_stack([r * np.cos(a), r * np.sin(a)])
    xy = np.vstack([dense, sparse])
    xy = xy[np.hypot(xy[:, 0], xy[:, 1]) < radius_km * 0.98]
    while len(xy) < n_clients:  # refill points pushed out of the disc
        extra = rng.normal(0.0, radius_km / 7, size=(n_clients - len(xy), 2))
        xy = np.vstack([xy, extra[np.hypot(extra[:, 0], extra[:, 1]) < radius_km * 0.98]])
    xy = xy[:n_clients]
    lonlat = _to_deg(xy)
    hr = radius_km * 0.9 * np.sqrt(rng.uniform(0, 1, n_reps))
    ha = rng.uniform(0, 2 * np.pi, n_reps)
    homes = np.column_stack([hr * np.cos(ha), hr * np.sin(ha)])
    disc = shapely.Point(0, 0).buffer(radius_km, quad_segs=32)
    ring = np.array([[np.cos(t), np.sin(t)] for t in np.linspace(0, 2 * np.pi, 12, endpoint=False)])
    vor = Voronoi(np.vstack([homes, 100 * radius_km * ring]))
    polys = [
        shapely.Polygon(vor.vertices[vor.regions[vor.point_region[i]]]).intersection(disc)
        for i in range(n_reps)
    ]
    names = [f"Z{i + 1:03d}" for i in range(n_reps)]
    zone_idx = np.argmin(((xy[:, None, :] - homes[None, :, :]) ** 2).sum(axis=2), axis=1)
    clients = pd.DataFrame(
        {
            "client_id": [f"C{i:06d}" for i in range(n_clients)],
            "lat": lonlat[:, 1],
            "lon": lonlat[:, 0],
            "revenue": np.round(rng.lognormal(9.0, 1.0, n_clients), 2),
            "zone": [names[i] for i in zone_idx],
        }
    )
    home_deg = _to_deg(homes)
    reps = pd.DataFrame(
        {
            "rep_id": [f"R{i + 1:03d}" for i in range(n_reps)],
            "home_lat": home_deg[:, 1],
            "home_lon": home_deg[:, 0],
            "zone": names,
        }
    )
    zones = gpd.GeoDataFrame(
        {"zone": names, "rep_id": reps["rep_id"]},
        geometry=[shapely.transform(p, _to_deg) for p in polys],
        crs="EPSG:4326",
    )
    return clients, reps, zones
