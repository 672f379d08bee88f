"""The lunch break as a planned event: no stretch of work longer than the rule without it."""

from __future__ import annotations

import numpy as np
import pytest

from routeplan.kpis.shape import longest_stretch_min
from routeplan.routing import Day, DayRoute, RepWeekProblem, Visit, solve

H = 3600


def _problem(max_stretch_s: int, *, opens_s: int = 10 * H) -> RepWeekProblem:
    """One day, nine 40-minute visits a few minutes apart, all opening at ``opens_s``."""
    rng = np.random.default_rng(3)
    xy = np.vstack([[0.0, 0.0], rng.uniform(-2, 2, size=(9, 2))])
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    duration, distance = np.rint(km * 120).astype(np.int64), np.rint(km * 1000).astype(np.int64)
    day = Day(
        weekday=0,
        start_node=0,
        end_node=0,
        start_s=8 * H,
        end_s=17 * H,
        lunch_start_s=12 * H,
        lunch_s=30 * 60,
        max_stretch_s=max_stretch_s,
    )
    visits = [
        Visit(f"v{i}", f"c{i}", i, 40 * 60, "A", (0,), windows=((opens_s, 17 * H),))
        for i in range(1, 10)
    ]
    return RepWeekProblem(duration, distance, [day], visits)


def _stretch_min(route: DayRoute) -> float:
    """Longest stretch of driving and visits of a routed day, in minutes."""
    intervals = []
    for stop in route.stops:
        intervals.append((stop.arrive_s - stop.travel_s, stop.arrive_s))
        intervals.append((stop.start_s, stop.depart_s))
    intervals.append((route.stops[-1].depart_s, route.end_s))
    return longest_stretch_min([(lo / 60, hi / 60) for lo, hi in intervals])


@pytest.mark.parametrize("opens_h", [8, 10])
def test_no_stretch_longer_than_the_rule_without_the_break(opens_h: int) -> None:
    solution = solve(_problem(270 * 60, opens_s=opens_h * H), time_limit_s=1.0)
    route = solution.routes[0]
    assert not solution.dropped and len(route.stops) == 9
    assert route.end_s - route.start_s > 270 * 60  # the day needs a break ...
    assert route.lunch_in_day  # ... and takes it between leaving and coming home
    assert _stretch_min(route) <= 270


def test_the_rule_can_be_switched_off() -> None:
    solution = solve(_problem(0), time_limit_s=1.0)
    assert len(solution.routes[0].stops) == 9
    assert _stretch_min(solution.routes[0]) > 270  # the solver is free to work on


def test_a_regular_slot_pulls_the_visit_to_its_time() -> None:
    duration = np.array([[0, 300], [300, 0]], dtype=np.int64)
    day = Day(weekday=1, start_node=0, end_node=0, start_s=8 * H, end_s=17 * H)

    def start_of(slot_s: int | None) -> int:
        visit = Visit("v1", "c1", 1, 45 * 60, "AA", (0,), slot_s=slot_s, slot_tolerance_s=H)
        solution = solve(RepWeekProblem(duration, duration, [day], [visit]), time_limit_s=0.5)
        return solution.routes[0].stops[0].start_s

    assert start_of(None) < 9 * H  # the day ends as early as it can
    assert 14 * H <= start_of(15 * H) <= 16 * H  # within the slot's hour either side


def test_a_client_open_only_over_lunch_is_still_visited() -> None:
    """Open 12:00–13:15 for 60 min: the day keeps the wide lunch window (and the rule)."""
    problem = _problem(270 * 60, opens_s=8 * H)
    lunch_only = Visit("v10", "c10", 9, 60 * 60, "A", (0,), windows=((12 * H, 13 * H + H // 4),))
    problem = RepWeekProblem(
        problem.duration_s, problem.distance_m, problem.days, [*problem.visits[:5], lunch_only]
    )
    solution = solve(problem, time_limit_s=1.0)
    route = solution.routes[0]
    assert not solution.dropped
    stop = next(s for s in route.stops if s.visit_id == "v10")
    assert 12 * H <= stop.start_s <= 12 * H + H // 4  # ends by 13:15
    assert route.lunch_start_s is not None
    assert not stop.start_s < route.lunch_start_s + problem.days[0].lunch_s < stop.depart_s
    assert _stretch_min(route) <= 270
