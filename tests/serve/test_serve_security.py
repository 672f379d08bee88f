"""Every route's access rule: 401 without auth, 403 for another rep, 403 without CSRF, 401
after revoke, and no response of one rep names another rep's clients.

The route table below must list every route of the app; a new route without an entry fails
``test_every_route_is_in_the_table``, so no route escapes the suite.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import MANAGER_Z1, TODAY, WEEK, api_token, link_token, sign_in

from routeplan.jobs.serve import revoke
from routeplan.planning.prepare import DataSource

DAY = TODAY.isoformat()
PUBLIC = {
    ("GET", "/"),
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("GET", "/signed-out"),
    ("GET", "/healthz"),
    ("GET", "/sw.js"),
    ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/signin"),
}


@dataclass(frozen=True)
class Case:
    """How to call a route as R1 (``own``) and as someone it must refuse (``foreign``)."""

    method: str
    route: str
    path: str
    foreign: str  # who must get 403: "R2" (another rep) or "R1" (a rep on a manager route)
    foreign_path: str | None = None
    json: dict | None = None
    foreign_json: dict | None = None
    html: bool = False
    manager: bool = False


def _visit(client_id: str, key: str) -> dict:
    return {"client_id": client_id, "date": DAY, "status": "done", "client_key": key}


def cases(r1_client: str) -> list[Case]:
    stops = f"/api/v1/weeks/{WEEK}/reps/R1/stops"
    replan = f"/api/v1/weeks/{WEEK}/reps/R1/replan"
    here = {"lat": 60.2, "lon": 24.85, "time": "10:00", "date": DAY}
    return [
        Case("GET", "/api/v1/me", "/api/v1/me", foreign="none"),
        Case("POST", "/signout", "/signout", foreign="none", html=True),
        Case("GET", "/api/v1/weeks/{week}/reps/{rep_id}/stops", stops, foreign="R2"),
        Case("POST", "/api/v1/weeks/{week}/reps/{rep_id}/replan", replan, "R2", json=here),
        Case("POST", "/api/v1/visits", "/api/v1/visits", "R2", json=_visit(r1_client, "sec-key-1")),
        Case(
            "GET",
            "/api/v1/weeks/{week}/summary",
            f"/api/v1/weeks/{WEEK}/summary",
            "R1",
            manager=True,
        ),
        Case(
            "GET",
            "/api/v1/weeks/{week}/zones",
            f"/api/v1/weeks/{WEEK}/zones",
            "R1",
            manager=True,
        ),
        Case("GET", "/today", "/today", foreign=MANAGER_Z1, html=True),
        Case("GET", "/live", "/live", foreign="R1", html=True, manager=True),
    ]


def _flat(routes: list) -> list:
    """Routes of the app, with included routers opened (FastAPI keeps them nested)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _flat(inner.routes) if inner is not None else [route]
    return out


def app_routes(client: TestClient) -> set[tuple[str, str]]:
    found = set()
    for route in _flat(client.app.routes):
        methods = getattr(route, "methods", None) or {"MOUNT"}
        for method in methods - {"HEAD"}:
            found.add((method, route.path))
    return found


def log_count(data: Path) -> int:
    conn = sqlite3.connect(data / "plan.sqlite")
    n = conn.execute("SELECT count(*) FROM visit_log").fetchone()[0]
    conn.close()
    return int(n)


def r1_client_id(client: TestClient, data: Path) -> str:
    auth = {"Authorization": f"Bearer {api_token(data, 'R1')}"}
    got = client.get(f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}", headers=auth)
    return got.json()["stops"][0]["client_id"]


def call(client: TestClient, case: Case, headers: dict | None = None, *, foreign: bool = False):
    path = case.foreign_path if foreign and case.foreign_path else case.path
    body = case.foreign_json if foreign and case.foreign_json else case.json
    return client.request(
        case.method, path, json=body, headers=headers or {}, follow_redirects=False
    )


def test_every_route_is_in_the_table(client: TestClient, data: Path) -> None:
    tabled = {(c.method, c.route) for c in cases("C000")}
    mounted = {r for r in app_routes(client) if not r[1].startswith("/static")}
    assert mounted - PUBLIC == tabled


def test_every_route_without_auth_is_401(client: TestClient, data: Path) -> None:
    before = log_count(data)
    for case in cases(r1_client_id(client, data)):
        got = call(client, case)
        assert got.status_code == 401, (case.route, got.status_code, got.text[:200])
        bad = call(client, case, {"Authorization": "Bearer not-a-token-at-all"})
        assert bad.status_code == 401, case.route
    assert log_count(data) == before


def test_another_reps_or_a_reps_token_on_a_manager_route_is_403(
    client: TestClient, data: Path
) -> None:
    for case in cases(r1_client_id(client, data)):
        if case.foreign == "none":
            continue
        if case.html:
            session = sign_in(client, link_token(data, case.foreign))
            got = call(session.client, case, session.headers())
            client.cookies.clear()
        else:
            got = call(client, case, {"Authorization": f"Bearer {api_token(data, case.foreign)}"})
        assert got.status_code == 403, (case.route, got.status_code, got.text[:200])
    assert log_count(data) == 0


