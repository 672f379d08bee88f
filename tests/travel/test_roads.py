"""Road graph from OSM extracts, road travel matrices, cache, snapping and leg geometry."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from routeplan.config import Settings, settings_from_dict
from routeplan.errors import InputError, RouteplanError
from routeplan.travel.check import travel_check
from routeplan.travel.haversine import HaversineProvider, haversine_m
from routeplan.travel.osm.contraction import contract_chains
from routeplan.travel.osm.graph import (
    RoadSpeeds,
    edge_directions,
    edge_speeds_kmh,
    load_road_graph,
    parse_maxspeed,
    read_road_graph,
    save_road_graph,
)
from routeplan.travel.osm.matrix import (
    SNAP_ACCESS_KMH,
    OsmProvider,
    provider_from_settings,
    route_legs,
    simplify_path,
)

HELSINKI = Path(__file__).resolve().parents[2] / "data" / "osm" / "helsinki.osm.pbf"
RESIDENTIAL_MS = 25.0 / 3.6


# -- a tiny synthetic extract ------------------------------------------------------------------


def write_extract(path: Path, nodes: dict[int, tuple[float, float]], ways: list) -> Path:
    """Write an .osm.pbf with the given nodes (id -> (lon, lat)) and ways (id, refs, tags)."""
    import osmium

    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    meta: dict[str, Any] = {
        "version": 1,
        "timestamp": stamp,
        "changeset": 1,
        "uid": 1,
        "user": "test",
    }
    writer = osmium.SimpleWriter(str(path))
    try:
        for node_id, (lon, lat) in sorted(nodes.items()):
            writer.add_node(
                osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags={}, **meta)
            )
        for way_id, refs, tags in ways:
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags, **meta))
    finally:
        writer.close()
    return path


def grid_nodes() -> dict[int, tuple[float, float]]:
    """3 × 3 grid, ids 1..9 row by row from the south-west, ~111 m apart."""
    return {
        1 + 3 * row + col: (24.0 + 0.002 * col, 60.0 + 0.001 * row)
        for row in range(3)
        for col in range(3)
    }


@pytest.fixture(scope="module")
def grid_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Grid of two-way residential streets; 1→2 is one-way; an island and a one-way dead end."""
    nodes = grid_nodes() | {20: (24.1, 60.1), 21: (24.101, 60.1), 30: (24.006, 60.0)}
    street = {"highway": "residential"}
    ways = [
        (100, [1, 2], street | {"oneway": "yes"}),
        (101, [2, 3], street),
        (102, [4, 5, 6], street),
        (103, [7, 8, 9], street),
        (104, [1, 4, 7], street),
        (105, [2, 5, 8], street),
        (106, [3, 6, 9], street),
        (107, [20, 21], street),  # island: not connected to the grid
        (108, [3, 30], street | {"oneway": "yes"}),  # dead end: no way back
        (109, [4, 5], {"highway": "footway"}),  # not drivable
    ]
    return write_extract(tmp_path_factory.mktemp("osm") / "grid.osm.pbf", nodes, ways)


@pytest.fixture(scope="module")
def helsinki() -> OsmProvider:
    return OsmProvider(HELSINKI)


