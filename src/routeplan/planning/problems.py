"""Turn one rep's due visits into a :class:`~routeplan.routing.solve.RepWeekProblem`."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from routeplan.config import WEEKDAYS, Settings, WorkdayConfig
from routeplan.model.repday import rep_day
from routeplan.planning.day_areas import (
    OFF_DAY_COST,
    holiday_area_days,
    off_day_cost,
    preferred_weekdays,
)
from routeplan.routing import Day, RepWeekProblem, Visit
from routeplan.timefmt import seconds_of
from routeplan.travel.haversine import MatrixProvider


def rep_workdays(rep: pd.Series, settings: Settings, *, week: int) -> list[tuple[int, dt.date]]:
    """Weekday index and date of every day the rep works in ``week`` (holidays removed)."""
    monday = settings.cycle.week_start(week)
    holidays = set(settings.cycle.holidays)
    dates = [(d, monday + dt.timedelta(days=d)) for d in rep_day(rep, settings.workday).workdays]
    return [(weekday, date) for weekday, date in dates if date not in holidays]


def rep_days(rep: pd.Series, settings: Settings, *, week: int) -> list[Day]:
    """The OR-Tools vehicles of one rep-week: one :class:`Day` per workday, home is node 0."""
    day = rep_day(rep, settings.workday)
    lunch_s = day.lunch_min * 60
    return [
        Day(
            weekday=weekday,
            start_node=0,
            end_node=0,
            start_s=day.day_start_min * 60,
            end_s=day.day_end_min * 60,
            lunch_start_s=day.lunch_start_min * 60 if lunch_s else None,
            lunch_s=lunch_s,
            max_visits=day.max_visits,
            overtime_max_s=day.overtime_max_min * 60,
            max_stretch_s=settings.workday.max_stretch_min * 60 if lunch_s else 0,
            wait_cost_per_s=wait_cost_per_s(settings.workday),
        )
        for weekday, _ in rep_workdays(rep, settings, week=week)
    ]


WAIT_COST_PER_S = 1
"""``[workday] count_waiting``: a second of waiting costs as much as a second of driving.

