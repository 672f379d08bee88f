"""The real server: `routeplan serve` under uvicorn on loopback, killed mid-write, restarted."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers.field import TODAY, WEEK, api_token
from helpers.server import Server

DAY = TODAY.isoformat()


@pytest.fixture
def server(data: Path) -> Iterator[Server]:
    running = Server(data)
    yield running
    running.stop()


def stop_ids(server: Server, token: str) -> list[str]:
    got = httpx.get(
        f"{server.url}/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert got.status_code == 200, got.text
    return [s["client_id"] for s in got.json()["stops"]]


def visit_body(clients: list[str], key: str, n: int) -> dict:
    """The n-th visit of a worker: cycling over the clients and the days of week 1."""
    day = f"2027-01-{4 + n // len(clients) % 4:02d}"
    return {
        "client_id": clients[n % len(clients)],
        "status": "done",
        "date": day,
        "client_key": key,
    }


def test_real_server_serves_pages_and_api_on_loopback(server: Server, data: Path) -> None:
    seconds = server.start()
    assert seconds < 30
    token = api_token(data, "R1")
    assert httpx.get(server.url + "/api/v1/me").status_code == 401
    me = httpx.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["rep_id"] == "R1"
    assert httpx.get(server.url + "/static/field.js").status_code == 200
    assert stop_ids(server, token)


@pytest.mark.parametrize("commits", ["power-safe", "fast"])
def test_killed_server_loses_no_acknowledged_write(
    server: Server, data: Path, commits: str
) -> None:
    if commits == "fast":
        server.extra = ("--fast-commits",)
    server.start()
    token = api_token(data, "R1")
    headers = {"Authorization": f"Bearer {token}"}
    clients = stop_ids(server, token)
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def post_forever(worker: int) -> None:
        n = 0
        with httpx.Client(base_url=server.url, headers=headers, timeout=5) as http:
            while not stop.is_set():
                key = f"kill-{worker}-{n:05d}"
                body = visit_body(clients, key, n)
                n += 1
                try:
                    got = http.post("/api/v1/visits", json=body)
                except httpx.HTTPError:
                    continue
                if got.status_code in (200, 201):
                    with lock:
                        acknowledged[key] = got.json()["visit_id"]

    threads = [threading.Thread(target=post_forever, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60  # a loaded machine answers slowly: wait for some writes
    while len(acknowledged) <= 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)
    server.kill()  # SIGKILL while requests are in flight
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) > 5
    conn = sqlite3.connect(data / "plan.sqlite")
    stored = dict(conn.execute("SELECT person_id || ':' || key, response FROM idempotency_keys"))
    ids = {r[0] for r in conn.execute("SELECT id FROM visit_log WHERE source = 'field'")}
    conn.close()
    missing = [k for k in acknowledged if f"R1:{k}" not in stored]
    assert missing == []
    assert set(acknowledged.values()) <= ids
    server.start()  # restart is safe: the same keys replay the first answers
    with httpx.Client(base_url=server.url, headers=headers) as http:
        key, visit_id = next(iter(acknowledged.items()))
        worker, n = key.split("-")[1], int(key.split("-")[2])
        body = visit_body(clients, key, n)
        again = http.post("/api/v1/visits", json=body)
        assert again.status_code == 200 and again.json()["replayed"] is True, (worker, again.text)
        assert again.json()["visit_id"] == visit_id
