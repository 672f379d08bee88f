"""OSM road mode end to end on a Latin-American street grid (part of Campo Grande, Brazil).

A small synthetic world is laid on the real streets of ``tests/data/campo-grande.osm.pbf``
(© OpenStreetMap contributors, ODbL) and planned in OSM mode: legs must follow the road graph
and the matrices must agree with plain Dijkstra runs on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

from routeplan.jobs.build import run_build
from routeplan.planning.prepare import DataSource
from routeplan.travel.haversine import haversine_m
from routeplan.travel.osm.graph import RoadGraph, load_road_graph
from routeplan.travel.osm.matrix import OsmProvider

EXTRACT = Path(__file__).resolve().parents[1] / "data" / "campo-grande.osm.pbf"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graph() -> RoadGraph:
    return load_road_graph(EXTRACT)


def _world(folder: Path, graph: RoadGraph, n: int = 36) -> Path:
    """Accounts on road nodes of a 3 × 3 km patch, one rep, one zone around them."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(5)
    lat0, lon0 = float(np.median(graph.lat)), float(np.median(graph.lon))
    near = np.flatnonzero((abs(graph.lat - lat0) < 0.014) & (abs(graph.lon - lon0) < 0.014))
    picks = rng.choice(near, size=n + 1, replace=False)
    lat, lon = graph.lat[picks], graph.lon[picks]
    pd.DataFrame(
        {
            "client_id": [f"CG{i:02d}" for i in range(n)],
            "name": [f"Mercado {i}" for i in range(n)],
            "lat": lat[1:],
            "lon": lon[1:],
            "revenue": np.linspace(90_000, 1_000, n).round(),
            "margin": 0.25,
        }
    ).to_csv(folder / "clients.csv", index=False)
    pd.DataFrame(
        [{"rep_id": "R1", "name": "Ana", "home_lat": lat[0], "home_lon": lon[0], "zone": "Z1"}]
    ).to_csv(folder / "reps.csv", index=False)
    box = [[lon0 - 0.02, lat0 - 0.02], [lon0 + 0.02, lat0 - 0.02], [lon0 + 0.02, lat0 + 0.02]]
    box += [[lon0 - 0.02, lat0 + 0.02], [lon0 - 0.02, lat0 - 0.02]]
    feature = {"type": "Feature", "properties": {"zone": "Z1"}}
    feature["geometry"] = {"type": "Polygon", "coordinates": [box]}
    zones = {"type": "FeatureCollection", "features": [feature]}
    (folder / "zones.geojson").write_text(json.dumps(zones))
    (folder / "routeplan.toml").write_text(
        '[cycle]\nweeks = 4\nstart_date = 2027-01-04\ntimezone = "America/Campo_Grande"\n'
        "[cadence.A]\nevery_weeks = 2\n[cadence.B]\nevery_weeks = 2\n"
        f'[travel]\nmode = "osm"\nosm_file = "{EXTRACT}"\n'
        "[solver]\nseconds_per_rep_week = 0.5\nworkers = 1\n",
        encoding="utf-8",
    )
    return folder


def test_a_week_on_campo_grande_roads_follows_the_graph(tmp_path: Path, graph: RoadGraph) -> None:
    folder = _world(tmp_path / "world", graph)
    outcome = run_build(DataSource(folder), 1, out_dir=tmp_path / "out", maps_dir=tmp_path / "m")
    plan = outcome.result.plan
    assert len(plan.routes) > 10 and plan.dropped.empty
    for (rep_id, date), stops in plan.routes.groupby(["rep_id", "date"]):
        day = plan.days[(plan.days["rep_id"] == rep_id) & (plan.days["date"] == date)].iloc[0]
        lat = np.r_[day["home_lat"], stops["lat"], day["home_lat"]]
        lon = np.r_[day["home_lon"], stops["lon"], day["home_lon"]]
        straight_km = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) / 1000
        road_km = [*stops["km"].to_numpy(), None]
        for leg_road, leg_straight in zip(road_km[:-1], straight_km[:-1], strict=True):
            assert leg_road >= leg_straight - 0.02  # km rounded to 10 m
        legs = outcome.result.legs[(rep_id, date)]
        assert len(legs) == len(stops) + 1
        vertices = sum(len(leg) for leg in legs)
        assert vertices > len(stops) + 1
    geojson = json.loads((outcome.folder / "routes.geojson").read_text())
    lines = [f for f in geojson["features"] if f["geometry"]["type"] == "LineString"]
    assert lines and all(len(f["geometry"]["coordinates"]) > 2 for f in lines)


def test_matrices_agree_with_single_dijkstra_runs(graph: RoadGraph) -> None:
    rng = np.random.default_rng(9)
    nodes = rng.choice(len(graph.lat), size=12, replace=False)
    provider = OsmProvider(graph=graph)
    matrices = provider.matrices(graph.lat[nodes], graph.lon[nodes])
    for i, source in enumerate(nodes):
        seconds = dijkstra(graph.travel_s, directed=True, indices=int(source))[nodes]
        assert np.allclose(matrices.duration_s[i], seconds, atol=2.0)
