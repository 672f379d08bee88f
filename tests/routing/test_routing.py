"""The rep-week routing engine on small hand-made weeks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.routing import (
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_NO_DAY,
    Day,
    RepWeekProblem,
    RepWeekSolution,
    Visit,
    solve,
)

H = 3600
LIMIT = 0.5


def grid_matrices(points: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Straight-line km between points, driven at 30 km/h (120 s per km)."""
    xy = np.asarray(points, dtype=float)
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return np.rint(km * 120).astype(np.int64), np.rint(km * 1000).astype(np.int64)


def week(
    n_days: int = 5, *, lunch: bool = False, max_visits: int = 12, overtime_s: int = 0
) -> list[Day]:
    return [
        Day(
            weekday=d,
            start_node=0,
            end_node=0,
            start_s=8 * H,
            end_s=17 * H,
            lunch_start_s=12 * H if lunch else None,
            lunch_s=30 * 60 if lunch else 0,
            max_visits=max_visits,
            overtime_max_s=overtime_s,
        )
        for d in range(n_days)
    ]


def visit(i: int, **kw: object) -> Visit:
    base: dict[str, object] = {
        "visit_id": f"v{i}",
        "client_id": f"c{i}",
        "node": i,
        "service_s": 30 * 60,
        "tier": "A",
        "allowed_days": (0, 1, 2, 3, 4),
    }
    base.update(kw)
    return Visit(**base)  # type: ignore[arg-type]


RING = [(0.0, 0.0)] + [(5 * np.cos(a), 5 * np.sin(a)) for a in np.linspace(0, 6, 12)]


def planned(solution: RepWeekSolution) -> dict[str, tuple[int, int]]:
    """visit_id -> (day index, seq)."""
    return {s.visit_id: (r.day, s.seq) for r in solution.routes for s in r.stops}


def check_invariants(problem: RepWeekProblem, solution: RepWeekSolution) -> None:
    ids = [v.visit_id for v in problem.visits]
    seen = list(planned(solution)) + [d.visit_id for d in solution.dropped]
    assert sorted(seen) == sorted(ids)
    by_id = {v.visit_id: v for v in problem.visits}
    for route in solution.routes:
        day = problem.days[route.day]
        prev_depart = route.start_s
        for stop in route.stops:
            v = by_id[stop.visit_id]
            assert stop.arrive_s <= stop.start_s
            assert stop.arrive_s >= prev_depart + stop.travel_s
            assert stop.depart_s == stop.start_s + v.service_s
            assert route.day in (v.allowed_days if v.locked_day is None else (v.locked_day,))
            if v.windows:
                assert any(o <= stop.start_s and stop.depart_s <= c for o, c in v.windows)
            prev_depart = stop.depart_s
        if route.stops:
            assert route.start_s >= day.start_s
            assert route.end_s <= day.end_s + day.overtime_max_s
            assert route.end_s >= prev_depart + int(
                problem.duration_s[route.stops[-1].node, day.end_node]
            )


