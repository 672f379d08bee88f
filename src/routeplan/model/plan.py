"""The plan of one week as tables: what every later stage (maps, exports, report) reads.

Tables are plain pandas DataFrames with the columns named below, so maps, exports and
reports never need the solver's objects.

``routes``: one row per planned visit, ordered by rep, date, seq.
``days``: one row per rep and workday (also days with no visits).
``dropped``: one row per visit that was due and could not be planned, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROUTE_COLUMNS: tuple[str, ...] = (
    "week",  # int, 1-based week of the cycle
    "rep_id",  # str
    "date",  # str, ISO date of the visit
    "day",  # str, Mon..Sun
    "seq",  # int, 1-based order of the stop in the day
    "client_id",  # str
    "name",  # str, client name
    "tier",  # str
    "lat",  # float, WGS84
    "lon",  # float, WGS84
    "address",  # str, may be empty
    "arrive",  # str, HH:MM arrival
    "start",  # str, HH:MM start of service (after waiting for opening)
    "depart",  # str, HH:MM departure
    "service_min",  # int
    "wait_min",  # int
    "travel_min",  # float, drive from the previous stop (home for seq 1)
    "km",  # float, drive from the previous stop
    "catch_up",  # bool, a visit carried over from an earlier week
    "reason_code",  # str, why it is in this week, as codes (routeplan.model.reasons), stable
    "reason",  # str, the same worded in the active language ("every 4 weeks, phase 2")
    "break_start",  # str, HH:MM lunch break taken next to this stop (before its arrival, or
    # after its departure on the day's last stop), empty on the other stops
    "break_end",  # str, HH:MM end of that break
    "priority",  # int, catch-ups: weeks overdue since the first miss (0 for regular visits)
)

ADDED_ROUTE_COLUMNS: dict[str, object] = {
    "break_start": "",
    "break_end": "",
    "priority": 0,
    "reason_code": "",
}
"""Route columns added after the first release, with the value files and stores without them
read as."""

DAY_COLUMNS: tuple[str, ...] = (
    "week",
    "rep_id",
    "date",
    "day",
    "visits",  # int
    "start",  # str, HH:MM leaving home
    "end",  # str, HH:MM back home
    "travel_min",  # float, including the drive home
    "km",  # float, including the drive home
    "service_min",  # int
    "home_lat",
    "home_lon",
    "lunch_start",  # str, HH:MM lunch break between leaving and coming home, empty if none
    "lunch_end",  # str, HH:MM
)

ADDED_DAY_COLUMNS: dict[str, object] = {"lunch_start": "", "lunch_end": ""}
"""Day columns added after the first release, with the value older stores read as."""

DROPPED_COLUMNS: tuple[str, ...] = (
    "week",
    "rep_id",
    "client_id",
    "name",
    "tier",
    "lat",
    "lon",
    "reason_code",  # str, stable code (closed_all_days, week_full, ... see planning.reasons)
    # with its arguments if any ("rep_week_failed error=...", see model.reasons)
    "reason",  # str, the reason as a sentence in the language of the build
    "catch_up",  # bool, the visit was itself a catch-up of an earlier week
    "priority",  # int, catch-ups: weeks overdue since the first miss (0 for regular visits)
)

ADDED_DROPPED_COLUMNS: dict[str, object] = {"catch_up": False, "priority": 0}
"""Dropped columns added after the first release, with the value older stores read as."""


@dataclass
class WeekPlan:
    """The plan of one week of the cycle for every rep."""

    week: int
    routes: pd.DataFrame
    days: pd.DataFrame
    dropped: pd.DataFrame

    def __post_init__(self) -> None:
        for name, table, columns in (
            ("routes", self.routes, ROUTE_COLUMNS),
            ("days", self.days, DAY_COLUMNS),
            ("dropped", self.dropped, DROPPED_COLUMNS),
        ):
            missing = [c for c in columns if c not in table.columns]
            if missing:
                msg = f"WeekPlan.{name} lacks columns {missing}."
                raise ValueError(msg)