def node_points(ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    nodes = grid_nodes()
    return np.array([nodes[i][1] for i in ids]), np.array([nodes[i][0] for i in ids])


def street_m(a: int, b: int) -> float:
    (lat_a, lat_b), (lon_a, lon_b) = node_points([a, b])
    return float(haversine_m(lat_a, lon_a, lat_b, lon_b))


# -- tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "kmh"),
    [
        ("50", 50.0),
        ("30 mph", 30 * 1.609344),
        ("40;60", 40.0),
        ("walk", 6.0),
        ("FI:urban", None),
        ("none", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_maxspeed(tag: object, kmh: float | None) -> None:
    if kmh is None:
        assert parse_maxspeed(tag) is None
    else:
        assert parse_maxspeed(tag) == pytest.approx(kmh)


def test_speeds_from_maxspeed_else_road_class() -> None:
    edges = pd.DataFrame(
        {
            "highway": ["primary", "primary", "residential", "weird_class"],
            "maxspeed": ["50", None, "FI:urban", None],
        }
    )
    speeds = RoadSpeeds(maxspeed_factor=0.8, fallback_kmh=12.0)
    kmh = edge_speeds_kmh(edges, speeds=speeds)
    assert kmh.tolist() == pytest.approx([40.0, 65.0, 25.0, 12.0])


def test_oneway_tags_decide_directions() -> None:
    edges = pd.DataFrame(
        {
            "oneway": ["yes", "-1", None, None, "no", None, "reversible"],
            "junction": [None, None, "roundabout", "roundabout", "roundabout", None, None],
            "highway": ["primary", "primary", "primary", "primary", "primary", "motorway", "road"],
        }
    )
    forward, backward = edge_directions(edges)
    assert forward.tolist() == [True, False, True, True, True, True, True]
    assert backward.tolist() == [False, True, False, False, True, False, True]


# -- graph ---------------------------------------------------------------------------------------


def test_bundled_graph_is_one_strongly_connected_component(helsinki: OsmProvider) -> None:
    graph = helsinki.graph
    assert graph.n_nodes > 1000
    count, _ = connected_components(graph.travel_s, directed=True, connection="strong")
    assert count == 1
    assert (graph.travel_s.data > 0).all()
    # Helsinki centre has one-way streets: some edges have no reverse edge.
    reverse = graph.travel_s.T.tocsr()
    assert (graph.travel_s != 0).sum() > (graph.travel_s.multiply(reverse) != 0).sum()


def test_largest_component_drops_islands_and_dead_ends(grid_file: Path) -> None:
    graph = load_road_graph(grid_file)
    assert sorted(graph.node_id.tolist()) == list(range(1, 10))


def test_graph_round_trips_through_npz(grid_file: Path, tmp_path: Path) -> None:
    graph = load_road_graph(grid_file)
    save_road_graph(graph, tmp_path / "g.npz")
    again = read_road_graph(tmp_path / "g.npz")
    assert np.array_equal(again.node_id, graph.node_id)
    assert (again.travel_s != graph.travel_s).nnz == 0
    assert (again.length_m != graph.length_m).nnz == 0


# -- matrices ------------------------------------------------------------------------------------


def test_one_way_street_makes_the_way_back_longer(grid_file: Path) -> None:
    lat, lon = node_points([1, 2, 4, 5])
    m = OsmProvider(grid_file).matrices(lat, lon)
    # 1 → 2 along the one-way street; 2 → 1 around the block 2 → 5 → 4 → 1.
    assert m.distance_m[0, 1] == round(street_m(1, 2))
    detour = street_m(2, 5) + street_m(5, 4) + street_m(4, 1)
    assert m.distance_m[1, 0] == round(detour)
    assert m.duration_s[0, 1] == round(street_m(1, 2) / RESIDENTIAL_MS)
    assert m.duration_s[1, 0] == round(detour / RESIDENTIAL_MS)
    # two-way streets: same both ways
    assert m.duration_s[2, 3] == m.duration_s[3, 2] == round(street_m(4, 5) / RESIDENTIAL_MS)
    assert m.duration_s[0, 2] == m.duration_s[2, 0]


def test_point_on_a_one_way_street_can_only_drive_on(grid_file: Path) -> None:
    (lat1, lat2), (lon1, lon2) = node_points([1, 2])
    offset = 10.0 / 111_195.0  # 10 m north of the middle of the one-way street 1 → 2
    lat = np.array([lat1, (lat1 + lat2) / 2 + offset, lat2])
    lon = np.array([lon1, (lon1 + lon2) / 2, lon2])
    provider = OsmProvider(grid_file)
    report = provider.snap_report(lat, lon)
    assert report.table["snap_m"].tolist() == pytest.approx([0.0, 10.0, 0.0], abs=0.2)
    m = provider.matrices(lat, lon)
    half = street_m(1, 2) / 2
    access_s = 10.0 / (SNAP_ACCESS_KMH / 3.6)
    assert m.duration_s[0, 1] == round(half / RESIDENTIAL_MS + access_s)
    assert m.duration_s[1, 2] == round(half / RESIDENTIAL_MS + access_s)
    around = street_m(2, 5) + street_m(5, 4) + street_m(4, 1)
    # from the middle back to node 1: on to 2, then around the block
    assert m.duration_s[1, 0] == round((half + around) / RESIDENTIAL_MS + access_s)
    assert m.distance_m[1, 0] == round(half + around + 10.0)


def test_matrix_symmetric_where_every_road_is_two_way(tmp_path: Path) -> None:
    street = {"highway": "residential"}
    ways = [
        (1, [1, 2, 3], street),
        (2, [4, 5, 6], street),
        (3, [7, 8, 9], street),
        (4, [1, 4, 7], street),
        (5, [3, 6, 9], street),
    ]
    extract = write_extract(tmp_path / "twoway.osm.pbf", grid_nodes(), ways)
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(60.0, 60.002, 30), rng.uniform(24.0, 24.004, 30)
    m = OsmProvider(extract).matrices(lat, lon)
    assert np.array_equal(m.duration_s, m.duration_s.T)
    assert np.array_equal(m.distance_m, m.distance_m.T)


def test_bundled_matrix_asymmetric_on_one_way_streets(helsinki: OsmProvider) -> None:
    graph = helsinki.graph
    travel = graph.travel_s.tocoo()
    one_way = [
        (i, j) for i, j in zip(travel.row, travel.col, strict=True) if graph.travel_s[j, i] == 0
    ][:20]
    nodes = np.array([n for pair in one_way for n in pair])
    m = helsinki.matrices(graph.lat[nodes], graph.lon[nodes])
    forward = np.array([m.duration_s[2 * k, 2 * k + 1] for k in range(len(one_way))])
    back = np.array([m.duration_s[2 * k + 1, 2 * k] for k in range(len(one_way))])
    assert (back > forward).all()
    assert np.array_equal(forward, np.rint([graph.travel_s[i, j] for i, j in one_way]))


def check_matrix_invariants(m_duration: np.ndarray) -> None:
    assert (np.diag(m_duration) == 0).all()
    off = ~np.eye(len(m_duration), dtype=bool)
    assert (m_duration[off] > 0).all()
    # triangle inequality (up to the rounding of each entry to whole seconds)
    via = m_duration[:, :, None] + m_duration[None, :, :]  # i→j→k indexed [i, j, k]
    assert (m_duration[:, None, :] <= via + 1).all()


def test_triangle_inequality_on_bundled_extract(helsinki: OsmProvider) -> None:
    west, south, east, north = helsinki.graph.bbox
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(south, north, 80), rng.uniform(west, east, 80)
    check_matrix_invariants(helsinki.matrices(lat, lon).duration_s)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.floats(60.165, 60.178), st.floats(24.936, 24.952)), min_size=2, max_size=25
    )
)
def test_matrix_invariants_hold_for_any_points(
    helsinki: OsmProvider, points: list[tuple[float, float]]
) -> None:
    lat, lon = np.array(points).T
    m = helsinki.matrices(lat, lon)
    assert m.duration_s.dtype == np.int64 and m.distance_m.dtype == np.int64
    same = (lat[:, None] == lat[None, :]) & (lon[:, None] == lon[None, :])
    if not same[~np.eye(len(lat), dtype=bool)].any():
        check_matrix_invariants(m.duration_s)


