"""Offline geocoding: address normalisation, matching on the Helsinki extract, the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers.world import DEMO, REPO

from routeplan.cli.main import main
from routeplan.intake import geocode as geocode_module
from routeplan.intake.addresses import parse_address, street_key
from routeplan.intake.geocode import geocode_one, load_index
from routeplan.travel.haversine import haversine_m

HELSINKI = REPO / "data" / "osm" / "helsinki.osm.pbf"


@pytest.mark.parametrize(
    ("typed", "street", "number"),
    [
        ("Cra. 7 # 45-10, Bogotá", "carrera 7", "45-10"),
        ("Kr 7 No. 45 - 10", "carrera 7", "45-10"),
        ("Carrera 7 #45-10", "carrera 7", "45-10"),
        ("Cl. 100 # 15-20", "calle 100", "15-20"),
        ("Cll 100 Nº 15-20", "calle 100", "15-20"),
        ("Av. Jiménez # 4-49", "avenida jimenez", "4-49"),
        ("Avda. Boyacá 12", "avenida boyaca", "12"),
        ("Dg. 40A # 13-25", "diagonal 40a", "13-25"),
        ("Tv. 5 No 12-30", "transversal 5", "12-30"),
        ("R. Oscar Freire, 379 - São Paulo", "rua oscar freire", "379"),
        ("Rua Oscar Freire nº 379", "rua oscar freire", "379"),
        ("Mikonkatu 18, Helsinki", "mikonkatu", "18"),
    ],
)
def test_abbreviations_numbers_and_accents(typed: str, street: str, number: str) -> None:
    parsed = parse_address(typed)
    assert (parsed.street, parsed.number) == (street, number)


def test_street_keys_match_the_osm_spelling() -> None:
    assert street_key("Carrera 7") == street_key("CRA. 7") == street_key("kr 7")
    assert street_key("Avenida Jiménez") == street_key("Av. Jimenez")


@pytest.fixture(scope="module")
def index() -> geocode_module.AddressIndex:
    return load_index(HELSINKI)


def test_real_accounts_come_back_close(index: geocode_module.AddressIndex) -> None:
    clients = pd.read_csv(DEMO / "clients.csv", dtype=str, keep_default_na=False)
    real = clients[(clients["source"] == "osm") & (clients["address"] != "")].iloc[::7]
    matches = [geocode_one(a, index) for a in real["address"]]
    placed = [m.lat is not None for m in matches]
    assert all(placed)
    error = haversine_m(
        real["lat"].astype(float).to_numpy(),
        real["lon"].astype(float).to_numpy(),
        np.array([m.lat for m in matches]),
        np.array([m.lon for m in matches]),
    )
    at_address = np.array([m.quality == "address" for m in matches])
    assert at_address.mean() > 0.75
    assert np.median(error[at_address]) < 30
    assert {m.quality for m in matches} <= {"address", "street", "locality"}


def test_unknown_street_falls_back_and_nonsense_is_none(index) -> None:
    assert geocode_one("Calle que no existe 12, Helsinki", index).quality == "locality"
    nothing = geocode_one("Carrera 7 # 45-10, Bogotá", index)
    assert (nothing.quality, nothing.lat) == ("none", None)
    assert "neither the street nor the locality" in nothing.reason


def _folder_without_coordinates(tmp_path: Path, count: int = 12) -> tuple[Path, pd.DataFrame]:
    folder = tmp_path / "data"
    shutil.copytree(
        DEMO, folder, ignore=shutil.ignore_patterns("*.sqlite*", ".cache", "validation")
    )
    clients = pd.read_csv(folder / "clients.csv", dtype=str, keep_default_na=False)
    chosen = clients.index[(clients["source"] == "osm") & (clients["address"] != "")][:count]
    original = clients.loc[chosen, ["client_id", "lat", "lon"]].copy()
    clients.loc[chosen, ["lat", "lon"]] = ""
    clients.loc[chosen[-1], "address"] = "Carrera 7 # 45-10, Bogotá"  # not in Helsinki
    clients.to_csv(folder / "clients.csv", index=False)
    toml = folder / "routeplan.toml"
    toml.write_text(toml.read_text() + f'\n[geocode]\nosm_file = "{HELSINKI}"\n')
    return folder, original


def test_geocode_command_fills_coordinates_and_caches(tmp_path: Path, monkeypatch) -> None:
    folder, original = _folder_without_coordinates(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["--data", str(folder), "geocode"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Geocoded 12 clients" in result.output and "(0 from the cache)" in result.output
    geocoded = pd.read_csv(folder / "geocoded.csv", dtype=str, keep_default_na=False)
    assert len(geocoded) == 12
    assert geocoded["quality"].iloc[-1] == "none"
    rejects = pd.read_csv(folder / "validation" / "geocode-rejects.csv", dtype=str)
    assert list(rejects["kind"]) == ["not_geocoded"]
    assert rejects["value"].iloc[0] == "Carrera 7 # 45-10, Bogotá"
    # a second run reads only the cache: the extract is never opened
    monkeypatch.setattr(geocode_module, "load_index", lambda *_a: pytest.fail("extract read"))
    again = runner.invoke(main, ["--data", str(folder), "geocode"], catch_exceptions=False)
    assert "(12 from the cache)" in again.output
    # the reader fills the coordinates: the 11 placed clients load, the unplaced one is reported
    result = runner.invoke(main, ["--data", str(folder), "validate"], catch_exceptions=False)
    assert result.exit_code == 1
    rejects = pd.read_csv(folder / "validation" / "rejects-clients.csv", dtype=str)
    assert list(rejects["column"]) == ["lat", "lon"]
    from routeplan.planning.prepare import prepare

    placed = prepare(folder, skip_invalid=True).clients.set_index("client_id")
    found = placed.loc[original["client_id"].iloc[:-1]]
    error = haversine_m(
        original["lat"].iloc[:-1].astype(float).to_numpy(),
        original["lon"].iloc[:-1].astype(float).to_numpy(),
        found["lat"].to_numpy(),
        found["lon"].to_numpy(),
    )
    assert np.median(error) < 100
