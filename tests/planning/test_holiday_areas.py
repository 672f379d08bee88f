"""A day area whose weekday is a holiday is shared out among the nearest worked areas."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from routeplan.config import CycleConfig, Settings
from routeplan.planning.problems import rep_week_problem
from routeplan.routing import RepWeekProblem
from routeplan.travel.haversine import HaversineProvider

# Monday's area lies west, Friday's east; Wednesday's (a holiday in week 1) is spread between
POSITIONS = {
    "W1": (60.17, 24.00),
    "W2": (60.17, 24.05),
    "M1": (60.17, 24.40),
    "M2": (60.17, 24.60),
    "E1": (60.17, 25.00),
    "E2": (60.17, 24.95),
}
AREA_DAY = {"W1": "Mon", "W2": "Wed", "M1": "Wed", "M2": "Wed", "E1": "Fri", "E2": "Fri"}


def _problem(holidays: list[dt.date]) -> RepWeekProblem:
    settings = Settings(
        cycle=CycleConfig(weeks=4, start_date=dt.date(2027, 1, 4), holidays=holidays)
    )
    rep = pd.Series({"rep_id": "R1", "home_lat": 60.17, "home_lon": 24.5})
    clients = pd.DataFrame(
        [
            {"client_id": c, "lat": lat, "lon": lon, "service_min": 30, "opens": "08:00",
             "closes": "18:00"}
            for c, (lat, lon) in POSITIONS.items()
        ]
    ).set_index("client_id", drop=False)  # fmt: skip
    due = pd.DataFrame(
        [
            {"visit_id": f"v{c}", "client_id": c, "tier": "B", "days": "Mon Tue Wed Thu Fri",
             "area_day": AREA_DAY[c], "phase": 1, "catch_up": False, "slot": "", "priority": 0}
            for c in POSITIONS
        ]
    )  # fmt: skip
    provider = HaversineProvider(settings.travel.speed_kmh, settings.travel.circuity)
    return rep_week_problem(rep, due, clients, settings, provider, week=1)


def _preferred_weekday(problem: RepWeekProblem) -> dict[str, int | None]:
    weekday = [d.weekday for d in problem.days]
    return {
        v.client_id: None if v.preferred_day is None else weekday[v.preferred_day]
        for v in problem.visits
    }


def test_holiday_area_goes_to_the_nearest_worked_areas() -> None:
    problem = _problem([dt.date(2027, 1, 6)])  # Wednesday of week 1
    assert [d.weekday for d in problem.days] == [0, 1, 3, 4]
    preferred = _preferred_weekday(problem)
    # W2 joins Monday's area, M1 (nearer the west) too, M2 Friday's; none is left to chance
    assert preferred == {"W1": 0, "W2": 0, "M1": 0, "M2": 4, "E1": 4, "E2": 4}


def test_areas_keep_their_day_in_a_week_without_holiday() -> None:
    preferred = _preferred_weekday(_problem([]))
    assert preferred == {"W1": 0, "W2": 2, "M1": 2, "M2": 2, "E1": 4, "E2": 4}
