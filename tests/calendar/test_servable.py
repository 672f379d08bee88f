"""Accounts their rep can never visit are caught once, before routing."""

from __future__ import annotations

import pandas as pd

from routeplan.calendar.servable import UNSERVABLE_COLUMNS, unservable_clients
from routeplan.config import Settings


def _clients(*hours: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "client_id": f"C{i}",
                "name": f"Bar {i}",
                "rep_id": "R1",
                "tier": "B",
                "opens": opens,
                "closes": closes,
                "service_min": 20,
            }
            for i, (opens, closes) in enumerate(hours)
        ]
    )


REPS = pd.DataFrame([{"rep_id": "R1", "day_start": "08:00", "day_end": "17:00"}])


def test_hours_that_never_meet_the_day_are_unservable() -> None:
    clients = _clients(
        ("20:00", "23:59"),  # evening bar
        ("07:00", "08:00"),  # closes as the day starts
        ("16:45", "23:00"),  # 15 minutes of overlap: too short for 20 minutes
        ("16:30", "23:00"),  # 30 minutes: fits
        ("", ""),  # open all day
        ("11:00", "02:00"),  # open past midnight, from late morning
    )
    found = unservable_clients(clients, REPS, Settings())
    assert list(found.columns) == list(UNSERVABLE_COLUMNS)
    assert found["client_id"].tolist() == ["C0", "C1", "C2"]
    assert (found["rep_day"] == "08:00-17:00").all()
    assert "give the rep an evening" in found["fix"].iloc[0]


def test_a_rep_with_an_evening_can_serve_the_bar() -> None:
    reps = REPS.assign(day_end="22:00")
    assert unservable_clients(_clients(("20:00", "23:59")), reps, Settings()).empty
    overtime = Settings(workday={"overtime_max_min": 240})
    assert unservable_clients(_clients(("20:00", "23:59")), REPS, overtime).empty
