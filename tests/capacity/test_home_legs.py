"""The daily legs from home and back, shared by the day's visits; more reps, shorter legs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_evaluate import TIERS, _world

from routeplan.capacity.evaluate import evaluate_scenario
from routeplan.capacity.home_legs import home_km, home_leg_minutes, shift_home_legs
from routeplan.capacity.scenario import Scenario, scenario_from_options
from routeplan.config import Settings

KM_PER_DEG_LAT = 6371.0088 * 3.141592653589793 / 180.0


def _accounts(n: int, visits: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"zone": "Z1", "rep_id": "R1", "lat": 60.0, "lon": 25.0, "visits_per_week": visits},
        index=range(n),
    )


def test_two_legs_a_day_shared_by_the_days_visits() -> None:
    settings = Settings()  # 30 km/h, circuity 1.35, Mon-Fri
    reps = pd.DataFrame({"rep_id": ["R1"], "home_lat": [60.0 + 10 / KM_PER_DEG_LAT]})
    reps["home_lon"] = 25.0
    legs = home_leg_minutes(_accounts(20, 1.0), reps, settings)  # 4 visits a day, 10 km away
    assert legs.to_numpy() == pytest.approx(2 * 10 * 1.35 / 30 * 60 / 4, rel=1e-3)
    # twice the visits a day share the same two legs
    assert home_leg_minutes(_accounts(40, 1.0), reps, settings).iloc[0] == pytest.approx(
        legs.iloc[0] / 2, rel=1e-3
    )
    # a zone without a rep's home (a new rep) is driven from its own centre
    assert home_leg_minutes(_accounts(20, 1.0), reps.iloc[0:0], settings).max() == 0.0


def test_shifting_moves_minutes_and_km_and_never_below_zero() -> None:
    accounts = _accounts(2, 1.0).assign(travel_min_per_visit=[10.0, 1.0], km_per_visit=[5.0, 0.5])
    before = pd.Series([4.0, 4.0])
    out = shift_home_legs(accounts, before, pd.Series([2.0, 2.0]), Settings())
    assert out["travel_min_per_visit"].tolist() == [8.0, 0.0]
    assert out["km_per_visit"].tolist() == pytest.approx([4.0, 0.0])  # 30 km/h: 0.5 km a minute


def _leg_km(accounts: pd.DataFrame, reps: pd.DataFrame) -> float:
    weights = accounts["visits_per_week"]
    return float((home_km(accounts, reps) * weights).sum() / weights.sum())


def test_more_reps_shorten_the_legs_from_home(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=False)
    base = evaluate_scenario(world, Scenario())
    more = evaluate_scenario(world, scenario_from_options(TIERS, reps="+2"))
    assert _leg_km(more.accounts, world.reps) < _leg_km(base.accounts, world.reps)
    # each rep still drives out and back every workday: fewer visits share each day's legs
    legs = home_leg_minutes(more.accounts, world.reps, world.settings)
    assert (legs > 0).all()
