"""Plan state in one SQLite file: the cycle calendar, week plans, the visit log and locks.

The file is a plain SQLite database (open it with any SQLite tool). It is marked with
``PRAGMA application_id`` (:data:`APPLICATION_ID`) and ``PRAGMA user_version``
(:data:`SCHEMA_VERSION`), mirrored in the ``meta`` table, so a foreign or corrupt file and a
file from a newer routeplan are refused with a clear :class:`~routeplan.errors.StoreError`.
Every write is one transaction: a failure (or a crash) part-way leaves the previous content.
The file is in WAL mode, so readers (``routeplan serve``) and one writer (a ``build``) can work
side by side. A store of an older schema is migrated in place, in one transaction, when opened
(:data:`MIGRATIONS`).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType

import pandas as pd

from routeplan.config import WEEKDAYS
from routeplan.errors import StoreError
from routeplan.i18n import _
from routeplan.model.calendar_table import ADDED_CALENDAR_COLUMNS, CALENDAR_COLUMNS
from routeplan.model.plan import (
    ADDED_DAY_COLUMNS,
    ADDED_DROPPED_COLUMNS,
    ADDED_ROUTE_COLUMNS,
    DAY_COLUMNS,
    DROPPED_COLUMNS,
    ROUTE_COLUMNS,
    WeekPlan,
)
from routeplan.model.reasons import reason_texts
from routeplan.planning.legacy_reasons import legacy_code
from routeplan.planning.source import STORE_FILENAME as STORE_FILENAME

APPLICATION_ID = 0x52504C4E
"""``PRAGMA application_id`` of a routeplan store ("RPLN")."""

SCHEMA_VERSION = 6
"""Schema this routeplan writes and the newest it reads (older ones migrate on open, see
:data:`MIGRATIONS`)."""


_INT_COLUMNS = {"week", "visit_no", "phase", "seq", "wait_min", "visits", "priority", "day_area"}
_REAL_COLUMNS = {"lat", "lon", "service_min", "travel_min", "km", "home_lat", "home_lon"}
_BOOL_COLUMNS = {"catch_up"}
_LOG_COLUMNS: tuple[str, ...] = ("client_id", "date", "week", "status", "rep_id", "note")
TIER_STATE_COLUMNS: tuple[str, ...] = ("client_id", "tier", "rule_tier", "tier_source")
"""The last tiering a build used: what the next build's hysteresis compares with."""
BACKLOG_COLUMNS: tuple[str, ...] = (
    "client_id",
    "rep_id",
    "week_due",
    "weeks_overdue",
    "source",
    "reason",
    "open_visits",
)
_STATE_RANK = {"planned": 1, "dropped": 2, "missed": 3, "done": 4}


def open_visits(events: pd.DataFrame, before_week: int, *, weekly: bool) -> dict | None:
    """One client's backlog row from its events (``week``, ``state``, ``catch_up``...).

    See :meth:`PlanStore.backlog` for the rules; None when nothing is open.
    """
    opened: list[tuple[int, str, str, str]] = []  # (week, source, reason, rep_id) per visit
    for week, grp in events.groupby("week", sort=True):
        states = grp["state"].astype(str)
        catch_up = grp["catch_up"].fillna(0).astype(bool)
        rep = str(grp["rep_id"].dropna().iloc[-1]) if grp["rep_id"].notna().any() else ""
        if not weekly:
            top = max(states, key=_STATE_RANK.__getitem__)
            if top in ("done", "planned"):
                opened = []
            elif not opened:
                reason = grp.loc[states == top, "reason"].fillna("").iloc[0]
                opened = [(int(week), top, str(reason), rep)]
            continue
        regular_planned = int(((states == "planned") & ~catch_up).sum())
        closes = int(((states == "planned") & catch_up).sum())
        closes += max(int((states == "done").sum()) - regular_planned, 0)
        del opened[: min(closes, len(opened))]
        for state in ("dropped", "missed"):
            new = grp[(states == state) & ~(catch_up & (states == "dropped"))]
            opened += [(int(week), state, str(r or ""), rep) for r in new["reason"]]
    if not opened:
        return None
    first_week, source, reason, rep = opened[0]
    return {
        "client_id": str(events["client_id"].iloc[0]),
        "rep_id": rep,
        "week_due": first_week,
        "weeks_overdue": before_week - first_week,
        "source": source,
        "reason": reason,
        "open_visits": len(opened),
    }


