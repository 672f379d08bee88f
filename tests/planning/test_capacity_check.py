"""The pre-routing capacity check and its travel estimate calibrated on routed weeks."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from routeplan.config import Settings
from routeplan.planning.capacity_check import (
    TRAVEL_FACTOR_COLUMN,
    capacity_warnings,
    factor_of,
    over_capacity,
    travel_factors,
    with_travel_factors,
)
from routeplan.territory.workload import client_workload


def test_routed_weeks_pull_the_estimate_towards_what_was_driven() -> None:
    calendar = pd.DataFrame({"client_id": ["C1", "C2"], "week": [1, 1], "travel_min": [10.0, 10.0]})
    plan = SimpleNamespace(
        routes=pd.DataFrame({"rep_id": ["R1", "R1"], "client_id": ["C1", "C2"]}),
        days=pd.DataFrame({"rep_id": ["R1"], "travel_min": [40.0]}),
    )
    # one rep: its own factor is the pooled one, routed 40 over estimated 20
    assert travel_factors([plan], calendar) == {"*": 2.0, "R1": 2.0}  # type: ignore[list-item]
    assert travel_factors([], calendar) == {}


def test_each_rep_is_shrunk_towards_the_pooled_factor() -> None:
    calendar = pd.DataFrame(
        {"client_id": ["C1", "C2", "C3"], "week": 1, "travel_min": [10.0, 10.0, 20.0]}
    )
    plan = SimpleNamespace(
        routes=pd.DataFrame({"rep_id": ["R1", "R1", "R2"], "client_id": ["C1", "C2", "C3"]}),
        days=pd.DataFrame({"rep_id": ["R1", "R2"], "travel_min": [60.0, 20.0]}),
    )
    factors = travel_factors([plan], calendar)  # type: ignore[list-item]
    # pooled (60 + 20) / (20 + 20) = 2; R1 (60 + 20·2) / (20 + 20); R2 (20 + 20·2) / (20 + 20)
    assert factors == {"*": 2.0, "R1": 2.5, "R2": 1.5}
    assert factor_of(factors, "R9") == 2.0 and factor_of({}, "R1") == 1.0


def test_rep_week_over_capacity_is_reported_before_routing() -> None:
    reps = pd.DataFrame([{"rep_id": "R1", "home_lat": 60.0, "home_lon": 25.0}])
    prepared = SimpleNamespace(reps=reps, settings=Settings())
    # five workdays of 510 available minutes: 2550 minutes
    due = pd.DataFrame({"rep_id": ["R1"] * 50, "service_min": 40.0, "travel_min": 10.0})
    assert over_capacity(prepared, due, week=2, factors={}).empty  # type: ignore[arg-type]
    over = over_capacity(prepared, due, week=2, factors={"R1": 1.6})  # type: ignore[arg-type]
    assert over.to_dict("records") == [
        {"rep_id": "R1", "need_min": 2800, "capacity_min": 2550, "travel_factor": 1.6}
    ]
    (line,) = capacity_warnings(over, week=2)
    assert "rep R1, week 2" in line and "x1.60" in line


def test_clients_take_their_areas_factor_and_the_workload_uses_it() -> None:
    calendar = pd.DataFrame(
        {"client_id": ["C1", "C2", "C3"], "week": 1, "travel_min": [10.0, 10.0, 20.0]}
    )
    plan = SimpleNamespace(
        routes=pd.DataFrame({"rep_id": ["R1", "R1", "R2"], "client_id": ["C1", "C2", "C3"]}),
        days=pd.DataFrame({"rep_id": ["R1", "R2"], "travel_min": [60.0, 20.0]}),
    )
    store = SimpleNamespace(
        load_calendar=lambda: calendar, saved_weeks=lambda: [1], load_week_plan=lambda w: plan
    )
    clients = pd.DataFrame(
        {
            "client_id": ["C1", "C3", "C9"],
            "rep_id": ["R1", "R2", "R9"],
            "lat": [60.17, 60.18, 60.19],
            "lon": [24.94, 24.95, 24.96],
            "revenue": 1000.0,
            "tier": "A",
        }
    )
    out = with_travel_factors(clients, store)  # type: ignore[arg-type]
    assert out[TRAVEL_FACTOR_COLUMN].tolist() == [2.5, 1.5, 2.0]  # R9: the pooled factor
    assert with_travel_factors(clients, None)[TRAVEL_FACTOR_COLUMN].tolist() == [1.0] * 3
    plain = client_workload(clients, Settings())["travel_min_per_visit"]
    calibrated = client_workload(out, Settings())["travel_min_per_visit"]
    assert calibrated.to_numpy() == pytest.approx(plain.to_numpy() * [2.5, 1.5, 2.0])
