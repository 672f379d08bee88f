"""Plan-shape measures: stretches without a pause, day spread, areas, regular slots."""

from __future__ import annotations

import pandas as pd

from routeplan.kpis.shape import (
    areas_on_several_days,
    day_spread,
    day_table,
    longest_stretch_min,
    several_day_areas_by_cause,
    slot_consistency,
    work_intervals,
)


def _stop(seq: int, arrive: str, start: str, depart: str, travel: float, **kw: object) -> dict:
    return {
        "seq": seq,
        "arrive": arrive,
        "start": start,
        "depart": depart,
        "travel_min": travel,
        **kw,
    }


def test_longest_stretch_breaks_only_at_pauses_of_30_minutes() -> None:
    stops = pd.DataFrame(
        [
            _stop(1, "08:20", "08:20", "10:00", 20),
            _stop(2, "10:10", "10:10", "12:00", 10),  # 10-minute gap: still working
            _stop(3, "12:40", "12:40", "14:00", 10),  # 12:00-12:30 off, then a 10-minute drive
        ]
    )
    intervals = work_intervals(stops, day_end_min=14 * 60 + 20)
    assert longest_stretch_min(intervals) == 12 * 60 - (8 * 60)  # 08:00-12:00
    assert longest_stretch_min(intervals, pause_min=45) == 14 * 60 + 20 - 8 * 60


def test_day_spread_and_empty_day_beside_a_full_one() -> None:
    days = pd.DataFrame(
        [
            {"week": 1, "rep_id": "R1", "date": d, "visits": v, "start": s, "end": e,
             "travel_min": 10.0}
            for d, v, s, e in (
                ("2027-01-04", 10, "08:00", "17:00"),
                ("2027-01-05", 2, "08:00", "10:00"),
                ("2027-01-06", 0, "08:00", "08:00"),
            )
        ]
    )  # fmt: skip
    rows = day_table([pd.DataFrame(columns=["rep_id", "date", "seq"])], [days])
    spread = day_spread(rows)
    assert spread.rep_weeks == 1 and spread.empty_beside_full == 1
    assert spread.over_2x == 1 and spread.median_max_over_min == 4.5
    assert spread.short_beside_long == 0  # 2 h is not under 2 h


def test_areas_on_several_days_and_slot_consistency() -> None:
    rows = [
        # week 1: Kallio on Mon and Tue (2 days), Töölö twice on Wed
        ("1", "C1", "Kallio", "Mon", "09:00"),
        ("1", "C2", "Kallio", "Tue", "09:00"),
        ("1", "C3", "Töölö", "Wed", "10:00"),
        ("1", "C4", "Töölö", "Wed", "11:00"),
        # C1 weekly: Mon 09:00, Mon 09:50, Thu 09:00 -> 2 of 3 in the slot
        ("2", "C1", "Kallio", "Mon", "09:50"),
        ("3", "C1", "Kallio", "Thu", "09:00"),
    ]
    routes = pd.DataFrame(
        [
            {"week": int(w), "rep_id": "R1", "client_id": c, "date": f"{w}-{d}", "day": d,
             "start": t, "tier": "AA" if c == "C1" else "B", "catch_up": False,
             "lat": 60.0, "lon": 25.0}
            for w, c, _, d, t in rows
        ]
    )  # fmt: skip
    clients = pd.DataFrame({"client_id": [r[1] for r in rows], "area": [r[2] for r in rows]})
    assert areas_on_several_days(routes, clients) == (2, 1)
    assert slot_consistency(routes, tiers=["AA"]) == (2, 3)


def test_areas_on_several_days_sorted_by_cause() -> None:
    rows = [
        # Kallio: 2 x 200 min on two days, more than the mean day of 180 min
        ("C1", "Kallio", "Mon", 200),
        ("C2", "Kallio", "Tue", 200),
        # Töölö: a twice-weekly client on Mon and Thu
        ("C3", "Töölö", "Mon", 20),
        ("C3", "Töölö", "Thu", 20),
        # Pasila: two short visits that would fit one day, on Tue and Thu
        ("C4", "Pasila", "Tue", 20),
        ("C5", "Pasila", "Thu", 20),
        # Vallila: twice on one day, not counted
        ("C6", "Vallila", "Wed", 200),
        ("C7", "Vallila", "Wed", 40),
    ]
    routes = pd.DataFrame(
        [
            {"week": 1, "rep_id": "R1", "client_id": c, "date": f"2027-01-{d}",
             "service_min": m}
            for c, _, d, m in rows
        ]
    )  # fmt: skip
    clients = pd.DataFrame({"client_id": [r[0] for r in rows], "area": [r[1] for r in rows]})
    assert areas_on_several_days(routes, clients) == (4, 3)
    causes = several_day_areas_by_cause(routes, clients)  # mean day: 720 min / 4 days
    assert (causes.more_than_a_day, causes.repeat_client, causes.avoidable) == (1, 1, 1)
