"""The managers' zones map of the week: outlines with each zone's progress, only the zones
a manager may see."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from helpers.field import MANAGER_ALL, MANAGER_Z1, TODAY, WEEK, api_token

from routeplan.serve.zones import NO_PLAN_COLOUR, progress_colour, progress_legend

DAY = TODAY.isoformat()


def _auth(data: Path, person: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(data, person)}"}


def _planned(data: Path, rep_id: str) -> int:
    conn = sqlite3.connect(data / "plan.sqlite")
    n = conn.execute(
        "SELECT count(*) FROM plan_routes WHERE week = ? AND rep_id = ?", (WEEK, rep_id)
    ).fetchone()[0]
    conn.close()
    return int(n)


def test_zones_carry_the_weeks_progress(client: TestClient, data: Path) -> None:
    r1 = _auth(data, "R1")
    stops = client.get(f"/api/v1/weeks/{WEEK}/reps/R1/stops?date={DAY}", headers=r1).json()
    for n, status in enumerate(("done", "done", "missed")):
        body = {"client_id": stops["stops"][n]["client_id"], "date": DAY, "status": status,
                "client_key": f"zone-key-{n}"}  # fmt: skip
        assert client.post("/api/v1/visits", json=body, headers=r1).status_code == 201
    got = client.get(f"/api/v1/weeks/{WEEK}/zones", headers=_auth(data, MANAGER_ALL))
    assert got.status_code == 200
    features = {f["properties"]["zone"]: f for f in got.json()["features"]}
    assert set(features) == {"Z1", "Z2"}
    z1 = features["Z1"]["properties"]
    planned = _planned(data, "R1")
    assert (z1["planned"], z1["done"], z1["missed"]) == (planned, 2, 1)
    assert z1["progress_pct"] == round(100 * 2 / planned, 1)
    assert z1["colour"] == progress_colour(z1["progress_pct"])
    assert features["Z2"]["properties"]["done"] == 0
    assert features["Z1"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    ring = features["Z1"]["geometry"]["coordinates"][0]
    assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)


def test_a_zone_manager_sees_only_their_zones(client: TestClient, data: Path) -> None:
    got = client.get(f"/api/v1/weeks/{WEEK}/zones", headers=_auth(data, MANAGER_Z1))
    assert [f["properties"]["zone"] for f in got.json()["features"]] == ["Z1"]
    assert client.get("/api/v1/weeks/999/zones", headers=_auth(data, MANAGER_Z1)).status_code == 404


def test_progress_colours_and_legend() -> None:
    assert progress_colour(None) == NO_PLAN_COLOUR
    assert progress_colour(0.0) != progress_colour(100.0)
    assert progress_colour(100.0) == progress_colour(99.9)
    legend = progress_legend("none")
    assert [row["colour"] for row in legend[:-1]] == [
        progress_colour(p) for p in (10.0, 30.0, 50.0, 70.0, 90.0)
    ]
    assert legend[-1] == {"colour": NO_PLAN_COLOUR, "label": "none"}
