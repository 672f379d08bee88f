"""The shape of planned weeks: what a sales manager looks at before signing a plan.

Pure functions on :class:`~routeplan.model.plan.WeekPlan` tables (one week or many):
day lengths and their spread per rep-week, the longest stretch of work without a pause,
areas visited on several days of a week, how compact a day is against its week, and whether
weekly clients keep a regular slot (weekday and time) from week to week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routeplan.config import minutes_of

PAUSE_MIN = 30
"""A gap of at least this many minutes without driving or visiting counts as a pause."""

SLOT_TOLERANCE_MIN = 60
"""A weekly client is in its slot when seen on its usual weekday within ± this of its time."""

AREA_GRID_DEG = 0.02
"""Cell size of the grid used as areas when the clients have no ``area`` column (~2 km)."""


def _minutes(value: object) -> int:
    return minutes_of(str(value))


def work_intervals(stops: pd.DataFrame, day_end_min: int) -> list[tuple[int, int]]:
    """Driving and visiting of one rep-day as ``(start, end)`` minute intervals.

    Parameters
    ----------
    stops
        The day's rows of ``routes`` (``arrive``, ``start``, ``depart``, ``travel_min``), in
        order.
    day_end_min
        Minute the rep is back home (the drive home ends then).

    Returns
    -------
    list of (int, int)
        Intervals in time order: each drive ends at the arrival, each visit runs from the start
        of service to the departure, the drive home ends at ``day_end_min``.

    """
    out: list[tuple[int, int]] = []
    travel_total = 0.0
    last_depart = None
    for row in stops.itertuples(index=False):
        arrive = _minutes(row.arrive)
        travel = float(row.travel_min)
        travel_total += travel
        out.append((round(arrive - travel), arrive))
        out.append((_minutes(row.start), _minutes(row.depart)))
        last_depart = _minutes(row.depart)
    if last_depart is not None and day_end_min > last_depart:
        out.append((last_depart, day_end_min))
    return out


def without_break(
    intervals: Sequence[tuple[float, float]], lunch: tuple[float, float] | None
) -> list[tuple[float, float]]:
    """The work intervals with the planned lunch break cut out of them.

    OR-Tools may place a break inside a leg (the drive pauses and resumes); cutting the break
    out keeps a drive shown as one piece from hiding it, and minute rounding of HH:MM times
    from shrinking a 30-minute break to 29.
    """
    if lunch is None:
        return list(intervals)
    lo_b, hi_b = lunch
    out: list[tuple[float, float]] = []
    for lo, hi in intervals:
        if hi <= lo_b or lo >= hi_b:
            out.append((lo, hi))
            continue
        if lo < lo_b:
            out.append((lo, lo_b))
        if hi > hi_b:
            out.append((hi_b, hi))
    return out


def longest_stretch_min(
    intervals: Sequence[tuple[float, float]], *, pause_min: float = PAUSE_MIN
) -> float:
    """Longest time worked without a pause of ``pause_min`` minutes.

    Parameters
    ----------
    intervals
        Work intervals in minutes (any order).
    pause_min
        A gap at least this long breaks a stretch.

    Returns
    -------
    float
        Minutes from the start of the longest stretch to its end (short gaps included).

    Examples
    --------
    >>> longest_stretch_min([(480, 600), (610, 700), (740, 800)])
    220

    """
    best = 0.0
    start: float | None = None
    end: float | None = None
    for lo, hi in sorted(intervals):
        if end is None or lo - end >= pause_min:
            if end is not None and start is not None:
                best = max(best, end - start)
            start, end = lo, hi
        else:
            end = max(end, hi)
    if start is not None and end is not None:
        best = max(best, end - start)
    return best


def day_table(plans: Sequence[pd.DataFrame], days: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One row per rep-day of the given weeks with its length and longest stretch.

    Parameters
    ----------
    plans
        ``routes`` tables (one per week).
    days
        ``days`` tables of the same weeks.

    Returns
    -------
    pandas.DataFrame
        ``week``, ``rep_id``, ``date``, ``visits``, ``start_min``, ``end_min``, ``length_min``
        (0 on an empty day), ``travel_min``, ``stretch_min`` (longest stretch without a pause).

    """
    routes = pd.concat(list(plans), ignore_index=True)
    table = pd.concat(list(days), ignore_index=True)
    grouped = dict(tuple(routes.groupby(["rep_id", "date"], sort=False)))
    rows = []
    for day in table.itertuples(index=False):
        start, end = _minutes(day.start), _minutes(day.end)
        stops = grouped.get((day.rep_id, day.date))
        stretch = 0.0
        if stops is not None and len(stops):
            work = work_intervals(stops.sort_values("seq"), end)
            stretch = longest_stretch_min(without_break(work, _lunch_of(day)))
        rows.append(
            {
                "week": int(day.week),
                "rep_id": str(day.rep_id),
                "date": str(day.date),
                "visits": int(day.visits),
                "start_min": start,
                "end_min": end,
                "length_min": end - start if int(day.visits) else 0,
                "travel_min": float(day.travel_min),
                "stretch_min": stretch,
            }
        )
    return pd.DataFrame(rows)


