"""The bundled demo data set: present, well-formed, consistent, and reproducible."""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from routeplan.config import load_settings
from routeplan.io.readers import CLIENT_COLUMNS, REP_COLUMNS

pytestmark = pytest.mark.slow  # end to end on the demo data

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
OSM = REPO / "data" / "osm" / "helsinki.osm.pbf"
SCRIPT = REPO / "scripts" / "make_demo_data.py"

CLIENT_CONTRACT = [column.name for column in CLIENT_COLUMNS]
REP_CONTRACT = [column.name for column in REP_COLUMNS]
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_demo_data"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _script()


@pytest.fixture(scope="module")
def clients() -> pd.DataFrame:
    return pd.read_csv(DEMO / "clients.csv", dtype={"client_id": str, "osm_id": str})


@pytest.fixture(scope="module")
def reps() -> pd.DataFrame:
    return pd.read_csv(DEMO / "reps.csv", dtype={"rep_id": str, "zone": str})


@pytest.fixture(scope="module")
def zones() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO / "zones.geojson")


@pytest.fixture(scope="module")
def membership(clients: pd.DataFrame, zones: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean matrix (zone, client): client strictly inside zone."""
    points = shapely.points(clients["lon"].to_numpy(), clients["lat"].to_numpy())
    return np.array([shapely.contains(poly, points) for poly in zones.geometry])


def test_bundled_files_exist_and_osm_extract_is_in_repo() -> None:
    for name in ("clients.csv", "reps.csv", "zones.geojson", "routeplan.toml"):
        assert (DEMO / name).is_file(), name
    assert OSM.is_file()
    assert b"OSMHeader" in OSM.read_bytes()[:32]  # a PBF file starts with its header blob
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert "© OpenStreetMap contributors, ODbL 1.0" in readme


def test_routeplan_toml_is_valid_and_matches_the_demo() -> None:
    settings = load_settings(DEMO / "routeplan.toml")
    assert settings.cycle.weeks == 12
    assert settings.cycle.start_date.year == 2027
    assert settings.cycle.start_date.weekday() == 0
    assert settings.tiers.rule == "shares"
    assert settings.cadence["AAA"].visits_per_week == 2
    assert settings.cadence["AAA"].min_gap_days == 2
    assert settings.cadence["A"].every_weeks == 4
    assert settings.cadence["B"].every_weeks == 12
    assert settings.travel.mode == "haversine"
    assert settings.solver.seconds_per_rep_week == 2.0


def test_clients_follow_the_contract(clients: pd.DataFrame) -> None:
    # the contract's columns come first, in order; optional ones the demo leaves out (lifecycle,
    # phone …) may be missing, required ones may not
    carried = [c for c in CLIENT_CONTRACT if c in clients.columns]
    assert list(clients.columns[: len(carried)]) == carried
    required = [column.name for column in CLIENT_COLUMNS if column.required]
    assert set(required) <= set(carried)
    assert {"orders_per_year", "potential", "opens", "closes", "service_min"} <= set(carried)
    assert 1400 <= len(clients) <= 1600
    assert clients["client_id"].is_unique
    assert clients["client_id"].str.fullmatch(r"C\d{4}").all()
    assert clients["name"].notna().all()
    assert clients["lat"].between(60.13, 60.36).all()
    assert clients["lon"].between(24.60, 25.25).all()
    assert (clients["revenue"] >= 0).all()
    assert clients["margin"].between(0.05, 0.60).all()
    assert pd.api.types.is_integer_dtype(clients["orders_per_year"])
    assert (clients["orders_per_year"] >= 1).all()
    assert (clients["potential"] >= clients["revenue"]).all()
    for column in ("tier", "zone", "service_min"):
        assert clients[column].isna().all(), column


def test_opening_hours_are_hhmm_windows(clients: pd.DataFrame) -> None:
    hours = clients[["opens", "closes"]]
    both_or_neither = hours["opens"].isna() == hours["closes"].isna()
    assert both_or_neither.all()
    given = hours.dropna()
    assert len(given) > 0.8 * len(clients)
    assert given["opens"].str.match(HHMM).all()
    assert given["closes"].str.match(HHMM).all()
    assert (given["opens"] < given["closes"]).all()


def test_real_pois_lie_in_the_osm_extract(clients: pd.DataFrame) -> None:
    osmium = pytest.importorskip("osmium")
    reader = osmium.io.Reader(str(OSM), osmium.osm.osm_entity_bits.NOTHING)
    box = reader.header().box()
    reader.close()
    real = clients[clients["source"] == "osm"]
    assert len(real) > 900
    assert real["osm_id"].str.fullmatch(r"(node|way|relation)/\d+").all()
    assert real["osm_id"].is_unique
    assert real["lon"].between(box.bottom_left.lon, box.top_right.lon).all()
    assert real["lat"].between(box.bottom_left.lat, box.top_right.lat).all()
    synthetic = clients[clients["source"] == "synthetic"]
    assert len(real) + len(synthetic) == len(clients)
    inside_box = synthetic["lon"].between(box.bottom_left.lon, box.top_right.lon) & synthetic[
        "lat"
    ].between(box.bottom_left.lat, box.top_right.lat)
    assert not inside_box.any()


def test_synthetic_accounts_are_on_land(clients: pd.DataFrame, gen: ModuleType) -> None:
    synthetic = clients[clients["source"] == "synthetic"]
    points = shapely.points(synthetic["lon"].to_numpy(), synthetic["lat"].to_numpy())
    assert shapely.contains(gen.LAND, points).all()


def test_revenue_is_heavy_tailed(clients: pd.DataFrame) -> None:
    revenue = np.sort(clients["revenue"].to_numpy())[::-1]
    total = revenue.sum()
    top1 = revenue[: len(revenue) // 100].sum() / total
    top20 = revenue[: len(revenue) // 5].sum() / total
    assert top1 > 0.10
    assert top20 > 0.50
    development = clients["potential"] >= 3 * clients["revenue"]
    assert 0.03 <= development.mean() <= 0.07


def test_every_client_is_inside_exactly_one_zone(membership: np.ndarray) -> None:
    assert (membership.sum(axis=0) == 1).all()


def test_zones_are_six_non_overlapping_polygons(zones: gpd.GeoDataFrame) -> None:
    assert sorted(zones["zone"]) == [f"Z{i}" for i in range(1, 7)]
    assert sorted(zones["rep_id"]) == [f"R{i}" for i in range(1, 7)]
    assert zones.crs is not None and zones.crs.to_epsg() == 4326
    assert zones.geometry.is_valid.all()
    assert set(zones.geom_type) <= {"Polygon", "MultiPolygon"}
    for a, b in itertools.combinations(zones.geometry, 2):
        assert a.intersection(b).area < 1e-12


def test_zones_cover_the_land_without_gaps(zones: gpd.GeoDataFrame, gen: ModuleType) -> None:
    union = shapely.union_all(zones.geometry.to_numpy())
    assert union.symmetric_difference(gen.LAND).area < 1e-6 * gen.LAND.area


def test_zone_workloads_are_balanced(
    clients: pd.DataFrame, zones: gpd.GeoDataFrame, membership: np.ndarray, gen: ModuleType
) -> None:
    workload = gen.workload_minutes(clients)
    per_zone = membership @ workload
    assert per_zone.max() / per_zone.min() < 1.2
    counts = membership.sum(axis=1)
    assert counts.min() >= 100


def test_six_reps_one_per_zone_living_inside_it(
    reps: pd.DataFrame, zones: gpd.GeoDataFrame
) -> None:
    assert list(reps.columns) == REP_CONTRACT
    assert len(reps) == 6
    assert reps["rep_id"].is_unique
    assert sorted(reps["zone"]) == sorted(zones["zone"])
    by_zone = zones.set_index("zone")
    for rep in reps.itertuples():
        assert by_zone.loc[rep.zone, "rep_id"] == rep.rep_id
        home = shapely.Point(rep.home_lon, rep.home_lat)
        assert by_zone.loc[rep.zone, "geometry"].contains(home), rep.rep_id
    assert (reps["workdays"] == "Mon Tue Wed Thu Fri").all()
    for column in ("day_start", "day_end", "lunch_start"):
        assert reps[column].str.match(HHMM).all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mo-Fr 09:00-18:00; Sa 10:00-16:00", ("09:00", "18:00")),
        ("Mo-Fr 7:00-18:00; Sa 10:00-16:00", ("07:00", "18:00")),
        ("Mo-Th 10:30-22:00; Fr 10:30-24:00; Sa 11:00-24:00", ("10:30", "22:00")),
        ("Mo,Tu 10:00-20:00; We,Th 11:00-20:00; Fr 11:00-21:30; PH off", ("11:00", "20:00")),
        ("Mo 12:00-01:00; Tu-Th 12:00-02:00; Fr-Sa 12:00-04:30", ("12:00", "23:59")),
        ("Mo-Fr 09:00-21:00, Sa 09:00-19:00, Su 11:00-18:00", ("09:00", "21:00")),
        ("24/7", ("00:00", "23:59")),
        ("10:30-18:00", ("10:30", "18:00")),
        ("Mo-su 09:00-19:00", ("09:00", "19:00")),
        ("Sa-Su 10:00-16:00", None),
        ("closed", None),
        ("Mon - Fri 11am - 11pm", None),
        (None, None),
    ],
)
def test_parse_weekday_hours(gen: ModuleType, value: str | None, expected: object) -> None:
    assert gen.parse_weekday_hours(value) == expected


def test_synthetic_generation_is_seeded(gen: ModuleType) -> None:
    box = (24.935, 60.164, 24.954, 60.180)
    first = gen.synthetic_accounts(np.random.default_rng(3), 200, extract_box=box)
    again = gen.synthetic_accounts(np.random.default_rng(3), 200, extract_box=box)
    other = gen.synthetic_accounts(np.random.default_rng(4), 200, extract_box=box)
    pd.testing.assert_frame_equal(first, again)
    assert not first[["lat", "lon"]].equals(other[["lat", "lon"]])
    points = shapely.points(first["lon"].to_numpy(), first["lat"].to_numpy())
    assert shapely.contains(gen.LAND, points).all()
    assert first["name"].is_unique


@pytest.mark.slow
def test_script_regenerates_identical_files(tmp_path: Path, gen: ModuleType) -> None:
    pytest.importorskip("pyrosm")
    gen.main(["--seed", "7", "--out", str(tmp_path)])
    for name in ("clients.csv", "reps.csv"):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
    # zone shapes come from GEOS (Voronoi, overlay): compare geometry, not bytes
    fresh = gpd.read_file(tmp_path / "zones.geojson").set_index("zone")
    bundled = gpd.read_file(DEMO / "zones.geojson").set_index("zone")
    assert list(fresh.index) == list(bundled.index)
    for zone in bundled.index:
        a, b = fresh.loc[zone, "geometry"], bundled.loc[zone, "geometry"]
        assert a.symmetric_difference(b).area < 1e-9 * b.area, zone
