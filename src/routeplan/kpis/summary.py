"""Summary tables of a week plan, as the build prints them."""

from __future__ import annotations

import pandas as pd

from routeplan.model.plan import WeekPlan


def rep_summary(plan: WeekPlan, due: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Per rep: planned/due visits per tier, dropped, drive hours, km and latest return home.

    Parameters
    ----------
    plan
        The week plan.
    due
        The visits due this week (``rep_id``, ``tier``).
    tiers
        Tier names in priority order (one column each, as ``planned/due``).

    Returns
    -------
    pandas.DataFrame
        One row per rep and a final ``all`` row.

    """
    groups = [*sorted(set(due["rep_id"]) | set(plan.days["rep_id"])), "all"]
    rows = []
    for rep_id in groups:

        def pick(table: pd.DataFrame, rep: str = rep_id) -> pd.DataFrame:
            return table if rep == "all" else table[table["rep_id"] == rep]

        routes, days, rep_due = pick(plan.routes), pick(plan.days), pick(due)
        row: dict[str, object] = {"rep": rep_id}
        for tier in tiers:
            row[tier] = f"{(routes['tier'] == tier).sum()}/{(rep_due['tier'] == tier).sum()}"
        row["planned"] = len(routes)
        row["dropped"] = len(pick(plan.dropped))
        row["drive h"] = round(days["travel_min"].sum() / 60, 1)
        row["km"] = round(days["km"].sum(), 1)
        worked = days[days["visits"] > 0]
        row["last home"] = worked["end"].max() if len(worked) else ""
        rows.append(row)
    return pd.DataFrame(rows)
