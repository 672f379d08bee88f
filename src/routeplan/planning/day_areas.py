"""Day areas: a rep's week cut into one area per workday, so a day stays in one place.

The clients due in the rep's week are cut into as many angular sectors around home as the
rep has workdays, of about equal visit time (the calendar already gives each week one
compact group of every-N clients, so the areas are cut from the week's clients). Each
sector gets the weekday on which most of the week's fixed-day visits inside it fall (the
AAA/AA weekday patterns of the calendar), so flexible A/B visits are drawn to the days their
key accounts are seen on. Routing only prefers the area's day: a visit moves when that is
cheaper by more than ``OFF_DAY_COST`` seconds of driving.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from routeplan.calendar.phases import sweep_sectors
from routeplan.config import WEEKDAYS

OFF_DAY_COST = 300
"""Objective cost of planning a visit off its area's day, in drive seconds (5 minutes).

At 900 s the pull cost the demo 2.0 of 30.4 drive hours over weeks 1-3 and made days less
even (2 of 18 rep-weeks over the 2x rule) with no gain in day compactness; at 300 s: 29.5 h,
0 of 18, the same compactness, more weekly visits in their slot (``benchmarks/plan_quality.py
--quick``)."""

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


def preferred_weekdays(
    rep_clients: pd.DataFrame,
    due: pd.DataFrame,
    *,
    home: tuple[float, float],
    workdays: tuple[int, ...],
) -> dict[str, int]:
    """The area's weekday of every client due this week (see the module docstring).

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
    sectors = client_sectors(rep_clients, home, len(workdays))
    weekday = sector_weekdays(sectors, due, workdays)
    return {cid: weekday[s] for cid, s in sectors.items() if s in weekday}
