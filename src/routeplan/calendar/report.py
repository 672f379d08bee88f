"""Reports on a calendar: weekly workload per rep, its spread, cadence met, per-client view."""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.calendar.construction import week_masks
from routeplan.config import Settings
from routeplan.model.repday import rep_day


def weekly_workload(calendar: pd.DataFrame, *, weeks: int | None = None) -> pd.DataFrame:
    """Workload per rep and week: visits, service, estimated travel and their sum.

    Parameters
    ----------
    calendar
        The calendar.
    weeks
        Cycle length, to include empty weeks; default the last week in the calendar.

    Returns
    -------
    pandas.DataFrame
        Columns ``rep_id``, ``week``, ``visits``, ``service_min``, ``travel_min``, ``load_min``.

    """
    weeks = weeks or int(calendar["week"].max() if len(calendar) else 0)
    grid = pd.MultiIndex.from_product(
        [sorted(calendar["rep_id"].unique()), range(1, weeks + 1)], names=["rep_id", "week"]
    )
    agg = calendar.groupby(["rep_id", "week"]).agg(
        visits=("client_id", "size"),
        service_min=("service_min", "sum"),
        travel_min=("travel_min", "sum"),
    )
    agg = agg.reindex(grid, fill_value=0)
    agg["load_min"] = agg["service_min"] + agg["travel_min"]
    return agg.reset_index()


def workload_spread(
    calendar: pd.DataFrame, settings: Settings, *, reps: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How far each rep's weekly workload strays from its cycle mean, in percent.

    Weeks in which the rep has no workday at all are left out of the mean and the spread.

    Parameters
    ----------
    calendar
        The calendar.
    settings
        Cycle length, holidays and default workdays.
    reps
        Optional per-rep ``workdays``.

    Returns
    -------
    pandas.DataFrame
        Per rep: ``mean_load_min``, ``min_load_min``, ``max_load_min``, ``max_dev_pct``
        (largest absolute deviation of a week from the mean, %).

    """
    table = weekly_workload(calendar, weeks=settings.cycle.weeks)
    wmask = week_masks(settings)
    default = rep_day(None, settings.workday).workday_mask
    rep_masks: dict[str, int] = {}
    if reps is not None:
        rep_masks = {
            str(row["rep_id"]): rep_day(row, settings.workday).workday_mask
            for row in reps.to_dict("records")
        }
    out = []
    for rep, grp in table.groupby("rep_id", sort=True):
        load = grp.sort_values("week")["load_min"].to_numpy(dtype=float)
        mask = rep_masks.get(str(rep), default)
        cap = np.array([bin(mask & int(m)).count("1") for m in wmask])
        active = cap > 0
        mean = float(load[active].mean()) if active.any() else 0.0
        dev = np.abs(load[active] / mean - 1.0) if mean > 0 else np.zeros(1)
        out.append(
            {
                "rep_id": rep,
                "mean_load_min": mean,
                "min_load_min": float(load[active].min()) if active.any() else 0.0,
                "max_load_min": float(load[active].max()) if active.any() else 0.0,
                "max_dev_pct": 100.0 * float(dev.max()),
            }
        )
    return pd.DataFrame(out)


def cadence_report(
    calendar: pd.DataFrame, clients: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Clients whose number of visits over the cycle differs from their cadence.

    Expected: ``visits_per_week × weeks`` for weekly tiers, ``weeks / every_weeks`` (rounded
    down or up) for the others.

    Parameters
    ----------
    calendar
        The calendar.
    clients
        The clients it was built from.
    settings
        Cadence and cycle length.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``tier``, ``expected``, ``planned``, ``reason_code`` (the calendar's notes
        such as ``holiday_fewer``, or ``not_in_calendar``); empty when every
        client gets its cadence.

    """
    weeks = settings.cycle.weeks
    counts = calendar.groupby("client_id").size()
    notes = calendar.groupby("client_id")["reason_code"].agg(
        lambda r: "; ".join(sorted({p.strip() for s in r for p in s.split(";")[1:]}))
    )
    out = []
    for cid, tier in zip(clients["client_id"].astype(str), clients["tier"], strict=True):
        cad = settings.cadence[str(tier)]
        planned = int(counts.get(cid, 0))
        if cad.visits_per_week:
            lo = hi = cad.visits_per_week * weeks
        else:
            lo, hi = weeks // cad.every_weeks, -(-weeks // cad.every_weeks)
        if not lo <= planned <= hi:
            out.append(
                {
                    "client_id": cid,
                    "tier": tier,
                    "expected": hi if planned < lo else lo,
                    "planned": planned,
                    "reason_code": notes.get(cid, "") or "not_in_calendar",
                }
            )
    return pd.DataFrame(out, columns=["client_id", "tier", "expected", "planned", "reason_code"])


def client_view(calendar: pd.DataFrame, *, weeks: int | None = None) -> pd.DataFrame:
    """Per client, what is planned in each week: a client × week grid of weekdays.

    Parameters
    ----------
    calendar
        The calendar.
    weeks
        Cycle length (columns 1..weeks); default the last week in the calendar.

    Returns
    -------
    pandas.DataFrame
        Index ``client_id``; columns ``rep_id``, ``tier``, then one per week with the day(s)
        ("" when not due; "Mon+Thu" for two visits; "any" for any workday).

    """
    weeks = weeks or int(calendar["week"].max() if len(calendar) else 0)

    def label(rows: pd.DataFrame) -> str:
        days = rows["days"].tolist()
        if len(days) == 1 and len(days[0].split()) > 1:
            return "any" if days[0] == rows["allowed_days"].iloc[0] else days[0].replace(" ", ",")
        return "+".join(days)

    cells = calendar.groupby(["client_id", "week"])[["days", "allowed_days"]].apply(label)
    grid = cells.unstack("week").reindex(columns=range(1, weeks + 1)).fillna("")
    info = calendar.drop_duplicates("client_id").set_index("client_id")[["rep_id", "tier"]]
    return info.join(grid).sort_values(["rep_id", "client_id"])
