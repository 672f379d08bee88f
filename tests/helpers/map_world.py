"""A small synthetic world near Helsinki for the map tests (unit and browser).

Two reps with one rectangular zone each, 26 clients, a Monday-to-Friday week 12 with 20
planned stops (one a catch-up visit, one day without visits) and one dropped visit. Times and
distances follow straight lines × 1.35 at 30 km/h, so the tables are self-consistent.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from routeplan.config import Settings
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan

WEEK = 12
MONDAY = dt.date(2027, 3, 22)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
TIERS = ("AAA", "AA", "A", "B")
# A real client name from the demo broke a map once: quotes, backticks, ${...} and HTML.
TRICKY_NAME = 'T`UOMO "Apteekki" ${x} <b>&</b>'
KINDS = ("Kahvila", "Apteekki", "Kioski", "Baari")
SERVICE = {"AAA": 60, "AA": 45, "A": 30, "B": 20}

# Stops per day (Mon..Fri) of each rep: 11 + 9 = 20 stops; R2 has a free Friday.
STOPS_PER_DAY = {"R1": (3, 2, 2, 2, 2), "R2": (2, 2, 2, 3, 0)}
CATCH_UP = ("R1", "Wed", 1)  # rep, day, seq of the one catch-up visit
DROPPED_CLIENT = "C2-06"


@dataclass
class MapWorld:
    """Everything the map builders take."""

    plan: WeekPlan
    clients: pd.DataFrame
    reps: pd.DataFrame
    zones: gpd.GeoDataFrame
    settings: Settings

    def stops(self, rep_id: str) -> pd.DataFrame:
        """Planned stops of one rep."""
        return self.plan.routes.loc[self.plan.routes["rep_id"] == rep_id]

    def days_of(self, rep_id: str) -> pd.DataFrame:
        """Day rows of one rep."""
        return self.plan.days.loc[self.plan.days["rep_id"] == rep_id]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h)) * 1.35


def _hhmm(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def build_world() -> MapWorld:
    """Build the synthetic world (deterministic)."""
    zones = gpd.GeoDataFrame(
        {"zone": ["Z1", "Z2"], "rep_id": ["R1", "R2"]},
        geometry=[box(24.82, 60.15, 24.95, 60.24), box(24.95, 60.15, 25.08, 60.24)],
        crs=4326,
    )
    reps = pd.DataFrame(
        {
            "rep_id": ["R1", "R2"],
            "name": ["Aino Virtanen", "Mikko Korhonen"],
            "home_lat": [60.19, 60.20],
            "home_lon": [24.88, 25.02],
            "zone": ["Z1", "Z2"],
            "day_start": ["08:00", "08:00"],
            "day_end": ["16:00", "10:00"],  # R2 works part-time mornings: a busy zone
            "lunch_start": ["12:00", "12:00"],
            "lunch_min": [30, 30],
            "workdays": ["Mon Tue Wed Thu Fri"] * 2,
        }
    )
    clients = []
    for zi, (rep_id, (x0, x1)) in enumerate((("R1", (24.83, 24.94)), ("R2", (24.96, 25.07)))):
        for i in range(13):
            tier = TIERS[0] if i == 0 else TIERS[1] if i < 3 else TIERS[2] if i < 7 else TIERS[3]
            clients.append(
                {
                    "client_id": f"C{zi + 1}-{i:02d}",
                    "name": TRICKY_NAME
                    if (zi, i) == (0, 1)
                    else f"{KINDS[i % 4]} {zi * 13 + i + 1}",
                    "lat": 60.16 + 0.07 * ((i * 7) % 13) / 12,
                    "lon": x0 + (x1 - x0) * ((i * 5) % 13) / 12,
                    "address": f"Testikatu {i + 1}, Helsinki",
                    "tier": tier,
                    "zone": f"Z{zi + 1}",
                    "rep_id": rep_id,
                    "revenue": 100_000.0 / (i + 1),
                    "service_min": SERVICE[tier],
                }
            )
    clients_df = pd.DataFrame(clients)

    routes, days, dropped = [], [], []
    for rep in reps.itertuples(index=False):
        home = (rep.home_lat, rep.home_lon)
        pool = [
            c for c in clients if c["rep_id"] == rep.rep_id and c["client_id"] != DROPPED_CLIENT
        ]
        k = 0
        for d, (day, n_stops) in enumerate(zip(DAYS, STOPS_PER_DAY[rep.rep_id], strict=True)):
            date = (MONDAY + dt.timedelta(days=d)).isoformat()
            t, here, km_day, travel_day, service_day = 8 * 60.0, home, 0.0, 0.0, 0
            for seq in range(1, n_stops + 1):
                c = pool[k]
                k += 1
                km = _km(here, (c["lat"], c["lon"]))
                travel = km / 30 * 60
                t += travel
                arrive = t
                t += c["service_min"]
                catch = (rep.rep_id, day, seq) == CATCH_UP
                routes.append(
                    {
                        "week": WEEK,
                        "rep_id": rep.rep_id,
                        "date": date,
                        "day": day,
                        "seq": seq,
                        "client_id": c["client_id"],
                        "name": c["name"],
                        "tier": c["tier"],
                        "lat": c["lat"],
                        "lon": c["lon"],
                        "address": c["address"],
                        "arrive": _hhmm(arrive),
                        "start": _hhmm(arrive),
                        "depart": _hhmm(t),
                        "service_min": c["service_min"],
                        "wait_min": 0,
                        "travel_min": round(travel, 1),
                        "km": round(km, 2),
                        "catch_up": catch,
                        "reason": "catch-up from week 11" if catch else "due: every 4 weeks",
                    }
                )
                here = (c["lat"], c["lon"])
                km_day += km
                travel_day += travel
                service_day += c["service_min"]
            back = _km(here, home) if n_stops else 0.0
            days.append(
                {
                    "week": WEEK,
                    "rep_id": rep.rep_id,
                    "date": date,
                    "day": day,
                    "visits": n_stops,
                    "start": "08:00",
                    "end": _hhmm(t + back / 30 * 60),
                    "travel_min": round(travel_day + back / 30 * 60, 1),
                    "km": round(km_day + back, 2),
                    "service_min": service_day,
                    "home_lat": rep.home_lat,
                    "home_lon": rep.home_lon,
                }
            )
    lost = next(c for c in clients if c["client_id"] == DROPPED_CLIENT)
    dropped.append(
        {
            "week": WEEK,
            "rep_id": lost["rep_id"],
            "client_id": lost["client_id"],
            "name": lost["name"],
            "tier": lost["tier"],
            "lat": lost["lat"],
            "lon": lost["lon"],
            "reason_code": "closed_all_days",  # not a capacity reason: no load for its zone
            "reason": "outside opening hours on every allowed day",
        }
    )
    plan = WeekPlan(
        week=WEEK,
        routes=pd.DataFrame(routes, columns=list(ROUTE_COLUMNS)),
        days=pd.DataFrame(days, columns=list(DAY_COLUMNS)),
        dropped=pd.DataFrame(dropped, columns=list(DROPPED_COLUMNS)),
    )
    return MapWorld(plan=plan, clients=clients_df, reps=reps, zones=zones, settings=Settings())


def overflowing_plan(world: MapWorld, n: int = 6) -> WeekPlan:
    """The world's plan with ``n`` more of R2's clients dropped for lack of time.

    R2 works two hours a day, so the dropped work pushes zone Z2 over its capacity.
    """
    from routeplan.routing.problem import REASON_TIME

    plan = WeekPlan(
        week=world.plan.week,
        routes=world.plan.routes.copy(),
        days=world.plan.days.copy(),
        dropped=world.plan.dropped.copy(),
    )
    pool = world.clients.loc[world.clients["rep_id"] == "R2"].head(n)
    extra = pd.DataFrame(
        {
            "week": plan.week,
            "rep_id": "R2",
            "client_id": pool["client_id"],
            "name": pool["name"],
            "tier": pool["tier"],
            "lat": pool["lat"],
            "lon": pool["lon"],
            "reason_code": REASON_TIME,
            "reason": "does not fit: no time left on the allowed days (time window)",
        }
    )
    plan.dropped = pd.concat([plan.dropped, extra], ignore_index=True)
    return plan
