"""Day areas for the calendar's client table: one :class:`RepAreas` per rep, kept or new.

The calendar computes the areas once (when it is built) and stores them with every row;
updates keep each client's stored area and put new clients in the nearest area of their
rep, so the areas of a cycle do not move from week to week.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.calendar.day_areas import RepAreas, nearest_area_day, rep_areas


def weekly_weight(prep: pd.DataFrame) -> np.ndarray:
    """Weekly workload of each client, minutes: visit load times visits a week."""
    per_week = np.where(prep["per_week"] > 0, prep["per_week"], 1.0 / prep["every"])
    return prep["load"].to_numpy(float) * np.asarray(per_week, dtype=float)


def _pinned_areas(
    grp: pd.DataFrame, pinned: dict[str, tuple[int, int]], workdays: list[int]
) -> RepAreas | None:
    """The rep's stored areas, new clients in the nearest one; None when none is stored."""
    known = [pinned.get(c) for c in grp["client_id"]]
    if not any(p is not None and p[0] > 0 for p in known):
        return None
    xy = grp[["x", "y"]].to_numpy(float)
    k = max(len(workdays), max(p[0] for p in known if p is not None))
    weekday = np.array(alternating_days_fill(workdays, k), dtype=int)
    centroid = np.zeros((k, 2))
    has = np.zeros(k, dtype=bool)
    for a in range(k):
        rows = [i for i, p in enumerate(known) if p is not None and p[0] == a + 1]
        if rows:
            centroid[a] = xy[rows].mean(axis=0)
            weekday[a] = known[rows[0]][1]  # type: ignore[index]
            has[a] = True
    label = np.empty(len(grp), dtype=int)
    for i, p in enumerate(known):
        if p is not None and p[0] > 0:
            label[i] = p[0] - 1
        else:
            d = np.linalg.norm(centroid - xy[i], axis=1)
            label[i] = int(np.argmin(np.where(has, d, np.inf)))
    return RepAreas(label=label, weekday=weekday, centroid=centroid)


def alternating_days_fill(workdays: list[int], k: int) -> list[int]:
    """``k`` weekdays for areas with no stored day (workdays repeated as needed)."""
    days = sorted(workdays) or [0]
    return [days[i % len(days)] for i in range(k)]


def assign_day_areas(
    prep: pd.DataFrame,
    rep_masks: dict[str, int],
    *,
    pinned: dict[str, tuple[int, int]] | None = None,
) -> dict[str, RepAreas]:
    """Add ``day_area`` (1-based) and ``area_day`` (weekday index, -1 none) to ``prep``.

    Parameters
    ----------
    prep
        The calendar's client table (``client_id``, ``rep_id``, ``x``, ``y``, ``home_x``,
        ``home_y``, ``load``, ``per_week``, ``every``, ``mask``, ``names``); changed in place.
    rep_masks
        Workday bitmask of each rep.
    pinned
        Stored ``(day_area, weekday)`` of clients already in the calendar.

    Returns
    -------
    dict of str to RepAreas
        The areas of each rep.

    """
    weight = weekly_weight(prep)
    prep["day_area"] = 0
    prep["area_day"] = -1
    out: dict[str, RepAreas] = {}
    for rep, idx in prep.groupby("rep_id", sort=True).indices.items():
        grp = prep.iloc[idx]
        workdays = [d for d in range(7) if rep_masks[str(rep)] >> d & 1]
        areas = _pinned_areas(grp, pinned or {}, workdays)
        if areas is None:
            home = grp[["home_x", "home_y"]].to_numpy(float)[0]
            areas = rep_areas(
                grp[["x", "y"]].to_numpy(float),
                weight[idx],
                home=home,
                workdays=workdays,
                names=grp["names"].astype(str).tolist(),
            )
        xy = grp[["x", "y"]].to_numpy(float)
        days = []
        for i, mask in enumerate(grp["mask"].astype(int)):
            own = areas.day_of(i)
            days.append(own if mask >> own & 1 else nearest_area_day(areas, xy[i], mask))
        prep.iloc[idx, prep.columns.get_loc("day_area")] = areas.label + 1
        prep.iloc[idx, prep.columns.get_loc("area_day")] = days
        out[str(rep)] = areas
    return out
