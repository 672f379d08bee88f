"""Schema 1 → 2: a store written before the field app opens, migrates once and keeps its data."""

from __future__ import annotations

import sqlite3

from routeplan.planning import store as store_module
from routeplan.planning.store import APPLICATION_ID, SCHEMA_VERSION, PlanStore


def _version_1_store(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in store_module._SCHEMA:  # the version-1 schema, unchanged since
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [("app", "routeplan"), ("schema_version", "1"), ("created_at", "2026-01-01")],
    )
    conn.execute(
        "INSERT INTO visit_log (client_id, date, week, status, rep_id, note, imported_at) "
        "VALUES ('C1', '2027-01-05', 1, 'missed', 'R1', 'from the CRM', '2027-01-06')"
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_version_1_store_is_migrated_in_place_and_keeps_its_log(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    _version_1_store(path)
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        dropped = [r[1] for r in store.query("PRAGMA table_info(plan_dropped)")]
        assert "reason_code" in dropped  # schema 3
        assert {"catch_up", "priority"} <= set(dropped)  # schema 4
        log = store.visit_log()
        assert log[["client_id", "status", "note"]].values.tolist() == [
            ["C1", "missed", "from the CRM"]
        ]
        assert store.query("SELECT source FROM visit_log") == [("import",)]
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"people", "tokens", "idempotency_keys"} <= tables
        assert store.backlog(2)["client_id"].tolist() == ["C1"]
        routes = {r[1] for r in store.query("PRAGMA table_info(plan_routes)")}
        assert {"break_start", "break_end", "priority"} <= routes
        assert "reason_code" in routes  # schema 5
        assert "reason_code" in {r[1] for r in store.query("PRAGMA table_info(calendar)")}
    with PlanStore(path) as store:  # a second open does not migrate again
        assert store.schema_version == SCHEMA_VERSION
        meta = dict(store.query("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(SCHEMA_VERSION)
        assert "migrated_from_1_at" in meta


def test_store_is_in_wal_mode(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        assert store.query("PRAGMA journal_mode") == [("wal",)]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file
    conn.close()


def test_import_source_is_recorded(tmp_path) -> None:
    import datetime as dt

    import pandas as pd

    log = pd.DataFrame(
        [{"client_id": "C2", "date": "2027-01-05", "status": "done", "rep_id": "R1", "note": ""}]
    )
    with PlanStore(tmp_path / "p.sqlite") as store:
        assert store.record_visits(log, cycle_start=dt.date(2027, 1, 4), source="replan") == 1
        assert store.query("SELECT source, week FROM visit_log") == [("replan", 1)]
