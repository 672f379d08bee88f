"""A visit's preferred day: the problem's soft cost, or a stronger one of its own."""

from __future__ import annotations

import numpy as np

from routeplan.routing import Day, RepWeekProblem, Visit, solve

H = 3600


def _problem(own_cost: int | None) -> RepWeekProblem:
    """Two visits side by side 10 km from home, one preferring Monday, the other Tuesday."""
    xy = np.array([[0.0, 0.0], [10.0, 0.0], [10.1, 0.0]])
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    duration, distance = np.rint(km * 120).astype(np.int64), np.rint(km * 1000).astype(np.int64)
    days = [Day(weekday=d, start_node=0, end_node=0, start_s=8 * H, end_s=17 * H) for d in (0, 1)]
    visits = [
        Visit(f"v{i}", f"c{i}", i, 1800, "AA", (0, 1), preferred_day=i - 1, off_day_cost=own_cost)
        for i in (1, 2)
    ]
    return RepWeekProblem(duration, distance, days, visits, off_day_cost=900)


def _days_of(problem: RepWeekProblem) -> dict[str, int]:
    solution = solve(problem, time_limit_s=1.0)
    assert not solution.dropped
    return {s.visit_id: r.day for r in solution.routes for s in r.stops}


def test_a_weak_preference_gives_way_to_a_shorter_drive() -> None:
    days = _days_of(_problem(None))  # one trip saves 2,400 s of driving > 900
    assert days["v1"] == days["v2"]


def test_a_visit_of_its_own_stronger_cost_keeps_its_day() -> None:
    assert _days_of(_problem(2 * H)) == {"v1": 0, "v2": 1}