def _sql_type(column: str) -> str:
    if column in _INT_COLUMNS or column in _BOOL_COLUMNS:
        return "INTEGER"
    if column in _REAL_COLUMNS:
        return "REAL"
    return "TEXT"


def _table_sql(name: str, columns: Sequence[str], extra: str = "") -> str:
    cols = ", ".join(f'"{c}" {_sql_type(c)}' for c in columns)
    return f"CREATE TABLE {name} ({cols}{', ' + extra if extra else ''})"


def _first(columns: Sequence[str], added: dict[str, object]) -> tuple[str, ...]:
    """The columns of the first schema (those added later come with their migration)."""
    return tuple(c for c in columns if c not in added)


def _add_columns(table: str, added: dict[str, object]) -> tuple[str, ...]:
    """``ALTER TABLE`` statements adding ``added`` columns with their defaults."""
    return tuple(
        f'ALTER TABLE {table} ADD COLUMN "{column}" {_sql_type(column)} DEFAULT '
        + (str(int(default)) if isinstance(default, bool | int) else f"'{default}'")
        for column, default in added.items()
    )


_CALENDAR_V1: tuple[str, ...] = tuple(
    "reason" if c == "reason_code" else c
    for c in CALENDAR_COLUMNS
    if c not in ADDED_CALENDAR_COLUMNS
)
"""The calendar table of schema 1: its English ``reason`` where ``reason_code`` is now (the
column stays, unused, so older stores and new ones have the same table)."""

_ROUTES_V4 = {c: ADDED_ROUTE_COLUMNS[c] for c in ("break_start", "break_end", "priority")}
"""The route columns schema 4 added."""

_SCHEMA: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    _table_sql("calendar", _CALENDAR_V1, "PRIMARY KEY (client_id, week, visit_no)"),
    "CREATE INDEX calendar_week ON calendar (week, rep_id)",
    "CREATE TABLE week_plan (week INTEGER PRIMARY KEY, saved_at TEXT NOT NULL)",
    _table_sql("plan_routes", _first(ROUTE_COLUMNS, ADDED_ROUTE_COLUMNS)),
    "CREATE INDEX plan_routes_week ON plan_routes (week)",
    _table_sql("plan_days", _first(DAY_COLUMNS, ADDED_DAY_COLUMNS)),
    "CREATE INDEX plan_days_week ON plan_days (week)",
    _table_sql(
        "plan_dropped",
        [c for c in _first(DROPPED_COLUMNS, ADDED_DROPPED_COLUMNS) if c != "reason_code"],
    ),
    "CREATE INDEX plan_dropped_week ON plan_dropped (week)",
    "CREATE TABLE visit_log (id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, "
    "date TEXT NOT NULL, week INTEGER NOT NULL, "
    "status TEXT NOT NULL CHECK (status IN ('done', 'missed')), rep_id TEXT, note TEXT, "
    "imported_at TEXT NOT NULL, UNIQUE (client_id, date, status))",
    "CREATE TABLE locks (client_id TEXT PRIMARY KEY, week INTEGER, day TEXT)",
    _table_sql("tiers", TIER_STATE_COLUMNS, "PRIMARY KEY (client_id)"),
)

_V2_REASON_CODES: dict[str, str] = {
    "no allowed workday": "no_workday",
    "outside opening hours on every allowed day": "closed_all_days",
    "does not fit: other visits of the client take the allowed days (spacing)": "spacing",
    "does not fit: week is full (capacity)": "week_full",
    "does not fit: vehicle load (capacity)": "vehicle_load",
    "does not fit: no time left on the allowed days (time window)": "no_time_left",
    "no feasible plan found within the time limit": "no_solution",
}
"""The English reasons of schema 2 and earlier (no apostrophes: they go into SQL literals)."""

_ADD_COLUMN = re.compile(r'^ALTER TABLE (\w+) ADD COLUMN "?(\w+)"?', re.IGNORECASE)


def _column_exists_already(conn: sqlite3.Connection, statement: str) -> bool:
    """Whether ``statement`` adds a column its table already has (a migration re-run safely)."""
    match = _ADD_COLUMN.match(statement)
    if match is None:
        return False
    table, column = match.groups()
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


