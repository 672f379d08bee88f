"""Re-plan the rest of a rep's day from where they are now.

The stops of the day with nothing logged yet are routed again with OR-Tools
(:func:`routeplan.routing.solve`) as a one-day problem: start at the current position and
time, end at home by the day's end, opening hours and (if not taken yet) the lunch break
kept, and waiting at a door costed as the build costs it (``[workday] count_waiting``).
What cannot fit is logged as missed with its reason (``source = replan``), so the next
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
from routeplan.planning.problems import drop_penalty, wait_cost_per_s
from routeplan.routing import (
    REASON_CAPACITY,
    REASON_HOURS,
    REASON_NO_SOLUTION,
    REASON_TIME,
    Day,
    DayRoute,
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
    lunch: tuple[str, str] | None = None


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
    end_s = day.day_end_min * 60
    overtime_s = day.overtime_max_min * 60
    window, rule = (0, 0), 0
    if lunch_open:
        window, rule = lunch_window_from(
            at.now_s,
            day_start_s=day.day_start_min * 60,
            latest_end_s=end_s + overtime_s,
            lunch_at_s=lunch_start,
            lunch_s=lunch_s,
            max_stretch_s=state.settings.workday.max_stretch_min * 60,
        )
    half = (window[1] - window[0]) // 2
    return Day(
        weekday=at.date.weekday(),
        start_node=0,
        end_node=1,
        start_s=at.now_s,
        end_s=end_s,
        lunch_start_s=window[0] + half if lunch_open else None,
        lunch_s=lunch_s if lunch_open else 0,
        max_visits=max(day.max_visits, 1),
        overtime_max_s=overtime_s,
        lunch_window_s=half,
        max_stretch_s=rule,
        wait_cost_per_s=wait_cost_per_s(state.settings.workday),
    )


def lunch_window_from(
    now_s: int,
    *,
    day_start_s: int,
    latest_end_s: int,
    lunch_at_s: int,
    lunch_s: int,
    max_stretch_s: int,
) -> tuple[tuple[int, int], int]:
    """Earliest and latest lunch start for the rest of a day re-planned at ``now_s``.

    The rep has worked since ``day_start_s`` without the break, so the stretch rule of
    ``[workday] max_stretch_min`` is counted from there, not from now: the break starts by
    ``day_start_s + max_stretch_s`` (at once when that is past) and late enough that the
    afternoon up to ``latest_end_s`` keeps the rule too, inside ``lunch_at_s`` ±
    :data:`LUNCH_WINDOW_S`. When no start keeps the rule both ways (a day longer than two
    stretches and a lunch), the wider window is kept with the solver's own rule (second
    value: ``max_stretch_s``, else 0), which counts from now.

    >>> lunch_window_from(10 * 3600, day_start_s=8 * 3600, latest_end_s=17 * 3600,
    ...                   lunch_at_s=12 * 3600, lunch_s=1800, max_stretch_s=16200)
    ((43200, 45000), 0)
    >>> lunch_window_from(12 * 3600 + 2700, day_start_s=8 * 3600, latest_end_s=17 * 3600,
    ...                   lunch_at_s=12 * 3600, lunch_s=1800, max_stretch_s=16200)
    ((45900, 45900), 0)
    """
    earliest = max(now_s, lunch_at_s - LUNCH_WINDOW_S)
    latest = max(now_s, lunch_at_s + LUNCH_WINDOW_S)
    if max_stretch_s <= 0:
        return (earliest, latest), 0
    narrow = (
        max(earliest, latest_end_s - lunch_s - max_stretch_s),
        min(latest, max(now_s, day_start_s + max_stretch_s)),
    )
    if narrow[0] > narrow[1]:
        return (earliest, latest), max_stretch_s
    return narrow, 0


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
        result.lunch = _lunch(route, day, at.now_s)
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


def _lunch(route: DayRoute | None, day: Day, now_s: int) -> tuple[str, str] | None:
    """The break's start and end when it falls between now and the way home.

    Unlike a built day's, a re-planned day has already begun: a break taken at once, before
    leaving for the next stop, is in the day even though the route leaves after it.
    """
    if route is None or not route.stops or day.lunch_s <= 0 or route.lunch_start_s is None:
        return None
    if not now_s <= route.lunch_start_s < route.end_s:
        return None
    return hhmm(route.lunch_start_s), hhmm(route.lunch_start_s + day.lunch_s)


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
