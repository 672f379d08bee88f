"""Every kind of bad input gets one clear error naming file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers.world import ZONES, tiny_clients, tiny_reps, write_world

from routeplan.config import Settings
from routeplan.errors import InputError
from routeplan.io.readers import load_inputs


def load(folder: Path, **kwargs: object):
    return load_inputs(folder, Settings(), **kwargs)


def broken_clients(tmp_path: Path, row: int, column: str, value: object) -> Path:
    clients = tiny_clients()
    clients[column] = clients[column].astype(object)
    clients.loc[row, column] = value
    return write_world(tmp_path / "data", clients=clients)


def test_valid_world_loads(world: Path) -> None:
    inputs = load(world)
    assert len(inputs.clients) == 40
    assert list(inputs.zones["rep_id"]) == ["R1", "R2"]
    assert inputs.rejects == {}


def test_missing_column_is_named(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data", clients=tiny_clients().drop(columns=["revenue"]))
    with pytest.raises(InputError, match=r"clients\.csv.*column 'revenue'.*missing") as info:
        load(folder)
    assert info.value.column == "revenue"
    assert info.value.row is None


def test_duplicate_ids(tmp_path: Path) -> None:
    folder = broken_clients(tmp_path, 5, "client_id", "C000")
    with pytest.raises(
        InputError,
        match=r"clients\.csv, row 7, column 'client_id': duplicate id 'C000' \(first on row 2\)",
    ):
        load(folder)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("lat", "", "is empty"),
        ("lat", "95", "95 is above the maximum 90"),
        ("lon", "-181", "-181 is below the minimum -180"),
        ("lat", "sixty", "'sixty' is not a number"),
    ],
)
def test_missing_or_out_of_range_coordinates(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    folder = broken_clients(tmp_path, 3, column, value)
    with pytest.raises(
        InputError, match=rf"clients\.csv, row 5, column '{column}': {message}"
    ) as info:
        load(folder)
    assert (info.value.row, info.value.column) == (5, column)


def test_zero_zero_coordinates_are_flagged(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients.loc[0, ["lat", "lon"]] = [0.0, 0.0]
    folder = write_world(tmp_path / "data", clients=clients)
    with pytest.raises(InputError, match=r"row 2, column 'lat': coordinates are 0,0"):
        load(folder)


@pytest.mark.parametrize(
    ("value", "message"), [("lots", "not a number"), ("-5", "below the minimum 0")]
)
def test_bad_revenue(tmp_path: Path, value: str, message: str) -> None:
    folder = broken_clients(tmp_path, 0, "revenue", value)
    with pytest.raises(InputError, match=rf"row 2, column 'revenue': .*{message}"):
        load(folder)


def test_margin_outside_0_1(tmp_path: Path) -> None:
    folder = broken_clients(tmp_path, 9, "margin", "35")
    with pytest.raises(InputError, match=r"row 11, column 'margin': 35 is above the maximum 1"):
        load(folder)


def test_unknown_zone_of_client(tmp_path: Path) -> None:
    folder = broken_clients(tmp_path, 2, "zone", "Z9")
    with pytest.raises(InputError, match=r"clients\.csv, row 4, column 'zone': unknown zone 'Z9'"):
        load(folder)


def test_unknown_zone_of_rep(tmp_path: Path) -> None:
    reps = tiny_reps()
    reps.loc[1, "zone"] = "Z7"
    folder = write_world(tmp_path / "data", reps=reps)
    with pytest.raises(InputError, match=r"reps\.csv, row 3, column 'zone': unknown zone 'Z7'"):
        load(folder)


def test_malformed_time(tmp_path: Path) -> None:
    folder = broken_clients(tmp_path, 1, "opens", "8:3x")
    with pytest.raises(InputError, match=r"row 3, column 'opens': '8:3x' is not a time HH:MM"):
        load(folder)


def test_closing_before_opening(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients.loc[1, ["opens", "closes"]] = ["17:00", "09:00"]
    folder = write_world(tmp_path / "data", clients=clients)
    with pytest.raises(
        InputError, match=r"row 3, column 'closes': closes 09:00 is not after opens 17:00"
    ):
        load(folder)


def test_zone_with_no_rep(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data", reps=tiny_reps().iloc[:1])
    with pytest.raises(
        InputError, match=r"zones\.geojson, row 2, column 'zone': zone 'Z2' has no rep"
    ):
        load(folder)


def test_unknown_tier_override(tmp_path: Path) -> None:
    folder = broken_clients(tmp_path, 4, "tier", "Platinum")
    with pytest.raises(InputError, match=r"row 6, column 'tier': unknown tier 'Platinum'"):
        load(folder)


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients["margin"] = clients["margin"].astype(object)
    clients.loc[[0, 1, 2], "margin"] = "2"
    folder = write_world(tmp_path / "data", clients=clients)
    with pytest.raises(InputError, match=r"and 2 more problem") as info:
        load(folder)
    assert [p.row for p in info.value.problems] == [2, 3, 4]


def test_skip_invalid_keeps_good_rows_and_reports_rejects(tmp_path: Path) -> None:
    clients = tiny_clients()
    clients["margin"] = clients["margin"].astype(object)
    clients["lat"] = clients["lat"].astype(object)
    clients.loc[0, "margin"] = "2"
    clients.loc[3, "lat"] = ""
    folder = write_world(tmp_path / "data", clients=clients)
    inputs = load(folder, skip_invalid=True)
    assert len(inputs.clients) == 38
    rejects = inputs.rejects["clients"]
    assert list(rejects["file_row"]) == [2, 5]
    assert "margin" in rejects["reject_reason"].iloc[0]
    assert "lat: is empty" in rejects["reject_reason"].iloc[1]


def test_xlsx_clients_are_read(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    pd.read_csv(folder / "clients.csv", dtype=str, keep_default_na=False).to_excel(
        folder / "clients.xlsx", index=False
    )
    (folder / "clients.csv").unlink()
    inputs = load(folder)
    assert len(inputs.clients) == 40


def test_geopackage_zones_are_read(tmp_path: Path) -> None:
    import geopandas as gpd

    folder = write_world(tmp_path / "data")
    gpd.read_file(folder / "zones.geojson").to_file(folder / "zones.gpkg", driver="GPKG")
    (folder / "zones.geojson").unlink()
    assert list(load(folder).zones["zone"]) == ["Z1", "Z2"]


def test_zone_that_is_not_a_polygon(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    bad = json.loads(json.dumps(ZONES))
    bad["features"][1]["geometry"] = {"type": "Point", "coordinates": [24.9, 60.2]}
    (folder / "zones.geojson").write_text(json.dumps(bad))
    with pytest.raises(
        InputError, match=r"zones\.geojson, row 2, column 'geometry': zone is a Point"
    ):
        load(folder)


def test_missing_file(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data")
    (folder / "reps.csv").unlink()
    with pytest.raises(InputError, match=r"reps\.csv: file not found"):
        load(folder)
