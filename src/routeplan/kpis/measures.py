"""Key figures of a plan: pure functions from DataFrames to DataFrames.

Nothing here reads files or prints. Input shapes:

- ``due``: one row per visit the calendar says is due: ``client_id``, ``week`` (1-based cycle
  week), ``tier``. A client seen twice a week has two rows for that week.
- ``planned``: one row per planned visit: ``client_id``, ``week``, ``tier`` (e.g. the
  ``routes`` tables of the weeks built so far, concatenated).
- ``log``: the visit log: ``client_id``, ``date`` (ISO date), ``status`` in {"done",
  "missed"}; a ``week`` column is used when present, else it is derived from ``date`` and the
  cycle start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routeplan.config import CadenceConfig, Settings, WorkdayConfig
from routeplan.model.plan import WeekPlan
from routeplan.model.repday import rep_day

TOTAL = "total"
PROSPECTS = "prospect"
"""Compliance row of the prospects (calendar reason ``prospect; ...``), counted apart from
the tiers and the total: their cadence is the prospects', not their tier's."""
"""Label of the all-tiers row in per-tier tables."""

LOG_STATUSES: frozenset[str] = frozenset({"done", "missed"})


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else float("nan")


def log_weeks(log: pd.DataFrame, *, cycle_start: dt.date | None) -> pd.Series:
    """Return the cycle week of each log row: its ``week`` column, or derived from ``date``.

    Parameters
    ----------
    log
        Visit log rows (``client_id``, ``date``, ``status``, optional ``week``).
    cycle_start
        Monday of week 1; needed when the log has no ``week`` column.

    Returns
    -------
    pandas.Series
        Integer weeks (dates before the cycle give weeks <= 0).

    """
    if "week" in log.columns:
        return log["week"].astype("int64")
    if cycle_start is None:
        msg = "the visit log has no 'week' column; pass cycle_start to derive it from 'date'"
        raise ValueError(msg)
    days = (pd.to_datetime(log["date"]) - pd.Timestamp(cycle_start)).dt.days
    return (days // 7 + 1).astype("int64")


def _tier_order(preferred: Sequence[str], seen: Sequence[str]) -> list[str]:
    present = set(seen)
    return [t for t in preferred if t in present] + [
        t for t in dict.fromkeys(seen) if t not in set(preferred)
    ]


def cadence_compliance(
    due: pd.DataFrame,
    planned: pd.DataFrame,
    log: pd.DataFrame | None,
    *,
    through_week: int,
    cycle_start: dt.date | None = None,
    tier_order: Sequence[str] = (),
) -> pd.DataFrame:
    """Cadence compliance per tier, cycle to date (weeks ``1..through_week``).

    Log rows outside weeks ``1..through_week`` (e.g. the previous cycle) are ignored.

    Per client, the visits that count are those done (log ``status == "done"``) plus planned
    visits not logged yet (``planned - done - missed``, at least 0), capped at the visits due:
    an extra visit to one client never hides a missing visit to another. A planned visit logged
    ``missed`` does not count.

    Parameters
    ----------
    due
        One row per due visit: ``client_id``, ``week``, ``tier``.
    planned
        One row per planned visit: ``client_id``, ``week``, ``tier``.
    log
        Visit log (``client_id``, ``date``, ``status``, optional ``week``), or None.
    through_week
        Last cycle week counted.
    cycle_start
        Monday of week 1, to place log dates in weeks when the log has no ``week`` column.
    tier_order
        Tiers in display order (e.g. ``settings.tier_names``); others follow as they appear.

    Returns
    -------
    pandas.DataFrame
        One row per tier (``tier_order`` first, then as they appear) and a ``total`` row:
        ``tier``, ``clients`` (with a visit due), ``due``, ``planned``, ``done``, ``missed``,
        ``planned_pct`` (planned, capped per client, over due), ``done_pct`` (done, capped,
        over due), ``compliance_pct`` (done or still planned, capped, over due). Prospects
        (a ``due`` ``reason_code`` starting ``prospect``) are counted apart, in a last row
        :data:`PROSPECTS`, neither in their tier's row nor in the total.

    """
    due, planned = _prospects_apart(due, planned)
    per_client = _visits_per_client(due, planned, log, through_week, cycle_start)
    tiers = pd.concat([due[["client_id", "tier"]], planned[["client_id", "tier"]]]).drop_duplicates(
        "client_id", keep="last"
    )
    per_client = per_client.join(tiers.set_index("client_id")["tier"], how="left")
    per_client = per_client[per_client["tier"].notna()]
    order = _tier_order(tier_order, [*due["tier"].astype(str), *planned["tier"].astype(str)])
    customers = per_client[per_client["tier"] != PROSPECTS]
    rows = [
        _compliance_row(
            tier, customers if tier == TOTAL else per_client[per_client["tier"] == tier]
        )
        for tier in [*(t for t in order if t != PROSPECTS), TOTAL]
    ]
    if (per_client["tier"] == PROSPECTS).any():
        rows.append(_compliance_row(PROSPECTS, per_client[per_client["tier"] == PROSPECTS]))
    return pd.DataFrame(rows)


def _prospects_apart(due: pd.DataFrame, planned: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Due and planned visits with the prospects' tier read as :data:`PROSPECTS`."""
    column = "reason_code" if "reason_code" in due else "reason"
    if column not in due:
        return due, planned
    first = due[column].astype(str).str.split(";").str[0].str.strip()
    ids = set(due.loc[first == PROSPECTS, "client_id"].astype(str))
    if not ids:
        return due, planned

    def apart(frame: pd.DataFrame) -> pd.DataFrame:
        mine = frame["client_id"].astype(str).isin(ids)
        return frame.assign(tier=frame["tier"].astype(str).where(~mine, PROSPECTS))

    return apart(due), apart(planned)