_SLOTS_OF_WEEKS = (
    "SELECT client_id, day, start, week FROM plan_routes WHERE NOT catch_up "
    "AND day IS NOT NULL AND start IS NOT NULL"
)
"""The regular visits of the saved weeks that may set a slot (the earliest week first)."""


def _codes_from_sentences(conn: sqlite3.Connection, table: str, only: str | None = None) -> None:
    """Fill ``reason_code`` of ``table`` from the English ``reason`` of an older schema.

    ``only``: just the rows whose ``reason_code`` is that (bare) code.
    """
    where = "reason_code = ?" if only else "coalesce(reason_code, '') = ''"
    rows = conn.execute(
        f"SELECT DISTINCT reason FROM {table} WHERE {where} AND reason IS NOT NULL",
        (only,) if only else (),
    ).fetchall()
    for (sentence,) in rows:
        code = legacy_code(sentence)
        if code:
            conn.execute(
                f"UPDATE {table} SET reason_code = ? WHERE reason = ? AND {where}",
                (code, sentence, *((only,) if only else ())),
            )


Migration = str | Callable[[sqlite3.Connection], None]
"""One step of a migration: an SQL statement, or a function of the open transaction."""

MIGRATIONS: dict[int, tuple[Migration, ...]] = {
    # 1 -> 2: the field app (routeplan serve): people and their hashed tokens, the source and
    # details of each logged visit, and the idempotency keys of the visits posted.
    2: (
        "ALTER TABLE visit_log ADD COLUMN source TEXT NOT NULL DEFAULT 'import'",
        "ALTER TABLE visit_log ADD COLUMN outcome TEXT",
        "ALTER TABLE visit_log ADD COLUMN checked_in_at TEXT",
        "ALTER TABLE visit_log ADD COLUMN checked_out_at TEXT",
        "ALTER TABLE visit_log ADD COLUMN lat REAL",
        "ALTER TABLE visit_log ADD COLUMN lon REAL",
        "ALTER TABLE visit_log ADD COLUMN distance_m REAL",
        "ALTER TABLE visit_log ADD COLUMN order_value REAL",
        "CREATE INDEX visit_log_rep_date ON visit_log (rep_id, date)",
        "CREATE TABLE people (person_id TEXT PRIMARY KEY, "
        "role TEXT NOT NULL CHECK (role IN ('rep', 'manager')), rep_id TEXT, "
        "name TEXT NOT NULL, zones TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, "
        "revoked_at TEXT)",
        "CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, "
        "person_id TEXT NOT NULL REFERENCES people (person_id), "
        "kind TEXT NOT NULL CHECK (kind IN ('link', 'session', 'api')), csrf TEXT, "
        "created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, revoked_at TEXT)",
        "CREATE INDEX tokens_person ON tokens (person_id)",
        "CREATE TABLE idempotency_keys (person_id TEXT NOT NULL, key TEXT NOT NULL, "
        "request_sha TEXT NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL, "
        "PRIMARY KEY (person_id, key))",
    ),
    # 2 -> 3: the stable code of each dropped visit's reason; schema 2 stored only the English
    # sentence, mapped back to its code here (sentences of a newer routeplan get no code).
    3: (
        "ALTER TABLE plan_dropped ADD COLUMN \"reason_code\" TEXT NOT NULL DEFAULT ''",
        *(
            f"UPDATE plan_dropped SET reason_code = '{code}' WHERE reason = '{text}'"
            for text, code in _V2_REASON_CODES.items()
        ),
        "UPDATE plan_dropped SET reason_code = 'rep_week_failed' "
        "WHERE reason LIKE 'rep-week could not be solved:%'",
    ),
    # 3 -> 4: plan shape: the lunch break of each route and day, the catch-up priority of
    # routed and dropped visits, and whether a dropped visit was itself a catch-up.
    4: (
        *_add_columns("plan_routes", _ROUTES_V4),
        *_add_columns("plan_days", ADDED_DAY_COLUMNS),
        *_add_columns("plan_dropped", ADDED_DROPPED_COLUMNS),
    ),
    # 4 -> 5: reasons as codes with arguments (routeplan.model.reasons), worded when shown:
    # the calendar and the routes get ``reason_code``, filled from their English sentences;
    # a failed rep-week's dropped visits get their error into theirs.
    5: (
        "ALTER TABLE calendar ADD COLUMN \"reason_code\" TEXT DEFAULT ''",
        "ALTER TABLE plan_routes ADD COLUMN \"reason_code\" TEXT DEFAULT ''",
        lambda conn: _codes_from_sentences(conn, "calendar"),
        lambda conn: _codes_from_sentences(conn, "plan_routes"),
        lambda conn: _codes_from_sentences(conn, "plan_dropped", "rep_week_failed"),
    ),
    # 5 -> 6: day areas and regular slots: each calendar row's day area and its weekday, and
    # the stored slot (weekday and time) of each client, taken from the weeks already saved.
    6: (
        *_add_columns("calendar", ADDED_CALENDAR_COLUMNS),
        "CREATE TABLE IF NOT EXISTS slots (client_id TEXT NOT NULL, day TEXT NOT NULL, "
        "start TEXT NOT NULL, week INTEGER NOT NULL, PRIMARY KEY (client_id, day))",
        f"INSERT OR IGNORE INTO slots (client_id, day, start, week) {_SLOTS_OF_WEEKS} "
        "ORDER BY week, rep_id, date, seq",
    ),
}
"""Statements that bring a store from the version before each key to that version."""