def _lunch_of(day: object) -> tuple[float, float] | None:
    """The day's planned lunch break in minutes, or None (no column or no break)."""
    start, end = getattr(day, "lunch_start", ""), getattr(day, "lunch_end", "")
    if isinstance(start, str) and start and isinstance(end, str) and end:
        return float(_minutes(start)), float(_minutes(end))
    return None


@dataclass(frozen=True)
class DaySpread:
    """Spread of working-day lengths within each rep-week (days with visits)."""

    rep_weeks: int
    median_cv: float
    median_max_over_min: float
    max_max_over_min: float
    over_2x: int
    short_beside_long: int
    empty_beside_full: int


def day_spread(day_rows: pd.DataFrame, *, full_visits: int = 8) -> DaySpread:
    """How uneven the days of each rep-week are.

    Parameters
    ----------
    day_rows
        From :func:`day_table`.
    full_visits
        A day with at least this many visits is full.

    Returns
    -------
    DaySpread
        Median CV and max/min of the working-day lengths per rep-week (and the worst
        max/min), rep-weeks whose
        longest day is over twice the shortest, rep-weeks with a day under 2 h beside one
        over 7 h, and rep-weeks with an empty workday beside a full day.

    """
    cvs, ratios = [], []
    over_2x = short_long = empty_full = 0
    groups = day_rows.groupby(["week", "rep_id"])
    for _, grp in groups:
        worked = grp.loc[grp["visits"] > 0, "length_min"].to_numpy(float)
        if (grp["visits"] == 0).any() and (grp["visits"] >= full_visits).any():
            empty_full += 1
        if len(worked) < 2:
            continue
        cvs.append(float(worked.std() / worked.mean()))
        ratio = float(worked.max() / max(worked.min(), 1.0))
        ratios.append(ratio)
        over_2x += ratio > 2.0
        short_long += bool(worked.min() < 120 and worked.max() > 420)
    return DaySpread(
        rep_weeks=groups.ngroups,
        median_cv=round(float(np.median(cvs)) if cvs else 0.0, 3),
        median_max_over_min=round(float(np.median(ratios)) if ratios else 0.0, 2),
        max_max_over_min=round(max(ratios, default=0.0), 2),
        over_2x=over_2x,
        short_beside_long=short_long,
        empty_beside_full=empty_full,
    )


def areas_of(routes: pd.DataFrame, clients: pd.DataFrame) -> pd.Series:
    """The area of every planned visit: the clients' ``area`` column, else a ~2 km grid cell."""
    by_id = clients.drop_duplicates("client_id").set_index("client_id")
    if "area" in by_id.columns and by_id["area"].notna().any():
        area = routes["client_id"].map(by_id["area"]).fillna("")
        return area.astype(str)
    cell_lat = np.floor(routes["lat"].to_numpy(float) / AREA_GRID_DEG).astype(int)
    cell_lon = np.floor(routes["lon"].to_numpy(float) / AREA_GRID_DEG).astype(int)
    return pd.Series([f"{a}:{b}" for a, b in zip(cell_lat, cell_lon, strict=True)])


def areas_on_several_days(routes: pd.DataFrame, clients: pd.DataFrame) -> tuple[int, int]:
    """Areas a rep visits at least twice in a week, and how many of them on more than one day.

    Parameters
    ----------
    routes
        ``routes`` rows of one or more weeks.
    clients
        Clients with ``client_id`` (and ``area`` when known).

    Returns
    -------
    tuple of int
        ``(areas visited at least twice in a rep-week, of those visited on 2+ days)``,
        counted per rep-week.

    """
    if routes.empty:
        return 0, 0
    frame = routes.assign(area=areas_of(routes, clients).to_numpy())
    frame = frame[frame["area"] != ""]
    stats = frame.groupby(["week", "rep_id", "area"]).agg(
        visits=("client_id", "size"), days=("date", "nunique")
    )
    repeated = stats[stats["visits"] >= 2]
    return len(repeated), int((repeated["days"] > 1).sum())


