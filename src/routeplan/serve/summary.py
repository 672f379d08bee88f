"""The managers' view of a day: per rep done / missed / remaining, last check-in, km, compliance."""

from __future__ import annotations

from typing import Any

import pandas as pd

from routeplan.planning.field_log import field_log_of_day
from routeplan.serve.state import FieldState


def _compliance(state: FieldState, week: int, rep_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Cadence compliance cycle to date per rep: ``{rep: {tier: pct, ..., "total": pct}}``."""
    from routeplan.kpis.measures import cadence_compliance  # the kpis package is costly to load

    calendar = state.locked(lambda store: store.load_calendar())
    if calendar is None or calendar.empty:
        return {}
    plans = [state.plan(w) for w in range(1, week + 1)]
    routes = [p.routes for p in plans if p is not None and not p.routes.empty]
    planned = pd.concat(routes) if routes else pd.DataFrame(columns=["client_id", "week", "tier"])
    log = state.locked(lambda store: store.visit_log())
    out: dict[str, dict[str, Any]] = {}
    for rep_id in rep_ids:
        due = calendar[calendar["rep_id"] == rep_id]
        if due.empty:
            continue
        mine = planned[planned["rep_id"] == rep_id] if "rep_id" in planned else planned
        table = cadence_compliance(
            due,
            mine,
            log[log["client_id"].isin(set(due["client_id"]))],
            through_week=week,
            tier_order=state.settings.tier_names,
        )
        out[rep_id] = {str(r["tier"]): float(r["compliance_pct"]) for r in table.to_dict("records")}
    return out


def _rep_day(
    state: FieldState, week: int, rep_id: str, date: str, logged: list[dict]
) -> dict[str, Any]:
    routes = state.rep_routes(week, rep_id, date)
    latest: dict[str, dict] = {}
    for row in logged:
        if row["client_id"] not in latest or latest[row["client_id"]]["status"] != "done":
            latest[row["client_id"]] = row
    planned_ids = set(routes["client_id"]) if not routes.empty else set()
    done = sum(1 for r in latest.values() if r["status"] == "done")
    missed = sum(1 for r in latest.values() if r["status"] == "missed")
    remaining = len(planned_ids - set(latest))
    seqs = routes[routes["client_id"].isin(list(latest))]["seq"] if not routes.empty else []
    last_seq = int(max(seqs)) if len(seqs) else 0
    km_so_far = float(routes[routes["seq"] <= last_seq]["km"].sum()) if last_seq else 0.0
    km_day = float(routes["km"].sum()) if not routes.empty else 0.0
    checkins = [r for r in logged if r["checked_in_at"]]
    last = max(checkins, key=lambda r: str(r["checked_in_at"])) if checkins else None
    return {
        "rep_id": rep_id,
        "name": str(state.reps.loc[rep_id, "name"]),
        "zone": str(state.reps.loc[rep_id, "zone"]),
        "planned": len(planned_ids),
        "done": done,
        "missed": missed,
        "remaining": remaining,
        "km_so_far": round(km_so_far, 1),
        "km_day": round(km_day, 1),
        "last_check_in": None
        if last is None
        else {
            "at": str(last["checked_in_at"]),
            "client_id": str(last["client_id"]),
            "lat": last["lat"],
            "lon": last["lon"],
        },
    }


def week_summary(state: FieldState, week: int, date: str, rep_ids: list[str]) -> dict[str, Any]:
    """Per rep on ``date``: planned, done, missed, remaining, km, last check-in, compliance."""
    from routeplan.kpis.measures import TOTAL

    logged = state.locked(lambda store: field_log_of_day(store, date=date, rep_ids=rep_ids))
    compliance = _compliance(state, week, rep_ids)
    reps = []
    for rep_id in rep_ids:
        row = _rep_day(state, week, rep_id, date, [r for r in logged if r["rep_id"] == rep_id])
        row["compliance_pct"] = compliance.get(rep_id, {}).get(TOTAL)
        row["compliance_by_tier"] = {
            k: v for k, v in compliance.get(rep_id, {}).items() if k != TOTAL
        }
        reps.append(row)
    return {"week": week, "date": date, "reps": reps}
