"""What ``[workday] shape = "compact"`` leaves free on purpose: whole days and afternoons."""

from __future__ import annotations

import pandas as pd

from routeplan.config import Settings, minutes_of
from routeplan.i18n import _
from routeplan.model.plan import WeekPlan
from routeplan.model.repday import rep_day


def free_day_notes(
    plan: WeekPlan, settings: Settings, reps: pd.DataFrame | None = None
) -> list[str]:
    """With ``[workday] shape = "compact"``, the days and afternoons left free, per rep.

    Parameters
    ----------
    plan
        The week's plan (its ``days`` table: ``rep_id``, ``day``, ``date``, ``visits``,
        ``end``).
    settings
        Validated settings.
    reps
        The reps table, for per-rep working hours (default: the ``[workday]`` hours).

    Returns
    -------
    list of str
        One note per rep with a free workday, one per rep with a free afternoon: a worked day
        the rep is home by the middle of the working day (lunch counted), empty under any
        other shape.

    """
    if settings.workday.shape != "compact":
        return []
    days = plan.days
    notes = [
        _(
            "rep {rep}, week {week}: {days} left free on purpose (shape = compact), e.g. for "
            "prospecting",
            rep=rep_id,
            week=plan.week,
            days=", ".join(f"{d} {date}" for d, date in zip(grp["day"], grp["date"], strict=True)),
        )
        for rep_id, grp in days[days["visits"] == 0].groupby("rep_id", sort=True)
    ]
    if "end" not in days.columns:
        return notes
    midday = _middays(days, settings, reps)
    worked = days[days["visits"] > 0]
    ends = worked["end"].map(lambda t: minutes_of(str(t)))
    early = worked[ends.to_numpy() <= worked["rep_id"].map(midday).to_numpy()]
    for rep_id, grp in early.groupby("rep_id", sort=True):
        afternoons = ", ".join(
            _("{day} {date} from {time}", day=d, date=date, time=end)
            for d, date, end in zip(grp["day"], grp["date"], grp["end"], strict=True)
        )
        notes.append(
            _(
                "rep {rep}, week {week}: afternoon free on purpose (shape = compact): {afternoons}",
                rep=rep_id,
                week=plan.week,
                afternoons=afternoons,
            )
        )
    return notes


def _middays(days: pd.DataFrame, settings: Settings, reps: pd.DataFrame | None) -> dict[str, int]:
    """Minute of the middle of each rep's working day (lunch counted in the morning half)."""
    by_id = {} if reps is None else {str(r["rep_id"]): r for _, r in reps.iterrows()}
    out = {}
    for rep_id in days["rep_id"].astype(str).unique():
        day = rep_day(by_id.get(rep_id), settings.workday)
        out[rep_id] = (day.day_start_min + day.day_end_min + day.lunch_min) // 2
    return out
