"""``--route-sample``: rep-weeks of a scenario routed with the real solver."""

from __future__ import annotations

from pathlib import Path

from helpers.world import write_world

from routeplan.capacity.costs import cost_to_serve, travel_per_visit, with_own_service
from routeplan.capacity.evaluate import CapacityWorld, evaluate_scenario
from routeplan.capacity.recommend import recommend
from routeplan.capacity.scenario import scenario_from_options
from routeplan.jobs.capacity_sample import route_sample
from routeplan.planning.prepare import prepare


def test_sampled_rep_weeks_are_routed_and_every_visit_accounted_for(tmp_path: Path) -> None:
    prepared = prepare(write_world(tmp_path / "world"))
    settings = prepared.settings
    clients = with_own_service(prepared.clients, prepared.inputs.clients)
    accounts = recommend(
        cost_to_serve(clients, travel_per_visit(clients, settings), settings), settings
    )
    world = CapacityWorld(accounts, prepared.reps, prepared.zones, settings)
    result = evaluate_scenario(world, scenario_from_options(settings.tier_names, reps="+1"))
    sample = route_sample(prepared, result, 3, workers=1)
    table = sample.table
    assert len(table) == 3
    assert set(table["rep_id"]) <= set(result.per_rep["rep_id"])
    assert (table["planned"] + table["dropped"] == table["due_visits"]).all()
    assert (table["routed_h"] > 0).all() and (table["estimated_h"] > 0).all()
    assert 0.3 < sample.ratio < 3.0
    assert (table["estimated_planned_h"] <= table["estimated_h"] + 1e-9).all()
