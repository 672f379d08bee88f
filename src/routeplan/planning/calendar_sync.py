"""The stored cycle calendar brought up to date (or built on first use) for a build."""

from __future__ import annotations

import pandas as pd

from routeplan.calendar.construction import settings_fingerprint
from routeplan.calendar.updates import replan_from, sync_calendar
from routeplan.config import Settings
from routeplan.planning.store import PlanStore


def load_or_build_calendar(
    store: PlanStore,
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    rebuild: bool = False,
    replan_week: int | None = None,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The calendar for ``build``: stored one brought up to date, or built on first use.

    A change of the calendar-relevant settings (cadence, cycle, workdays, ``[calendar]``)
    rebuilds it; otherwise new, removed, re-tiered, re-assigned or re-locked clients are
    handled without moving anyone else. ``replan_week`` rebuilds from that week on.

    Parameters
    ----------
    store
        The plan store.
    clients
        Tiered clients with ``rep_id``.
    settings
        The settings.
    reps
        Optional reps table (workdays, home).
    rebuild
        Rebuild the whole calendar.
    replan_week
        Rebuild from this week on, keeping earlier weeks.

    Returns
    -------
    tuple
        The calendar and the changes (see :func:`routeplan.calendar.updates.sync_calendar`).

    """
    fingerprint = settings_fingerprint(settings)
    stored = store.load_calendar()
    locks = store.locks()
    stale = store.calendar_fingerprint() != fingerprint
    calendar, changes = sync_calendar(
        stored, clients, settings, reps=reps, locks=locks, rebuild=rebuild or stale
    )
    if replan_week is not None and not changes["built"]:
        calendar = replan_from(calendar, clients, settings, replan_week, reps=reps, locks=locks)
        changes["built"] = [f"from week {replan_week}"]
    if any(changes.values()):
        store.save_calendar(calendar, fingerprint=fingerprint)
    return calendar, changes