def _visits_per_client(
    due: pd.DataFrame,
    planned: pd.DataFrame,
    log: pd.DataFrame | None,
    through_week: int,
    cycle_start: dt.date | None,
) -> pd.DataFrame:
    """Per client through ``through_week``: visits due, planned, done, missed and what counts.

    ``planned_ok``, ``done_ok`` and ``met`` (done or still planned) are capped at the visits due.
    """
    due_now = due[due["week"].astype(int) <= through_week]
    planned_now = planned[planned["week"].astype(int) <= through_week]
    per_client = pd.DataFrame(
        {
            "due": due_now.groupby("client_id").size(),
            "planned": planned_now.groupby("client_id").size(),
        }
    )
    if log is not None and not log.empty:
        unknown = sorted(set(log["status"].astype(str)) - LOG_STATUSES)
        if unknown:
            msg = f"visit log status {unknown} not understood; use 'done' or 'missed'"
            raise ValueError(msg)
        weeks = log_weeks(log, cycle_start=cycle_start)
        log_now = log[(weeks >= 1) & (weeks <= through_week)]
        counts = log_now.groupby(["client_id", "status"]).size().unstack(fill_value=0)
        per_client = per_client.join(counts.reindex(columns=sorted(LOG_STATUSES)), how="outer")
    else:
        per_client["done"] = 0
        per_client["missed"] = 0
    per_client = per_client.fillna(0).astype("int64")
    open_planned = (per_client["planned"] - per_client["done"] - per_client["missed"]).clip(lower=0)
    per_client["planned_ok"] = np.minimum(per_client["planned"], per_client["due"])
    per_client["done_ok"] = np.minimum(per_client["done"], per_client["due"])
    per_client["met"] = np.minimum(per_client["done"] + open_planned, per_client["due"])
    return per_client


def _compliance_row(tier: str, part: pd.DataFrame) -> dict[str, object]:
    """The compliance figures of one tier's clients (``part`` of the per-client table)."""
    total_due = int(part["due"].sum())
    return {
        "tier": tier,
        "clients": int((part["due"] > 0).sum()),
        "due": total_due,
        "planned": int(part["planned"].sum()),
        "done": int(part["done"].sum()),
        "missed": int(part["missed"].sum()),
        "planned_pct": _pct(part["planned_ok"].sum(), total_due),
        "done_pct": _pct(part["done_ok"].sum(), total_due),
        "compliance_pct": _pct(part["met"].sum(), total_due),
    }


def _wait_by_rep_day(plan: WeekPlan) -> pd.Series:
    return plan.routes.groupby(["rep_id", "date"])["wait_min"].sum()


def drive_by_rep_day(plan: WeekPlan) -> pd.DataFrame:
    """Drive hours and km per rep and day (including the drive home).

    Parameters
    ----------
    plan
        The week plan.

    Returns
    -------
    pandas.DataFrame
        ``rep_id``, ``date``, ``day``, ``visits``, ``drive_h``, ``km``, ``km_per_visit``;
        sorted by rep and date.

    """
    days = plan.days.sort_values(["rep_id", "date"], kind="stable")
    visits = days["visits"].astype(int)
    km = days["km"].astype(float)
    return pd.DataFrame(
        {
            "rep_id": days["rep_id"].astype(str),
            "date": days["date"].astype(str),
            "day": days["day"].astype(str),
            "visits": visits,
            "drive_h": (days["travel_min"].astype(float) / 60.0).round(2),
            "km": km.round(1),
            "km_per_visit": (km / visits.where(visits > 0)).round(1),
        }
    ).reset_index(drop=True)


