"""Rep-weeks with lunch breaks finish on their work limit, not on the safety-net clock."""

from __future__ import annotations

import pytest
from helpers.world import DEMO

import routeplan.routing.search as search
from routeplan.planning.prepare import prepare, travel_provider
from routeplan.planning.week import due_visits, rep_week_problems
from routeplan.routing import PORTFOLIO, solve
from routeplan.routing.search import BOOL_FALSE, LUNCH_SLOW_OPERATORS, Limits, search_parameters


def test_relocate_is_left_out_of_iterated_search_only_with_lunch() -> None:
    limits = Limits(10, 1.0)
    with_lunch = search_parameters(PORTFOLIO[0], limits=limits, lunch=True)
    without = search_parameters(PORTFOLIO[0], limits=limits, lunch=False)
    guided = search_parameters(PORTFOLIO[2], limits=limits, lunch=True)
    for name in LUNCH_SLOW_OPERATORS:
        assert getattr(with_lunch.local_search_operators, name) == BOOL_FALSE
        assert getattr(without.local_search_operators, name) != BOOL_FALSE
        assert getattr(guided.local_search_operators, name) != BOOL_FALSE


@pytest.mark.slow
def test_the_demo_week_that_stalled_ends_on_its_work_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Demo week 12, rep R5: with relocate under lunch it found no solution after 3 ms.

    It then spun in constraint failures until the clock (200 s at the build's effort). The
    net is brought down to 60 s here so that a stall fails the test in a minute.
    """
    prepared = prepare(DEMO)
    problem = rep_week_problems(
        prepared, due_visits(prepared, 12), travel_provider(prepared), week=12
    )["R5"]
    assert any(day.lunch_s > 0 for day in problem.days)
    monkeypatch.setattr(search, "SAFETY_FACTOR", 30.0)
    solution = solve(problem, time_limit_s=2.0, seed=0)
    assert solution.stats["clock_stopped"] == 0.0
    assert solution.stats["safety_net_s"] == 60.0
    assert solution.stats["cpu_s"] < 30.0
    assert not solution.dropped
