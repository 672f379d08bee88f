"""The week maps job: the clients' next week due reaches the stop cards."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from routeplan.config import CycleConfig
from routeplan.jobs.week_maps import with_next_due


def test_next_due_is_the_monday_of_the_next_week_due():
    clients = pd.DataFrame({"client_id": ["C1", "C2", "C3"]})
    calendar = pd.DataFrame({"client_id": ["C1", "C1", "C1", "C2"], "week": [3, 9, 5, 2]})
    cycle = CycleConfig(start_date=dt.date(2027, 1, 4))
    out = with_next_due(clients, calendar, week=3, cycle=cycle)
    assert out["next_due"].tolist() == ["Feb 1, 2027", "", ""]  # week 5; C2 due before
    assert "next_due" not in clients.columns  # a copy
    assert with_next_due(clients, None, week=3, cycle=cycle) is clients
