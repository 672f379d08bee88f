"""Regular service: weekly clients keep their weekday and time within ±60 min from week to week."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from helpers.world import tiny_clients, tiny_reps, write_world

from routeplan.config import minutes_of
from routeplan.planning.prepare import prepare
from routeplan.planning.store import PlanStore
from routeplan.planning.week import build_week

WEEKS = 3


def _clients() -> pd.DataFrame:
    """30 clients over the two zones: per zone one AAA, four AA (weekly), ten B."""
    clients = tiny_clients().iloc[:30].copy()
    rank = pd.Series(range(30)) // 2  # the two zones alternate
    clients["tier"] = ["AAA" if r == 0 else "AA" if r <= 4 else "B" for r in rank]
    clients["opens"], clients["closes"] = "08:00", "18:00"
    return clients


def _build_cycle(folder: Path, store_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    prepared = prepare(folder)
    routes = []
    with PlanStore(store_path) as store:
        for week in range(1, WEEKS + 1):
            result = build_week(prepared, week, store=store, workers=1)
            store.save_week_plan(result.plan)
            routes.append(result.plan.routes)
        slots = store.slots(WEEKS + 1)
        calendar = store.load_calendar()
    assert calendar is not None
    return pd.concat(routes, ignore_index=True), slots.merge(
        calendar.drop_duplicates("client_id")[["client_id", "area_day"]], on="client_id"
    )


def test_weekly_clients_keep_weekday_and_time_over_three_weeks(tmp_path: Path) -> None:
    folder = write_world(tmp_path / "data", _clients(), tiny_reps())
    routes, slots = _build_cycle(folder, tmp_path / "plan.sqlite")
    weekly = routes[(routes["tier"] == "AA") & ~routes["catch_up"].astype(bool)]
    assert weekly["client_id"].nunique() == 8
    assert sorted(weekly.groupby("client_id")["week"].nunique().unique()) == [WEEKS]
    for cid, grp in weekly.groupby("client_id"):
        assert grp["day"].nunique() == 1, (cid, grp[["week", "day", "start"]])
        start = grp.sort_values("week")["start"].map(minutes_of).to_numpy()
        assert abs(start - start[0]).max() <= 60, (cid, grp[["week", "day", "start"]])
    # the weekday kept is the client's area day, and its slot is stored in the plan store
    days = weekly.groupby("client_id")["day"].first()
    mine = slots.set_index("client_id")
    for cid, day in days.items():
        assert day in set(mine.loc[[cid], "area_day"])
        assert day in set(mine.loc[[cid], "day"])
