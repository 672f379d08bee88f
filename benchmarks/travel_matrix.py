"""Road travel matrices on OSM extracts: speed, cache, and what road times change.

For each extract (the bundled Helsinki centre, and Monaco when /work/shared/data has it):

1. time to parse the extract and build the road graph, and to read it back from the cache;
2. time of a 1,000 × 1,000 road matrix (points sampled on the road network, jittered), its
   cache hit, and the haversine matrix on the same points as the baseline;
3. road / haversine time ratio (median, p90) and the implied circuity;
4. one rep-week inside the extract (5 days × 8 visits around a home): each day routed with
   OR-Tools on the haversine matrix and on the road matrix, both evaluated on road times,
   printed side by side with what the haversine model believed.

Usage: python benchmarks/travel_matrix.py [--clients data/demo/clients.csv] [--points 1000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routeplan.travel.check import travel_check
from routeplan.travel.haversine import HaversineProvider
from routeplan.travel.osm.graph import load_road_graph
from routeplan.travel.osm.matrix import OsmProvider

ROOT = Path(__file__).resolve().parents[1]
EXTRACTS = {
    "helsinki": ROOT / "data" / "osm" / "helsinki.osm.pbf",
    "monaco": Path("/work/shared/data/monaco.osm.pbf"),
}
DAYS, VISITS_PER_DAY = 5, 8


def timed(fn, *args, repeat: int = 1, mean: bool = False, **kwargs):
    """Result of the last call and the best (or mean) wall time over ``repeat`` calls.

    The mean suits sub-10 ms calls: this machine's clock can be coarse.
    """
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return result, (sum(times) / len(times) if mean else min(times))


def road_points(provider: OsmProvider, n: int, rng: np.random.Generator) -> tuple:
    graph = provider.graph
    nodes = rng.choice(graph.n_nodes, n, replace=n > graph.n_nodes)
    jitter = rng.normal(0.0, 15.0, (n, 2)) / 111_000.0  # ~15 m around a road node
    lat = graph.lat[nodes] + jitter[:, 0]
    lon = graph.lon[nodes] + jitter[:, 1] / np.cos(np.radians(graph.lat.mean()))
    return lat, lon


def visit_points(
    provider: OsmProvider, clients: Path | None, path: Path
) -> tuple[str, pd.DataFrame]:
    """Client locations inside the extract: the demo's clients if given, else its shops."""
    if clients is not None and clients.is_file():
        table = pd.read_csv(clients)[["lat", "lon"]].dropna()
        source = f"{clients} (clients inside the extract)"
    else:
        import pyrosm

        shops = pyrosm.OSM(str(path)).get_pois(custom_filter={"shop": True})
        shops = shops[shops.geometry.geom_type == "Point"]
        table = pd.DataFrame({"lat": shops.geometry.y, "lon": shops.geometry.x})
        source = "shops of the extract (no clients file given)"
    inside = provider.graph.outside_m(table["lat"], table["lon"]) == 0
    return source, table[inside].reset_index(drop=True)


def solve_tour(duration: np.ndarray, *, seconds: float = 1.0) -> list[int]:
    """Closed tour from node 0 over all nodes, OR-Tools with guided local search."""
    manager = pywrapcp.RoutingIndexManager(len(duration), 1, 0)
    model = pywrapcp.RoutingModel(manager)
    matrix = duration.astype(int).tolist()

    def cost(i: int, j: int) -> int:
        return matrix[manager.IndexToNode(i)][manager.IndexToNode(j)]

    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitCallback(cost))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = model.SolveWithParameters(params)
    index, tour = model.Start(0), []
    while not model.IsEnd(index):
        tour.append(manager.IndexToNode(index))
        index = solution.Value(model.NextVar(index))
    return [*tour, 0]


def tour_cost(matrix: np.ndarray, tour: list[int]) -> int:
    return int(sum(matrix[a, b] for a, b in itertools.pairwise(tour)))


