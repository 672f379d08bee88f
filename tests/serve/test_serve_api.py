"""The JSON API against the real app: stops, visits (idempotent), summary, bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import MANAGER_ALL, MANAGER_Z1, TODAY, WEEK, api_token, link_token

from routeplan.planning.prepare import DataSource
from routeplan.planning.store import PlanStore

DAY = TODAY.isoformat()


def bearer(data: Path, person: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(data, person)}"}


def r1_stops(client: TestClient, data: Path) -> list[dict]:
    got = client.get(f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}", headers=bearer(data, "R1"))
    assert got.status_code == 200, got.text
    return got.json()["stops"]


def visit(client_id: str, status: str = "done", key: str = "key-00001", **extra) -> dict:
    return {"client_id": client_id, "date": DAY, "status": status, "client_key": key, **extra}


def log_rows(data: Path) -> list[tuple]:
    conn = sqlite3.connect(data / "plan.sqlite")
    rows = conn.execute(
        "SELECT client_id, date, status, outcome, source, rep_id FROM visit_log ORDER BY id"
    ).fetchall()
    conn.close()
    return rows


def test_openapi_documents_the_v1_routes(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) >= {
        "/api/v1/me",
        "/api/v1/signin",
        "/api/v1/visits",
        "/api/v1/weeks/{week}/reps/{rep_id}/stops",
        "/api/v1/weeks/{week}/reps/{rep_id}/replan",
        "/api/v1/weeks/{week}/summary",
    }
    assert client.get("/docs").status_code == 404  # no CDN-backed Swagger page


def test_me_for_rep_and_manager(client: TestClient, data: Path) -> None:
    me = client.get("/api/v1/me", headers=bearer(data, "R1")).json()
    assert (me["role"], me["rep_id"], me["reps"], me["week"]) == ("rep", "R1", ["R1"], 1)
    boss = client.get("/api/v1/me", headers=bearer(data, MANAGER_ALL)).json()
    assert boss["reps"] == ["R1", "R2"]
    mia = client.get("/api/v1/me", headers=bearer(data, MANAGER_Z1)).json()
    assert mia["reps"] == ["R1"] and mia["zones"] == ["Z1"]


def test_stops_are_the_planned_route_in_order(client: TestClient, data: Path) -> None:
    stops = r1_stops(client, data)
    with PlanStore(data / "plan.sqlite") as store:
        routes = store.load_week_plan(WEEK).routes
    planned = routes[(routes["rep_id"] == "R1") & (routes["date"] == DAY)]
    assert [s["client_id"] for s in stops] == planned.sort_values("seq")["client_id"].tolist()
    assert [s["seq"] for s in stops] == list(range(1, len(stops) + 1))
    assert {s["status"] for s in stops} == {"open"}


def test_posted_visit_lands_in_the_log_once_and_makes_a_catch_up(
    client: TestClient, data: Path
) -> None:
    stops = r1_stops(client, data)
    first, second = stops[0]["client_id"], stops[1]["client_id"]
    auth = bearer(data, "R1")
    body = visit(first, "done", "k-done-1", lat=stops[0]["lat"] + 0.001, lon=stops[0]["lon"])
    one = client.post("/api/v1/visits", json=body, headers=auth)
    assert one.status_code == 201, one.text
    assert one.json()["new"] is True and 100 < one.json()["distance_m"] < 120
    again = client.post("/api/v1/visits", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["visit_id"] == one.json()["visit_id"]
    missed = client.post("/api/v1/visits", json=visit(second, "closed", "k-closed-1"), headers=auth)
    assert missed.status_code == 201 and missed.json()["status"] == "missed"
    assert log_rows(data) == [
        (first, DAY, "done", "done", "field", "R1"),
        (second, DAY, "missed", "closed", "field", "R1"),
    ]
    with PlanStore(data / "plan.sqlite") as store:
        backlog = store.backlog(WEEK + 1)
    assert second in set(backlog["client_id"]) and first not in set(backlog["client_id"])
    now = client.get(f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}", headers=auth).json()
    states = {s["client_id"]: s["status"] for s in now["stops"]}
    assert states[first] == "done" and states[second] == "missed"


def test_field_miss_equals_an_imported_miss_for_the_next_build(
    client: TestClient, data: Path, tmp_path: Path
) -> None:
    """The next build plans the same catch-up whether the miss came from the app or a CRM."""
    import shutil

    from routeplan.jobs.build import run_build

    stop = r1_stops(client, data)[0]["client_id"]
    crm = tmp_path / "crm"
    shutil.copytree(data, crm)
    assert (
        client.post(
            "/api/v1/visits", json=visit(stop, "missed", "k-miss-01"), headers=bearer(data, "R1")
        ).status_code
        == 201
    )
    with PlanStore(crm / "plan.sqlite") as store:
        import pandas as pd

        log = pd.DataFrame([{"client_id": stop, "date": DAY, "status": "missed", "rep_id": "R1"}])
        store.record_visits(log.assign(note=""), cycle_start=TODAY)
    client.app.state.field.close()  # the server stops before the build, as in the field
    plans = []
    for folder in (data, crm):
        outcome = run_build(
            DataSource(folder), 2, out_dir=folder / "o", maps_dir=folder / "m", workers=1
        )
        catch_ups = outcome.result.plan.routes
        plans.append(set(catch_ups[catch_ups["catch_up"]]["client_id"]))
    assert stop in plans[0]
    assert plans[0] == plans[1]


def test_key_reused_for_other_data_is_a_conflict(client: TestClient, data: Path) -> None:
    stops = r1_stops(client, data)
    auth = bearer(data, "R1")
    assert client.post("/api/v1/visits", json=visit(stops[0]["client_id"]), headers=auth).is_success
    other = client.post("/api/v1/visits", json=visit(stops[1]["client_id"]), headers=auth)
    assert other.status_code == 409
    assert len(log_rows(data)) == 1


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"client_id": "NOPE"}, 422, "Unknown client 'NOPE'"),
        ({"date": "2026-12-31"}, 422, "outside the cycle"),
        ({"date": "2027-13-01"}, 422, "Bad date"),
        ({"status": "maybe"}, 422, "status"),
        ({"client_key": None}, 422, "idempotency key"),
        ({"lat": 60.2}, 422, "both lat and lon"),
        ({"order_value": -5}, 422, "order_value"),
        ({"extra": 1}, 422, "extra"),
    ],
)
def test_bad_visit_is_a_4xx_with_one_line_and_writes_nothing(
    client: TestClient, data: Path, change: dict, status: int, reason: str
) -> None:
    body = {**visit(r1_stops(client, data)[0]["client_id"]), **change}
    body = {k: v for k, v in body.items() if v is not None}
    got = client.post("/api/v1/visits", json=body, headers=bearer(data, "R1"))
    assert got.status_code == status, got.text
    detail = got.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and reason in detail
    assert log_rows(data) == []


def test_visit_for_another_reps_client_is_refused(client: TestClient, data: Path) -> None:
    r2 = client.get(
        f"/api/v1/weeks/{WEEK}/reps/R2/stops?date={DAY}", headers=bearer(data, "R2")
    ).json()["stops"]
    got = client.post("/api/v1/visits", json=visit(r2[0]["client_id"]), headers=bearer(data, "R1"))
    assert got.status_code == 403
    as_r2 = client.post(
        "/api/v1/visits", json=visit(r2[0]["client_id"], rep_id="R2"), headers=bearer(data, "R1")
    )
    assert as_r2.status_code == 403
    assert log_rows(data) == []


def test_malformed_and_oversized_bodies(make_client, data: Path) -> None:
    client = make_client(max_body_bytes=2048)
    auth = {**bearer(data, "R1"), "Content-Type": "application/json"}
    bad = client.post("/api/v1/visits", content=b'{"client_id": "C0', headers=auth)
    assert bad.status_code == 400 and bad.json()["detail"] == "Malformed JSON body."
    big = client.post("/api/v1/visits", content=b'{"note": "' + b"x" * 5000 + b'"}', headers=auth)
    assert big.status_code == 413
    assert log_rows(data) == []


def test_manager_summary_counts_the_day(client: TestClient, data: Path) -> None:
    stops = r1_stops(client, data)
    auth = bearer(data, "R1")
    at = f"{DAY}T09:15:00+02:00"
    client.post(
        "/api/v1/visits",
        json=visit(
            stops[0]["client_id"], "done", "k-sum-001", checked_in_at=at, lat=60.2, lon=24.8
        ),
        headers=auth,
    )
    client.post(
        "/api/v1/visits", json=visit(stops[1]["client_id"], "missed", "k-sum-002"), headers=auth
    )
    got = client.get(f"/api/v1/weeks/{WEEK}/summary?date={DAY}", headers=bearer(data, MANAGER_ALL))
    assert got.status_code == 200, got.text
    reps = {r["rep_id"]: r for r in got.json()["reps"]}
    r1 = reps["R1"]
    assert (r1["done"], r1["missed"], r1["remaining"]) == (1, 1, len(stops) - 2)
    assert r1["last_check_in"]["client_id"] == stops[0]["client_id"]
    assert r1["km_so_far"] == pytest.approx(sum(s["km"] for s in stops[:2]), abs=0.11)
    assert 0 <= r1["compliance_pct"] <= 100
    assert reps["R2"]["done"] == 0
    mia = client.get(f"/api/v1/weeks/{WEEK}/summary", headers=bearer(data, MANAGER_Z1)).json()
    assert [r["rep_id"] for r in mia["reps"]] == ["R1"]


def test_api_signin_with_a_link_gives_a_bearer_token_once(client: TestClient, data: Path) -> None:
    token = link_token(data, "R1")
    got = client.post("/api/v1/signin", json={"token": token})
    assert got.status_code == 200, got.text
    bearer_token = got.json()["access_token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {bearer_token}"}).is_success
    assert client.post("/api/v1/signin", json={"token": token}).status_code == 401


def test_session_sign_in_sets_a_secure_http_only_samesite_cookie(
    client: TestClient, data: Path
) -> None:
    token = link_token(data, "R1")
    page = client.get(f"/signin?token={token}")
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/signin", data={"token": token, "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/today"
    cookie = next(h for h in done.headers.get_list("set-cookie") if h.startswith("rp_session="))
    lowered = cookie.lower()
    assert "secure" in lowered and "httponly" in lowered and "samesite=lax" in lowered
    today = client.get("/today")
    assert today.status_code == 200 and "Client" in today.text
    assert "content-security-policy" in today.headers


def test_sign_in_is_rate_limited(make_client, data: Path) -> None:
    client = make_client(signin_attempts=3)
    codes = [client.post("/api/v1/signin", json={"token": "x" * 20}).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    page = client.get("/signin?token=abc")
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    limited = client.post("/signin", data={"token": link_token(data, "R1"), "csrf_token": csrf})
    assert limited.status_code == 429
