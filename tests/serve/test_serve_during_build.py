"""A build runs (holding the store's writer lock for its whole run) while phones check in.

The field app never takes the writer lock: each check-in is one short SQLite transaction on
the visit log, which the build never rewrites, so it waits milliseconds at most for a write
of the build, never minutes for the build itself (README, Reliability).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.field import TODAY, api_token

from routeplan.planning.prepare import prepare
from routeplan.planning.store_lock import lock_path


def _lock_held(store: Path) -> bool:
    """Whether another process holds the store's writer lock (probes without waiting)."""
    path = lock_path(store)
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False


def _field_rows(store: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(store)
    rows = conn.execute("SELECT client_id, date FROM visit_log WHERE source = 'field'").fetchall()
    conn.close()
    return {(str(c), str(d)) for c, d in rows}


@pytest.mark.skipif(sys.platform == "win32", reason="flock probe")
def test_check_ins_during_a_build_are_all_kept_and_never_wait_for_it(
    client: TestClient, data: Path, tmp_path: Path
) -> None:
    store = data / "plan.sqlite"
    clients = prepare(data).clients
    tokens = {rep: {"Authorization": f"Bearer {api_token(data, rep)}"} for rep in ("R1", "R2")}
    visits = [
        (str(row.rep_id), str(row.client_id), (TODAY + dt.timedelta(days=d)).isoformat())
        for d in range(5)
        for row in clients.itertuples()
    ]
    command = [sys.executable, "-m", "routeplan.cli.main", "--data", str(data), "build",
               "--week", "2", "--workers", "1", "--out", str(tmp_path / "out"),
               "--maps", str(tmp_path / "maps")]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTEPLAN_")}
    build = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not _lock_held(store) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        posted, during, slowest = set(), 0, 0.0
        for i, (rep, client_id, day) in enumerate(visits):
            held = _lock_held(store)
            if not held and during:
                break  # the build has let go: every check-in above ran beside it
            started = time.perf_counter()
            body = {"client_id": client_id, "date": day, "status": "done"}
            body["client_key"] = f"k-{i:06d}"
            got = client.post("/api/v1/visits", json=body, headers=tokens[rep])
            slowest = max(slowest, time.perf_counter() - started)
            assert got.status_code == 201, got.text  # never "database is locked"
            posted.add((client_id, day))
            during += held
        _out, err = build.communicate(timeout=300)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 0, err.decode()
    assert during >= 5, "the build ended before the check-ins could run beside it"
    assert _field_rows(store) == posted  # no check-in lost
    assert slowest < 5.0, f"a check-in waited {slowest:.1f} s"
    print(f"{during} check-ins beside the build, the slowest answered in {slowest:.3f} s")
