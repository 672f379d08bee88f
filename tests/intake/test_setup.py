"""Each setup check: triggered on a world made to fail it, with its message and fix."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import shapely
from helpers.world import write_world

from routeplan.config import settings_from_dict
from routeplan.intake.setup import SetupInputs, setup_checks, setup_table
from routeplan.planning.prepare import prepare


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> SetupInputs:
    folder = write_world(Path(tmp_path_factory.mktemp("setup")) / "data")
    prepared = prepare(folder)
    return SetupInputs(prepared.clients, prepared.reps, prepared.zones, prepared.settings)


def codes(inputs: SetupInputs) -> dict[str, object]:
    return {w.code: w for w in setup_checks(inputs)}


def test_the_tiny_world_passes_every_check(base: SetupInputs) -> None:
    assert codes(base) == {}


def test_rep_with_no_clients(base: SetupInputs) -> None:
    extra = base.reps.iloc[[0]].assign(rep_id="R3", name="Sin cartera")
    found = codes(replace(base, reps=pd.concat([base.reps, extra], ignore_index=True)))
    warning = found["rep_no_clients"]
    assert warning.message == "1 rep has no clients: R3"
    assert "zones balance" in warning.fix


def test_rep_home_outside_zone(base: SetupInputs) -> None:
    reps = base.reps.copy()
    reps.loc[0, "home_lat"] = 60.40  # zone Z1 ends at 60.25: about 16.7 km north
    warning = codes(replace(base, reps=reps))["home_outside_zone"]
    assert warning.message.startswith("1 rep lives outside their zone: R1 (home 16.")
    assert warning.items[0][0] == "R1"


def test_unbalanced_zone_workload(base: SetupInputs) -> None:
    clients = base.clients.copy()
    clients.loc[clients.index[:8], ["zone", "rep_id"]] = ["Z1", "R1"]
    warning = codes(replace(base, clients=clients))["zone_workload"]
    assert "2 zones' weekly workload is more than 15 % from the mean" in warning.message
    assert warning.fix == "run 'routeplan zones balance'"


def test_client_hours_never_overlap_the_rep_day(base: SetupInputs) -> None:
    clients = base.clients.copy()
    clients.loc[clients.index[1], ["opens", "closes"]] = ["18:00", "23:00"]
    warning = codes(replace(base, clients=clients))["hours_never_overlap"]
    client = clients["client_id"].iloc[1]
    assert warning.message.startswith("1 client can never be visited")
    assert f"{client}: open 18:00-23:00, rep R" in warning.message


def test_week_cut_by_holidays(base: SetupInputs) -> None:
    monday = base.settings.cycle.week_start(2)
    holidays = [monday + dt.timedelta(days=i) for i in range(3)]
    settings = settings_from_dict(
        {"cycle": {"weeks": 4, "start_date": base.settings.cycle.start_date, "holidays": holidays}}
    )
    warning = codes(replace(base, settings=settings))["short_weeks"]
    assert warning.message == (
        "1 week of the cycle has fewer than 3 workdays after holidays: week 2"
    )
    assert warning.items == [("2", f"2 workdays from {monday.isoformat()}")]


def test_overlapping_zones(base: SetupInputs) -> None:
    zones = base.zones.copy()
    zones.loc[1, "geometry"] = shapely.box(24.88, 60.15, 25.0, 60.25)  # 0.02° into Z1
    warning = codes(replace(base, zones=zones))["zones_overlap"]
    assert warning.message.startswith("1 pair of zones overlaps: Z1/Z2 (")
    assert "clients in both zones" in warning.message


def test_zone_with_no_clients(base: SetupInputs) -> None:
    clients = base.clients[base.clients["zone"] == "Z1"]
    found = codes(replace(base, clients=clients))
    assert found["zone_no_clients"].message == "1 zone has no clients: Z2"
    assert found["rep_no_clients"].message == "1 rep has no clients: R2"


def test_setup_table_lists_every_item(base: SetupInputs) -> None:
    clients = base.clients[base.clients["zone"] == "Z1"]
    table = setup_table(setup_checks(replace(base, clients=clients)))
    assert {"rep_no_clients", "zone_no_clients"} <= set(table["check"])
    assert list(table.columns) == ["check", "subject", "detail", "message", "fix"]