def test_no_points_and_one_point(helsinki: OsmProvider) -> None:
    assert helsinki.matrices(np.array([]), np.array([])).duration_s.shape == (0, 0)
    one = helsinki.matrices(np.array([60.17]), np.array([24.94]))
    assert one.duration_s.tolist() == [[0]] and one.distance_m.tolist() == [[0]]
    assert helsinki.leg_paths(np.array([60.17]), np.array([24.94]), [0]) == []


def test_cache_hit_gives_identical_matrices_without_the_graph(tmp_path: Path) -> None:
    west, south, east, north = 24.937, 60.165, 24.952, 60.178
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(south, north, 200), rng.uniform(west, east, 200)
    first = OsmProvider(HELSINKI, cache_dir=tmp_path).matrices(lat, lon)
    assert len(list((tmp_path / "matrices").glob("*.npz"))) == 1
    again = OsmProvider(HELSINKI, cache_dir=tmp_path)
    second = again.matrices(lat, lon)
    assert again._graph is None  # answered from the cache: the extract was never parsed
    assert np.array_equal(first.duration_s, second.duration_s)
    assert np.array_equal(first.distance_m, second.distance_m)
    # other points or other speeds are other keys
    OsmProvider(HELSINKI, cache_dir=tmp_path).matrices(lat[:-1], lon[:-1])
    slow = RoadSpeeds(maxspeed_factor=0.5)
    slower = OsmProvider(HELSINKI, cache_dir=tmp_path, speeds=slow).matrices(lat, lon)
    assert len(list((tmp_path / "matrices").glob("*.npz"))) == 3
    assert slower.duration_s.sum() > first.duration_s.sum()