@dataclass(frozen=True)
class SeveralDayAreas:
    """Why the areas a rep visits on more than one day of a week are on several days.

    Each area on 2+ days of a rep-week counts once, under the first cause that applies.

    Attributes
    ----------
    more_than_a_day
        Its visits hold more service time than the rep's mean working day of that week (an
        even week must split it).
    repeat_client
        A client of it is seen twice or more that week (a twice-weekly account is on two
        days by its cadence).
    avoidable
        The rest: the area's week would fit one day.

    """

    more_than_a_day: int
    repeat_client: int
    avoidable: int


def several_day_areas_by_cause(routes: pd.DataFrame, clients: pd.DataFrame) -> SeveralDayAreas:
    """Sort the areas of :func:`areas_on_several_days` that are on 2+ days by cause.

    Parameters
    ----------
    routes
        ``routes`` rows of one or more weeks (with ``service_min``).
    clients
        Clients with ``client_id`` (and ``area`` when known).

    Returns
    -------
    SeveralDayAreas
        The counts per cause, per rep-week.

    """
    if routes.empty:
        return SeveralDayAreas(0, 0, 0)
    frame = routes.assign(area=areas_of(routes, clients).to_numpy())
    service = frame["service_min"].astype(float)
    per_day = (
        service.groupby([frame["week"], frame["rep_id"]]).sum()
        / frame.groupby(["week", "rep_id"])["date"].nunique()
    )
    frame = frame.assign(service=service)[frame["area"] != ""]
    repeats = frame.groupby(["week", "rep_id", "area", "client_id"]).size()
    most = repeats.groupby(level=["week", "rep_id", "area"]).max()
    stats = frame.groupby(["week", "rep_id", "area"]).agg(
        visits=("client_id", "size"), days=("date", "nunique"), service=("service", "sum")
    )
    stats = stats[(stats["visits"] >= 2) & (stats["days"] > 1)]
    day_service = per_day.reindex(stats.index.droplevel("area")).to_numpy()
    big = stats["service"].to_numpy() > day_service
    repeat = ~big & (most.reindex(stats.index).to_numpy() >= 2)
    return SeveralDayAreas(
        more_than_a_day=int(big.sum()),
        repeat_client=int(repeat.sum()),
        avoidable=int((~big & ~repeat).sum()),
    )


def _spread_km(lat: np.ndarray, lon: np.ndarray) -> float:
    """Mean distance of points to their centroid, in km (equirectangular)."""
    if len(lat) < 2:
        return 0.0
    y = (lat - lat.mean()) * 111.32
    x = (lon - lon.mean()) * 111.32 * np.cos(np.radians(lat.mean()))
    return float(np.hypot(x, y).mean())


def day_compactness(routes: pd.DataFrame) -> float:
    """Mean over rep-weeks of (a day's stop spread / the week's stop spread); lower is tighter.

    The spread is the mean distance of stops to their centroid; days with fewer than two
    stops are left out. 1.0 means days are as scattered as the whole week.
    """
    ratios = []
    for _, week in routes.groupby(["week", "rep_id"]):
        whole = _spread_km(week["lat"].to_numpy(float), week["lon"].to_numpy(float))
        if whole <= 0:
            continue
        per_day = [
            _spread_km(d["lat"].to_numpy(float), d["lon"].to_numpy(float))
            for _, d in week.groupby("date")
            if len(d) >= 2
        ]
        if per_day:
            ratios.append(float(np.mean(per_day)) / whole)
    return round(float(np.mean(ratios)), 3) if ratios else 0.0


def slot_consistency(
    routes: pd.DataFrame, *, tiers: Sequence[str], tolerance_min: int = SLOT_TOLERANCE_MIN
) -> tuple[int, int]:
    """Visits of once-a-week clients in their regular slot, over several weeks.

    A client's slot is its most frequent weekday (ties: the earliest) and the median start
    time of its visits on that weekday; a visit is in the slot when it is on that weekday and
    starts within ``tolerance_min`` of that time. Catch-up visits are left out.

    Parameters
    ----------
    routes
        ``routes`` rows of several weeks.
    tiers
        The weekly tiers with one visit a week (e.g. ``["AA"]``).
    tolerance_min
        Minutes either side of the slot's time.

    Returns
    -------
    tuple of int
        ``(visits in their slot, visits counted)``.

    """
    part = routes[routes["tier"].astype(str).isin(list(tiers)) & ~routes["catch_up"].astype(bool)]
    if part.empty:
        return 0, 0
    start = part["start"].map(_minutes)
    in_slot = 0
    for _, grp in part.assign(start_min=start).groupby("client_id"):
        counts = grp["day"].value_counts()
        day = sorted(counts[counts == counts.max()].index)[0]
        at = float(grp.loc[grp["day"] == day, "start_min"].median())
        ok = (grp["day"] == day) & ((grp["start_min"] - at).abs() <= tolerance_min)
        in_slot += int(ok.sum())
    return in_slot, len(part)
