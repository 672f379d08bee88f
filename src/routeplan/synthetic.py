"""Seeded synthetic sales forces for tests and scale benchmarks: a country of clustered cities.

Cities follow a Zipf-like size law; clients cluster around city centres (Gaussian, spread
growing with city size), 5 % of them rural (four times the spread). The country's area grows
with the number of reps, so a rep's territory has about the same size at every scale.

Zones are one per rep: the clients are cut into ``n_reps`` compact groups of equal size by
recursive bisection along the longer axis, and each zone is the union of its clients' Voronoi
cells, so the zones tile the country and every client lies in its own group's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint

from routeplan.io.writers import write_csv

COUNTRY_BBOX: tuple[float, float, float, float] = (21.5, 60.0, 30.0, 65.0)
"""lon/lat box of the synthetic country (roughly southern and central Finland)."""

COUNTRY_SHRINK = 0.5
"""Side of the country actually used for 100 reps, as a share of the box: about 240 × 280 km,
so a rep's 400 accounts lie within about 25 km and the default cadences fit a working week."""


WORLD_SETTINGS = """
# A national distributor: 400 accounts per rep (the demo has 250), so shorter visits and up to
# 15 a day keep the default cadences within a working week.
[cycle]
weeks = 12
start_date = 2027-01-04

[cadence.A]
service_min = 25

[cadence.B]
service_min = 15

[workday]
max_visits_per_day = 15

[travel]
speed_kmh = 50.0
"""
"""``routeplan.toml`` of a synthetic world, as the scale and plan-quality benchmarks write it."""


@dataclass
class SyntheticWorld:
    """Clients, reps and zones of a synthetic sales force (data contract of the inputs)."""

    clients: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame


def _client_positions(
    rng: np.random.Generator, n_clients: int, n_reps: int
) -> tuple[np.ndarray, np.ndarray]:
    """Clustered positions in a country whose area grows with the number of reps."""
    lon0, lat0, lon1, lat1 = COUNTRY_BBOX
    shrink = min(1.0, np.sqrt(n_reps / 100)) * COUNTRY_SHRINK
    mid_lon, mid_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    lon0, lon1 = mid_lon - (mid_lon - lon0) * shrink, mid_lon + (lon1 - mid_lon) * shrink
    lat0, lat1 = mid_lat - (mid_lat - lat0) * shrink, mid_lat + (lat1 - mid_lat) * shrink
    n_cities = max(3, n_clients // 400)
    weights = 1.0 / np.arange(1, n_cities + 1) ** 1.1
    weights /= weights.sum()
    city_lon = rng.uniform(lon0 + 0.3, lon1 - 0.3, n_cities)
    city_lat = rng.uniform(lat0 + 0.2, lat1 - 0.2, n_cities)
    city = rng.choice(n_cities, size=n_clients, p=weights)
    spread = 0.02 + 0.15 * np.sqrt(weights[city] / weights[0])
    rural = rng.random(n_clients) < 0.05
    spread = np.where(rural, spread * 4, spread)
    lat = city_lat[city] + rng.normal(0, spread * 0.5)
    lon = city_lon[city] + rng.normal(0, spread)
    return np.clip(lat, lat0, lat1), np.clip(lon, lon0, lon1)


def _bisect(order: np.ndarray, lat: np.ndarray, lon: np.ndarray, parts: int) -> list[np.ndarray]:
    """Split point indices into ``parts`` groups of near-equal size along the longer axis."""
    if parts == 1:
        return [order]
    left_parts = parts // 2
    x, y = lon[order] * np.cos(np.radians(lat[order].mean())), lat[order]
    axis = x if np.ptp(x) >= np.ptp(y) else y
    sorted_idx = order[np.argsort(axis, kind="stable")]
    cut = round(len(order) * left_parts / parts)
    return _bisect(sorted_idx[:cut], lat, lon, left_parts) + _bisect(
        sorted_idx[cut:], lat, lon, parts - left_parts
    )


def _voronoi_cells(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """The Voronoi cell of every point (in input order), clipped to a box around them all.

    Points at the same position share one cell.
    """
    unique, inverse = np.unique(np.column_stack([lon, lat]), axis=0, return_inverse=True)
    points = MultiPoint(unique)
    box = shapely.box(*points.bounds).buffer(0.05, join_style="mitre")
    cells = shapely.voronoi_polygons(points, extend_to=box, ordered=True)
    clipped = shapely.intersection(np.asarray(shapely.get_parts(cells)), box)
    return clipped[inverse.ravel()]


def synthetic_world(n_clients: int, n_reps: int, *, seed: int = 0) -> SyntheticWorld:
    """A seeded country-sized sales force.

    Parameters
    ----------
    n_clients
        Number of accounts (e.g. 40,000).
    n_reps
        Number of reps, one zone each (e.g. 100).
    seed
        Random seed; the same seed gives the same world.

    Returns
    -------
    SyntheticWorld
        Tables following the input data contract (``clients``, ``reps``, ``zones``).
    """
    rng = np.random.default_rng(seed)
    lat, lon = _client_positions(rng, n_clients, n_reps)
    revenue = np.round(rng.lognormal(mean=10.0, sigma=1.3, size=n_clients), -1)
    clients = pd.DataFrame(
        {
            "client_id": [f"S{i:06d}" for i in range(n_clients)],
            "name": [f"Account {i}" for i in range(n_clients)],
            "lat": np.round(lat, 6),
            "lon": np.round(lon, 6),
            "address": "",
            "revenue": revenue,
            "margin": np.round(rng.beta(4, 8, n_clients), 3),
            "orders_per_year": np.maximum(1, np.round(np.sqrt(revenue) / 20)).astype(int),
            "potential": np.round(revenue * rng.lognormal(0.3, 0.5, n_clients), -1),
            "tier": "",
            "zone": "",
            "opens": "",
            "closes": "",
            "service_min": "",
        }
    )
    groups = _bisect(np.arange(n_clients), lat, lon, n_reps)
    cells = _voronoi_cells(lat, lon)
    shapes, reps = [], []
    for i, members in enumerate(groups, start=1):
        shapes.append(shapely.union_all(cells[members]))
        centre = members[
            np.argmin(
                (lat[members] - lat[members].mean()) ** 2
                + (lon[members] - lon[members].mean()) ** 2
            )
        ]
        reps.append(
            {
                "rep_id": f"R{i:03d}",
                "name": f"Rep {i}",
                "home_lat": round(float(lat[centre]) + 0.001, 6),
                "home_lon": round(float(lon[centre]) + 0.001, 6),
                "zone": f"Z{i:03d}",
            }
        )
    zones = gpd.GeoDataFrame({"zone": [r["zone"] for r in reps]}, geometry=shapes, crs="EPSG:4326")
    return SyntheticWorld(clients=clients, reps=pd.DataFrame(reps), zones=zones)


def write_world(world: SyntheticWorld, folder: Path, *, settings_toml: str = "") -> Path:
    """Write a world as a data folder (``clients.csv``, ``reps.csv``, ``zones.geojson``).

    Parameters
    ----------
    world
        The synthetic world.
    folder
        Target folder (created).
    settings_toml
        Text of ``routeplan.toml`` (default: an empty file, i.e. all defaults).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(world.clients, folder / "clients.csv")
    write_csv(world.reps, folder / "reps.csv")
    world.zones.to_file(folder / "zones.geojson", driver="GeoJSON")
    (folder / "routeplan.toml").write_text(settings_toml, encoding="utf-8")
    return folder
