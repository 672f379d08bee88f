"""Summary tables of a week plan, as the build prints them."""

from __future__ import annotations

import pandas as pd

from routeplan.plan import WeekPlan


def rep_summary(plan: WeekPlan, due: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Per rep: visits due, planned and dropped per tier, drive hours, km, longest day."""
    rows = []
    for rep_id in sorted(set(due["rep_id"]) | set(plan.days["rep_id"])):
        routes = plan.routes[plan.routes["rep_id"] == rep_id]
        dropped = plan.dropped[plan.dropped["rep_id"] == rep_id]
        days = plan.days[plan.days["rep_id"] == rep_id]
        row: dict[str, object] = {"rep": rep_id, "due": int((due["rep_id"] == rep_id).sum())}
        for tier in tiers:
            row[f"{tier} planned"] = int((routes["tier"] == tier).sum())
        row["planned"] = len(routes)
        row["dropped"] = len(dropped)
        row["drive h"] = round(days["travel_min"].sum() / 60, 1)
        row["km"] = round(days["km"].sum(), 1)
        row["last home"] = (
            days.loc[days["visits"] > 0, "end"].max() if (days["visits"] > 0).any() else ""
        )
        rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):
        total = {
            c: table[c].sum() for c in table.columns if pd.api.types.is_numeric_dtype(table[c])
        }
        total.update({"rep": "all", "last home": ""})
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return table
