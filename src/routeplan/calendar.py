"""Stand-in calendar (replaced by the calendar branch)."""

from __future__ import annotations

import pandas as pd

from routeplan.config import Settings


def build_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Round-robin calendar."""
    rows = []
    for i, c in enumerate(clients.itertuples(index=False)):
        cad = settings.cadence[c.tier]
        for week in range(1, settings.cycle.weeks + 1):
            if cad.visits_per_week:
                for v in range(cad.visits_per_week):
                    rows.append(
                        (
                            c.client_id,
                            c.rep_id,
                            c.tier,
                            week,
                            v + 1,
                            "Mon Tue Wed Thu Fri",
                            "weekly",
                        )
                    )
            elif (week - 1) % cad.every_weeks == i % cad.every_weeks:
                rows.append((c.client_id, c.rep_id, c.tier, week, 1, "Mon Tue Wed Thu Fri", "due"))
    return pd.DataFrame(
        rows, columns=["client_id", "rep_id", "tier", "week", "visit_no", "days", "reason"]
    )


def due_in_week(calendar: pd.DataFrame, week: int) -> pd.DataFrame:
    """Visits due in ``week``."""
    return calendar[calendar["week"] == week].reset_index(drop=True)