def available_minutes(rep: Mapping[str, object], workday: WorkdayConfig) -> int:
    """Working minutes of one rep's day: ``day_end - day_start - lunch_min``.

    Parameters
    ----------
    rep
        A row of ``reps.csv``; empty ``day_start``/``day_end``/``lunch_min`` fall back to
        ``[workday]``.
    workday
        The configured default day.

    Returns
    -------
    int
        Minutes available for driving, waiting and visits.

    """
    day = rep_day(rep, workday)
    return day.day_end_min - day.day_start_min - day.lunch_min


def utilisation(plan: WeekPlan, reps: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Share of working time used per rep-day: (service + travel + wait) / available.

    Parameters
    ----------
    plan
        The week plan.
    reps
        The reps table (``rep_id`` and optional ``day_start``, ``day_end``, ``lunch_min``).
    settings
        Settings; ``[workday]`` fills what ``reps`` leaves empty.

    Returns
    -------
    pandas.DataFrame
        ``rep_id``, ``date``, ``day``, ``available_min``, ``service_min``, ``travel_min``,
        ``wait_min``, ``used_min``, ``utilisation_pct``.

    """
    by_rep = {str(r["rep_id"]): r for r in reps.to_dict("records")}
    waits = _wait_by_rep_day(plan)
    rows = []
    for day in plan.days.sort_values(["rep_id", "date"], kind="stable").to_dict("records"):
        rep_id, date_iso = str(day["rep_id"]), str(day["date"])
        available = available_minutes(by_rep.get(rep_id, {}), settings.workday)
        wait = float(waits.get((rep_id, date_iso), 0.0))
        service, travel = float(day["service_min"]), float(day["travel_min"])
        used = service + travel + wait
        rows.append(
            {
                "rep_id": rep_id,
                "date": date_iso,
                "day": str(day["day"]),
                "available_min": available,
                "service_min": service,
                "travel_min": round(travel, 1),
                "wait_min": wait,
                "used_min": round(used, 1),
                "utilisation_pct": _pct(used, available),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class WorkloadBalance:
    """Workload per rep and how evenly it is spread.

    ``spread`` is ``(max - min) / mean`` of the weekly hours; ``cv`` the coefficient of
    variation (population standard deviation / mean). Both are 0 for a perfectly even week.
    """

    per_rep: pd.DataFrame
    mean_h: float
    spread: float
    cv: float

    def summary(self) -> pd.DataFrame:
        """Return the three figures as a one-row table."""
        return pd.DataFrame(
            [
                {
                    "reps": len(self.per_rep),
                    "mean_h": self.mean_h,
                    "spread": self.spread,
                    "cv": self.cv,
                }
            ]
        )


def workload_balance(plan: WeekPlan) -> WorkloadBalance:
    """Weekly hours (service + travel + wait) per rep and their spread.

    Parameters
    ----------
    plan
        The week plan; every rep in ``days`` counts, also one without visits.

    Returns
    -------
    WorkloadBalance
        ``per_rep`` (``rep_id``, ``visits``, ``hours``, ``drive_h``, ``km``, ``vs_mean_pct``)
        and ``mean_h``, ``spread``, ``cv``.

    """
    waits = plan.routes.groupby("rep_id")["wait_min"].sum()
    days = plan.days.assign(rep_id=plan.days["rep_id"].astype(str))
    grouped = days.groupby("rep_id", sort=True)
    per_rep = pd.DataFrame(
        {
            "visits": grouped["visits"].sum().astype("int64"),
            "service_min": grouped["service_min"].sum().astype(float),
            "travel_min": grouped["travel_min"].sum().astype(float),
            "km": grouped["km"].sum().astype(float).round(1),
        }
    )
    per_rep["wait_min"] = waits.reindex(per_rep.index).fillna(0).astype(float)
    hours = (per_rep["service_min"] + per_rep["travel_min"] + per_rep["wait_min"]) / 60.0
    mean = float(hours.mean()) if len(hours) else 0.0
    per_rep = pd.DataFrame(
        {
            "rep_id": per_rep.index,
            "visits": per_rep["visits"].to_numpy(),
            "hours": hours.round(2).to_numpy(),
            "drive_h": (per_rep["travel_min"] / 60.0).round(2).to_numpy(),
            "km": per_rep["km"].to_numpy(),
            "vs_mean_pct": (100.0 * (hours / mean - 1.0)).round(1).to_numpy()
            if mean
            else np.zeros(len(hours)),
        }
    )
    if not mean:
        return WorkloadBalance(per_rep, 0.0, 0.0, 0.0)
    spread = float((hours.max() - hours.min()) / mean)
    cv = float(hours.std(ddof=0) / mean)
    return WorkloadBalance(per_rep, round(mean, 2), round(spread, 3), round(cv, 3))


def backlog(
    dropped: pd.DataFrame, carried: pd.DataFrame, *, tier_order: Sequence[str] = ()
) -> pd.DataFrame:
    """Visits carried over, per tier: caught up this week and carried into next week.

    Parameters
    ----------
    dropped
        Visits due this week that were not planned (``WeekPlan.dropped``: ``tier``, ...); they
        become next week's backlog.
    carried
        Planned visits carried over from earlier weeks (``routes[routes.catch_up]``: ``tier``).
    tier_order
        Tiers in display order; others follow as they appear.

    Returns
    -------
    pandas.DataFrame
        ``tier``, ``caught_up`` (carried-in visits planned now), ``carried_forward``
        (dropped now), ``net_change`` (``carried_forward - caught_up``: positive means the
        backlog grows); a ``total`` row last.

    """
    caught_up = carried.groupby(carried["tier"].astype(str)).size()
    forward = dropped.groupby(dropped["tier"].astype(str)).size()
    tiers = _tier_order(tier_order, [*caught_up.index, *forward.index])
    rows = [
        {
            "tier": tier,
            "caught_up": int(caught_up.get(tier, 0)),
            "carried_forward": int(forward.get(tier, 0)),
        }
        for tier in tiers
    ]
    rows.append({"tier": TOTAL, "caught_up": len(carried), "carried_forward": len(dropped)})
    table = pd.DataFrame(rows, columns=["tier", "caught_up", "carried_forward"])
    table["net_change"] = table["carried_forward"] - table["caught_up"]
    return table


def last_visits(log: pd.DataFrame) -> pd.Series:
    """Date of each client's last done visit in the visit log.

    Parameters
    ----------
    log
        Visit log (``client_id``, ``date``, ``status``).

    Returns
    -------
    pandas.Series
        Index ``client_id``, values :class:`datetime.date`.

    """
    done = log[log["status"].astype(str) == "done"]
    dates = pd.to_datetime(done["date"]).dt.date
    return dates.groupby(done["client_id"].astype(str)).max()


def allowed_gap_days(cadence: CadenceConfig) -> int:
    """Days a client of this cadence may go unseen: every N weeks plus slack, or one week."""
    weeks = 1 if cadence.visits_per_week else cadence.every_weeks + cadence.slack_weeks
    return 7 * weeks


def overdue_clients(
    clients: pd.DataFrame,
    last_visit: pd.Series,
    cadence: Mapping[str, CadenceConfig],
    as_of_week: int,
    *,
    cycle_start: dt.date,
) -> pd.DataFrame:
    """Clients not seen for longer than their cadence allows, as of Monday of ``as_of_week``.

    Parameters
    ----------
    clients
        Clients (``client_id``, ``name``, ``tier``, optional ``rep_id``).
    last_visit
        Last done visit per client (index ``client_id``, dates); absent or missing means not
        seen this cycle, counted from ``cycle_start``.
    cadence
        ``settings.cadence``: the allowed gap is ``7 * (every_weeks + slack_weeks)`` days, or
        7 days for weekly tiers.
    as_of_week
        The cycle week whose Monday is the reference day.
    cycle_start
        Monday of week 1.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``name``, ``tier``, ``rep_id``, ``last_visit`` (ISO or empty),
        ``days_since`` (since the last visit or the cycle start), ``allowed_days``,
        ``overdue_days``; most overdue first.

    """
    as_of = cycle_start + dt.timedelta(weeks=as_of_week - 1)
    unknown = sorted(set(clients["tier"].astype(str)) - set(cadence))
    if unknown:
        msg = f"tier(s) {unknown} have no cadence"
        raise ValueError(msg)
    last = pd.to_datetime(last_visit, errors="coerce")
    last.index = last.index.astype(str)
    rows = []
    for client in clients.to_dict("records"):
        client_id = str(client["client_id"])
        seen = last.get(client_id)
        seen_date = None if seen is None or pd.isna(seen) else seen.date()
        since = (as_of - (seen_date or cycle_start)).days
        allowed = allowed_gap_days(cadence[str(client["tier"])])
        if since > allowed:
            rows.append(
                {
                    "client_id": client_id,
                    "name": str(client.get("name", "")),
                    "tier": str(client["tier"]),
                    "rep_id": str(client.get("rep_id", "") or ""),
                    "last_visit": seen_date.isoformat() if seen_date else "",
                    "days_since": since,
                    "allowed_days": allowed,
                    "overdue_days": since - allowed,
                }
            )
    columns = [
        "client_id",
        "name",
        "tier",
        "rep_id",
        "last_visit",
        "days_since",
        "allowed_days",
        "overdue_days",
    ]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["overdue_days", "client_id"], ascending=[False, True]).reset_index(
        drop=True
    )
