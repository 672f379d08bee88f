"""The drive from home to the territory and back, per visit, from the zones' geometry.

Between two stops a rep drives what the local density of visits allows (the density
estimate, calibrated by the routed weeks); every day the rep also drives from home to the
day's first stop and from the last one home. Those two legs grow with the distance from the
rep's home to the territory, and they are shared by the day's visits. More reps mean smaller
zones nearer home, so shorter home legs: a scenario moves each account's drive per visit by
the change of its zone's home-leg share, measured the same way before and after the
scenario's ``zones balance``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from routeplan.config import Settings
from routeplan.model.repday import rep_day
from routeplan.travel.haversine import haversine_m


def _home_of(group: pd.DataFrame, rep: pd.Series | None) -> tuple[float, float]:
    """The rep's home; for a zone without one (a new rep), its visit-weighted centre."""
    if rep is not None:
        lat, lon = rep.get("home_lat"), rep.get("home_lon")
        if pd.notna(lat) and pd.notna(lon):
            return float(lat), float(lon)
    weights = group["visits_per_week"].to_numpy(float)
    total = weights.sum()
    if total <= 0:
        return float(group["lat"].mean()), float(group["lon"].mean())
    return (
        float((group["lat"] * weights).sum() / total),
        float((group["lon"] * weights).sum() / total),
    )


def home_km(accounts: pd.DataFrame, reps: pd.DataFrame) -> pd.Series:
    """Per account, its zone's visit-weighted mean straight-line km from the rep's home.

    Parameters
    ----------
    accounts
        ``zone``, ``rep_id``, ``lat``, ``lon``, ``visits_per_week``.
    reps
        ``rep_id`` with optional ``home_lat``, ``home_lon``.

    Returns
    -------
    pandas.Series
        Kilometres, same index as ``accounts`` (the length of a typical leg from home).

    """
    by_rep = reps.set_index(reps["rep_id"].astype(str), drop=False) if len(reps) else reps
    out = pd.Series(0.0, index=accounts.index)
    for _zone, group in accounts.groupby("zone", sort=False):
        rep_id = str(group["rep_id"].iloc[0])
        rep = by_rep.loc[rep_id] if rep_id in by_rep.index else None
        lat, lon = _home_of(group, rep)
        lats, lons = group["lat"].to_numpy(float), group["lon"].to_numpy(float)
        km = haversine_m(lats, lons, np.full_like(lats, lat), np.full_like(lons, lon))
        weights = group["visits_per_week"].to_numpy(float)
        if weights.sum() > 0:
            out.loc[group.index] = float((km * weights).sum() / weights.sum()) / 1000.0
    return out


def home_leg_minutes(accounts: pd.DataFrame, reps: pd.DataFrame, settings: Settings) -> pd.Series:
    """Each account's share of its rep's daily drive from home and back, in minutes per visit.

    Per zone: two legs a workday of :func:`home_km` (× ``[travel] circuity`` at
    ``speed_kmh``), divided by the zone's visits per workday (at least one).

    Parameters
    ----------
    accounts
        ``zone``, ``rep_id``, ``lat``, ``lon``, ``visits_per_week``.
    reps
        ``rep_id`` with optional ``home_lat``, ``home_lon`` and working days.
    settings
        The travel model and working week.

    Returns
    -------
    pandas.Series
        Minutes per visit, same index as ``accounts``.

    """
    by_rep = reps.set_index(reps["rep_id"].astype(str), drop=False) if len(reps) else reps
    km = home_km(accounts, reps)
    minutes_per_km = 60.0 / settings.travel.speed_kmh * settings.travel.circuity
    out = pd.Series(0.0, index=accounts.index)
    for _zone, group in accounts.groupby("zone", sort=False):
        rep_id = str(group["rep_id"].iloc[0])
        rep = by_rep.loc[rep_id] if rep_id in by_rep.index else None
        days = max(len(rep_day(rep, settings.workday).workdays), 1)
        per_day = max(float(group["visits_per_week"].sum()) / days, 1.0)
        out.loc[group.index] = 2.0 * km[group.index] * minutes_per_km / per_day
    return out


def shift_home_legs(
    accounts: pd.DataFrame, before: pd.Series, after: pd.Series, settings: Settings
) -> pd.DataFrame:
    """``accounts`` with drive minutes and km per visit moved by ``after - before`` home legs."""
    delta = (after - before.reindex(accounts.index).fillna(after)).to_numpy(float)
    out = accounts.copy()
    minutes = out["travel_min_per_visit"].to_numpy(float)
    shifted = np.maximum(minutes + delta, 0.0)
    out["travel_min_per_visit"] = shifted
    km_per_minute = settings.travel.speed_kmh / 60.0
    out["km_per_visit"] = np.maximum(
        out["km_per_visit"].to_numpy(float) + (shifted - minutes) * km_per_minute, 0.0
    )
    return out
