"""Scenarios on a small written world: balanced zones, coverage, reps needed, money."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from helpers.world import write_world

from routeplan.capacity.costs import cost_to_serve, travel_per_visit, with_own_service
from routeplan.capacity.evaluate import CapacityWorld, evaluate_scenario
from routeplan.capacity.find_reps import find_reps
from routeplan.capacity.recommend import recommend
from routeplan.capacity.scenario import Scenario, scenario_from_options
from routeplan.config import Settings
from routeplan.planning.prepare import prepare

TIERS = ["AAA", "AA", "A", "B"]


def _world(tmp_path: Path, *, heavy: bool) -> CapacityWorld:
    prepared = prepare(write_world(tmp_path / "world"))
    settings = prepared.settings
    if heavy:  # far more work than two reps can do: coverage below 1
        cadence = dict(settings.cadence)
        for tier in TIERS:
            cadence[tier] = cadence[tier].model_copy(
                update={"visits_per_week": 2, "every_weeks": 1, "service_min": 120}
            )
        settings = settings.model_copy(update={"cadence": cadence})
    clients = with_own_service(prepared.clients, prepared.inputs.clients)
    accounts = recommend(
        cost_to_serve(clients, travel_per_visit(clients, settings), settings), settings
    )
    return CapacityWorld(accounts, prepared.reps, prepared.zones, settings)


def test_baseline_matches_the_accounts(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=False)
    result = evaluate_scenario(world, Scenario())
    assert result.n_reps == 2 and result.coverage == 1.0
    assert result.cost_to_serve == pytest.approx(world.accounts["cost_to_serve"].sum())
    assert result.per_rep["accounts"].sum() == 40
    weekly = (world.accounts["visits_per_year"] / Settings().costs.weeks_per_year).sum()
    assert result.per_rep["visits_per_week"].sum() == pytest.approx(weekly)


def test_more_reps_never_lower_balanced_coverage(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=True)
    coverage = [
        evaluate_scenario(world, scenario_from_options(TIERS, reps=str(k))).coverage
        for k in (1, 2, 3, 4)
    ]
    assert coverage[0] < 1.0
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(coverage))


def test_a_longer_day_never_raises_reps_needed(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=True)
    needed = [
        evaluate_scenario(world, scenario_from_options(TIERS, day_end=end)).reps_needed
        for end in ("16:00", "17:00", "19:00")
    ]
    assert needed == sorted(needed, reverse=True)
    assert needed[0] > needed[-1]


def test_dropping_the_remote_channel_moves_accounts_out_of_the_field(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=True)
    remote = int((world.accounts["recommendation"] == "remote_channel").sum())
    assert remote > 0
    result = evaluate_scenario(world, scenario_from_options(TIERS, drop_channels=["remote"]))
    assert result.remote_accounts == remote
    assert result.field_accounts == 40 - remote


def test_find_reps_is_the_smallest_count_that_fits(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=True)
    answer = find_reps(world, target=0.85)
    assert answer.result.max_utilisation <= 0.85
    assert answer.result.coverage == pytest.approx(1.0)
    fewer = evaluate_scenario(world, Scenario(name="fewer", reps=answer.reps - 1))
    assert fewer.max_utilisation > 0.85 or fewer.coverage < 1.0
    assert len(answer.reasoning) >= 2


def test_a_tiers_service_minutes_reach_its_accounts(tmp_path: Path) -> None:
    world = _world(tmp_path, heavy=False)
    base = evaluate_scenario(world, Scenario())
    shorter = evaluate_scenario(world, scenario_from_options(TIERS, cadence=["B=service_min:5"]))
    assert shorter.cost_to_serve < base.cost_to_serve
    assert shorter.workload_mean_h < base.workload_mean_h
