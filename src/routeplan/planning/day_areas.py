"""Day areas for routing: the weekday each due visit prefers, so a day stays in one place.

The calendar stores each client's day area of the cycle and its weekday (``area_day``, see
:mod:`routeplan.calendar.day_areas`): stable from week to week, so weekly and monthly
clients keep their weekday. A calendar without them (an older store) falls back to areas
cut from the week alone: the clients due in the rep's week are cut into as many angular
sectors around home as the rep has workdays, of about equal visit time, and each sector
gets the weekday on which most of the week's fixed-day visits inside it fall. Routing only
prefers the area's day: a visit moves when that is cheaper by more than ``OFF_DAY_COST``
seconds of driving (or the day is full).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from routeplan.calendar.phases import sweep_sectors
from routeplan.config import WEEKDAYS

OFF_DAY_COST = 1800
"""Objective cost of planning a visit off its area's day, in drive seconds (30 minutes)."""

WEEKLY_OFF_DAY_COST = 2 * 3600
"""The same for a regular visit of a weekly client (two hours): its weekday is the service
the buyer counts on, so it moves only when its day is full or closed, not to even out days."""


def off_day_cost(phase: int, catch_up: bool) -> int | None:
    """The off-day cost of one visit (None: the problem's :data:`OFF_DAY_COST`).

    :data:`WEEKLY_OFF_DAY_COST` for a regular (not catch-up) visit of a weekly tier.
    """
    return WEEKLY_OFF_DAY_COST if phase == 0 and not catch_up else None


KM_PER_DEG = 111.32


def client_sectors(clients: pd.DataFrame, home: tuple[float, float], parts: int) -> dict[str, int]:
    """Sector (0..parts-1) of every client of one rep, balanced by visit time.

    Parameters
    ----------
    clients
        The rep's clients: ``client_id``, ``lat``, ``lon``, ``service_min``.
    home
        (lat, lon) of the rep's home.
    parts
        Number of areas (the rep's workdays).

    Returns
    -------
    dict of str to int
        Sector of each client id.

    """
    lat = clients["lat"].to_numpy(float)
    lon = clients["lon"].to_numpy(float)
    scale = np.cos(np.radians(home[0]))
    xy = np.column_stack([(lon - home[1]) * KM_PER_DEG * scale, (lat - home[0]) * KM_PER_DEG])
    weight = pd.to_numeric(clients["service_min"], errors="coerce").fillna(0).to_numpy(float)
    labels = sweep_sectors(xy, weight, np.zeros(2), parts)
    return dict(zip(clients["client_id"].astype(str), labels.tolist(), strict=True))


def sector_weekdays(
    sectors: dict[str, int], due: pd.DataFrame, workdays: tuple[int, ...]
) -> dict[int, int]:
    """Weekday of each sector: where the week's fixed-day visits of that sector fall most.

    Parameters
    ----------
    sectors
        From :func:`client_sectors`.
    due
        The rep's visits this week: ``client_id``, ``days`` (weekday names).
    workdays
        The rep's weekdays (0 = Monday), one per sector.

    Returns
    -------
    dict of int to int
        Weekday per sector (a one-to-one assignment maximising the fixed visits matched).

    """
    parts = len(workdays)
    votes = np.zeros((parts, parts))
    column = {day: k for k, day in enumerate(workdays)}
    for cid, days in zip(due["client_id"].astype(str), due["days"].astype(str), strict=True):
        names = days.split()
        if len(names) == 1 and cid in sectors and WEEKDAYS.index(names[0]) in column:
            votes[sectors[cid], column[WEEKDAYS.index(names[0])]] += 1
    rows, cols = linear_sum_assignment(-votes)
    return {int(r): workdays[int(c)] for r, c in zip(rows, cols, strict=True)}


def stored_area_days(due: pd.DataFrame) -> dict[str, int]:
    """Weekday index of the calendar's ``area_day`` of each due client (empty when none)."""
    if "area_day" not in due.columns:
        return {}
    days = due["area_day"].fillna("").astype(str)
    known = days.isin(WEEKDAYS)
    return {
        str(c): WEEKDAYS.index(d)
        for c, d in zip(due.loc[known, "client_id"], days[known], strict=True)
    }


def preferred_weekdays(
    rep_clients: pd.DataFrame,
    due: pd.DataFrame,
    *,
    home: tuple[float, float],
    workdays: tuple[int, ...],
) -> dict[str, int]:
    """The area's weekday of every client due this week (see the module docstring).

    The calendar's ``area_day`` when ``due`` has it, else areas cut from the week's clients.

    Parameters
    ----------
    rep_clients
        The rep's clients to cut into areas (``client_id``, ``lat``, ``lon``,
        ``service_min``), e.g. those due this week.
    due
        The rep's visits this week (``client_id``, ``days``).
    home
        (lat, lon) of the rep's home.
    workdays
        The rep's weekdays (0 = Monday).

    Returns
    -------
    dict of str to int
        Weekday per client id (clients outside ``rep_clients`` are left out).

    """
    if len(workdays) < 2 or rep_clients.empty:
        return {}
    stored = stored_area_days(due)
    if stored:
        return stored
    sectors = client_sectors(rep_clients, home, len(workdays))
    weekday = sector_weekdays(sectors, due, workdays)
    return {cid: weekday[s] for cid, s in sectors.items() if s in weekday}


def holiday_area_days(
    area_day: dict[str, int],
    positions: pd.DataFrame,
    worked: set[int],
) -> dict[str, int]:
    """The area days of one week: an area whose weekday is not worked goes to its neighbours.

    A client whose area's weekday is a holiday (or otherwise not worked) this week takes the
    weekday of the worked area whose centre (the mean position of this week's clients in it)
    is nearest to the client, so the idle area is shared out by place among the areas around
    it instead of scattered over the week.

    Parameters
    ----------
    area_day
        Weekday of each due client's area (:func:`preferred_weekdays`).
    positions
        ``lat`` and ``lon`` of the clients, indexed by ``client_id``.
    worked
        The weekdays worked this week.

    Returns
    -------
    dict of str to int
        ``area_day`` with the clients of idle areas moved; unchanged when no area is idle or
        no area is worked.

    Examples
    --------
    >>> where = pd.DataFrame(
    ...     {"lat": [60.0, 60.0, 60.0, 60.0], "lon": [24.0, 24.1, 24.9, 25.0]},
    ...     index=["west", "west2", "east2", "east"],
    ... )
    >>> days = {"west": 0, "west2": 2, "east2": 2, "east": 4}  # Wednesday is a holiday
    >>> holiday_area_days(days, where, {0, 1, 3, 4})
    {'west': 0, 'west2': 0, 'east2': 4, 'east': 4}
    """
    idle = {d for d in area_day.values() if d not in worked}
    if not idle or not set(area_day.values()) & worked:
        return area_day
    ids = [c for c in area_day if c in positions.index]
    lat = positions.loc[ids, "lat"].to_numpy(float)
    lon = positions.loc[ids, "lon"].to_numpy(float)
    scale = np.cos(np.radians(float(np.mean(lat))))
    xy = np.column_stack([lon * scale, lat])
    day = np.array([area_day[c] for c in ids])
    centres = {d: xy[day == d].mean(axis=0) for d in sorted(set(day.tolist()) & worked)}
    out = dict(area_day)
    for k, cid in enumerate(ids):
        if day[k] in idle:
            out[cid] = min(centres, key=lambda d: (float(np.linalg.norm(centres[d] - xy[k])), d))
    return out