Measured on demo weeks 1-3 built in order (slots from week 2 on), 2 s per rep-week: off,
reps wait 135 h at clients beside 28.7 h of driving (over the 12-week cycle 699 h, 225 days
with more than an hour of it; before the lunch-window change a day could leave at 08:00 and
wait 5.8 h for its first visit's slot); on, 7.8 h, driving 29.4 h (+2.4 %). But the lunch
break is slack too, so with the cost a day may take it at home and leave at 12:30 (24 days
of weeks 1-3 left after 11:30), and the search must find steps of about 30 minutes (demo
week 12, R2: the default's objective 1.44 times the long run's, 29 minutes apart). A cost on
leaving after the earliest lunch start cut those late days to 17 but made the search several
times slower (weeks 1-3: 614 s against 258 s; the routing tests 240 s against 28 s).
Now, with waiting counted, a day leaves home by the earliest lunch start
(:func:`routeplan.routing.model.latest_leave`), a bound on the day's start, not a cost.
Weeks 1-3 again (2026-12-03, the two variants side by side at load 4-5, days.csv drive
with the legs home): waiting off 133.2 h (39.8 h since ``routing.retime``), 29.0 h
driving, 3 days whose first visit is after 11:30; counted, without the bound 6.2 h, 29.8 h,
27 such days; with it 11.3 h, 30.3 h (+4.5 %), none; CPU 680 s without the bound, 585 s
with it (the default ran at a lower load: 43 + 135 + 149 s, not comparable).
On by default since 2026-12-03 (eighth session): with waiting free, the retimed days put
the idle time before leaving, so a day of late clients started at 13:38 and one with holes
at the doors ran 08:25-17:00 for 315 min of visits (demo week 3, R2 and R4); by the
plan-quality benchmark (weeks 1-3, ``--quick``, both at 2 s per rep-week) rep-weeks whose
longest day is over twice the shortest 3 of 18 → 0 of 18 (worst 2.51 → 1.94), waiting
39.8 → 11.3 h, days leaving after 11:30 15 → 0, for 29.0 → 30.3 h of driving and 265 → 433 s
of building (wall, load about 2). A tighter even-day band did not do it (0.8-1.2 of the
mean: 2 of 18, 29.8 h).
"""


def wait_cost_per_s(workday: WorkdayConfig) -> int:
    """Objective units per second of waiting under ``[workday] count_waiting`` (0 when off).

    One rule for the build's days and the field app's re-plan of a day.
    """
    return WAIT_COST_PER_S if workday.count_waiting else 0


EVEN_BAND = (0.75, 1.25)
"""``shape = "even"``: each day's visit time is kept softly within these multiples of the
week's mean visit time per workday.

0.75-1.25 since 2026-12-04 (was 0.6-1.35, under which a day could hold 0.6 of the mean when
moving a visit to it cost the visit's off-area-day price: demo R6's Tuesdays, 3-4 visits,
home before 12:30). Demo cycle, ``plan_quality.py --seconds 2 --sets demo``, waiting counted:
rep-weeks whose longest day is over twice the shortest 7 → 0 of 72 (worst 2.32 → 1.82),
day-length CV 0.162 → 0.146, driving 121.9 → 121.3 h, waiting 51.4 → 47.7 h, weekly visits
in their slot 93.2 → 93.9 %; areas on several days that would fit one day 46 → 51. The
search works harder for it: on the rep-week benchmark (demo weeks 2 and 12) default CPU
4.6 → 5.5 s per rep-week, and one of 12 rep-weeks (week 2, R1) ends 8.8 % above the long
run's objective (was within 1 %; it reaches it at 10 s). Alone, without waiting counted, a
tighter band did not remove the long-and-short weeks (weeks 1-3, 0.8-1.2: 2 of 18)."""

SHAPE_COST_PER_S = 2
"""Objective units per second of visit time outside the even band (drive costs 1 per s)."""

COMPACT_DAY_COST = 3 * 3600
"""``shape = "compact"``: cost of using a workday at all, in drive seconds (three hours)."""


def shaped_days(days: list[Day], visits: list[Visit], shape: str) -> list[Day]:
    """The days with the soft day-shape terms of ``[workday] shape``.

    Parameters
    ----------
    days
        The rep-week's workdays.
    visits
        Its visits.
    shape
        ``even``, ``compact`` or ``free``.

    Returns
    -------
    list of Day
        ``even``: soft lower and upper bounds on each day's visit time around the mean per
        workday; ``compact``: a cost per day used; ``free``: the days unchanged.

    """
    if shape == "free" or not days or not visits:
        return days
    if shape == "compact":
        return [dataclasses.replace(d, used_cost=COMPACT_DAY_COST) for d in days]
    mean = sum(v.service_s for v in visits) / len(days)
    low, high = EVEN_BAND
    return [
        dataclasses.replace(
            d,
            min_work_s=int(mean * low),
            max_work_s=int(mean * high),
            shape_cost_per_s=SHAPE_COST_PER_S,
        )
        for d in days
    ]


LOWEST_TIER_PENALTY = 10_000
"""Cost of dropping one visit of the lowest tier, in objective units (seconds of driving)."""


def drop_penalty(tier: str, tiers: list[str], *, weeks_overdue: int = 0) -> int:
    """Cost of dropping a visit: ×10 per tier rank, ×(1 + weeks overdue) for catch-ups.

    A catch-up never outweighs a regular visit of the tier above (the factor is capped at 9),
    so the tier order of drops holds: AAA ≫ AA ≫ A ≫ B.
    """
    rank = tiers.index(tier) if tier in tiers else len(tiers) - 1
    base = LOWEST_TIER_PENALTY * 10 ** (len(tiers) - 1 - rank)
    return base * min(1 + max(weeks_overdue, 0), 9)


def _windows(client: pd.Series) -> tuple[tuple[int, int], ...]:
    opens, closes = client.get("opens"), client.get("closes")
    if isinstance(opens, str) and opens and isinstance(closes, str) and closes:
        return ((seconds_of(opens), seconds_of(closes)),)
    return ()


def rep_week_problem(
    rep: pd.Series,
    due: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    provider: MatrixProvider,
    *,
    week: int,
) -> RepWeekProblem:
    """Build the routing problem of one rep-week.

    Parameters
    ----------
    rep
        One row of the reps table.
    due
        This rep's visits due this week: ``visit_id``, ``client_id``, ``tier``, ``days``
        (allowed weekday names separated by spaces).
    clients
        Clients indexed by ``client_id`` with ``lat``, ``lon``, ``service_min`` and opening hours.
    settings
        Validated settings.
    provider
        Travel matrices between home and the clients.
    week
        Week of the cycle.

    Returns
    -------
    RepWeekProblem
        The problem: node 0 is home, node i the i-th distinct client of ``due``; each visit
        carries its ``client_id``.

    """
    days = rep_days(rep, settings, week=week)
    weekday_to_day = {d.weekday: i for i, d in enumerate(days)}
    client_ids = list(dict.fromkeys(due["client_id"]))
    node_of = {cid: i + 1 for i, cid in enumerate(client_ids)}
    located = clients.loc[client_ids]
    lat = np.concatenate([[float(rep["home_lat"])], located["lat"].to_numpy(float)])
    lon = np.concatenate([[float(rep["home_lon"])], located["lon"].to_numpy(float)])
    matrices = provider.matrices(lat, lon)
    area_day = _area_days(rep, due, clients, settings, worked=set(weekday_to_day))
    visits = []
    for row in due.itertuples(index=False):
        client = located.loc[row.client_id]
        allowed = tuple(
            weekday_to_day[WEEKDAYS.index(name)]
            for name in str(row.days).split()
            if WEEKDAYS.index(name) in weekday_to_day
        )
        cadence = settings.cadence[row.tier]
        visits.append(
            Visit(
                visit_id=str(row.visit_id),
                client_id=str(row.client_id),
                node=node_of[row.client_id],
                service_s=int(client["service_min"]) * 60,
                tier=str(row.tier),
                allowed_days=allowed,
                windows=_windows(client),
                min_gap_days=cadence.min_gap_days,
                penalty=drop_penalty(
                    str(row.tier),
                    settings.tier_names,
                    weeks_overdue=int(getattr(row, "priority", 0)),
                ),
                preferred_day=_preferred(area_day.get(str(row.client_id)), allowed, weekday_to_day),
                off_day_cost=off_day_cost(
                    int(getattr(row, "phase", 1)), bool(getattr(row, "catch_up", False))
                ),
                slot_s=_slot_s(getattr(row, "slot", "")),
                slot_tolerance_s=settings.workday.slot_tolerance_min * 60,
            )
        )
    return RepWeekProblem(
        duration_s=matrices.duration_s,
        distance_m=matrices.distance_m,
        days=shaped_days(days, visits, settings.workday.shape),
        visits=visits,
        rep_id=str(rep["rep_id"]),
        off_day_cost=OFF_DAY_COST if area_day else 0,
    )


def _slot_s(slot: object) -> int | None:
    """Seconds since midnight of an ``HH:MM`` slot, None when empty."""
    return seconds_of(slot) if isinstance(slot, str) and slot else None


def _area_days(
    rep: pd.Series,
    due: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    *,
    worked: set[int],
) -> dict[str, int]:
    """Weekday of each due client's day area (empty when ``[workday] day_areas`` is off).

    The areas of a weekday not worked this week (a holiday) go to the nearest worked areas.
    """
    if not settings.workday.day_areas or due.empty:
        return {}
    mine = clients.loc[list(dict.fromkeys(due["client_id"]))]
    area_day = preferred_weekdays(
        mine,
        due,
        home=(float(rep["home_lat"]), float(rep["home_lon"])),
        workdays=rep_day(rep, settings.workday).workdays,
    )
    return holiday_area_days(area_day, mine, worked)


def _preferred(
    weekday: int | None, allowed: tuple[int, ...], weekday_to_day: dict[int, int]
) -> int | None:
    """Day index of the area's weekday when the visit may go then and it is a workday."""
    if weekday is None or weekday not in weekday_to_day:
        return None
    day = weekday_to_day[weekday]
    return day if day in allowed and len(allowed) > 1 else None
