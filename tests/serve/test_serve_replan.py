"""Re-plan the rest of the day: OR-Tools from here and now, hours kept, misfits to the backlog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import TODAY, WEEK, api_token

from routeplan.planning.prepare import prepare
from routeplan.planning.problems import WAIT_COST_PER_S
from routeplan.planning.store import PlanStore
from routeplan.serve import ServeOptions
from routeplan.serve.replan import DayPosition, day_problem, remaining_stops
from routeplan.serve.state import FieldState
from routeplan.timefmt import seconds_of

DAY = TODAY.isoformat()
REPLAN = f"/api/v1/weeks/{WEEK}/reps/R1/replan"


def auth(data: Path) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(data, 'R1')}"}


def stops(client: TestClient, data: Path) -> list[dict]:
    url = f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}"
    return client.get(url, headers=auth(data)).json()["stops"]


def test_replan_orders_the_open_stops_from_here_keeping_hours(
    client: TestClient, data: Path
) -> None:
    planned = stops(client, data)
    done = planned[0]
    posted = client.post(
        "/api/v1/visits",
        json={
            "client_id": done["client_id"],
            "date": DAY,
            "status": "done",
            "client_key": "rp-k-001",
        },
        headers=auth(data),
    )
    assert posted.status_code == 201
    here = {"lat": done["lat"], "lon": done["lon"], "time": "10:30", "date": DAY}
    got = client.post(REPLAN, json=here, headers=auth(data))
    assert got.status_code == 200, got.text
    result = got.json()
    open_ids = {s["client_id"] for s in planned[1:]}
    routed = [s["client_id"] for s in result["stops"]]
    assert done["client_id"] not in routed
    assert set(routed) | {d["client_id"] for d in result["dropped"]} == open_ids
    assert [s["seq"] for s in result["stops"]] == list(range(1, len(routed) + 1))
    clients = prepare(data).clients.set_index("client_id")
    previous = seconds_of("10:30")
    for stop in result["stops"]:
        start, depart = seconds_of(stop["start"]), seconds_of(stop["depart"])
        assert start >= previous  # in order, never before now
        row = clients.loc[stop["client_id"]]
        if isinstance(row["opens"], str) and row["opens"]:
            assert seconds_of(row["opens"]) <= start and depart <= seconds_of(row["closes"])
        previous = depart
    assert seconds_of(result["end"]) <= seconds_of("17:00")


def test_what_cannot_fit_goes_to_the_backlog_with_its_reason(
    client: TestClient, data: Path
) -> None:
    planned = stops(client, data)
    here = {"lat": 60.2, "lon": 24.85, "time": "16:20", "date": DAY}
    result = client.post(REPLAN, json=here, headers=auth(data)).json()
    assert result["dropped"], result
    assert len(result["stops"]) + len(result["dropped"]) == len(planned)
    assert all(d["reason"] for d in result["dropped"])
    conn = sqlite3.connect(data / "plan.sqlite")
    rows = conn.execute("SELECT client_id, status, source, note FROM visit_log").fetchall()
    conn.close()
    dropped = {d["client_id"] for d in result["dropped"]}
    assert {r[0] for r in rows} == dropped
    assert {(r[1], r[2]) for r in rows} == {("missed", "replan")}
    assert all(r[3].startswith("re-plan: ") for r in rows)
    with PlanStore(data / "plan.sqlite") as store:
        backlog = store.backlog(WEEK + 1)
    assert dropped <= set(backlog["client_id"])
    again = client.post(REPLAN, json=here, headers=auth(data)).json()  # nothing left, no dupes
    assert again["stops"] == [] and again["dropped"] == []


def test_after_the_day_end_everything_left_is_dropped(client: TestClient, data: Path) -> None:
    here = {"lat": 60.2, "lon": 24.85, "time": "17:30", "date": DAY}
    result = client.post(REPLAN, json=here, headers=auth(data)).json()
    assert result["status"] == "day_over" and result["stops"] == []
    assert len(result["dropped"]) == len(stops(client, data))


def test_replan_bad_input(client: TestClient, data: Path) -> None:
    for body, status in (
        ({"lat": 60.2, "lon": 24.85, "time": "25:00"}, 422),
        ({"lat": 91, "lon": 24.85, "time": "10:00"}, 422),
        ({"lat": 60.2, "lon": 24.85, "time": "10:00", "date": "2027-01-20"}, 422),
    ):
        got = client.post(REPLAN, json=body, headers=auth(data))
        assert got.status_code == status, (body, got.text)
        assert "\n" not in got.json()["detail"]
    assert client.post(
        "/api/v1/weeks/99/reps/R1/replan", json={"lat": 60.2, "lon": 24.85, "time": "10:00"},
        headers=auth(data),
    ).status_code == 404  # fmt: skip


@pytest.mark.parametrize("count_waiting", [True, False])
def test_the_replan_costs_waiting_as_the_build_does(data: Path, count_waiting: bool) -> None:
    """``[workday] count_waiting`` reaches the re-plan's day, not only the build's days."""
    if not count_waiting:
        toml = data / "routeplan.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(
            text.replace("[workday]\n", "[workday]\ncount_waiting = false\n"), encoding="utf-8"
        )
    state = FieldState(prepare(data), data / "plan.sqlite", ServeOptions(today=TODAY))
    try:
        remaining = remaining_stops(state, WEEK, "R1", DAY)
        assert not remaining.empty
        at = DayPosition(TODAY, float(remaining["lat"][0]), float(remaining["lon"][0]), 36000)
        problem = day_problem(state, "R1", remaining, at)
    finally:
        state.close()
    assert state.settings.workday.count_waiting is count_waiting
    assert problem.days[0].wait_cost_per_s == (WAIT_COST_PER_S if count_waiting else 0)