def test_time_windows_and_two_windows_honoured() -> None:
    dur, dist = grid_matrices(RING[:7])
    visits = [
        visit(1, windows=((9 * H, 10 * H),), allowed_days=(0,)),
        visit(2, windows=((8 * H, 9 * H), (15 * H, 16 * H)), allowed_days=(0,)),
        visit(3, windows=((13 * H, 14 * H),), allowed_days=(0,)),
        visit(4, allowed_days=(0,)),
        visit(5, windows=((10 * H, 12 * H),), allowed_days=(0,)),
        visit(6, windows=((14 * H, 17 * H),), allowed_days=(0,)),
    ]
    problem = RepWeekProblem(dur, dist, week(1), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    assert not solution.dropped
    check_invariants(problem, solution)
    starts = {s.visit_id: s.start_s for s in solution.routes[0].stops}
    assert 9 * H <= starts["v1"] <= 10 * H - 30 * 60
    assert 13 * H <= starts["v3"] <= 14 * H - 30 * 60
    assert starts["v2"] <= 9 * H - 30 * 60 or starts["v2"] >= 15 * H


def test_lunch_taken_in_its_window_between_visits() -> None:
    dur, dist = grid_matrices(RING)
    visits = [visit(i, allowed_days=(0,), service_s=40 * 60) for i in range(1, 11)]
    problem = RepWeekProblem(dur, dist, week(1, lunch=True), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    check_invariants(problem, solution)
    route = solution.routes[0]
    assert route.lunch_start_s is not None
    assert 11 * H <= route.lunch_start_s <= 13 * H
    lunch_end = route.lunch_start_s + 30 * 60
    for stop in route.stops:
        assert stop.depart_s <= route.lunch_start_s or stop.start_s >= lunch_end
    # The day is full: 10 × 40 min + lunch + driving leaves no room for an idle hour.
    assert len(route.stops) + len(solution.dropped) == 10


def test_no_visit_outside_working_hours() -> None:
    dur, dist = grid_matrices(RING[:5])
    visits = [
        visit(1, windows=((6 * H, 7 * H + 45 * 60),)),  # closes before the day starts
        visit(2, windows=((16 * H + 50 * 60, 20 * H),)),  # no time left to drive home
        visit(3, allowed_days=()),
        visit(4, windows=((7 * H, 9 * H),)),
    ]
    problem = RepWeekProblem(dur, dist, week(5), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    check_invariants(problem, solution)
    reasons = {d.visit_id: d.reason for d in solution.dropped}
    assert reasons == {"v1": REASON_HOURS, "v2": REASON_HOURS, "v3": REASON_NO_DAY}
    (stop,) = [s for r in solution.routes for s in r.stops]
    assert stop.start_s >= 8 * H + stop.travel_s


def test_overtime_only_when_allowed() -> None:
    dur, dist = grid_matrices(RING[:3])
    visits = [visit(1, windows=((16 * H, 18 * H),), service_s=60 * 60, allowed_days=(0,))]
    strict = RepWeekProblem(dur, dist, week(1), visits)
    assert [d.visit_id for d in solve(strict, time_limit_s=LIMIT).dropped] == ["v1"]
    loose = RepWeekProblem(dur, dist, week(1, overtime_s=H), visits)
    solution = solve(loose, time_limit_s=LIMIT)
    assert not solution.dropped
    check_invariants(loose, solution)
    assert 17 * H < solution.routes[0].end_s <= 18 * H


def test_spacing_between_visits_of_a_client() -> None:
    dur, dist = grid_matrices(RING[:4])
    visits = [
        visit(1, visit_id="a1", client_id="A", min_gap_days=2),
        visit(1, visit_id="a2", client_id="A", min_gap_days=2),
        visit(2, visit_id="b1", client_id="B", min_gap_days=3),
        visit(2, visit_id="b2", client_id="B", min_gap_days=3),
        visit(3),
    ]
    problem = RepWeekProblem(dur, dist, week(5), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    assert not solution.dropped
    check_invariants(problem, solution)
    where = planned(solution)
    assert abs(where["a1"][0] - where["a2"][0]) >= 2
    assert abs(where["b1"][0] - where["b2"][0]) >= 3


def test_spacing_too_wide_for_the_days_drops_one_visit() -> None:
    dur, dist = grid_matrices(RING[:2])
    visits = [
        visit(1, visit_id="a1", client_id="A", min_gap_days=3, allowed_days=(0, 1)),
        visit(1, visit_id="a2", client_id="A", min_gap_days=3, allowed_days=(0, 1)),
    ]
    problem = RepWeekProblem(dur, dist, week(5), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    check_invariants(problem, solution)
    assert len(solution.dropped) == 1
    assert "spacing" in solution.dropped[0].reason


def test_locked_visits_keep_day_and_order() -> None:
    dur, dist = grid_matrices(RING)
    # On its own the solver would visit the ring in angular order; the lock reverses 3 and 1.
    visits = [visit(i) for i in range(1, 9)]
    visits[0] = visit(1, locked_day=2, locked_seq=2, allowed_days=(0,))
    visits[2] = visit(3, locked_day=2, locked_seq=1)
    visits[4] = visit(5, locked_day=4)
    problem = RepWeekProblem(dur, dist, week(5), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    assert not solution.dropped
    check_invariants(problem, solution)
    where = planned(solution)
    assert where["v1"][0] == 2 and where["v3"][0] == 2 and where["v5"][0] == 4
    assert where["v3"][1] < where["v1"][1]


@pytest.mark.parametrize("order", [["AAA", "AA", "A", "B"], ["Platino", "Oro", "Plata", "Bronce"]])
def test_drops_follow_tier_order_when_overloaded(order: list[str]) -> None:
    """Penalties come from the production rule and the configured order, not tier names."""
    from routeplan.planning.problems import drop_penalty

    dur, dist = grid_matrices(RING)
    ranks = [3, 2, 1, 0] * 3  # lowest, ..., highest tier, three times
    tiers = [order[r] for r in ranks]
    visits = [
        visit(i + 1, tier=t, allowed_days=(0, 1), penalty=drop_penalty(t, order))
        for i, t in enumerate(tiers)
    ]
    problem = RepWeekProblem(dur, dist, week(2, max_visits=3), visits)
    solution = solve(problem, time_limit_s=LIMIT)
    check_invariants(problem, solution)
    kept = sorted(t for t, v in zip(tiers, visits, strict=True) if v.visit_id in planned(solution))
    assert kept == sorted([order[0]] * 3 + [order[1]] * 3)
    assert {d.reason for d in solution.dropped} == {REASON_CAPACITY}
    assert sorted(d.tier for d in solution.dropped) == sorted([order[2]] * 3 + [order[3]] * 3)


def test_different_start_and_end_locations() -> None:
    dur, dist = grid_matrices(RING[:6])
    days = [Day(weekday=0, start_node=0, end_node=5, start_s=8 * H, end_s=17 * H)]
    visits = [visit(i, allowed_days=(0,)) for i in range(1, 5)]
    problem = RepWeekProblem(dur, dist, days, visits)
    solution = solve(problem, time_limit_s=LIMIT)
    check_invariants(problem, solution)
    route = solution.routes[0]
    assert route.travel_s == sum(s.travel_s for s in route.stops) + int(
        dur[route.stops[-1].node, 5]
    )


def test_same_seed_gives_same_routes() -> None:
    rng = np.random.default_rng(7)
    points = [(0.0, 0.0)] + [tuple(p) for p in rng.uniform(-8, 8, size=(25, 2))]
    dur, dist = grid_matrices(points)  # type: ignore[arg-type]
    visits = [
        visit(i, allowed_days=tuple(sorted(rng.choice(5, size=2, replace=False).tolist())))
        for i in range(1, 26)
    ]
    problem = RepWeekProblem(dur, dist, week(5, lunch=True, max_visits=6), visits)
    first = solve(problem, time_limit_s=3, seed=3)
    second = solve(problem, time_limit_s=3, seed=3)
    assert [[s.visit_id for s in r.stops] for r in first.routes] == [
        [s.visit_id for s in r.stops] for r in second.routes
    ]
    assert first.objective == second.objective
    check_invariants(problem, first)


def test_problem_rejects_unknown_day() -> None:
    dur, dist = grid_matrices(RING[:2])
    with pytest.raises(ValueError, match=r"outside 0\.\.0"):
        RepWeekProblem(dur, dist, week(1), [visit(1, allowed_days=(1,))])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["AAA", "AA", "A", "B"]),
            st.sets(st.integers(0, 2), max_size=3),
            st.integers(7, 16),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_every_visit_planned_or_dropped(specs: list[tuple[str, set[int], int]]) -> None:
    dur, dist = grid_matrices(RING[:11])
    visits = [
        visit(
            i + 1,
            tier=tier,
            allowed_days=tuple(sorted(days)),
            windows=((open_h * H, open_h * H + 2 * H),),
        )
        for i, (tier, days, open_h) in enumerate(specs)
    ]
    problem = RepWeekProblem(dur, dist, week(3, lunch=True, max_visits=2), visits)
    solution = solve(problem, time_limit_s=0.2)
    check_invariants(problem, solution)
    assert all(d.reason for d in solution.dropped)


def random_week(seed: int, n: int = 25) -> RepWeekProblem:
    rng = np.random.default_rng(seed)
    points = [(0.0, 0.0)] + [tuple(p) for p in rng.uniform(-8, 8, size=(n, 2))]
    dur, dist = grid_matrices(points)  # type: ignore[arg-type]
    visits = [
        visit(i, allowed_days=tuple(sorted(rng.choice(5, size=2, replace=False).tolist())))
        for i in range(1, n + 1)
    ]
    return RepWeekProblem(dur, dist, week(5, lunch=True, max_visits=6), visits)


def test_portfolio_of_two_workers_is_no_worse_than_one() -> None:
    problem = random_week(11, n=18)
    one = solve(problem, time_limit_s=1)
    two = solve(problem, time_limit_s=1, workers=2)
    check_invariants(problem, two)
    assert two.objective <= one.objective


def test_spread_construction_gives_valid_routes() -> None:
    from routeplan.routing.search import SearchPlan

    problem = random_week(5, n=18)
    solution = solve(problem, time_limit_s=1, plan=SearchPlan(extra_routes=2))
    check_invariants(problem, solution)
    assert sum(len(r.stops) for r in solution.routes) >= 10


def test_a_light_day_starts_at_day_start_and_ends_early() -> None:
    duration, distance = grid_matrices([(0, 0), (1, 0), (2, 0), (2, 1)])
    problem = RepWeekProblem(
        duration_s=duration,
        distance_m=distance,
        days=week(1),
        visits=[visit(i, allowed_days=(0,)) for i in (1, 2, 3)],
    )
    route = solve(problem, time_limit_s=LIMIT).routes[0]
    assert route.start_s == 8 * H
    assert route.stops[0].arrive_s == 8 * H + duration[0, route.stops[0].node]
    assert route.end_s == route.stops[-1].depart_s + duration[route.stops[-1].node, 0]
    assert route.end_s < 11 * H  # three half-hour visits: home well before noon


def test_a_late_opening_first_stop_means_leaving_later_not_waiting() -> None:
    duration, distance = grid_matrices([(0, 0), (1, 0)])
    problem = RepWeekProblem(
        duration_s=duration,
        distance_m=distance,
        days=week(1),
        visits=[visit(1, allowed_days=(0,), windows=((10 * H, 17 * H),))],
    )
    route = solve(problem, time_limit_s=LIMIT).routes[0]
    stop = route.stops[0]
    assert stop.start_s == 10 * H and stop.wait_s == 0
    assert route.start_s == 10 * H - duration[0, 1]


def test_iterated_local_search_gives_valid_repeatable_routes() -> None:
    from routeplan.routing.search import SearchPlan

    problem = random_week(5, n=18)
    plan = SearchPlan(ruin=("random_walk",))
    first = solve(problem, time_limit_s=1, plan=plan)
    second = solve(problem, time_limit_s=1, plan=plan)
    check_invariants(problem, first)
    assert first.status == "SUCCESS"
    assert sum(len(r.stops) for r in first.routes) >= 10
    assert [[s.visit_id for s in r.stops] for r in first.routes] == [
        [s.visit_id for s in r.stops] for r in second.routes
    ]


def test_the_default_ruins_by_larger_steps_than_the_second_worker() -> None:
    from routeplan.routing.search import (
        DEFAULT_RUIN_VISITS,
        PORTFOLIO,
        Limits,
        SearchPlan,
        search_parameters,
    )

    def removed(plan: SearchPlan) -> list[int]:
        params = search_parameters(plan, limits=Limits(10, 1.0))
        ruin = params.iterated_local_search_parameters.ruin_recreate_parameters
        return [
            s.random_walk.num_removed_visits or s.sisr.avg_num_removed_visits
            for s in ruin.ruin_strategies
        ]

    assert removed(PORTFOLIO[0]) == [DEFAULT_RUIN_VISITS] == [20]
    assert removed(PORTFOLIO[1]) == [10, 10]  # string removal and a short walk


def test_the_recreate_heuristic_reaches_the_search() -> None:
    from ortools.constraint_solver import routing_enums_pb2

    from routeplan.routing.search import PORTFOLIO, Limits, SearchPlan, search_parameters

    def recreate(plan: SearchPlan) -> int:
        params = search_parameters(plan, limits=Limits(10, 1.0))
        rr = params.iterated_local_search_parameters.ruin_recreate_parameters
        return int(rr.recreate_strategy.heuristic)

    strategy = routing_enums_pb2.FirstSolutionStrategy
    assert recreate(PORTFOLIO[0]) == strategy.LOCAL_CHEAPEST_INSERTION
    route_by_route = SearchPlan(ruin=("random_walk",), recreate="SEQUENTIAL_CHEAPEST_INSERTION")
    assert recreate(route_by_route) == strategy.SEQUENTIAL_CHEAPEST_INSERTION


def test_unknown_ruin_strategy_is_rejected() -> None:
    from routeplan.routing.search import Limits, SearchPlan, search_parameters

    with pytest.raises(ValueError, match="unknown ruin strategy"):
        search_parameters(SearchPlan(ruin=("shuffle",)), limits=Limits(10, 1.0))
    with pytest.raises(ValueError, match="unknown recreate heuristic"):
        search_parameters(SearchPlan(ruin=("sisr",), recreate="GREEDY"), limits=Limits(10, 1.0))


def _burners(n: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def test_same_routes_with_two_cpu_burners_beside_the_search() -> None:
    """The work limit, not the clock, ends the search: load changes nothing."""
    problem = random_week(21, n=30)
    quiet = solve(problem, time_limit_s=1)
    burners = _burners(2)
    try:
        loaded = solve(problem, time_limit_s=1)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    check_invariants(problem, quiet)
    assert quiet.stats["clock_stopped"] == 0.0 and loaded.stats["clock_stopped"] == 0.0
    assert [[s.visit_id for s in r.stops] for r in quiet.routes] == [
        [s.visit_id for s in r.stops] for r in loaded.routes
    ]
    assert quiet.objective == loaded.objective


def test_the_safety_net_clock_is_reported_when_it_fires(monkeypatch: pytest.MonkeyPatch) -> None:
    from routeplan.routing import search

    monkeypatch.setattr(search, "SAFETY_FLOOR_S", 0.05)
    monkeypatch.setattr(search, "SOLUTIONS_PER_S_AT_100", 10**7)
    solution = solve(random_week(3, n=20), time_limit_s=0.01)
    assert solution.stats["clock_stopped"] == 1.0
    assert solution.stats["work_limit"] >= 10**5
    assert solution.stats["safety_net_s"] == pytest.approx(search.SAFETY_FACTOR * 0.01)


def test_work_limit_scales_with_effort_and_size() -> None:
    from routeplan.routing.search import MIN_WORK, Limits, limits_for, work_limit

    assert work_limit(10, 100) == 2 * work_limit(5, 100)
    assert work_limit(1, 50) == 2 * work_limit(1, 100)
    assert work_limit(1, 40, lunch=True) < work_limit(1, 40)
    assert work_limit(0.0001, 100) == MIN_WORK
    assert limits_for(1, 100).clock_s >= 100
    assert limits_for(1, 40).clock_s == pytest.approx(100)  # a real rep-week keeps the whole net
    assert limits_for(1, 10).clock_s == pytest.approx(10)  # a small model's net shrinks
    assert limits_for(0.5, 2).clock_s == 2.0  # a stalled tiny search waits at most the floor
    assert limits_for(1, 40, repeatable=False) == Limits(None, 1)
    assert Limits(100, 2.0).split(2) == Limits(50, 1.0)
    with pytest.raises(ValueError, match="positive clock"):
        Limits(0, 1.0)


def test_portfolio_winner_is_the_same_however_workers_finish() -> None:
    problem = random_week(11, n=18)
    first = solve(problem, time_limit_s=0.5, workers=2)
    second = solve(problem, time_limit_s=0.5, workers=2)
    assert first.objective == second.objective
    assert first.stats["worker"] == second.stats["worker"]
    assert first.stats["cpu_s_all"] >= first.stats["cpu_s"]
