"""Waiting at clients costs as much as driving when the day says so (``Day.wait_cost_per_s``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from routeplan.routing import Day, RepWeekProblem, Visit, solve

H = 3600


def _problem(wait_cost_per_s: int) -> RepWeekProblem:
    """Two days; one client open only 08:00–09:00, one only from 13:00, both 10 min from home.

    On one day the rep waits about 3.5 h between them; on two days they drive home and back
    once more (20 minutes).
    """
    duration = np.array([[0, 600, 600], [600, 0, 60], [600, 60, 0]], dtype=np.int64)
    day = Day(weekday=0, start_node=0, end_node=0, start_s=8 * H, end_s=17 * H)
    days = [day, dataclasses.replace(day, weekday=2)]
    visits = [
        Visit("early/1", "early", 1, 30 * 60, "A", (0, 1), windows=((8 * H, 9 * H),)),
        Visit("late/1", "late", 2, 30 * 60, "A", (0, 1), windows=((13 * H, 17 * H),)),
    ]
    days = [dataclasses.replace(d, wait_cost_per_s=wait_cost_per_s) for d in days]
    return RepWeekProblem(duration, duration * 10, days, visits)


def _waited_s(problem: RepWeekProblem) -> tuple[int, int]:
    solution = solve(problem, time_limit_s=0.5)
    assert not solution.dropped
    used = sum(1 for route in solution.routes if route.stops)
    waited = sum(s.start_s - s.arrive_s for route in solution.routes for s in route.stops)
    return used, waited


@pytest.mark.parametrize(("cost", "days_used", "most_wait_s"), [(0, 1, None), (1, 2, 0)])
def test_waiting_is_paid_for_only_when_counted(
    cost: int, days_used: int, most_wait_s: int | None
) -> None:
    used, waited = _waited_s(_problem(cost))
    assert used == days_used
    if most_wait_s is None:
        assert waited > 3 * H  # free waiting: one day, hours between the two clients
    else:
        assert waited <= most_wait_s


def _afternoon_only(wait_cost_per_s: int) -> RepWeekProblem:
    """One day 08:00-17:00 with lunch 12:00 ±60 min; one client open only 14:00-17:00."""
    duration = np.array([[0, 600], [600, 0]], dtype=np.int64)
    day = Day(
        weekday=0,
        start_node=0,
        end_node=0,
        start_s=8 * H,
        end_s=17 * H,
        lunch_start_s=12 * H,
        lunch_s=30 * 60,
        wait_cost_per_s=wait_cost_per_s,
    )
    visit = Visit(
        "late/1", "late", 1, 30 * 60, "A", (0,), windows=((14 * H, 17 * H),), penalty=10**6
    )  # worth the wait: the default penalty is less than 3 h of waiting
    return RepWeekProblem(duration, duration * 10, [day], [visit])


@pytest.mark.parametrize("cost", [0, 1])
def test_lunch_is_taken_at_home_only_when_waiting_is_free(cost: int) -> None:
    (route,) = solve(_afternoon_only(cost), time_limit_s=0.5).routes
    assert [s.visit_id for s in route.stops] == ["late/1"]
    assert route.lunch_start_s is not None
    if cost == 0:  # waiting is free: the rep lunches at home and leaves just in time
        assert route.start_s == 14 * H - 600
        assert route.lunch_start_s < route.start_s
    else:  # counted: leaving after 11:00 would make lunch at home the cheap way out
        assert route.start_s <= 11 * H
        assert route.start_s <= route.lunch_start_s < route.end_s
