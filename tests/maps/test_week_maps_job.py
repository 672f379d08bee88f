"""The week maps job: the clients' next week due reaches the stop cards."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from helpers.map_world import build_world

from routeplan.config import CycleConfig
from routeplan.i18n import use_language
from routeplan.jobs.week_maps import with_last_visit, with_next_due
from routeplan.maps.rep_map import rep_week_map
from routeplan.maps.today import DayTabs


def test_next_due_is_the_monday_of_the_next_week_due():
    clients = pd.DataFrame({"client_id": ["C1", "C2", "C3"]})
    calendar = pd.DataFrame({"client_id": ["C1", "C1", "C1", "C2"], "week": [3, 9, 5, 2]})
    cycle = CycleConfig(start_date=dt.date(2027, 1, 4))
    out = with_next_due(clients, calendar, week=3, cycle=cycle)
    assert out["next_due"].tolist() == ["Feb 1, 2027", "", ""]  # week 5; C2 due before
    assert "next_due" not in clients.columns  # a copy
    assert with_next_due(clients, None, week=3, cycle=cycle) is clients


def test_last_visit_is_the_latest_visit_logged_done():
    clients = pd.DataFrame(
        {"client_id": ["C1", "C2", "C3"], "last_visit": ["", "from the CRM", None]}
    )
    log = pd.DataFrame(
        {
            "client_id": ["C1", "C1", "C1", "C3"],
            "date": ["2027-01-05", "2027-01-19", "2027-01-26", "2027-01-12"],
            "status": ["done", "done", "missed", "missed"],
        }
    )
    out = with_last_visit(clients, log)
    # C1: the 26th was missed, so the 19th; C2 keeps the CRM's text; C3 was never seen
    assert out["last_visit"].tolist() == ["Jan 19, 2027", "from the CRM", ""]
    assert clients["last_visit"].tolist()[:2] == ["", "from the CRM"]  # a copy
    assert with_last_visit(clients, None) is clients
    assert with_last_visit(clients, log.iloc[0:0]) is clients
    with use_language("es"):
        spanish = with_last_visit(clients.drop(columns="last_visit"), log)
    assert spanish["last_visit"].tolist() == ["19 ene 2027", "", ""]


def test_the_stop_card_shows_the_last_visit_from_the_log():
    world = build_world()
    first = world.stops("R1").sort_values(["date", "seq"]).iloc[0]
    log = pd.DataFrame(
        {"client_id": [first["client_id"]], "date": ["2027-02-02"], "status": ["done"]}
    )
    clients = with_last_visit(world.clients, log)
    m = rep_week_map(world.plan, "R1", reps=world.reps, zones=world.zones, clients=clients)
    (tabs,) = [c for c in _walk(m) if isinstance(c, DayTabs)]
    cards = [card for _key, card in tabs.days[0].cards]
    assert any("<th>Last visit</th><td>Feb 2, 2027</td>" in card for card in cards)
    assert sum("Last visit" in card for card in cards) == 1


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)
