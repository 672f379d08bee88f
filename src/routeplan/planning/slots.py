"""Regular slots: a weekly client keeps its weekday and time from week to week.

The first routed week stores the start of every regular visit on its weekday in the plan
store (:meth:`~routeplan.planning.store.PlanStore.slots`); the next weeks give routing a soft
window of ``[workday] slot_tolerance_min`` around it on the client's usual weekday: its area
day (see :mod:`routeplan.calendar.day_areas`), or the one weekday its visit is pinned to.
"""

from __future__ import annotations

import pandas as pd

from routeplan.config import Settings
from routeplan.planning.store import PlanStore


def slot_days(due: pd.DataFrame) -> list[str]:
    """The weekday whose slot each due visit keeps to (empty: none this week).

    A visit allowed on one weekday keeps that day's slot; a visit with a choice of days
    keeps the slot of its area day when that day is among them (not a holiday this week).
    """
    area = due["area_day"].fillna("").astype(str) if "area_day" in due else pd.Series("", due.index)
    out = []
    for days, area_day in zip(due["days"].astype(str), area, strict=True):
        names = days.split()
        if len(names) == 1:
            out.append(names[0])
        else:
            out.append(area_day if area_day in names else "")
    return out


def with_slots(
    due: pd.DataFrame, store: PlanStore | None, *, week: int, settings: Settings
) -> pd.DataFrame:
    """Add ``slot`` (HH:MM or empty): the regular time of a weekly visit on its usual weekday.

    Regular (not catch-up) visits of weekly tiers get the slot stored for their usual
    weekday (:func:`slot_days`); routing keeps them within ``[workday] slot_tolerance_min``.

    Parameters
    ----------
    due
        The week's due visits (``client_id``, ``days``, ``phase``, ``catch_up``, optional
        ``area_day``).
    store
        The plan store, or None (no slots).
    week
        The week being planned: slots of earlier weeks apply.
    settings
        ``[workday] regular_slots`` switches slots on.

    Returns
    -------
    pandas.DataFrame
        ``due`` with a ``slot`` column.

    """
    due = due.assign(slot="")
    if store is None or not settings.workday.regular_slots or due.empty:
        return due
    slots = store.slots(week)
    if slots.empty:
        return due
    start = slots.set_index(["client_id", "day"])["start"]
    weekly = ((due["phase"] == 0) & ~due["catch_up"].astype(bool)).tolist()
    keys = zip(due["client_id"].astype(str), slot_days(due), strict=True)
    due["slot"] = [
        str(start.get((cid, day), "")) if ok and day else ""
        for (cid, day), ok in zip(keys, weekly, strict=True)
    ]
    return due
