"""A routed day waits as little as its order allows: idle time goes before leaving home."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from routeplan.routing import Day, RepWeekProblem, Visit, solve
from routeplan.routing.problem import DayRoute

H = 3600
M = 60


def _problem(*, lunch: bool, slot_s: int | None = None) -> RepWeekProblem:
    """One day 08:00-17:00; ``early`` open all day 10 min from home, ``late`` open from 13:00.

    ``late`` is 5 minutes from ``early``; each visit lasts 30 minutes.
    """
    duration = np.array([[0, 600, 900], [600, 0, 300], [900, 300, 0]], dtype=np.int64)
    day = Day(weekday=0, start_node=0, end_node=0, start_s=8 * H, end_s=17 * H)
    if lunch:
        day = dataclasses.replace(day, lunch_start_s=12 * H, lunch_s=30 * M, max_stretch_s=270 * M)
    early = Visit("early/1", "early", 1, 30 * M, "A", (0,), penalty=10**6, slot_s=slot_s)
    late = Visit("late/1", "late", 2, 30 * M, "A", (0,), windows=((13 * H, 17 * H),), penalty=10**6)
    return RepWeekProblem(duration, duration * 10, [day], [early, late])


def _day(problem: RepWeekProblem) -> DayRoute:
    solution = solve(problem, time_limit_s=0.5)
    assert not solution.dropped
    (route,) = solution.routes
    return route


def _waited(route: DayRoute, lunch_s: int) -> int:
    lunch = route.lunch_start_s
    waited = 0
    for stop in route.stops:
        gap = stop.start_s - stop.arrive_s
        if lunch is not None and stop.arrive_s <= lunch and lunch + lunch_s <= stop.start_s:
            gap -= lunch_s  # the break taken at the client's door is not waiting
        waited += gap
    return waited


def test_without_lunch_the_rep_leaves_late_enough_to_wait_nowhere() -> None:
    route = _day(_problem(lunch=False))
    assert [s.start_s - s.arrive_s for s in route.stops] == [0, 0]
    first = route.stops[0]
    assert route.start_s + first.travel_s == first.arrive_s
    assert route.start_s > 8 * H  # not out at 08:00 to stand at a door until 13:00
    assert max(s.start_s for s in route.stops if s.client_id == "late") >= 13 * H


def test_with_lunch_no_stop_overlaps_it_and_the_stretch_rule_holds() -> None:
    problem = _problem(lunch=True)
    route = _day(problem)
    lunch = route.lunch_start_s
    assert lunch is not None
    for stop in route.stops:
        assert stop.depart_s <= lunch or stop.start_s >= lunch + 30 * M
    assert _waited(route, 30 * M) == 0
    before, after = lunch - route.start_s, route.end_s - lunch - 30 * M
    if route.start_s <= lunch < route.end_s:
        assert max(before, after) <= 270 * M
    else:
        assert route.end_s - route.start_s <= 270 * M


def test_a_visit_keeps_its_regular_slot_tolerance() -> None:
    route = _day(_problem(lunch=False, slot_s=9 * H))
    early, late = route.stops
    assert early.client_id == "early"
    assert early.start_s <= 9 * H + 3600  # its slot, 09:00 ±60 min, holds it back
    assert late.start_s == 13 * H


@pytest.mark.parametrize("lunch", [False, True])
def test_a_slot_later_in_the_day_is_reached_by_leaving_late_not_by_waiting(lunch: bool) -> None:
    """The time dimension's cost optimiser fixes the day's start too: at 08:00 it waited."""
    problem = _problem(lunch=lunch, slot_s=14 * H)
    problem = dataclasses.replace(problem, visits=problem.visits[:1])
    route = _day(problem)
    (stop,) = route.stops
    assert stop.start_s >= 13 * H  # in its slot's tolerance
    assert _waited(route, 30 * M) == 0
    if lunch:
        assert route.lunch_start_s is not None
        assert stop.depart_s <= route.lunch_start_s or stop.start_s >= route.lunch_start_s + 30 * M
