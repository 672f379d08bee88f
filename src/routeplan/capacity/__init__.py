"""Sales capacity: cost to serve every account, its channel, what-if scenarios and headcount.

Pure core (dataframes and settings in, plain results out):

- :mod:`~routeplan.capacity.travel_share`: each account's share of the routed drive;
- :mod:`~routeplan.capacity.costs`: visits a year, cost to serve, margin after service;
- :mod:`~routeplan.capacity.recommend`: keep, reduce cadence, remote channel or review;
- :mod:`~routeplan.capacity.scenario`: what-if scenarios (reps, cadence, day end, channels);
- :mod:`~routeplan.capacity.headcount`: the workload method (reps needed, what fits);
- :mod:`~routeplan.capacity.evaluate`: one scenario after an automatic zones balance.
"""

from routeplan.capacity.costs import cost_summary, cost_to_serve, travel_per_visit
from routeplan.capacity.evaluate import CapacityWorld, ScenarioResult, evaluate_scenario
from routeplan.capacity.find_reps import FindReps, find_reps
from routeplan.capacity.headcount import RepCapacity, reps_needed
from routeplan.capacity.recommend import RECOMMENDATIONS, recommend
from routeplan.capacity.scenario import Scenario, apply_scenario, scenario_from_options

__all__ = [
    "RECOMMENDATIONS",
    "CapacityWorld",
    "FindReps",
    "RepCapacity",
    "Scenario",
    "ScenarioResult",
    "apply_scenario",
    "cost_summary",
    "cost_to_serve",
    "evaluate_scenario",
    "find_reps",
    "recommend",
    "reps_needed",
    "scenario_from_options",
    "travel_per_visit",
]
