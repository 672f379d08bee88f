"""Each account's share of the routed drive: the legs into and out of it.

In a routed day home → s1 → … → sn → home, a leg between two stops is split half and half
between them, and a leg from or to home belongs wholly to its one stop (the first stop pays
the drive from home, the last the drive home). The shares of a day's stops add up to the
day's whole drive, so nothing is lost or counted twice.
"""

from __future__ import annotations

import pandas as pd

SHARE_COLUMNS: tuple[str, ...] = ("routed_visits", "routed_travel_min", "routed_km")
"""Columns of :func:`routed_travel_share`: visits routed and mean drive share per visit."""


def stop_travel_share(routes: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """Drive minutes and km charged to every routed stop.

    Parameters
    ----------
    routes
        Week-plan routes (``week``, ``rep_id``, ``date``, ``seq``, ``client_id``,
        ``travel_min`` and ``km`` from the previous stop or home).
    days
        Week-plan days (``week``, ``rep_id``, ``date``, ``travel_min``, ``km`` including the
        drive home).

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``travel_min`` and ``km``: each stop's share, one row per stop.

    """
    if routes.empty:
        return pd.DataFrame({"client_id": [], "travel_min": [], "km": []})
    keys = ["week", "rep_id", "date"]
    stops = routes.sort_values([*keys, "seq"]).reset_index(drop=True)
    group = stops.groupby(keys, sort=False)
    day_totals = days.set_index(keys)[["travel_min", "km"]]
    out = {"client_id": stops["client_id"].astype(str)}
    for column in ("travel_min", "km"):
        leg_in = stops[column].astype(float)
        leg_out = group[column].shift(-1)
        home = pd.MultiIndex.from_frame(stops[keys])
        home_leg = day_totals[column].reindex(home).to_numpy() - group[column].transform("sum")
        last = leg_out.isna()
        leg_out = leg_out.fillna(pd.Series(home_leg.to_numpy(), index=stops.index)).clip(lower=0)
        first = stops["seq"].eq(group["seq"].transform("min"))
        out[column] = leg_in.where(first, leg_in / 2.0) + leg_out.where(last, leg_out / 2.0)
    return pd.DataFrame(out)


def routed_travel_share(routes: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """Mean drive share per visit of every routed account.

    Parameters
    ----------
    routes, days
        Week-plan tables of one or more built weeks (see :func:`stop_travel_share`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``client_id``: :data:`SHARE_COLUMNS`.

    Examples
    --------
    >>> routes = pd.DataFrame({"week": 1, "rep_id": "R1", "date": "2027-01-04",
    ...     "seq": [1, 2], "client_id": ["A", "B"], "travel_min": [10.0, 4.0], "km": [5.0, 2.0]})
    >>> days = pd.DataFrame({"week": [1], "rep_id": ["R1"], "date": ["2027-01-04"],
    ...     "travel_min": [20.0], "km": [10.0]})
    >>> routed_travel_share(routes, days)["routed_travel_min"].to_dict()
    {'A': 12.0, 'B': 8.0}

    """
    stops = stop_travel_share(routes, days)
    grouped = stops.groupby("client_id")
    return pd.DataFrame(
        {
            "routed_visits": grouped.size().astype(int),
            "routed_travel_min": grouped["travel_min"].mean(),
            "routed_km": grouped["km"].mean(),
        }
    )
