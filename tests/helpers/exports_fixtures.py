"""A small, hand-checked week plan: 2 reps, 5 rep-days (one empty), 10 stops, 1 dropped.

Times and distances are chosen by hand so KPI tests can state expected figures:

R1 Mon: 3 stops (one catch-up), travel 85 min, 33.7 km, service 125, wait 10, 08:00-11:40
R1 Tue: 2 stops, travel 90 min, 33.0 km, service 90, 08:00-11:00
R1 Wed: no visits
R2 Mon: 2 stops, travel 70 min, 25.0 km, service 105, wait 20, 08:00-11:15
R2 Tue: 3 stops, travel 90 min, 29.5 km, service 110, 08:00-11:20
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from routeplan.config import CycleConfig, Settings
from routeplan.kpis.report import kpi_tables
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan

HOMES = {"R1": (60.170, 24.940), "R2": (60.200, 25.050)}

# rep, weekday index, seq, client, name, tier, lat, lon, address, arrive, start, depart,
# service, wait, travel, km, catch_up, reason
STOPS = [
    ("R1", 0, 1, "C01", "Kahvila Ääkkönen", "AAA", 60.1712, 24.9414,
     "Mannerheimintie 1, 00100 Helsinki", "08:20", "08:30", "09:30", 60, 10, 20.0, 8.5, False,
     "due: 2 per week"),
    ("R1", 0, 2, "C02", "Rauta; Oy", "AA", 60.1650, 24.9300, "Bulevardi 5", "09:45", "09:45",
     "10:30", 45, 0, 15.0, 6.0, False, "due: every week"),
    ("R1", 0, 3, "C03", 'Kirja "Kulma"', "B", 60.1600, 24.9500, "Eira 2", "10:50", "10:50",
     "11:10", 20, 0, 20.0, 7.2, True, "catch-up from week 1"),
    ("R1", 1, 1, "C01", "Kahvila Ääkkönen", "AAA", 60.1712, 24.9414,
     "Mannerheimintie 1, 00100 Helsinki", "08:30", "08:30", "09:30", 60, 0, 30.0, 12.0, False,
     "due: 2 per week"),
    ("R1", 1, 2, "C04", "Satama Ab", "A", 60.1550, 24.9600, "", "10:00", "10:00", "10:30", 30,
     0, 30.0, 11.0, False, "due: every 4 weeks"),
    ("R2", 0, 1, "C05", "Itä Oy", "AAA", 60.2100, 25.0800, "Itäkatu 3", "08:15", "08:15",
     "09:15", 60, 0, 15.0, 5.0, False, "due: 2 per week"),
    ("R2", 0, 2, "C06", "Kauppa Ky", "AA", 60.2200, 25.1000, "Kauppatie 9", "09:40", "10:00",
     "10:45", 45, 20, 25.0, 9.0, False, "due: every week"),
    ("R2", 1, 1, "C05", "Itä Oy", "AAA", 60.2100, 25.0800, "Itäkatu 3", "08:20", "08:20",
     "09:20", 60, 0, 20.0, 7.0, False, "due: 2 per week"),
    ("R2", 1, 2, "C07", "Metsä Oy", "A", 60.2300, 25.0200, "Metsätie 1", "09:40", "09:40",
     "10:10", 30, 0, 20.0, 6.0, False, "due: every 4 weeks"),
    ("R2", 1, 3, "C08", "Pelto Ky", "B", 60.2400, 25.0000, "Peltokuja 4", "10:30", "10:30",
     "10:50", 20, 0, 20.0, 6.5, False, "due: every 12 weeks"),
]  # fmt: skip

# rep, weekday index, visits, start, end, travel_min, km, service_min
DAYS = [
    ("R1", 0, 3, "08:00", "11:40", 85.0, 33.7, 125),
    ("R1", 1, 2, "08:00", "11:00", 90.0, 33.0, 90),
    ("R1", 2, 0, "08:00", "08:00", 0.0, 0.0, 0),
    ("R2", 0, 2, "08:00", "11:15", 70.0, 25.0, 105),
    ("R2", 1, 3, "08:00", "11:20", 90.0, 29.5, 110),
]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def settings_for(*, start: dt.date = dt.date(2027, 1, 4), weeks: int = 52) -> Settings:
    """Settings with a cycle of ``weeks`` weeks from ``start`` in Europe/Helsinki."""
    return Settings(cycle=CycleConfig(weeks=weeks, start_date=start, timezone="Europe/Helsinki"))


def small_week_plan(week: int, settings: Settings) -> WeekPlan:
    """The hand-checked plan placed in ``week`` of the cycle of ``settings``."""
    monday = settings.cycle.week_start(week)

    def date_of(weekday: int) -> str:
        return (monday + dt.timedelta(days=weekday)).isoformat()

    routes = pd.DataFrame(
        [
            {
                "week": week,
                "rep_id": rep,
                "date": date_of(wd),
                "day": DAY_NAMES[wd],
                "seq": seq,
                "client_id": cid,
                "name": name,
                "tier": tier,
                "lat": lat,
                "lon": lon,
                "address": address,
                "arrive": arrive,
                "start": start,
                "depart": depart,
                "service_min": service,
                "wait_min": wait,
                "travel_min": travel,
                "km": km,
                "catch_up": catch_up,
                "reason_code": "",  # hand-written sentences: shown as they are
                "reason": reason,
                "break_start": "",
                "break_end": "",
                "priority": 1 if catch_up else 0,
            }
            for (rep, wd, seq, cid, name, tier, lat, lon, address, arrive, start, depart, service,
                 wait, travel, km, catch_up, reason) in STOPS
        ],
        columns=list(ROUTE_COLUMNS),
    )  # fmt: skip
    days = pd.DataFrame(
        [
            {
                "week": week,
                "rep_id": rep,
                "date": date_of(wd),
                "day": DAY_NAMES[wd],
                "visits": visits,
                "start": start,
                "end": end,
                "travel_min": travel,
                "km": km,
                "service_min": service,
                "home_lat": HOMES[rep][0],
                "home_lon": HOMES[rep][1],
                "lunch_start": "",
                "lunch_end": "",
            }
            for rep, wd, visits, start, end, travel, km, service in DAYS
        ],
        columns=list(DAY_COLUMNS),
    )
    dropped = pd.DataFrame(
        [
            {
                "week": week,
                "rep_id": "R2",
                "client_id": "C09",
                "name": "Myöhä Oy",
                "tier": "B",
                "lat": 60.25,
                "lon": 25.10,
                "reason_code": "no_time_left",
                "reason": "no time left on any workday",
                "catch_up": False,
                "priority": 0,
            }
        ],
        columns=list(DROPPED_COLUMNS),
    )
    return WeekPlan(week=week, routes=routes, days=days, dropped=dropped)


def small_reps() -> pd.DataFrame:
    """Reps R1 (default day) and R2 (ends at 16:00, 45 min lunch)."""
    return pd.DataFrame(
        [
            {"rep_id": "R1", "name": "Aino", "home_lat": 60.17, "home_lon": 24.94,
             "day_start": "", "day_end": "", "lunch_min": None},
            {"rep_id": "R2", "name": "Ville", "home_lat": 60.20, "home_lon": 25.05,
             "day_start": "08:00", "day_end": "16:00", "lunch_min": 45},
        ]
    )  # fmt: skip


def kpi_example_tables() -> dict[str, pd.DataFrame]:
    """KPI tables of the small hand-made week (shared with the browser test)."""
    settings = settings_for()
    plan = small_week_plan(2, settings)
    due = pd.DataFrame(
        [
            {"client_id": row.client_id, "week": 2, "tier": row.tier}
            for row in plan.routes.itertuples()
        ]
        + [{"client_id": "C09", "week": 2, "tier": "B"}]
    )
    clients = (
        plan.routes[["client_id", "name", "tier", "rep_id"]]
        .drop_duplicates("client_id")
        .reset_index(drop=True)
    )
    log = pd.DataFrame(
        [("C01", "2027-01-05", "done"), ("C04", "2026-11-02", "done")],
        columns=["client_id", "date", "status"],
    )
    unservable = pd.DataFrame(
        [
            {
                "client_id": "C99",
                "name": "Night bar",
                "rep_id": "R1",
                "tier": "B",
                "opens": "20:00",
                "closes": "23:59",
                "service_min": 20,
                "rep_day": "08:00-17:00",
                "fix": "change the opening hours",
            }
        ]
    )
    tables = kpi_tables(
        plan, settings=settings, reps=small_reps(), due=due, log=log, clients=clients
    )
    return {**tables, "unservable": unservable}
