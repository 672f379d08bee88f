"""The plan store: round trips, refusal of foreign/corrupt/newer files, atomic writes, backlog."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from helpers.calendar_world import synthetic_world

from routeplan.calendar.construction import build_calendar, settings_fingerprint
from routeplan.calendar.updates import visits_for_week
from routeplan.config import Settings
from routeplan.errors import StoreError
from routeplan.i18n import use_language
from routeplan.model.plan import DAY_COLUMNS, DROPPED_COLUMNS, ROUTE_COLUMNS, WeekPlan
from routeplan.model.reasons import reason_text
from routeplan.planning.calendar_sync import load_or_build_calendar
from routeplan.planning.store import SCHEMA_VERSION, PlanStore

SRC = Path(__file__).resolve().parents[2] / "src"
START = Settings().cycle.start_date


@pytest.fixture(scope="module")
def world() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic_world(200, 2, seed=5)


@pytest.fixture(scope="module")
def calendar(world) -> pd.DataFrame:
    clients, reps = world
    return build_calendar(clients, Settings(), reps=reps)


def week_plan(week: int, routed: list[str], dropped: list[str]) -> WeekPlan:
    routes = pd.DataFrame(
        [
            {
                **dict.fromkeys(ROUTE_COLUMNS, ""),
                "week": week,
                "rep_id": "R0",
                "date": (START + dt.timedelta(weeks=week - 1)).isoformat(),
                "day": "Mon",
                "seq": i + 1,
                "client_id": cid,
                "lat": 60.1,
                "lon": 24.9,
                "service_min": 30,
                "wait_min": 0,
                "travel_min": 4.5,
                "km": 2.25,
                "catch_up": i == 0,
                "priority": 0,
            }
            for i, cid in enumerate(routed)
        ],
        columns=list(ROUTE_COLUMNS),
    )
    days = pd.DataFrame(
        [
            {
                "week": week,
                "rep_id": "R0",
                "date": "2027-01-04",
                "day": "Mon",
                "visits": len(routed),
                "start": "08:00",
                "end": "16:00",
                "travel_min": 40.0,
                "km": 20.0,
                "service_min": 300,
                "home_lat": 60.0,
                "home_lon": 24.0,
                "lunch_start": "12:00",
                "lunch_end": "12:30",
            }
        ],
        columns=list(DAY_COLUMNS),
    )
    drops = pd.DataFrame(
        [
            {
                "week": week,
                "rep_id": "R0",
                "client_id": cid,
                "name": "x",
                "tier": "B",
                "lat": 60.0,
                "lon": 24.0,
                "reason_code": "week_full",
                "reason": "does not fit: week is full (capacity)",
                "catch_up": False,
                "priority": 0,
            }
            for cid in dropped
        ],
        columns=list(DROPPED_COLUMNS),
    )
    return WeekPlan(week=week, routes=routes, days=days, dropped=drops)


def log(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"client_id": c, "date": d, "status": s, "rep_id": "R0", "note": ""} for c, d, s in rows]
    )


def test_new_store_is_marked_and_calendar_round_trips(tmp_path, calendar) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        assert store.load_calendar() is None
        store.save_calendar(calendar, fingerprint="abc")
        assert store.schema_version == SCHEMA_VERSION
    with PlanStore(path) as store:
        loaded = store.load_calendar()
        assert store.calendar_fingerprint() == "abc"
    pd.testing.assert_frame_equal(loaded, calendar, check_dtype=False)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x52504C4E
    assert dict(conn.execute("SELECT key, value FROM meta").fetchall())["schema_version"] == str(
        SCHEMA_VERSION
    )
    conn.close()


def test_week_plan_round_trips(tmp_path) -> None:
    plan = week_plan(3, ["C1", "C2"], ["C3"])
    with PlanStore(tmp_path / "p.sqlite") as store:
        store.save_week_plan(plan)
        store.save_week_plan(plan)  # replacing, not appending
        back = store.load_week_plan(3)
        assert store.load_week_plan(4) is None
        assert store.saved_weeks() == [3]
    assert back is not None
    pd.testing.assert_frame_equal(back.routes, plan.routes, check_dtype=False)
    pd.testing.assert_frame_equal(back.days, plan.days, check_dtype=False)
    pd.testing.assert_frame_equal(back.dropped, plan.dropped, check_dtype=False)
    assert back.routes["catch_up"].tolist() == [True, False]


def test_text_file_is_refused(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    path.write_text("client_id,lat\nC1,60\n")
    with pytest.raises(StoreError, match="not a SQLite file") as info:
        PlanStore(path)
    assert "move the file away" in str(info.value)


def test_foreign_sqlite_file_is_refused(tmp_path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        PlanStore(path)


def test_corrupt_store_is_refused(tmp_path, calendar) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        store.save_calendar(calendar, fingerprint="abc")
    data = bytearray(path.read_bytes())
    data[100:] = b"\x5a" * (len(data) - 100)  # keep the magic header, wreck the rest
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"not a readable routeplan plan store|damaged"):
        PlanStore(path)


def test_newer_schema_is_refused(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    PlanStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer routeplan") as info:
        PlanStore(path)
    assert "upgrade" in str(info.value)


def test_schema_2_store_is_migrated_with_reason_codes(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        store.save_week_plan(week_plan(2, ["C1"], ["C2", "C3", "C4"]))
    conn = sqlite3.connect(path)  # rewind to schema 2: English reasons only, no codes
    conn.execute("ALTER TABLE plan_dropped DROP COLUMN reason_code")
    reasons = [
        "outside opening hours on every allowed day",
        "rep-week could not be solved: TimeoutError: x",
        "something a later version wrote",
    ]
    for client_id, reason in zip(["C2", "C3", "C4"], reasons, strict=True):
        conn.execute("UPDATE plan_dropped SET reason = ? WHERE client_id = ?", (reason, client_id))
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        plan = store.load_week_plan(2)
    assert plan is not None
    codes = dict(zip(plan.dropped["client_id"], plan.dropped["reason_code"], strict=True))
    failed = "rep_week_failed error=TimeoutError:%20x"  # schema 5 keeps the error in the code
    assert codes == {"C2": "closed_all_days", "C3": failed, "C4": ""}
    assert plan.dropped["reason"].tolist() == reasons


def test_failed_write_leaves_previous_calendar(tmp_path, calendar, monkeypatch) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        store.save_calendar(calendar, fingerprint="first")
    original = PlanStore._insert

    def insert_then_fail(self, conn, table, columns, frame):
        original(self, conn, table, columns, frame.iloc[:10])
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(PlanStore, "_insert", insert_then_fail)
    with PlanStore(path) as store, pytest.raises(OSError, match="simulated"):
        store.save_calendar(calendar.iloc[:50], fingerprint="second")
    monkeypatch.undo()
    with PlanStore(path) as store:
        assert store.calendar_fingerprint() == "first"
        pd.testing.assert_frame_equal(store.load_calendar(), calendar, check_dtype=False)


def test_process_killed_mid_write_leaves_store_readable(tmp_path, calendar) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        store.save_calendar(calendar, fingerprint="first")
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(SRC)!r})
        from routeplan.planning.store import PlanStore
        original = PlanStore._insert
        def insert_then_die(self, conn, table, columns, frame):
            original(self, conn, table, columns, frame.iloc[:25])
            os._exit(9)  # the process dies inside the transaction
        PlanStore._insert = insert_then_die
        store = PlanStore({str(path)!r})
        store.save_calendar(store.load_calendar().iloc[:30], fingerprint="second")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert result.returncode == 9
    with PlanStore(path) as store:
        assert store.calendar_fingerprint() == "first"
        pd.testing.assert_frame_equal(store.load_calendar(), calendar, check_dtype=False)


def test_visit_log_is_recorded_once_with_cycle_week(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        entries = log([("C1", "2027-01-05", "done"), ("C2", "2027-01-19", "missed")])
        assert store.record_visits(entries, cycle_start=START) == 2
        assert store.record_visits(entries, cycle_start=START) == 0
        got = store.visit_log()
    assert got[["client_id", "week", "status"]].values.tolist() == [
        ["C1", 1, "done"],
        ["C2", 3, "missed"],
    ]


def test_backlog_from_missed_and_dropped_until_planned_again(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        store.save_week_plan(week_plan(2, ["C1", "C2"], ["C3"]))
        store.record_visits(log([("C1", "2027-01-12", "missed")]), cycle_start=START)
        backlog = store.backlog(3)
        assert backlog[["client_id", "week_due", "weeks_overdue", "source"]].values.tolist() == [
            ["C1", 2, 1, "missed"],
            ["C3", 2, 1, "dropped"],
        ]
        # week 3 routes C3 again; C1 stays open and is now two weeks overdue
        store.save_week_plan(week_plan(3, ["C3"], []))
        backlog = store.backlog(4)
        assert backlog[["client_id", "weeks_overdue"]].values.tolist() == [["C1", 2]]
        # a later visit logged done clears it
        store.record_visits(log([("C1", "2027-01-20", "done")]), cycle_start=START)
        assert store.backlog(4).empty
        # the backlog of a week ignores that week and later ones: rebuilding is repeatable
        assert store.backlog(2).empty


def test_locks_round_trip(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        store.set_lock("C1", week=5)
        store.set_lock("C2", day="tuesday")
        store.set_lock("C2", day="Wed")
        locks = store.locks()
        assert locks["client_id"].tolist() == ["C1", "C2"]
        assert locks["week"].tolist()[0] == 5 and pd.isna(locks["week"].tolist()[1])
        assert locks["day"].tolist() == ["", "Wed"]
        assert store.clear_lock("C1") and not store.clear_lock("C1")
        with pytest.raises(ValueError, match="unknown weekday"):
            store.set_lock("C3", day="Funday")


def test_load_or_build_calendar_creates_once_then_reuses(tmp_path, world) -> None:
    clients, reps = world
    settings = Settings()
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        first, changes = load_or_build_calendar(store, clients, settings, reps=reps)
        assert changes["built"] == ["all"]
        assert store.calendar_fingerprint() == settings_fingerprint(settings)
    with PlanStore(path) as store:
        again, changes = load_or_build_calendar(store, clients, settings, reps=reps)
        assert not any(changes.values())
        pd.testing.assert_frame_equal(again, first, check_dtype=False)
        b = clients[clients["tier"] == "B"]["client_id"].iloc[0]
        store.set_lock(b, week=9)
        locked, changes = load_or_build_calendar(store, clients, settings, reps=reps)
        assert changes["changed"] == [b]
        assert locked.loc[locked["client_id"] == b, "week"].tolist() == [9]
        others = locked[locked["client_id"] != b].reset_index(drop=True)
        pd.testing.assert_frame_equal(
            others, first[first["client_id"] != b].reset_index(drop=True), check_dtype=False
        )
        replanned, changes = load_or_build_calendar(
            store, clients, settings, reps=reps, replan_week=7
        )
        assert changes["built"] == ["from week 7"]
        pd.testing.assert_frame_equal(
            replanned[replanned["week"] < 7].reset_index(drop=True),
            locked[locked["week"] < 7].reset_index(drop=True),
            check_dtype=False,
        )


def test_missed_visit_reappears_in_a_later_week(tmp_path, world) -> None:
    clients, reps = world
    settings = Settings()
    with PlanStore(tmp_path / "plan.sqlite") as store:
        calendar, _ = load_or_build_calendar(store, clients, settings, reps=reps)
        due3 = calendar[(calendar["week"] == 3) & (calendar["tier"] == "B")]
        cid = due3["client_id"].iloc[0]
        date = (settings.cycle.week_start(3) + dt.timedelta(days=1)).isoformat()
        store.record_visits(log([(cid, date, "missed")]), cycle_start=settings.cycle.start_date)
        week4 = visits_for_week(calendar, 4, settings, backlog=store.backlog(4))
    row = week4[week4["client_id"] == cid]
    assert row["catch_up"].tolist() == [True]
    assert row["reason_code"].iloc[0] == "catch_up_missed week=3"


def flagged_plan(week: int, routed: dict[str, bool], dropped: dict[str, bool]) -> WeekPlan:
    """A week plan whose visits carry the given ``catch_up`` flags (client -> catch-up?)."""
    plan = week_plan(week, list(routed), list(dropped))
    plan.routes["catch_up"] = list(routed.values())
    plan.dropped["catch_up"] = list(dropped.values())
    return plan


def test_dropped_catch_up_escalates_from_the_first_miss(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        store.save_week_plan(flagged_plan(1, {"C1": False}, {"C3": False}))
        assert store.backlog(2)[["client_id", "weeks_overdue"]].values.tolist() == [["C3", 1]]
        # the catch-up of C3 is dropped again in weeks 2 and 3: the priority keeps growing
        store.save_week_plan(flagged_plan(2, {"C1": False}, {"C3": True}))
        assert store.backlog(3)[["week_due", "weeks_overdue"]].values.tolist() == [[1, 2]]
        store.save_week_plan(flagged_plan(3, {"C1": False}, {"C3": True}))
        assert store.backlog(4)[["week_due", "weeks_overdue"]].values.tolist() == [[1, 3]]
        store.save_week_plan(flagged_plan(4, {"C3": True}, {}))
        assert store.backlog(5).empty


def test_weekly_client_stays_open_until_a_catch_up_is_planned(tmp_path) -> None:
    weekly = {"C1"}
    with PlanStore(tmp_path / "p.sqlite") as store:
        store.save_week_plan(flagged_plan(1, {"C1": False}, {}))
        store.record_visits(log([("C1", "2027-01-05", "missed")]), cycle_start=START)
        # every-N rule: the regular visit of week 2 would make up for it ...
        store.save_week_plan(flagged_plan(2, {"C1": False}, {}))
        assert store.backlog(3).empty
        # ... a weekly client is seen every week anyway: the missed visit stays open
        open_ = store.backlog(3, weekly_clients=weekly)
        assert open_[
            ["client_id", "week_due", "weeks_overdue", "source", "open_visits"]
        ].values.tolist() == [["C1", 1, 2, "missed", 1]]
        store.save_week_plan(flagged_plan(3, {"C1": True}, {}))  # the extra visit is planned
        assert store.backlog(4, weekly_clients=weekly).empty


def test_store_of_schema_2_gets_the_plan_shape_columns_on_open(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    with PlanStore(path):
        pass
    conn = sqlite3.connect(path)
    for table, column in (
        ("plan_routes", "break_start"),
        ("plan_routes", "break_end"),
        ("plan_routes", "priority"),
        ("plan_days", "lunch_start"),
        ("plan_days", "lunch_end"),
        ("plan_dropped", "catch_up"),
        ("plan_dropped", "priority"),
    ):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute(
        "INSERT INTO plan_dropped (week, rep_id, client_id, tier, reason) "
        "VALUES (1, 'R0', 'C9', 'B', 'x')"
    )
    conn.execute("INSERT INTO week_plan (week, saved_at) VALUES (1, 'then')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        old = store.load_week_plan(1)
        assert old is not None
        assert old.dropped[["client_id", "catch_up", "priority"]].values.tolist() == [
            ["C9", False, 0]
        ]
        store.save_week_plan(week_plan(2, ["C1"], []))
        assert store.load_week_plan(2).routes["priority"].tolist() == [0]


def test_slot_is_the_first_regular_visit_on_that_weekday(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        for week, start in ((1, "10:00"), (2, "13:30")):
            plan = flagged_plan(week, {"C1": False, "C2": True}, {})
            plan.routes["start"] = start
            store.save_week_plan(plan)
        slots = store.slots(3)
        assert slots.values.tolist() == [["C1", "Mon", "10:00"]]  # C2 was only a catch-up
        assert store.slots(1).empty


def test_slots_are_stored_and_a_rebuilt_week_sets_its_own_anew(tmp_path) -> None:
    with PlanStore(tmp_path / "p.sqlite") as store:
        for week, start in ((1, "10:00"), (2, "13:30")):
            plan = flagged_plan(week, {"C1": False}, {})
            plan.routes["start"] = start
            store.save_week_plan(plan)
        rows = store.query("SELECT client_id, day, start, week FROM slots")
        assert rows == [("C1", "Mon", "10:00", 1)]  # the first week's, kept by week 2
        plan = flagged_plan(1, {"C1": False}, {})
        plan.routes["start"] = "09:15"
        store.save_week_plan(plan)  # week 1 built again
        assert store.slots(3).values.tolist() == [["C1", "Mon", "09:15"]]


def test_schema_4_sentences_become_codes_worded_in_any_language(tmp_path, calendar) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        store.save_calendar(calendar, fingerprint="f")
        store.save_week_plan(week_plan(2, ["C1", "C2"], []))
    conn = sqlite3.connect(path)  # rewind to schema 4: English sentences, no reason codes
    for table in ("calendar", "plan_routes"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN reason_code")
    conn.execute("UPDATE calendar SET reason = 'every 4 weeks, phase 2; locked to Tue'")
    old = ["catch-up: missed in week 1; holiday week: days 1 apart", "typed by hand"]
    for client_id, reason in zip(["C1", "C2"], old, strict=True):
        conn.execute("UPDATE plan_routes SET reason = ? WHERE client_id = ?", (reason, client_id))
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        stored = store.load_calendar()
        with use_language("es"):
            spanish = store.load_week_plan(2)
        with use_language("pt-BR"):
            portuguese = store.load_week_plan(2)
    assert stored is not None and spanish is not None and portuguese is not None
    assert set(stored["reason_code"]) == {"every_n_weeks weeks=4 phase=2; locked_day day=Tue"}
    assert spanish.routes["reason_code"].tolist() == [
        "catch_up_missed week=1; holiday_gap gap=1",
        "",  # not a phrase routeplan wrote: kept as the sentence
    ]
    assert spanish.routes["reason"].tolist() == [
        "recuperación: perdida en la semana 1; semana con feriado: días separados por 1",
        "typed by hand",
    ]
    assert portuguese.routes["reason"].iloc[0].startswith("recuperação")
    assert reason_text(stored["reason_code"].iloc[0]) == "every 4 weeks, phase 2; locked to Tuesday"


def test_schema_5_store_gets_day_areas_and_slots_from_its_saved_weeks(tmp_path) -> None:
    path = tmp_path / "plan.sqlite"
    with PlanStore(path) as store:
        for week, start in ((1, "10:00"), (2, "13:30")):
            plan = flagged_plan(week, {"C1": False}, {})
            plan.routes["start"] = start
            store.save_week_plan(plan)
    conn = sqlite3.connect(path)  # rewind to schema 5: no slots table, no day areas
    conn.execute("DROP TABLE slots")
    for column in ("day_area", "area_day"):
        conn.execute(f"ALTER TABLE calendar DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with PlanStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        assert store.slots(3).values.tolist() == [["C1", "Mon", "10:00"]]  # the first week's
        columns = [r[1] for r in store.query("PRAGMA table_info(calendar)")]
        assert {"day_area", "area_day"} <= set(columns)


def test_a_second_store_of_one_file_keeps_the_first_connections_locks(tmp_path) -> None:
    """Opening (and closing) another store in this process must not release the locks of a
    live connection: else a build ending in another process believes it is the last user,
    checkpoints and deletes the -wal and -shm files under the field app's connection."""
    import subprocess
    import sys

    path = tmp_path / "plan.sqlite"
    live = PlanStore(path)  # the field app's long-lived connection
    assert live.saved_weeks() == []  # a read: the connection now holds its WAL locks
    PlanStore(path).close()  # e.g. a request that opens the store once
    ending_build = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    ending_build += "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); c.close()"
    subprocess.run([sys.executable, "-c", ending_build, str(path)], check=True)
    assert path.with_name(path.name + "-shm").exists()  # nobody deleted it under `live`
    live.close()
    fresh = sqlite3.connect(path)
    assert fresh.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    fresh.close()
