"""Visits recorded in the field (``routeplan serve``): into the visit log, once per key.

A field visit carries its outcome (``done``, ``missed``, ``rescheduled``, ``closed``), the
check-in time and position and an optional order value. It lands in the same ``visit_log``
table as a CRM import (``source = 'field'``): ``done`` as done, every other outcome as
missed, so the next ``build`` makes a catch-up of it exactly as for an imported miss.

Each post carries a client-chosen idempotency key. The visit row and the key are written in
one transaction; a repeated key returns the first answer and writes nothing, so a phone that
replays its queue after a dropped connection never records a visit twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

import pandas as pd

from routeplan.planning.store import PlanStore

OUTCOMES: dict[str, str] = {
    "done": "done",
    "missed": "missed",
    "rescheduled": "missed",
    "closed": "missed",
}
"""Field outcomes and the visit-log status each one is filed as."""


@dataclass(frozen=True)
class FieldVisit:
    """One visit as the phone reports it (already checked against the plan)."""

    client_id: str
    rep_id: str
    date: str
    week: int
    outcome: str
    note: str = ""
    checked_in_at: str | None = None
    checked_out_at: str | None = None
    lat: float | None = None
    lon: float | None = None
    distance_m: float | None = None
    order_value: float | None = None

    @property
    def status(self) -> str:
        """The visit-log status (done or missed)."""
        return OUTCOMES[self.outcome]

    def fingerprint(self) -> str:
        """SHA-256 of the visit's fields: a key reused for other data is refused."""
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Recorded:
    """What a post of a field visit did."""

    response: dict[str, object]
    replayed: bool
    conflict: bool = False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def record_field_visit(
    store: PlanStore, visit: FieldVisit, *, person_id: str, key: str
) -> Recorded:
    """Write a field visit and its idempotency key in one transaction.

    Parameters
    ----------
    store
        The plan store.
    visit
        The visit.
    person_id
        Who posts it (keys are per person).
    key
        The client's idempotency key.

    Returns
    -------
    Recorded
        The answer (``visit_id``, ``status``, ``new``), whether it is a replay of an earlier
        post, and whether the key was already used for a different visit (nothing written).

    """
    sha = visit.fingerprint()
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT request_sha, response FROM idempotency_keys WHERE person_id = ? AND key = ?",
            (person_id, key),
        ).fetchone()
        if row is not None:
            return Recorded(json.loads(row[1]), replayed=True, conflict=row[0] != sha)
        cur = conn.execute(
            "INSERT OR IGNORE INTO visit_log (client_id, date, week, status, rep_id, note, "
            "imported_at, source, outcome, checked_in_at, checked_out_at, lat, lon, "
            "distance_m, order_value) VALUES (?, ?, ?, ?, ?, ?, ?, 'field', ?, ?, ?, ?, ?, ?, ?)",
            (
                visit.client_id,
                visit.date,
                visit.week,
                visit.status,
                visit.rep_id,
                visit.note,
                _now(),
                visit.outcome,
                visit.checked_in_at,
                visit.checked_out_at,
                visit.lat,
                visit.lon,
                visit.distance_m,
                visit.order_value,
            ),
        )
        new = cur.rowcount == 1
        visit_id = conn.execute(
            "SELECT id FROM visit_log WHERE client_id = ? AND date = ? AND status = ?",
            (visit.client_id, visit.date, visit.status),
        ).fetchone()[0]
        response: dict[str, object] = {
            "visit_id": int(visit_id),
            "client_id": visit.client_id,
            "date": visit.date,
            "status": visit.status,
            "outcome": visit.outcome,
            "new": new,
        }
        conn.execute(
            "INSERT INTO idempotency_keys (person_id, key, request_sha, response, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (person_id, key, sha, json.dumps(response), _now()),
        )
    return Recorded(response, replayed=False)


def field_log_of_day(
    store: PlanStore, *, date: str, rep_ids: list[str] | None = None
) -> list[dict]:
    """Logged visits of one date (every source), optionally of some reps, oldest first."""
    sql = (
        "SELECT id, client_id, rep_id, status, outcome, source, checked_in_at, lat, lon, "
        "distance_m, order_value, note FROM visit_log WHERE date = ?"
    )
    params: list[object] = [date]
    if rep_ids is not None:
        sql += f" AND rep_id IN ({', '.join('?' for _ in rep_ids)})"
        params += rep_ids
    names = (
        "visit_id",
        "client_id",
        "rep_id",
        "status",
        "outcome",
        "source",
        "checked_in_at",
        "lat",
        "lon",
        "distance_m",
        "order_value",
        "note",
    )
    return [dict(zip(names, row, strict=True)) for row in store.query(sql + " ORDER BY id", params)]


def count_field_visits(store: PlanStore) -> int:
    """Number of visit-log rows recorded by the field app."""
    return int(store.query("SELECT count(*) FROM visit_log WHERE source = 'field'")[0][0])


EXPORT_COLUMNS: tuple[str, ...] = (
    "client_id", "date", "week", "status", "outcome", "source", "rep_id", "note",
    "checked_in_at", "checked_out_at", "lat", "lon", "distance_m", "order_value",
)  # fmt: skip
"""Columns of ``routeplan log export`` (stable English names, for a CRM import)."""


def visit_log_export(store: PlanStore, *, since: str | None = None) -> pd.DataFrame:
    """The visit log with sources and field details, oldest first.

    Written with :func:`routeplan.io.writers.write_csv`, which keeps text formula-inert.

    Parameters
    ----------
    store
        The plan store.
    since
        Only visits on or after this date (YYYY-MM-DD).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPORT_COLUMNS`.

    """
    sql = f"SELECT {', '.join(EXPORT_COLUMNS)} FROM visit_log"
    params: list[object] = []
    if since is not None:
        sql += " WHERE date >= ?"
        params.append(since)
    rows = store.query(sql + " ORDER BY date, id", params)
    frame = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))
    return frame
