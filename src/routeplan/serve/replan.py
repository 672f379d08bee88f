"""Re-plan the rest of a rep's day from where they are now.

The stops of the day with nothing logged yet are routed again with OR-Tools
(:func:`routeplan.routing.solve`) as a one-day problem: start at the current position and
time, end at home by the day's end, opening hours and (if not taken yet) the lunch break
kept. What cannot fit is logged as missed with its reason (``source = replan``), so the next
``build`` brings it back as a catch-up, exactly as a miss imported from a CRM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from routeplan.i18n import N_, Msgid, translate
from routeplan.model.repday import rep_day
from routeplan.planning.problems import drop_penalty
from routeplan.routing import (
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_NO_SOLUTION,
    REASON_TIME,
    Day,
    RepWeekProblem,
    Visit,
    solve,
)
from routeplan.serve.state import FieldState
from routeplan.serve.views import day_outcomes
from routeplan.timefmt import hhmm, seconds_of

LUNCH_WINDOW_S = 3600
"""The lunch break may start up to this long after the rep's lunch time."""
REASON_DAY_OVER = "does not fit: the working day is over"
REASON_LABELS: dict[str, Msgid] = {
    REASON_DAY_OVER: N_("the working day is over"),
    REASON_TIME: N_("no time left today"),
    REASON_HOURS: N_("closed for the rest of today"),
    REASON_CAPACITY: N_("the day is full"),
    REASON_NO_SOLUTION: N_("no feasible route found in time"),
}
"""What the rep reads for each reason code of a stop that cannot fit (codes stay English)."""


def reason_label(reason: str) -> str:
    """The translated sentence of a drop reason (the code itself when unknown)."""
    label = REASON_LABELS.get(reason)
    return translate(label) if label is not None else reason


@dataclass(frozen=True)
class DayPosition:
    """Where and when the rep re-plans from."""

    date: dt.date
    lat: float
    lon: float
    now_s: int
    lunch_taken: bool = False


@dataclass
class Replanned:
    """The new order of the remaining stops and what could not fit."""

    stops: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    end: str | None = None
    status: str = "empty"


def _windows(state: FieldState, client_id: str) -> tuple[tuple[int, int], ...]:
    row = state.clients.loc[client_id]
    opens, closes = row.get("opens"), row.get("closes")
    if isinstance(opens, str) and opens and isinstance(closes, str) and closes:
        return ((seconds_of(opens), seconds_of(closes)),)
    return ()


def _day(state: FieldState, rep_id: str, at: DayPosition) -> Day:
    rep = state.reps.loc[rep_id]
    day = rep_day(rep, state.settings.workday)
    lunch_s = day.lunch_min * 60
    lunch_start = day.lunch_start_min * 60
    lunch_open = lunch_s > 0 and not at.lunch_taken and at.now_s < lunch_start + LUNCH_WINDOW_S
    return Day(
        weekday=at.date.weekday(),
        start_node=0,
        end_node=1,
        start_s=at.now_s,
        end_s=day.day_end_min * 60,
        lunch_start_s=max(lunch_start, at.now_s) if lunch_open else None,
        lunch_s=lunch_s if lunch_open else 0,
        max_visits=max(day.max_visits, 1),
        overtime_max_s=day.overtime_max_min * 60,
        lunch_window_s=LUNCH_WINDOW_S,
    )


def remaining_stops(state: FieldState, week: int, rep_id: str, date: str) -> pd.DataFrame:
    """Planned stops of the day with nothing logged yet, in the planned order."""
    routes = state.rep_routes(week, rep_id, date)
    if routes.empty:
        return routes
    logged = day_outcomes(state, date, [rep_id])
    return routes[~routes["client_id"].isin(list(logged))].reset_index(drop=True)


def day_problem(
    state: FieldState, rep_id: str, remaining: pd.DataFrame, at: DayPosition
) -> RepWeekProblem:
    """The one-day routing problem: node 0 = here, node 1 = home, then the clients."""
    rep = state.reps.loc[rep_id]
    lat = np.array([at.lat, float(rep["home_lat"]), *remaining["lat"].astype(float)])
    lon = np.array([at.lon, float(rep["home_lon"]), *remaining["lon"].astype(float)])
    matrices = state.provider.matrices(lat, lon)
    tiers = state.settings.tier_names
    visits = [
        Visit(
            visit_id=f"{row.client_id}@{i}",
            client_id=str(row.client_id),
            node=i + 2,
            service_s=int(row.service_min) * 60,
            tier=str(row.tier),
            allowed_days=(0,),
            windows=_windows(state, str(row.client_id)),
            penalty=drop_penalty(str(row.tier), tiers),
        )
        for i, row in enumerate(remaining.itertuples(index=False))
    ]
    return RepWeekProblem(
        duration_s=matrices.duration_s,
        distance_m=matrices.distance_m,
        days=[_day(state, rep_id, at)],
        visits=visits,
        rep_id=rep_id,
    )


def _dropped_all(remaining: pd.DataFrame, reason: str) -> list[dict[str, str]]:
    return [
        {"client_id": str(c), "name": str(n), "reason": reason, "label": reason_label(reason)}
        for c, n in zip(remaining["client_id"], remaining["name"], strict=True)
    ]


def replan_day(state: FieldState, week: int, rep_id: str, at: DayPosition) -> Replanned:
    """Re-solve the rest of the day; log what cannot fit as missed (source ``replan``)."""
    remaining = remaining_stops(state, week, rep_id, at.date.isoformat())
    if remaining.empty:
        return Replanned()
    names = dict(zip(remaining["client_id"].astype(str), remaining["name"], strict=True))
    day = _day(state, rep_id, at)
    if at.now_s >= day.end_s:
        result = Replanned(dropped=_dropped_all(remaining, REASON_DAY_OVER), status="day_over")
    else:
        solution = solve(
            day_problem(state, rep_id, remaining, at),
            time_limit_s=state.options.replan_time_limit_s,
            seed=state.settings.solver.seed,
        )
        result = Replanned(status=solution.status)
        route = solution.routes[0] if solution.routes else None
        for stop in route.stops if route else []:
            result.stops.append(
                {
                    "seq": stop.seq,
                    "client_id": stop.client_id,
                    "name": str(names[stop.client_id]),
                    "arrive": hhmm(stop.arrive_s),
                    "start": hhmm(stop.start_s),
                    "depart": hhmm(stop.depart_s),
                    "km": round(stop.distance_m / 1000, 2),
                }
            )
        result.end = hhmm(route.end_s) if route and route.stops else None
        result.dropped = [
            {
                "client_id": d.client_id,
                "name": str(names[d.client_id]),
                "reason": d.reason,
                "label": reason_label(d.reason),
            }
            for d in solution.dropped
        ]
    planned = [
        str(c) for c in remaining["client_id"] if c in {s["client_id"] for s in result.stops}
    ]
    result.moved = [
        s["client_id"] for s, c in zip(result.stops, planned, strict=True) if s["client_id"] != c
    ]
    _log_dropped(state, rep_id, at.date, result.dropped)
    return result


def _log_dropped(state: FieldState, rep_id: str, date: dt.date, dropped: list[dict]) -> int:
    if not dropped:
        return 0
    log = pd.DataFrame(
        {
            "client_id": [d["client_id"] for d in dropped],
            "date": date.isoformat(),
            "status": "missed",
            "rep_id": rep_id,
            "note": [f"re-plan: {d['reason']}" for d in dropped],
        }
    )
    start = state.settings.cycle.start_date
    return state.locked(lambda store: store.record_visits(log, cycle_start=start, source="replan"))
