"""Turn rep-week solutions into the :class:`~routeplan.model.plan.WeekPlan` tables."""

from __future__ import annotations

import pandas as pd

from routeplan.config import WEEKDAYS, Settings
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan
from routeplan.model.reasons import reason_text
from routeplan.routing import DayRoute, RepWeekProblem, RepWeekSolution
from routeplan.timefmt import hhmm


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def lunch_times(route: DayRoute | None, lunch_s: int) -> tuple[str, str]:
    """``(start, end)`` HH:MM of the day's lunch break, or empty when not within the day."""
    if route is None or not route.stops or not route.lunch_in_day or route.lunch_start_s is None:
        return "", ""
    return hhmm(route.lunch_start_s), hhmm(route.lunch_start_s + lunch_s)


def break_stop(route: DayRoute) -> int | None:
    """Index of the stop the lunch break is shown on: the first one it comes before, else last.

    The break lies between the previous departure and this stop's start of service; when it
    follows the last visit (on the way home) it is shown on the last stop.
    """
    if not route.stops or not route.lunch_in_day or route.lunch_start_s is None:
        return None
    for k, stop in enumerate(route.stops):
        if route.lunch_start_s < stop.start_s:
            return k
    return len(route.stops) - 1


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

    ``due`` is indexed by ``visit_id`` with ``reason_code`` and ``catch_up``; ``clients`` is indexed
    by ``client_id``.
    """
    monday = settings.cycle.week_start(week)
    routes, days, dropped = [], [], []
    by_day = {r.day: r for r in solution.routes}
    for index, day in enumerate(problem.days):
        date = (monday + pd.Timedelta(days=day.weekday)).isoformat()
        route = by_day.get(index)
        stops = route.stops if route else []
        lunch = lunch_times(route, day.lunch_s)
        at = break_stop(route) if route else None
        for k, stop in enumerate(stops):
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
                    "reason_code": _text(visit["reason_code"]),
                    "reason": reason_text(visit["reason_code"]),
                    "break_start": lunch[0] if k == at else "",
                    "break_end": lunch[1] if k == at else "",
                    "priority": int(visit.get("priority", 0) or 0),
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
                "lunch_start": lunch[0],
                "lunch_end": lunch[1],
            }
        )
    for drop in solution.dropped:
        client = clients.loc[drop.client_id]
        visit = due.loc[drop.visit_id]
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
                "catch_up": bool(visit["catch_up"]),
                "priority": int(visit.get("priority", 0) or 0),
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