_PLAN_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("routes", "plan_routes", ROUTE_COLUMNS),
    ("days", "plan_days", DAY_COLUMNS),
    ("dropped", "plan_dropped", DROPPED_COLUMNS),
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _py(value: object) -> object:
    """A value sqlite3 can bind: numpy scalars to Python, NaN/NA to None."""
    if value is None:
        return None
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def _typed(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Cast columns read from SQLite back to the contract's dtypes."""
    frame = frame.reindex(columns=list(columns))
    for c in columns:
        if c in _BOOL_COLUMNS:
            frame[c] = frame[c].fillna(0).astype(bool)
        elif c in _INT_COLUMNS:
            frame[c] = frame[c].astype("int64") if frame[c].notna().all() else frame[c]
        elif c in _REAL_COLUMNS:
            frame[c] = frame[c].astype(float)
        else:
            frame[c] = frame[c].fillna("").astype(str)
    return frame


class PlanStore:
    """The plan store of one data directory (a SQLite file).

    Parameters
    ----------
    path
        The SQLite file; created with the current schema when missing or empty.
    shared
        The connection may be used from several threads (the caller serialises access).
    synchronous
        ``FULL`` (default): every commit is on disk before it returns, even through a power
        cut. ``NORMAL``: a commit survives a crash or kill of the process, and a power cut
        may lose the last commits; many times faster per commit in WAL mode.

    Raises
    ------
    StoreError
        The file is not SQLite, is corrupt, belongs to another application, or was written by
        a newer routeplan.

    """

    def __init__(
        self, path: Path | str, *, shared: bool = False, synchronous: str = "FULL"
    ) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            msg = f"synchronous must be FULL or NORMAL, not {synchronous!r}."
            raise ValueError(msg)
        self.path = Path(path)
        self._synchronous = synchronous
        # No header check with a plain open(): closing any file descriptor of the database
        # releases every POSIX lock this process holds on it, including the shared lock of
        # another connection of this process (the field app's); a build ending beside it
        # then believes it is the last user, checkpoints and deletes the -wal and -shm files
        # under that connection ("disk I/O error"). SQLite itself says when it is not SQLite.
        try:
            self._conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=30.0, check_same_thread=not shared
            )
        except sqlite3.Error as exc:
            raise StoreError(
                _("{path}: cannot open the plan store: {error}", path=self.path, error=exc),
                hint=_("check the path and its permissions"),
            ) from exc
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            if "file is not a database" in str(exc):
                raise StoreError(
                    _("{path}: not a SQLite file, so not a routeplan plan store", path=self.path),
                    hint=_("move the file away or choose another data directory"),
                ) from exc
            raise StoreError(
                _(
                    "{path}: not a readable routeplan plan store ({error})",
                    path=self.path,
                    error=exc,
                ),
                hint=_("the file is damaged or not a database; move it away to start a new store"),
            ) from exc
        except StoreError:
            self._conn.close()
            raise

    # ---------------------------------------------------------------- opening

    def _open(self) -> None:
        conn = self._conn
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id == 0 and version == 0 and tables == 0:
            self._create()
            self._wal()
            return
        if app_id != APPLICATION_ID:
            raise StoreError(
                _(
                    "{path}: a SQLite file of another application, not a routeplan plan store",
                    path=self.path,
                ),
                hint=_("move the file away or choose another data directory"),
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "{path}: written by a newer routeplan (store schema {version}, this "
                    "version reads up to {newest})",
                    path=self.path,
                    version=version,
                    newest=SCHEMA_VERSION,
                ),
                hint=_("upgrade routeplan (pip install -U routeplan)"),
            )
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreError(
                _("{path}: the plan store is damaged ({check})", path=self.path, check=check),
                hint=_("restore a backup or move the file away to start a new store"),
            )
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("app") != "routeplan":
            raise StoreError(
                _("{path}: store metadata missing or foreign", path=self.path),
                hint=_("move the file away to start a new store"),
            )
        if version < SCHEMA_VERSION:
            self._migrate(version)
        self._wal()

    def _wal(self) -> None:
        """Write-ahead logging: readers never block the writer, a crash keeps commits."""
        self._conn.execute("PRAGMA journal_mode = WAL")

    def _migrate(self, version: int) -> None:
        """Bring a store of an older schema up to :data:`SCHEMA_VERSION` (one transaction)."""
        with self._transaction() as conn:
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS.get(target, ()):
                    if callable(statement):
                        statement(conn)
                    elif not _column_exists_already(conn, statement):
                        conn.execute(statement)
            self._set_meta(conn, "schema_version", str(SCHEMA_VERSION))
            self._set_meta(conn, f"migrated_from_{version}_at", _now())
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _create(self) -> None:
        with self._transaction() as conn:
            for sql in _SCHEMA:
                conn.execute(sql)
            for target in range(2, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    if callable(statement):
                        statement(conn)
                    else:
                        conn.execute(statement)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("app", "routeplan"),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created_at", _now()),
                ],
            )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction (``with store.transaction() as conn: ...``).

        For modules that keep their own tables in the store (:mod:`routeplan.planning.people`).
        """
        return self._transaction()

    def query(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[tuple]:
        """Rows of one read-only query."""
        return self._conn.execute(sql, params).fetchall()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any exception."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _insert(
        self, conn: sqlite3.Connection, table: str, columns: Sequence[str], frame: pd.DataFrame
    ) -> None:
        """Insert the ``columns`` of ``frame`` into ``table`` (inside a transaction)."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        data = frame.reindex(columns=list(columns)).astype(object)
        rows = ([_py(v) for v in row] for row in data.itertuples(index=False, name=None))
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> PlanStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def schema_version(self) -> int:
        """Schema version of the open file."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # ---------------------------------------------------------------- calendar

    def save_calendar(self, calendar: pd.DataFrame, *, fingerprint: str) -> None:
        """Replace the stored calendar (one transaction).

        Parameters
        ----------
        calendar
            Columns :data:`~routeplan.calendar.construction.CALENDAR_COLUMNS`.
        fingerprint
            :func:`~routeplan.calendar.construction.settings_fingerprint` of the settings it
            was built with.

        """
        missing = [c for c in CALENDAR_COLUMNS if c not in calendar.columns]
        if missing:
            msg = f"calendar lacks columns {missing}."
            raise ValueError(msg)
        with self._transaction() as conn:
            conn.execute("DELETE FROM calendar")
            self._insert(conn, "calendar", CALENDAR_COLUMNS, calendar)
            self._set_meta(conn, "calendar_fingerprint", fingerprint)
            self._set_meta(conn, "calendar_saved_at", _now())

    def load_calendar(self) -> pd.DataFrame | None:
        """The stored calendar, or None when none was saved yet."""
        if self._meta("calendar_fingerprint") is None:
            return None
        frame = pd.read_sql_query(
            "SELECT * FROM calendar ORDER BY week, rep_id, client_id, visit_no", self._conn
        )
        return _typed(frame, CALENDAR_COLUMNS)  # its reasons are codes, worded when shown

    def calendar_fingerprint(self) -> str | None:
        """Fingerprint saved with the calendar, or None."""
        return self._meta("calendar_fingerprint")

    # ---------------------------------------------------------------- tiers

    def save_tiers(self, tiered: pd.DataFrame) -> None:
        """Replace the stored tiering (``client_id``, ``tier``, ``rule_tier``, ``tier_source``)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM tiers")
            self._insert(conn, "tiers", TIER_STATE_COLUMNS, tiered)
            self._set_meta(conn, "tiers_saved_at", _now())

    def load_tiers(self) -> pd.DataFrame | None:
        """The tiering of the last build, or None when none was saved yet."""
        if self._meta("tiers_saved_at") is None:
            return None
        frame = pd.read_sql_query("SELECT * FROM tiers ORDER BY client_id", self._conn)
        return _typed(frame, TIER_STATE_COLUMNS)

    # ---------------------------------------------------------------- week plans

    def save_week_plan(self, plan: WeekPlan) -> None:
        """Replace the stored plan of ``plan.week`` (one transaction)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM week_plan WHERE week = ?", (plan.week,))
            for attr, table, columns in _PLAN_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE week = ?", (plan.week,))
                frame = getattr(plan, attr).assign(week=plan.week)
                self._insert(conn, table, columns, frame)
            conn.execute(
                "INSERT INTO week_plan (week, saved_at) VALUES (?, ?)", (plan.week, _now())
            )
            self._save_slots(conn, plan.week)

    @staticmethod
    def _save_slots(conn: sqlite3.Connection, week: int) -> None:
        """Slots set by this week's regular visits, where the client has none on that weekday.

        A week saved again first gives back the slots it had set, so a rebuilt first week
        chooses them anew; later weeks keep to the slot of the earliest week.
        """
        conn.execute("DELETE FROM slots WHERE week = ?", (week,))
        conn.execute(
            f"INSERT OR IGNORE INTO slots (client_id, day, start, week) {_SLOTS_OF_WEEKS} "
            "AND week = ? ORDER BY rep_id, date, seq",
            (week,),
        )

    def load_week_plan(self, week: int) -> WeekPlan | None:
        """The stored plan of ``week``, or None."""
        row = self._conn.execute("SELECT week FROM week_plan WHERE week = ?", (week,)).fetchone()
        if row is None:
            return None
        tables = {}
        for attr, table, columns in _PLAN_TABLES:
            order = "rep_id, date, seq" if attr == "routes" else "rowid"
            frame = pd.read_sql_query(
                f"SELECT * FROM {table} WHERE week = ? ORDER BY {order}", self._conn, params=(week,)
            )
            tables[attr] = _typed(frame, columns)
        for attr in ("routes", "dropped"):  # worded in the active language, not the build's
            table = tables[attr]
            table["reason"] = reason_texts(table["reason_code"], table["reason"])
        return WeekPlan(week=week, **tables)

    def saved_weeks(self) -> list[int]:
        """Weeks with a stored plan, ascending."""
        return [r[0] for r in self._conn.execute("SELECT week FROM week_plan ORDER BY week")]

    # ---------------------------------------------------------------- visit log

    def record_visits(
        self, log: pd.DataFrame, *, cycle_start: dt.date, source: str = "import"
    ) -> int:
        """Add visits done or missed (one transaction); repeated rows are ignored.

        Parameters
        ----------
        log
            ``client_id``, ``date`` (YYYY-MM-DD), ``status`` (done|missed), optional
            ``rep_id``, ``note`` (see :func:`routeplan.io.visit_log.visit_log_from_csv`).
        cycle_start
            Monday of week 1, to file each visit under its cycle week.
        source
            Where the rows come from (``import`` for a CRM file, ``replan`` for the visits
            the field app's re-plan could not fit).

        Returns
        -------
        int
            Number of new log rows.

        """
        dates = pd.to_datetime(log["date"], format="%Y-%m-%d")
        weeks = (dates - pd.Timestamp(cycle_start)).dt.days // 7 + 1
        frame = log.assign(week=weeks.astype(int)).reindex(columns=list(_LOG_COLUMNS))
        with self._transaction() as conn:
            before = conn.total_changes
            data = frame.astype(object)
            conn.executemany(
                "INSERT OR IGNORE INTO visit_log (client_id, date, week, status, rep_id, note, "
                "imported_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ([*(_py(v) for v in row), _now(), source] for row in data.itertuples(index=False)),
            )
            added = conn.total_changes - before
        return added

    def visit_log(self) -> pd.DataFrame:
        """The whole visit log: client_id, date, week, status, rep_id, note."""
        frame = pd.read_sql_query(
            "SELECT client_id, date, week, status, rep_id, note FROM visit_log ORDER BY date, id",
            self._conn,
        )
        return _typed(frame, _LOG_COLUMNS)

    def backlog(self, before_week: int, *, weekly_clients: Collection[str] = ()) -> pd.DataFrame:
        """Visits due before ``before_week`` that did not happen and were not made up.

        Per client and week, the state is: ``done`` (logged done), else ``missed`` (logged
        missed), else ``dropped`` (in the week plan's dropped table), else ``planned`` (routed,
        taken as done). A client of an every-N tier is in the backlog when its latest state
        before ``before_week`` is missed or dropped: its next regular visit makes up for it.
        A client in ``weekly_clients`` (seen every week) counts visits instead: each logged
        miss and each dropped regular visit opens one, each catch-up planned (or a visit
        logged done beyond the week's regular ones) closes the oldest; a dropped catch-up
        leaves its visit open. ``weeks_overdue`` counts from the first miss still open, so a
        catch-up dropped again escalates instead of starting over.

        Parameters
        ----------
        before_week
            The week about to be planned.
        weekly_clients
            Clients of weekly tiers (calendar rows with ``phase == 0``).

        Returns
        -------
        pandas.DataFrame
            :data:`BACKLOG_COLUMNS`, most overdue first; ``weeks_overdue`` is the priority.

        """
        query = """
            SELECT client_id, week, rep_id, 'done' AS state, 0 AS catch_up, note AS reason
              FROM visit_log WHERE status = 'done' AND week < :w
            UNION ALL
            SELECT client_id, week, rep_id, 'missed', 0, note
              FROM visit_log WHERE status = 'missed' AND week < :w
            UNION ALL
            SELECT client_id, week, rep_id, 'dropped', catch_up, reason
              FROM plan_dropped WHERE week < :w
            UNION ALL
            SELECT client_id, week, rep_id, 'planned', catch_up, ''
              FROM plan_routes WHERE week < :w
        """
        events = pd.read_sql_query(query, self._conn, params={"w": before_week})
        weekly = set(map(str, weekly_clients))
        rows = [
            row
            for cid, grp in events.groupby("client_id", sort=True)
            if (row := open_visits(grp, before_week, weekly=str(cid) in weekly)) is not None
        ]
        out = pd.DataFrame(rows, columns=list(BACKLOG_COLUMNS))
        return out.sort_values(["weeks_overdue", "client_id"], ascending=[False, True]).reset_index(
            drop=True
        )

    def slots(self, before_week: int) -> pd.DataFrame:
        """The regular slot of every client seen on a weekday before ``before_week``.

        A client's slot on a weekday is the start of service of its first regular (not
        catch-up) visit planned on that weekday, stored in the ``slots`` table when that
        week was saved: later weeks keep to it.

        Returns
        -------
        pandas.DataFrame
            ``client_id``, ``day`` (Mon..Sun), ``start`` (HH:MM).

        """
        query = "SELECT client_id, day, start FROM slots WHERE week < ? ORDER BY client_id, day"
        return pd.read_sql_query(query, self._conn, params=(before_week,))

    # ---------------------------------------------------------------- locks

    def locks(self) -> pd.DataFrame:
        """Planner locks: ``client_id``, ``week`` (or missing), ``day`` (or empty)."""
        frame = pd.read_sql_query(
            "SELECT client_id, week, day FROM locks ORDER BY client_id", self._conn
        )
        frame["week"] = frame["week"].astype("Int64")
        frame["day"] = frame["day"].fillna("")
        return frame

    def set_lock(self, client_id: str, *, week: int | None = None, day: str | None = None) -> None:
        """Pin a client to a week and/or a weekday (replaces its previous lock).

        Parameters
        ----------
        client_id
            The client.
        week
            Cycle week it must be seen in (every-N tiers keep that phase).
        day
            Weekday name (``Mon``..``Sun``) it must be seen on.

        Raises
        ------
        ValueError
            Neither week nor day given, or an unknown weekday.

        """
        if week is None and not day:
            msg = "set_lock needs a week, a day or both."
            raise ValueError(msg)
        if day and day[:3].title() not in WEEKDAYS:
            msg = f"unknown weekday '{day}'; use {' '.join(WEEKDAYS)}."
            raise ValueError(msg)
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO locks (client_id, week, day) VALUES (?, ?, ?)",
                (str(client_id), week, day[:3].title() if day else None),
            )

    def clear_lock(self, client_id: str) -> bool:
        """Remove a client's lock; True if there was one."""
        with self._transaction() as conn:
            cur = conn.execute("DELETE FROM locks WHERE client_id = ?", (str(client_id),))
        return cur.rowcount > 0
