"""The workload method: reps needed, what fits by tier priority, and its monotonicity."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.capacity.evaluate import rep_capacity
from routeplan.capacity.headcount import (
    RepCapacity,
    fit_by_priority,
    pooled_coverage,
    reps_needed,
)
from routeplan.capacity.scenario import apply_scenario, scenario_from_options
from routeplan.config import Settings

ORDER = ["AAA", "AA", "A", "B"]

loads = st.lists(
    st.tuples(st.floats(min_value=0, max_value=20_000), st.floats(min_value=0, max_value=600)),
    min_size=4,
    max_size=4,
).map(
    lambda rows: pd.DataFrame(
        {"minutes": [r[0] for r in rows], "visits": [r[1] for r in rows]}, index=ORDER
    )
)


def test_reps_needed_by_minutes_and_by_visit_slots() -> None:
    week = RepCapacity(minutes=2250.0, visits=60.0)
    assert reps_needed(2250.0 * 0.85 * 3, 10.0, week, target=0.85) == 3
    assert reps_needed(2250.0 * 0.85 * 3 + 1, 10.0, week, target=0.85) == 4
    assert reps_needed(100.0, 60 * 0.85 * 5, week, target=0.85) == 5
    assert reps_needed(0.0, 0.0, week) == 1


def test_higher_tiers_fit_first() -> None:
    load = pd.DataFrame(
        {"minutes": [600.0, 600.0, 600.0], "visits": [10.0, 10.0, 20.0]},
        index=["AAA", "A", "B"],
    )
    fits = fit_by_priority(load, RepCapacity(minutes=900.0, visits=100.0), ORDER)
    assert fits == {"AAA": 10.0, "A": pytest.approx(5.0), "B": 0.0}


@settings(max_examples=80, deadline=None)
@given(load=loads, reps=st.integers(1, 30), extra=st.integers(1, 10))
def test_more_reps_never_lower_coverage(load: pd.DataFrame, reps: int, extra: int) -> None:
    week = RepCapacity(minutes=2250.0, visits=60.0)
    fewer = pooled_coverage(load, week, reps, ORDER)
    more = pooled_coverage(load, week, reps + extra, ORDER)
    assert more >= fewer - 1e-12
    assert 0.0 <= fewer <= 1.0 + 1e-12


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.floats(0, 200_000),
    visits=st.floats(0, 5_000),
    end=st.integers(10 * 60 + 1, 23 * 60),
    later=st.integers(0, 60 * 5),
)
def test_a_longer_day_never_raises_reps_needed(
    minutes: float, visits: float, end: int, later: int
) -> None:
    def needed(end_min: int) -> int:
        end_min = min(end_min, 23 * 60 + 59)
        scenario = scenario_from_options(ORDER, day_end=f"{end_min // 60:02d}:{end_min % 60:02d}")
        new, _reps, _n = apply_scenario(Settings(), pd.DataFrame({"rep_id": ["R1"]}), scenario)
        return reps_needed(minutes, visits, rep_capacity(None, new), target=0.85)

    assert needed(end + later) <= needed(end)
