"""Before routing, whether each rep-week fits its working time, by a travel estimate that learns.

The calendar's travel estimate per visit (the density formula of
:mod:`routeplan.travel.estimate`) is the prior; every week already routed and stored tells,
per rep, how many minutes the routes really drove against what the estimate said for the same
visits. The ratio, shrunk towards 1 by :data:`PRIOR_WEEKS` weeks of the prior, scales the
estimate of the week about to be built, and a rep-week whose visit and travel minutes exceed
its working minutes is reported before routing, not discovered as drops after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from routeplan.i18n import _
from routeplan.model.plan import WeekPlan
from routeplan.model.repday import rep_day
from routeplan.planning.prepare import Prepared
from routeplan.planning.problems import rep_workdays

PRIOR_WEEKS = 1.0
"""Weight of the density formula, in weeks of routed evidence."""


def travel_factors(plans: Sequence[WeekPlan], calendar: pd.DataFrame) -> dict[str, float]:
    """Routed over estimated drive minutes per rep, from the weeks already routed.

    Parameters
    ----------
    plans
        Stored week plans (routes and days).
    calendar
        The calendar (``client_id``, ``week``, ``travel_min`` per visit: the estimate).

    Returns
    -------
    dict of str to float
        Per rep: ``(routed + PRIOR_WEEKS·w) / (estimated + PRIOR_WEEKS·w)`` with ``w`` the
        rep's mean estimated minutes per week (1.0 without routed weeks).

    """
    estimate = calendar.drop_duplicates("client_id").set_index("client_id")["travel_min"]
    routed: dict[str, float] = {}
    estimated: dict[str, float] = {}
    for plan in plans:
        for rep_id, part in plan.routes.groupby("rep_id"):
            est = float(part["client_id"].map(estimate).fillna(0).sum())
            estimated[str(rep_id)] = estimated.get(str(rep_id), 0.0) + est
        for rep_id, part in plan.days.groupby("rep_id"):
            routed[str(rep_id)] = routed.get(str(rep_id), 0.0) + float(part["travel_min"].sum())
    weeks = max(len(plans), 1)
    factors = {}
    for rep_id, est in estimated.items():
        prior = PRIOR_WEEKS * est / weeks
        factors[rep_id] = (routed.get(rep_id, 0.0) + prior) / (est + prior) if est > 0 else 1.0
    return factors


def over_capacity(
    prepared: Prepared, due: pd.DataFrame, *, week: int, factors: dict[str, float]
) -> pd.DataFrame:
    """Rep-weeks whose estimated work exceeds the working time, before routing.

    Parameters
    ----------
    prepared
        Loaded inputs (reps, settings).
    due
        The week's visits (``rep_id``, ``service_min``, ``travel_min``).
    week
        The cycle week.
    factors
        From :func:`travel_factors` (missing reps: 1.0).

    Returns
    -------
    pandas.DataFrame
        ``rep_id``, ``need_min`` (visits + calibrated travel), ``capacity_min``,
        ``travel_factor``, one row per rep over capacity.

    """
    settings = prepared.settings
    rows = []
    for _index, rep in prepared.reps.iterrows():
        rep_id = str(rep["rep_id"])
        mine = due[due["rep_id"].astype(str) == rep_id]
        factor = factors.get(rep_id, 1.0)
        need = float(mine["service_min"].sum() + factor * mine["travel_min"].sum())
        days = len(rep_workdays(rep, settings, week=week))
        capacity = days * rep_day(rep, settings.workday).available_min
        if need > capacity:
            rows.append(
                {
                    "rep_id": rep_id,
                    "need_min": round(need),
                    "capacity_min": capacity,
                    "travel_factor": round(factor, 2),
                }
            )
    return pd.DataFrame(rows, columns=["rep_id", "need_min", "capacity_min", "travel_factor"])


def capacity_warnings(over: pd.DataFrame, *, week: int) -> list[str]:
    """One line per rep-week over capacity."""
    return [
        _(
            "rep {rep}, week {week}: about {need} h of visits and driving for {capacity} h of "
            "working time (travel estimate x{factor} from routed weeks); expect drops or "
            "rebalance with 'routeplan zones balance'",
            rep=row.rep_id,
            week=week,
            need=f"{row.need_min / 60:.1f}",
            capacity=f"{row.capacity_min / 60:.1f}",
            factor=f"{row.travel_factor:.2f}",
        )
        for row in over.itertuples(index=False)
    ]
