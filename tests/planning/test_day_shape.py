"""Day shape and day areas: how a rep-week's visits are spread over its days."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from routeplan.config import Settings
from routeplan.model.plan import WeekPlan
from routeplan.planning.day_areas import preferred_weekdays
from routeplan.planning.problems import COMPACT_DAY_COST, WAIT_COST_PER_S, rep_days, shaped_days
from routeplan.planning.week import free_day_notes
from routeplan.routing import Day, RepWeekProblem, Visit, solve

H = 3600


def _days(n: int) -> list[Day]:
    return [Day(weekday=d, start_node=0, end_node=0, start_s=8 * H, end_s=17 * H) for d in range(n)]


def _problem(shape: str) -> RepWeekProblem:
    """Two days, six 40-minute visits in one cluster 5 km from home: one day would do."""
    xy = np.array([[0.0, 0.0]] + [[5.0 + 0.1 * i, 0.0] for i in range(6)])
    km = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    duration, distance = np.rint(km * 120).astype(np.int64), np.rint(km * 1000).astype(np.int64)
    visits = [Visit(f"v{i}", f"c{i}", i, 40 * 60, "B", (0, 1)) for i in range(1, 7)]
    return RepWeekProblem(duration, distance, shaped_days(_days(2), visits, shape), visits)


def test_even_shape_uses_both_days_free_packs_one() -> None:
    free = solve(_problem("free"), time_limit_s=1.0)
    assert sorted(len(r.stops) for r in free.routes) == [0, 6]
    even = solve(_problem("even"), time_limit_s=1.0)
    # each day within the band (72-162 min of visits around the 120-minute mean): 2+ visits
    assert min(len(r.stops) for r in even.routes) >= 2
    assert even.travel_s > free.travel_s  # the price of even days, paid knowingly


def test_shaped_days_per_setting() -> None:
    visits = [Visit(f"v{i}", f"c{i}", i, 1800, "B", (0, 1)) for i in range(1, 5)]
    days = _days(2)
    assert shaped_days(days, visits, "free") == days
    compact = shaped_days(days, visits, "compact")
    assert [d.used_cost for d in compact] == [COMPACT_DAY_COST] * 2
    even = shaped_days(days, visits, "even")
    assert all(d.min_work_s < 2 * 1800 < (d.max_work_s or 0) for d in even)
    assert even[0] == dataclasses.replace(
        days[0], min_work_s=even[0].min_work_s, max_work_s=even[0].max_work_s,
        shape_cost_per_s=even[0].shape_cost_per_s,
    )  # fmt: skip


def test_day_areas_follow_the_key_accounts_weekday() -> None:
    # home at the origin; five clients to the east, five to the west; the east AAA on Tue
    rows = [(f"E{i}", 60.0 + 0.001 * i, 25.1) for i in range(5)]
    rows += [(f"W{i}", 60.0 + 0.001 * i, 24.9) for i in range(5)]
    clients = pd.DataFrame(rows, columns=["client_id", "lat", "lon"]).assign(service_min=30)
    due = clients[["client_id"]].assign(days="Mon Tue")
    due.loc[due["client_id"] == "E0", "days"] = "Tue"
    weekday = preferred_weekdays(clients, due, home=(60.0, 25.0), workdays=(0, 1))
    assert {weekday[f"E{i}"] for i in range(5)} == {1}
    assert {weekday[f"W{i}"] for i in range(5)} == {0}


def test_compact_says_which_days_it_frees() -> None:
    days = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R2"],
            "day": ["Mon", "Fri", "Fri"],
            "date": ["2027-01-11", "2027-01-15", "2027-01-15"],
            "visits": [9, 0, 7],
        }
    )
    plan = WeekPlan.__new__(WeekPlan)
    plan.week, plan.days = 2, days
    compact = Settings(workday={"shape": "compact"})
    assert free_day_notes(plan, compact) == [
        "rep R1, week 2: Fri 2027-01-15 left free on purpose (shape = compact), e.g. for "
        "prospecting"
    ]
    assert free_day_notes(plan, Settings()) == []


def test_compact_says_which_afternoons_it_frees() -> None:
    days = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R1"],
            "day": ["Mon", "Tue", "Wed"],
            "date": ["2027-01-11", "2027-01-12", "2027-01-13"],
            "visits": [9, 4, 3],
            "end": ["16:50", "12:40", "13:20"],
        }
    )
    plan = WeekPlan.__new__(WeekPlan)
    plan.week, plan.days = 2, days
    compact = Settings(workday={"shape": "compact"})
    # 08:00-17:00 with 30 min lunch: home by 12:45 leaves the afternoon free
    assert free_day_notes(plan, compact) == [
        "rep R1, week 2: afternoon free on purpose (shape = compact): Tue 2027-01-12 from 12:40"
    ]
    reps = pd.DataFrame([{"rep_id": "R1", "day_end": "19:00"}])
    assert free_day_notes(plan, compact, reps)[0].endswith(
        "Tue 2027-01-12 from 12:40, Wed 2027-01-13 from 13:20"
    )


def test_compact_build_frees_the_days_it_names(tmp_path) -> None:
    from helpers.world import write_world

    from routeplan.planning.prepare import prepare
    from routeplan.planning.week import build_week

    world = write_world(tmp_path / "world")
    with (world / "routeplan.toml").open("a") as toml:
        toml.write('\n[workday]\nshape = "compact"\n')
    prepared = prepare(world)
    result = build_week(prepared, 1, workers=1)
    days = result.plan.days
    notes = [w for w in result.warnings if "(shape = compact)" in w]
    for rep_id, grp in days.groupby("rep_id"):
        free = grp[grp["visits"] == 0]
        named = [n for n in notes if n.startswith(f"rep {rep_id},") and "left free" in n]
        assert len(free) >= 1  # a light week fits in fewer days
        assert len(named) == 1
        assert all(
            f"{d} {date}" in named[0] for d, date in zip(free["day"], free["date"], strict=True)
        )
    assert result.plan.dropped.empty  # freeing days dropped no visit
    workday = prepared.settings.workday.model_copy(update={"shape": "even"})
    settings = prepared.settings.model_copy(update={"workday": workday})
    even = build_week(dataclasses.replace(prepared, settings=settings), 1, workers=1)
    assert (even.plan.days["visits"] > 0).all()
    assert not [w for w in even.warnings if "(shape = compact)" in w]


def test_count_waiting_gives_every_workday_the_wait_cost() -> None:
    rep = pd.Series({"rep_id": "R1", "home_lat": 60.17, "home_lon": 24.94})
    settings = Settings()
    assert {d.wait_cost_per_s for d in rep_days(rep, settings, week=1)} == {WAIT_COST_PER_S}
    off = settings.model_copy(
        update={"workday": settings.workday.model_copy(update={"count_waiting": False})}
    )
    assert {d.wait_cost_per_s for d in rep_days(rep, off, week=1)} == {0}