def rep_week(provider: OsmProvider, model: HaversineProvider, visits: pd.DataFrame, rng) -> None:
    graph = provider.graph
    n = min(len(visits), DAYS * VISITS_PER_DAY)
    chosen = visits.iloc[np.sort(rng.choice(len(visits), n, replace=False))]
    home_lat, home_lon = float(np.median(graph.lat)), float(np.median(graph.lon))
    # days as angular sectors around the home (a simple, common calendar)
    angle = np.arctan2(chosen["lat"] - home_lat, chosen["lon"] - home_lon).to_numpy()
    day_of = np.argsort(np.argsort(angle)) * DAYS // n
    rows = []
    for day in range(DAYS):
        day_visits = chosen[day_of == day]
        lat = np.r_[home_lat, day_visits["lat"]]
        lon = np.r_[home_lon, day_visits["lon"]]
        road = provider.matrices(lat, lon).duration_s
        flat = model.matrices(lat, lon).duration_s
        flat_tour, road_tour = solve_tour(flat), solve_tour(road)
        rows.append(
            {
                "day": ["Mon", "Tue", "Wed", "Thu", "Fri"][day],
                "visits": len(day_visits),
                "haversine plan, model min": tour_cost(flat, flat_tour) / 60,
                "haversine plan, road min": tour_cost(road, flat_tour) / 60,
                "road plan, road min": tour_cost(road, road_tour) / 60,
            }
        )
    table = pd.DataFrame(rows)
    total = table.drop(columns="day").sum().to_frame().T.assign(day="week")
    print(pd.concat([table, total], ignore_index=True).round(1).to_string(index=False))


def bench_extract(name: str, path: Path, args: argparse.Namespace) -> None:
    print(f"\n=== {name}: {path.name} ({path.stat().st_size / 1e6:.1f} MB) ===")
    rng = np.random.default_rng(args.seed)
    r = args.repeat
    graph, load_s = timed(load_road_graph, path, repeat=r)
    print(f"graph: {graph.n_nodes:,} nodes, {graph.n_edges:,} directed edges")
    print(f"build graph from the extract (pyrosm parse + graph): {load_s:.2f} s")
    with tempfile.TemporaryDirectory() as cache:
        _ = OsmProvider(path, cache_dir=cache).graph  # writes the graph cache
        _, cached_s = timed(
            lambda: OsmProvider(path, cache_dir=cache).graph, repeat=10 * r, mean=True
        )
        print(f"graph from the disk cache (incl. hashing the extract), mean: {cached_s:.3f} s")
        warm = OsmProvider(path, graph=graph)
        lat, lon = road_points(warm, args.points, rng)
        model = HaversineProvider()
        _, flat_s = timed(model.matrices, lat, lon, repeat=r)
        road_m, road_s = timed(lambda: OsmProvider(path, graph=graph).matrices(lat, lon), repeat=r)
        OsmProvider(path, cache_dir=cache).matrices(lat, lon)  # fills the matrix cache
        hit_m, hit_s = timed(
            lambda: OsmProvider(path, cache_dir=cache).matrices(lat, lon), repeat=10 * r, mean=True
        )
        assert np.array_equal(road_m.duration_s, hit_m.duration_s)
        assert np.array_equal(road_m.distance_m, hit_m.distance_m)
        n = args.points
        print(
            f"{n} x {n} matrix, best of {r}: haversine {flat_s:.3f} s | road {road_s:.3f} s ",
            end="",
        )
        print(f"(graph loaded) | road cache hit, mean {hit_s:.3f} s (new provider, no graph)")
        asym = (road_m.duration_s != road_m.duration_s.T).mean()
        print(f"asymmetric entries (one-way streets): {asym:.1%}")
        check = travel_check(warm, model, lat, lon)
        print(
            f"road / haversine time ({model.circuity} circuity, {model.speed_kmh:g} km/h): "
            f"median {check.median_ratio:.2f}, p90 {check.p90_ratio:.2f}; road/straight km "
            f"median {check.median_circuity:.2f}; road speed median {check.median_road_kmh:.1f} "
            f"km/h; suggested circuity {check.suggested_circuity:.2f}"
        )
        clients = args.clients if name == "helsinki" else None
        source, visits = visit_points(warm, clients, path)
        print(f"rep-week over {source}: {len(visits)} available")
        rep_week(warm, model, visits, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=Path, default=ROOT / "data" / "demo" / "clients.csv")
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timings: best of N runs")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    for name, path in EXTRACTS.items():
        if path.is_file():
            bench_extract(name, path, args)
        else:
            print(f"\n=== {name}: {path} not found, skipped ===")


if __name__ == "__main__":
    main()
