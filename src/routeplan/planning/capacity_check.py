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
from routeplan.planning.store import PlanStore

PRIOR_WEEKS = 1.0
"""Weight of the pooled factor in a rep's own, in weeks of the rep's routed evidence."""
TRAVEL_FACTOR_COLUMN = "travel_factor"
"""Optional clients column read by the calendar's and the balancer's workload: the routed
over estimated drive of the client's area (its rep's territory), 1.0 without routed weeks."""
POOLED = "*"
"""Key of the factor of all routed reps together in :func:`travel_factors` (for reps and
areas without routed weeks of their own)."""


def _routed_and_estimated(
    plans: Sequence[WeekPlan], calendar: pd.DataFrame
) -> tuple[dict[str, float], dict[str, float]]:
    """Per rep, the routed drive minutes and the estimate of the same routed visits."""
    estimate = calendar.drop_duplicates("client_id").set_index("client_id")["travel_min"]
    routed: dict[str, float] = {}
    estimated: dict[str, float] = {}
    for plan in plans:
        for rep_id, part in plan.routes.groupby("rep_id"):
            est = float(part["client_id"].map(estimate).fillna(0).sum())
            estimated[str(rep_id)] = estimated.get(str(rep_id), 0.0) + est
        for rep_id, part in plan.days.groupby("rep_id"):
            routed[str(rep_id)] = routed.get(str(rep_id), 0.0) + float(part["travel_min"].sum())
    return routed, estimated


def travel_factors(plans: Sequence[WeekPlan], calendar: pd.DataFrame) -> dict[str, float]:
    """Routed over estimated drive minutes per rep, from the weeks already routed.

    The density formula is the prior of the whole plan: with nothing routed every factor is
    1.0. Routed weeks give a pooled factor (all reps' routed minutes over their estimate), and
    each rep's own factor is its routed over estimated minutes shrunk towards the pooled one
    by :data:`PRIOR_WEEKS` weeks, so one odd week of one rep does not swing its territory.

    Parameters
    ----------
    plans
        Stored week plans (routes and days).
    calendar
        The calendar (``client_id``, ``week``, ``travel_min`` per visit: the estimate).

    Returns
    -------
    dict of str to float
        Per routed rep: ``(routed + PRIOR_WEEKS·w·pooled) / (estimated + PRIOR_WEEKS·w)``
        with ``w`` the rep's mean estimated minutes per week; under :data:`POOLED` the pooled
        factor. Empty without routed weeks.

    """
    routed, estimated = _routed_and_estimated(plans, calendar)
    total = sum(estimated.values())
    if total <= 0:
        return {}
    pooled = sum(routed.get(r, 0.0) for r in estimated) / total
    weeks = max(len(plans), 1)
    factors = {POOLED: pooled}
    for rep_id, est in estimated.items():
        prior = PRIOR_WEEKS * est / weeks
        factors[rep_id] = (
            (routed.get(rep_id, 0.0) + prior * pooled) / (est + prior) if est > 0 else pooled
        )
    return factors


def factor_of(factors: dict[str, float], rep_id: str) -> float:
    """The rep's factor; the pooled one for a rep without routed weeks; 1.0 with none."""
    return factors.get(rep_id, factors.get(POOLED, 1.0))


def stored_plans(store: PlanStore | None, *, before: int | None = None) -> list[WeekPlan]:
    """The routed weeks of the store (those before ``before`` when given)."""
    if store is None:
        return []
    weeks = [w for w in store.saved_weeks() if before is None or w < before]
    return [p for w in weeks if (p := store.load_week_plan(w)) is not None]


def with_travel_factors(clients: pd.DataFrame, store: PlanStore | None) -> pd.DataFrame:
    """``clients`` plus :data:`TRAVEL_FACTOR_COLUMN`, learned from the store's routed weeks.

    Each client takes the factor of its rep's territory (routed ÷ estimated drive minutes of
    the rep's stored weeks, :func:`travel_factors`); clients of reps without routed weeks take
    the pooled factor, and every client takes 1.0 (the density formula alone) when nothing
    is routed yet or there is no stored calendar.

    Parameters
    ----------
    clients
        Clients with ``rep_id``.
    store
        The plan store, or None.

    Returns
    -------
    pandas.DataFrame
        A copy with the factor column.

    """
    calendar = store.load_calendar() if store is not None else None
    plans = stored_plans(store) if calendar is not None and len(calendar) else []
    factors = travel_factors(plans, calendar) if plans and calendar is not None else {}
    out = clients.copy()
    if "rep_id" not in out:
        out[TRAVEL_FACTOR_COLUMN] = 1.0
        return out
    out[TRAVEL_FACTOR_COLUMN] = [factor_of(factors, r) for r in out["rep_id"].astype(str)]
    return out


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
        From :func:`travel_factors` (missing reps: the pooled factor, else 1.0).

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
        factor = factor_of(factors, rep_id)
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
