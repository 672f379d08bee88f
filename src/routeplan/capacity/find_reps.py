"""The headcount answer: the fewest reps for which every tier's cadence fits.

Lower bound by the workload method: the week's minutes (service + drive) and visits divided by
one rep's working week at the target utilisation. That many reps is necessary (with fewer, even
a perfect split leaves the average rep above the target); it is enough only when the balanced
zones keep the busiest rep at or under the target, so the search balances the zones for that
count and adds a rep until they do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from routeplan.capacity.evaluate import (
    CapacityWorld,
    ScenarioResult,
    evaluate_scenario,
    rep_capacity,
)
from routeplan.capacity.scenario import Scenario
from routeplan.i18n import _, format_number, format_percent

MAX_EXTRA_REPS = 6
"""Reps tried above the workload method's lower bound before giving up."""


@dataclass
class FindReps:
    """The answer, the zones it draws and how it got there (lines in the active language)."""

    reps: int
    target: float
    result: ScenarioResult
    reasoning: list[str] = field(default_factory=list)
    tried: list[ScenarioResult] = field(default_factory=list)


def find_reps(
    world: CapacityWorld, *, target: float, estimate: pd.Series | None = None
) -> FindReps:
    """Smallest rep count whose balanced zones fit every cadence at ``target`` utilisation.

    Parameters
    ----------
    world
        Today's accounts, reps, zones and settings.
    target
        Highest utilisation any rep may reach (0-1].
    estimate
        :meth:`CapacityWorld.baseline_estimate`, when already computed.

    Returns
    -------
    FindReps
        The count, its scenario result (zones in ``result.balance.zones``) and the reasoning.

    """
    settings = world.settings.model_copy(
        update={
            "capacity": world.settings.capacity.model_copy(update={"target_utilisation": target})
        }
    )
    world = CapacityWorld(world.accounts, world.reps, world.zones, settings)
    probe = evaluate_scenario(world, Scenario(name="today"), estimate=estimate)
    lower = probe.reps_needed
    load_h = float(probe.per_rep["workload_h"].sum())
    week_h = float(probe.per_rep["capacity_h"].mean())
    visits = float(probe.per_rep["visits_per_week"].sum())
    slots = rep_capacity(None, settings).visits
    reasoning = [
        _(
            "The portfolio needs {load} hours and {visits} visits a week (service and "
            "drive); one rep works {week} hours with {slots} visit slots a week, {target} of "
            "which may be planned: at least {reps} reps.",
            load=format_number(load_h, 1),
            visits=format_number(visits, 0),
            week=format_number(week_h, 1),
            slots=format_number(slots, 0),
            target=format_percent(target),
            reps=lower,
        )
    ]
    tried: list[ScenarioResult] = []
    result = probe
    for reps in range(lower, lower + MAX_EXTRA_REPS + 1):
        result = evaluate_scenario(
            world, Scenario(name=_("{count} reps", count=reps), reps=reps), estimate=estimate
        )
        tried.append(result)
        fits = result.max_utilisation <= target + 1e-9 and result.coverage >= 1 - 1e-9
        figures = {
            "reps": reps,
            "busiest": format_percent(result.max_utilisation),
            "spread": format_percent(result.workload_spread, 1),
            "coverage": format_percent(result.coverage, 1),
        }
        if fits:
            reasoning.append(
                _(
                    "With {reps} reps and balanced zones the busiest rep is at {busiest} "
                    "(spread {spread}), coverage {coverage}: it fits.",
                    **figures,
                )
            )
        else:
            reasoning.append(
                _(
                    "With {reps} reps and balanced zones the busiest rep is at {busiest} "
                    "(spread {spread}), coverage {coverage}: it does not fit.",
                    **figures,
                )
            )
        if fits:
            return FindReps(reps, target, result, reasoning, tried)
    reasoning.append(
        _("No count up to {reps} reps fits; check the largest accounts' workload.", reps=reps)
    )
    return FindReps(reps, target, result, reasoning, tried)
