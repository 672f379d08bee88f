"""Plan data as the field app shows it: stops with their logged outcome, per rep and day."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from routeplan.planning.field_log import field_log_of_day
from routeplan.serve.state import FieldState

_STOP_FIELDS = (
    "date", "day", "seq", "client_id", "name", "tier", "lat", "lon", "address", "arrive",
    "start", "depart", "service_min", "km", "catch_up", "reason", "break_start", "break_end",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _client_extra(state: FieldState, client_id: str) -> dict[str, str]:
    if client_id not in state.clients.index:
        return {"opens": "", "closes": "", "phone": ""}
    row = state.clients.loc[client_id]
    return {
        key: "" if pd.isna(row.get(key)) else str(row.get(key, ""))
        for key in ("opens", "closes", "phone")
    }


def day_outcomes(state: FieldState, date: str, rep_ids: list[str]) -> dict[str, dict]:
    """The latest logged visit per client on ``date`` for these reps (done wins over missed)."""
    rows = state.locked(lambda store: field_log_of_day(store, date=date, rep_ids=rep_ids))
    latest: dict[str, dict] = {}
    for row in rows:
        seen = latest.get(row["client_id"])
        if seen is None or seen["status"] != "done":
            latest[row["client_id"]] = row
    return latest


def rep_stops(
    state: FieldState, week: int, rep_id: str, date: str | None = None
) -> list[dict[str, Any]]:
    """The planned stops of a rep in a week (or on one date) with their logged state.

    Each stop has the route's fields (``break_start``/``break_end``: the lunch break shown
    on this stop, before it or, on the last stop, after it; else None), the client's
    ``opens``/``closes``/``phone`` and ``status``: ``done``, ``missed`` or ``open`` (nothing
    logged yet that day), with the logged ``outcome`` and ``checked_in_at``.
    """
    routes = state.rep_routes(week, rep_id, date)
    if routes.empty:
        return []
    logged = {d: day_outcomes(state, d, [rep_id]) for d in routes["date"].unique()}
    stops = []
    for row in routes.to_dict("records"):
        stop = {key: _plain(row.get(key)) for key in _STOP_FIELDS}
        stop["catch_up"] = bool(stop["catch_up"])
        for key in ("break_start", "break_end"):  # older plans: no such column
            stop[key] = stop[key] or None
        stop.update(_client_extra(state, str(row["client_id"])))
        log = logged[row["date"]].get(str(row["client_id"]))
        stop["status"] = log["status"] if log else "open"
        stop["outcome"] = log["outcome"] if log else None
        stop["checked_in_at"] = log["checked_in_at"] if log else None
        stops.append(stop)
    return stops