# -- snapping and bad input ----------------------------------------------------------------------


def brute_force_road_distance(graph, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance from each point to every edge of the graph, minimum, in local metres."""
    tail, head = graph.travel_s.nonzero()
    metres_per_deg = np.radians(1.0) * 6_371_008.8
    cos0 = np.cos(np.radians(60.17))

    def xy(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return np.stack([lo * cos0 * metres_per_deg, la * metres_per_deg], axis=-1)

    p = xy(lat, lon)[:, None, :]
    a, b = xy(graph.lat[tail], graph.lon[tail])[None], xy(graph.lat[head], graph.lon[head])[None]
    ab = b - a
    t = np.clip(((p - a) * ab).sum(-1) / (ab * ab).sum(-1), 0, 1)
    return np.linalg.norm(p - (a + t[..., None] * ab), axis=-1).min(axis=1)


def test_snap_report_flags_far_points(
    helsinki: OsmProvider, caplog: pytest.LogCaptureFixture
) -> None:
    graph = helsinki.graph
    west, south, east, north = graph.bbox
    grid_lat, grid_lon = np.meshgrid(np.linspace(south, north, 40), np.linspace(west, east, 40))
    lat, lon = grid_lat.ravel(), grid_lon.ravel()
    brute = brute_force_road_distance(graph, lat, lon)
    report = helsinki.snap_report(lat, lon)
    assert report.table["snap_m"].to_numpy() == pytest.approx(brute, rel=0.01, abs=0.5)
    assert report.table["far"].tolist() == (brute > helsinki.snap_warn_m).tolist()
    far = int(np.argmax(brute))
    assert brute[far] > helsinki.snap_warn_m  # the extract has a park/harbour far from roads
    with caplog.at_level(logging.WARNING, logger="routeplan.travel.osm.matrix"):
        m = helsinki.matrices(lat[[0, far]], lon[[0, far]], labels=["near", "park"])
    assert "park" in caplog.text
    assert m.distance_m[1, 0] >= brute[far]
    assert m.duration_s[1, 0] >= brute[far] / (SNAP_ACCESS_KMH / 3.6)


def test_points_outside_the_extract_are_named(helsinki: OsmProvider) -> None:
    lat = np.array([60.17, 60.25])  # the second is ~8 km north of the extract
    lon = np.array([24.94, 24.94])
    with pytest.raises(InputError, match=r"point C2 .* outside the area") as info:
        helsinki.matrices(lat, lon, labels=["C1", "C2"])
    assert len(info.value.problems) == 1
    assert "geofabrik" in (info.value.hint or "")


def test_missing_extract_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="OSM extract not found"):
        load_road_graph(tmp_path / "nowhere.osm.pbf")
    missing = OsmProvider(tmp_path / "nowhere.osm.pbf", cache_dir=tmp_path)
    with pytest.raises(InputError, match="OSM extract not found"):
        missing.matrices(np.array([60.0]), np.array([24.0]))


def test_corrupt_extract_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"this is not protobuf" * 50)
    with pytest.raises(InputError, match="not a readable OSM PBF file") as info:
        load_road_graph(bad)
    assert info.value.file == str(bad)


def test_extract_without_drivable_roads_is_a_clear_error(tmp_path: Path) -> None:
    nodes = grid_nodes()
    extract = write_extract(
        tmp_path / "paths.osm.pbf", nodes, [(1, [1, 2, 3], {"highway": "footway"})]
    )
    with pytest.raises(RouteplanError, match="no drivable roads"):
        load_road_graph(extract)


# -- geometry ------------------------------------------------------------------------------------


def test_leg_paths_follow_the_roads(grid_file: Path) -> None:
    provider = OsmProvider(grid_file)
    lat, lon = node_points([1, 2, 9])
    legs = provider.leg_paths(lat, lon, [0, 1, 0], tolerance_m=0)
    assert len(legs) == 2
    # 2 → 1 cannot take the one-way street: it goes around the block through 5 and 4
    back = legs[1]
    expected = node_points([2, 5, 4, 1])
    assert [p for p in back] == list(zip(*expected, strict=True))
    assert legs[0][0] == (lat[0], lon[0]) and legs[0][-1] == (lat[1], lon[1])


def test_leg_paths_on_bundled_extract_match_matrix_distance(helsinki: OsmProvider) -> None:
    rng = np.random.default_rng(5)
    nodes = rng.choice(helsinki.graph.n_nodes, 6, replace=False)
    lat, lon = helsinki.graph.lat[nodes], helsinki.graph.lon[nodes]
    order = [0, 1, 2, 3, 4, 5, 0]
    exact = helsinki.leg_paths(lat, lon, order, tolerance_m=0)
    simple = helsinki.leg_paths(lat, lon, order)
    m = helsinki.matrices(lat, lon)
    for k, (path, short) in enumerate(zip(exact, simple, strict=True)):
        p = np.array(path)
        length = haversine_m(p[:-1, 0], p[:-1, 1], p[1:, 0], p[1:, 1]).sum()
        assert length == pytest.approx(m.distance_m[order[k], order[k + 1]], rel=0.01, abs=2)
        assert 2 <= len(short) <= len(path)


def test_simplify_drops_collinear_points_and_keeps_ends() -> None:
    line = [(60.0, 24.0 + 0.0001 * i) for i in range(20)] + [(60.001, 24.0019)]
    out = simplify_path(line, tolerance_m=1.0)
    assert out == [line[0], line[-2], line[-1]]


def test_haversine_mode_keeps_straight_legs() -> None:
    lat, lon = np.array([60.0, 60.01, 60.02]), np.array([24.0, 24.01, 24.0])
    legs = route_legs(HaversineProvider(), lat, lon, [0, 2, 1])
    assert legs == [[(60.0, 24.0), (60.02, 24.0)], [(60.02, 24.0), (60.01, 24.01)]]


# -- settings, check, CLI ------------------------------------------------------------------------


def test_provider_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(provider_from_settings(Settings()), HaversineProvider)
    osm = settings_from_dict({"travel": {"mode": "osm", "osm_file": "helsinki.osm.pbf"}})
    provider = provider_from_settings(osm, base_dir=HELSINKI.parent, cache_dir=tmp_path)
    assert isinstance(provider, OsmProvider) and provider.osm_file == HELSINKI
    with pytest.raises(InputError, match=r"needs travel\.osm_file"):
        provider_from_settings(settings_from_dict({"travel": {"mode": "osm"}}))
    with pytest.raises(InputError, match="not found"):
        provider_from_settings(osm, base_dir=tmp_path)
    # a path relative to the working directory (as the demo's routeplan.toml writes it)
    from_root = settings_from_dict(
        {"travel": {"mode": "osm", "osm_file": "data/osm/helsinki.osm.pbf"}}
    )
    monkeypatch.chdir(HELSINKI.parents[2])
    provider = provider_from_settings(from_root, base_dir=tmp_path)
    assert isinstance(provider, OsmProvider) and provider.osm_file is not None
    assert provider.osm_file.resolve() == HELSINKI


def test_travel_check_suggests_a_circuity_that_matches_roads(helsinki: OsmProvider) -> None:
    rng = np.random.default_rng(11)
    lat = np.append(rng.uniform(60.166, 60.177, 60), 60.3)  # the last is far outside
    lon = np.append(rng.uniform(24.938, 24.951, 60), 24.9)
    model = HaversineProvider(speed_kmh=30.0, circuity=1.35)
    result = travel_check(helsinki, model, lat, lon)
    assert (result.points, result.skipped) == (60, 1)
    assert result.pairs > 3000
    assert 1.0 < result.median_ratio <= result.p90_ratio
    tuned = HaversineProvider(speed_kmh=30.0, circuity=result.suggested_circuity)
    again = travel_check(helsinki, tuned, lat, lon)
    assert again.median_ratio == pytest.approx(1.0, abs=0.02)
    sampled = travel_check(helsinki, model, lat, lon, max_points=20, seed=1)
    assert (sampled.points, sampled.skipped) == (20, 1)
    assert 0 < sampled.pairs <= 20 * 19


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_travel_check_command_reads_inputs_like_build(tmp_path: Path, suffix: str) -> None:
    """`travel check` reads clients and reps through io: an XLSX data folder works too."""
    from helpers.world import tiny_clients, write_world

    from routeplan.cli.main import main

    rng = np.random.default_rng(2)
    clients = tiny_clients().assign(
        lat=rng.uniform(60.166, 60.177, 40), lon=rng.uniform(24.938, 24.951, 40)
    )
    world = write_world(tmp_path / "world", clients=clients)
    if suffix == ".xlsx":
        for name in ("clients", "reps"):
            table = pd.read_csv(world / f"{name}.csv", dtype=str, keep_default_na=False)
            table.to_excel(world / f"{name}.xlsx", index=False)
            (world / f"{name}.csv").unlink()
    with (world / "routeplan.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[travel]\nosm_file = "{HELSINKI}"\n')
    result = CliRunner().invoke(main, ["--data", str(world), "travel", "check"])
    assert result.exit_code == 0, result.output
    assert "road / haversine time, median" in result.output
    assert "points compared                          40" in result.output
    assert (world / ".cache" / "travel").is_dir()


# -- chain contraction ---------------------------------------------------------------------------


def random_street_graph(seed: int, n: int = 60) -> csr_matrix:
    """Streets as chains of nodes between random junctions, some one-way."""
    rng = np.random.default_rng(seed)
    tails, heads = [], []
    next_node = 10  # nodes 0..9 are junctions
    for _ in range(25):
        a, b = rng.choice(10, 2, replace=False)
        inner = list(range(next_node, next_node + int(rng.integers(0, 4))))
        next_node += len(inner)
        chain = [a, *inner, b]
        two_way = rng.random() < 0.7
        for u, v in itertools.pairwise(chain):
            tails.append(u)
            heads.append(v)
            if two_way:
                tails.append(v)
                heads.append(u)
    weights = rng.integers(1, 50, len(tails)).astype(float)
    size = max(next_node, n)
    graph = csr_matrix((weights, (tails, heads)), shape=(size, size))
    graph.sum_duplicates()
    graph.setdiag(0)
    graph.eliminate_zeros()
    return graph


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8))
def test_contraction_keeps_shortest_paths(seed: int, n_keep: int) -> None:
    graph = random_street_graph(seed)
    keep = np.random.default_rng(seed).choice(graph.shape[0], n_keep, replace=False)
    small, kept = contract_chains(graph, keep)
    assert set(keep.tolist()) <= set(kept.tolist())
    assert small.shape[0] <= graph.shape[0]
    full = dijkstra(graph, directed=True, indices=keep)[:, keep]
    position = np.searchsorted(kept, keep)
    short = dijkstra(small, directed=True, indices=position)[:, position]
    assert np.array_equal(full, short)


def test_contraction_shrinks_the_bundled_graph_without_changing_times(
    helsinki: OsmProvider,
) -> None:
    weights = helsinki._packed
    rng = np.random.default_rng(4)
    keep = np.unique(rng.choice(helsinki.graph.n_nodes, 100, replace=False))
    small, kept = contract_chains(weights, keep)
    assert small.shape[0] < 0.5 * helsinki.graph.n_nodes
    full = dijkstra(weights, directed=True, indices=keep)[:, keep]
    position = np.searchsorted(kept, keep)
    assert np.array_equal(full, dijkstra(small, directed=True, indices=position)[:, position])


def test_cache_hit_still_warns_about_far_points(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    provider = OsmProvider(HELSINKI, cache_dir=tmp_path, snap_warn_m=50.0)
    lat, lon = np.array([60.17, 60.1745]), np.array([24.94, 24.9515])
    far = provider.snap_report(lat, lon).table["snap_m"].to_numpy() > 50.0
    assert far.tolist() == [False, True]
    with caplog.at_level(logging.WARNING, logger="routeplan.travel.osm.matrix"):
        first = provider.matrices(lat, lon, labels=["near", "far"])
        assert "farthest: far" in caplog.text
        caplog.clear()
        again = OsmProvider(HELSINKI, cache_dir=tmp_path, snap_warn_m=50.0)
        second = again.matrices(lat, lon, labels=["near", "far"])
        assert again._graph is None
        assert "farthest: far" in caplog.text
    assert np.array_equal(first.duration_s, second.duration_s)