def test_manager_of_another_zone_is_403_on_that_reps_routes(client: TestClient, data: Path) -> None:
    auth = {"Authorization": f"Bearer {api_token(data, MANAGER_Z1)}"}
    stops = client.get(f"/api/v1/weeks/{WEEK}/reps/R2/stops", headers=auth)
    assert stops.status_code == 403
    replan = client.post(
        f"/api/v1/weeks/{WEEK}/reps/R2/replan",
        json={"lat": 60.2, "lon": 24.95, "time": "10:00", "date": DAY},
        headers=auth,
    )
    assert replan.status_code == 403
    assert client.get(f"/api/v1/weeks/{WEEK}/reps/R1/stops", headers=auth).status_code == 200


def test_session_write_without_or_with_a_wrong_csrf_token_is_403(
    client: TestClient, data: Path
) -> None:
    r1 = r1_client_id(client, data)
    session = sign_in(client, link_token(data, "R1"))
    for case in cases(r1):
        if case.method == "GET" or case.manager:
            continue
        missing = call(session.client, case)
        assert missing.status_code == 403, (case.route, missing.status_code)
        wrong = call(session.client, case, {"X-CSRF-Token": "forged-token-value"})
        assert wrong.status_code == 403, case.route
    assert log_count(data) == 0
    ok = session.client.post(
        "/api/v1/visits", json=_visit(r1, "sec-key-ok"), headers=session.headers()
    )
    assert ok.status_code == 201  # the same request with the token passes
    form = session.client.post(
        "/signout", data={"csrf_token": session.csrf}, follow_redirects=False
    )
    assert form.status_code == 303


def test_sign_in_form_without_csrf_is_403(client: TestClient, data: Path) -> None:
    token = link_token(data, "R1")
    got = client.post("/signin", data={"token": token}, follow_redirects=False)
    assert got.status_code == 403
    assert sign_in(client, token).csrf  # the link was not used up by the refused post


def test_tokens_and_sessions_after_revoke_are_401(client: TestClient, data: Path) -> None:
    r1 = r1_client_id(client, data)
    bearer = {"Authorization": f"Bearer {api_token(data, 'R1')}"}
    unused_link = link_token(data, "R1")
    session = sign_in(client, link_token(data, "R1"))
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    revoke(DataSource(data), "R1")
    for case in cases(r1):
        assert call(client, case, bearer).status_code == 401, case.route
        assert call(session.client, case, session.headers()).status_code == 401, case.route
    assert client.post("/api/v1/signin", json={"token": unused_link}).status_code == 401


def test_signed_out_session_is_401(client: TestClient, data: Path) -> None:
    session = sign_in(client, link_token(data, "R1"))
    cookie = client.cookies.get("rp_session")
    session.client.post("/signout", headers=session.headers(), follow_redirects=False)
    got = client.get("/api/v1/me", cookies={"rp_session": cookie})
    assert got.status_code == 401


def test_used_or_expired_link_does_not_sign_in(client: TestClient, data: Path) -> None:
    token = link_token(data, "R1")
    sign_in(client, token)
    client.cookies.clear()
    assert client.post("/api/v1/signin", json={"token": token}).status_code == 401
    expired = link_token(data, "R1", hours=-1)
    assert client.post("/api/v1/signin", json={"token": expired}).status_code == 401


@pytest.mark.parametrize("viewer", ["R1", MANAGER_Z1])
def test_no_response_names_another_reps_clients(
    client: TestClient, data: Path, viewer: str
) -> None:
    boss = {"Authorization": f"Bearer {api_token(data, 'Boss')}"}
    r2 = client.get(f"/api/v1/weeks/{WEEK}/reps/R2/stops", headers=boss).json()["stops"]
    r2_clients = {s["client_id"] for s in r2} | {s["name"] for s in r2}
    assert r2_clients
    session = sign_in(client, link_token(data, viewer))
    bearer = {"Authorization": f"Bearer {api_token(data, viewer)}"}
    bodies = []
    for case in cases(r1_client_id(client, data)):
        if case.method != "GET":
            continue
        for headers in (bearer, session.headers()):
            got = call(session.client if headers is not bearer else client, case, headers)
            bodies.append(got.text)
        for path in (case.path.replace("/R1/", "/R2/"), case.path + "?date=" + DAY):
            bodies.append(client.get(path, headers=bearer).text)
    text = "\n".join(bodies)
    assert f'"{r1_client_id(client, data)}"' in text  # the viewer does see R1's own clients
    leaked = sorted(c for c in r2_clients if f'"{c}"' in text or f">{c}<" in text)
    assert leaked == []
