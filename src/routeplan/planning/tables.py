"""Turn rep-week solutions into the :class:`~routeplan.model.plan.WeekPlan` tables."""

from __future__ import annotations

import pandas as pd

from routeplan.config import WEEKDAYS, Settings
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan
from routeplan.planning.reasons import reason_text
from routeplan.routing import RepWeekProblem, RepWeekSolution
from routeplan.timefmt import hhmm


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def rep_week_tables(
    problem: RepWeekProblem,
    solution: RepWeekSolution,
    *,
    rep: pd.Series,
    due: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    week: int,
) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows of ``routes``, ``days`` and ``dropped`` for one rep-week.

    ``due`` is indexed by ``visit_id`` with ``reason`` and ``catch_up``; ``clients`` is indexed
    by ``client_id``.
    """
    monday = settings.cycle.week_start(week)
    routes, days, dropped = [], [], []
    by_day = {r.day: r for r in solution.routes}
    for index, day in enumerate(problem.days):
        date = (monday + pd.Timedelta(days=day.weekday)).isoformat()
        route = by_day.get(index)
        stops = route.stops if route else []
        for stop in stops:
            client = clients.loc[stop.client_id]
            visit = due.loc[stop.visit_id]
            routes.append(
                {
                    "week": week,
                    "rep_id": problem.rep_id,
                    "date": date,
                    "day": WEEKDAYS[day.weekday],
                    "seq": stop.seq,
                    "client_id": stop.client_id,
                    "name": _text(client.get("name")),
                    "tier": _text(client["tier"]),
                    "lat": float(client["lat"]),
                    "lon": float(client["lon"]),
                    "address": _text(client.get("address")),
                    "arrive": hhmm(stop.arrive_s),
                    "start": hhmm(stop.start_s),
                    "depart": hhmm(stop.depart_s),
                    "service_min": round((stop.depart_s - stop.start_s) / 60),
                    "wait_min": round(stop.wait_s / 60),
                    "travel_min": round(stop.travel_s / 60, 1),
                    "km": round(stop.distance_m / 1000, 2),
                    "catch_up": bool(visit["catch_up"]),
                    "reason": _text(visit["reason"]),
                }
            )
        days.append(
            {
                "week": week,
                "rep_id": problem.rep_id,
                "date": date,
                "day": WEEKDAYS[day.weekday],
                "visits": len(stops),
                "start": hhmm(route.start_s if route and stops else day.start_s),
                "end": hhmm(route.end_s if route and stops else day.start_s),
                "travel_min": round((route.travel_s if route else 0) / 60, 1),
                "km": round((route.distance_m if route else 0) / 1000, 2),
                "service_min": sum(round((s.depart_s - s.start_s) / 60) for s in stops),
                "home_lat": float(rep["home_lat"]),
                "home_lon": float(rep["home_lon"]),
            }
        )
    for drop in solution.dropped:
        client = clients.loc[drop.client_id]
        dropped.append(
            {
                "week": week,
                "rep_id": problem.rep_id,
                "client_id": drop.client_id,
                "name": _text(client.get("name")),
                "tier": drop.tier,
                "lat": float(client["lat"]),
                "lon": float(client["lon"]),
                "reason_code": drop.reason,
                "reason": reason_text(drop.reason),
            }
        )
    return routes, days, dropped


def week_plan(week: int, routes: list[dict], days: list[dict], dropped: list[dict]) -> WeekPlan:
    """Assemble the rows of every rep into a :class:`WeekPlan`, in a stable order."""
    return WeekPlan(
        week=week,
        routes=pd.DataFrame(routes, columns=list(ROUTE_COLUMNS))
        .sort_values(["rep_id", "date", "seq"])
        .reset_index(drop=True),
        days=pd.DataFrame(days, columns=list(DAY_COLUMNS))
        .sort_values(["rep_id", "date"])
        .reset_index(drop=True),
        dropped=pd.DataFrame(dropped, columns=list(DROPPED_COLUMNS))
        .sort_values(["rep_id", "tier", "client_id"])
        .reset_index(drop=True),
    )
