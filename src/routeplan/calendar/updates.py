"""Keeping a stored calendar up to date: new clients, replanning, catch-ups of missed visits.

Changes touch only the clients concerned, so everyone else keeps their weeks.
"""

from __future__ import annotations

import pandas as pd

from routeplan.calendar.construction import (
    ALL_DAYS,
    CALENDAR_COLUMNS,
    build_calendar,
    construct_calendar,
    days_to_mask,
    due_in_week,
    lock_maps,
    mask_to_days,
    week_masks,
)
from routeplan.calendar.phases import visit_weeks
from routeplan.config import WEEKDAYS, Settings
from routeplan.model.reasons import HOLIDAY_CODES, Reason, decode, encode


def _holiday(code: str) -> bool:
    """Whether a calendar row's ``reason_code`` says its days are not the standard ones."""
    return any(r.code in HOLIDAY_CODES for r in decode(code))


def _clients_of(calendar: pd.DataFrame) -> pd.DataFrame:
    """One row per client of a calendar, enough to rebuild it (masks via open_days)."""
    first = calendar.drop_duplicates("client_id", keep="first")
    return pd.DataFrame(
        {
            "client_id": first["client_id"].to_numpy(),
            "rep_id": first["rep_id"].to_numpy(),
            "tier": first["tier"].to_numpy(),
            "lat": first["lat"].to_numpy(),
            "lon": first["lon"].to_numpy(),
            "service_min": first["service_min"].to_numpy(),
            "open_days": first["allowed_days"].to_numpy(),
        }
    )


def _standing(calendar: pd.DataFrame) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """Phases of every-N clients and standard day patterns of multi-visit clients."""
    phases = calendar[calendar["phase"] > 0].drop_duplicates("client_id")
    pinned = dict(zip(phases["client_id"], phases["phase"].astype(int), strict=True))
    patterns: dict[str, tuple[int, ...]] = {}
    multi = calendar[(calendar["phase"] == 0) & (calendar["visit_no"] >= 2)]["client_id"].unique()
    for cid, grp in calendar[calendar["client_id"].isin(multi)].groupby("client_id"):
        days = grp[[not _holiday(code) for code in grp["reason_code"]]]
        days = days if len(days) else grp
        first_week = days[days["week"] == days["week"].min()]
        patterns[str(cid)] = tuple(sorted(WEEKDAYS.index(d) for d in first_week["days"]))
    return pinned, patterns


def add_clients(
    calendar: pd.DataFrame,
    new_clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Put new clients into a calendar without moving anyone already in it.

    A new every-N client starts in the phase of its nearest same-tier neighbour of its rep and
    is moved within its slack if that week is over the balance band; a new multi-visit client
    gets the least loaded weekday pattern.

    Parameters
    ----------
    calendar
        The current calendar.
    new_clients
        Clients not yet in it (same columns as for :func:`build_calendar`).
    settings, reps, locks
        As for :func:`build_calendar`.

    Returns
    -------
    pandas.DataFrame
        The old rows unchanged plus the new clients' rows.

    """
    new_ids = set(new_clients["client_id"].astype(str))
    old = calendar[~calendar["client_id"].isin(new_ids)]
    if not new_ids:
        return calendar.copy()
    pinned, patterns = _standing(old)
    combined = pd.concat([_clients_of(old), new_clients], ignore_index=True)
    full = construct_calendar(
        combined,
        settings,
        reps=reps,
        locks=locks,
        pinned_phases=pinned,
        pinned_patterns=patterns,
    )
    added = full[full["client_id"].isin(new_ids)]
    out = pd.concat([old, added], ignore_index=True)
    return out.sort_values(["week", "rep_id", "client_id", "visit_no"], kind="stable").reset_index(
        drop=True
    )


def _replan_windows(
    calendar: pd.DataFrame, clients: pd.DataFrame, settings: Settings, from_week: int
) -> dict[str, set[int]]:
    """Allowed phases after ``from_week`` so that intervals with earlier visits keep cadence."""
    weeks = settings.cycle.weeks
    past = calendar[calendar["week"] < from_week].groupby("client_id")["week"].max()
    windows: dict[str, set[int]] = {}
    for cid, tier in zip(clients["client_id"].astype(str), clients["tier"], strict=True):
        cad = settings.cadence.get(str(tier))
        if cad is None or cad.visits_per_week:
            continue
        n, k = cad.every_weeks, cad.slack_weeks
        ok: set[int] = set()
        for p in range(1, n + 1):
            nxt = next((w for w in visit_weeks(p, n, weeks) if w >= from_week), None)
            if cid in past.index:
                last = int(past[cid])
                lo, hi = max(last + n - k, from_week), max(last + n + k, from_week)
                if (nxt is None and last + n - k > weeks) or (nxt is not None and lo <= nxt <= hi):
                    ok.add(p)
            elif nxt is not None:
                ok.add(p)
        windows[cid] = ok
    return windows


def replan_from(
    calendar: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    week: int,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rebuild the calendar from ``week`` on, keeping the weeks before it as they were.

    Every-N clients keep their cadence across the seam: the next visit after the last one
    before ``week`` falls within ``every_weeks ± slack_weeks`` of it (or as soon as possible
    when already overdue); clients not yet visited get a visit in the remaining weeks.

    Parameters
    ----------
    calendar
        The current calendar.
    clients
        All clients now (new ones included, removed ones left out).
    settings, reps, locks
        As for :func:`build_calendar`.
    week
        First week to rebuild.

    Returns
    -------
    pandas.DataFrame
        Rows before ``week`` from ``calendar`` (of clients still present), rows from ``week``
        on newly planned.

    """
    ids = set(clients["client_id"].astype(str))
    windows = _replan_windows(calendar, clients, settings, week)
    fresh = construct_calendar(clients, settings, reps=reps, locks=locks, windows=windows)
    keep = calendar[(calendar["week"] < week) & calendar["client_id"].isin(ids)]
    out = pd.concat([keep, fresh[fresh["week"] >= week]], ignore_index=True)
    return out.sort_values(["week", "rep_id", "client_id", "visit_no"], kind="stable").reset_index(
        drop=True
    )


def _lock_broken(calendar: pd.DataFrame, locks: pd.DataFrame | None) -> set[str]:
    """Clients whose rows do not honour their lock."""
    lock_week, lock_day = lock_maps(locks)
    broken: set[str] = set()
    by_client = dict(tuple(calendar.groupby("client_id")))
    for cid, week in lock_week.items():
        rows = by_client.get(cid)
        if rows is not None and (rows["phase"] > 0).any() and week not in set(rows["week"]):
            broken.add(cid)
    for cid, day in lock_day.items():
        rows = by_client.get(cid)
        if rows is None:
            continue
        name = WEEKDAYS[day]
        could = rows["days"].str.split().apply(lambda d, n=name: n in d)
        if (could & (rows["days"] != name)).any():
            broken.add(cid)
    return broken


def sync_calendar(
    stored: pd.DataFrame | None,
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
    rebuild: bool = False,
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Bring a stored calendar up to date with the clients, moving as few as possible.

    New clients are added (:func:`add_clients`); removed clients are dropped; clients whose
    rep, tier or lock changed are taken out and added again. Nothing else moves.

    Parameters
    ----------
    stored
        The stored calendar, or None on first use.
    clients
        Today's tiered clients.
    settings, reps, locks
        As for :func:`build_calendar`.
    rebuild
        Build from scratch (also when ``stored`` is None).

    Returns
    -------
    tuple
        The calendar, and the changes: ``{"built": [...], "added": [...], "removed": [...],
        "changed": [...]}`` (client ids; ``built`` is ``["all"]`` after a full build).

    """
    changes: dict[str, list[str]] = {"built": [], "added": [], "removed": [], "changed": []}
    if stored is None or rebuild or len(stored) == 0:
        changes["built"] = ["all"]
        return build_calendar(clients, settings, reps=reps, locks=locks), changes
    now = clients.assign(client_id=clients["client_id"].astype(str)).set_index("client_id")
    before = stored.drop_duplicates("client_id").set_index("client_id")
    removed = sorted(set(before.index) - set(now.index))
    added = sorted(set(now.index) - set(before.index))
    common = before.index.intersection(now.index)
    moved = (before.loc[common, "rep_id"].astype(str) != now.loc[common, "rep_id"].astype(str)) | (
        before.loc[common, "tier"].astype(str) != now.loc[common, "tier"].astype(str)
    )
    changed = sorted(set(common[moved.to_numpy()]) | (_lock_broken(stored, locks) & set(common)))
    kept = stored[~stored["client_id"].isin(set(removed) | set(changed))]
    fresh = now.loc[added + changed].reset_index()
    out = add_clients(kept, fresh, settings, reps=reps, locks=locks) if len(fresh) else kept
    changes.update(added=added, removed=removed, changed=changed)
    return out.reset_index(drop=True), changes


# --------------------------------------------------------------------------- reports


def spaced_room(mask: int, gap: int) -> int:
    """Most visits the weekdays of ``mask`` can take at least ``gap`` weekdays apart.

    Examples
    --------
    >>> spaced_room(0b11111, 2)  # Mon Wed Fri
    3
    """
    count, last = 0, -99
    for day in range(7):
        if mask >> day & 1 and day - last >= gap:
            count, last = count + 1, day
    return count


def _catch_up_row(base: pd.Series, cid: str, week: int, days: str, item: pd.Series) -> dict:
    return {
        **{c: base[c] for c in CALENDAR_COLUMNS if c in base.index},
        "client_id": cid,
        "week": week,
        "visit_no": 1,
        "days": days,
        "reason_code": encode(
            [Reason(f"catch_up_{item['source']}", {"week": int(item["week_due"])})]
        ),
        "catch_up": True,
        "priority": int(item["weeks_overdue"]),
    }


def catch_up_outlook(
    calendar: pd.DataFrame,
    week: int,
    settings: Settings,
    *,
    backlog: pd.DataFrame,
) -> pd.DataFrame:
    """What becomes of each backlog client in ``week``: a catch-up visit, or why not.

    A client of an every-N tier regularly due this week or the next is made up by that
    visit. A client of a weekly tier (``phase == 0``) gets one extra visit when the week's
    days leave room for its regular visits plus one at the tier's spacing (with
    ``[calendar] make_up_weekly``), else it waits for the next week with room.

    Parameters
    ----------
    calendar, week, settings
        As for :func:`visits_for_week`.
    backlog
        From :meth:`routeplan.planning.store.PlanStore.backlog`.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``comes_back`` (bool), ``why`` (a stable code: ``catch_up``,
        ``regular_visit``, ``no_room``, ``no_day``, ``unknown_client``), ``days`` (of the
        catch-up, else empty), one row per backlog client, most overdue first.

    """
    rows: list[dict[str, object]] = []
    soon = set(calendar.loc[calendar["week"].isin([week, week + 1]), "client_id"])
    first = calendar.drop_duplicates("client_id").set_index("client_id")
    this_week = calendar[calendar["week"] == week].groupby("client_id").size()
    wmask = int(week_masks(settings)[week - 1]) if 1 <= week <= settings.cycle.weeks else ALL_DAYS
    ordered = backlog.sort_values(["weeks_overdue", "client_id"], ascending=[False, True])
    for cid in dict.fromkeys(ordered["client_id"].astype(str)):
        why, days = _outlook(cid, first, soon, this_week, wmask, settings)
        rows.append({"client_id": cid, "comes_back": why == "catch_up", "why": why, "days": days})
    return pd.DataFrame(rows, columns=["client_id", "comes_back", "why", "days"])


def _outlook(
    cid: str,
    first: pd.DataFrame,
    soon: set[str],
    this_week: pd.Series,
    wmask: int,
    settings: Settings,
) -> tuple[str, str]:
    """``(why, days)`` of one backlog client (see :func:`catch_up_outlook`)."""
    if cid not in first.index:
        return "unknown_client", ""
    base = first.loc[cid]
    mask = days_to_mask(base["allowed_days"]) & wmask
    weekly = int(base["phase"]) == 0
    if weekly and settings.calendar.make_up_weekly:
        cadence = settings.cadence.get(str(base["tier"]))
        gap = cadence.min_gap_days if cadence is not None else 1
        if spaced_room(mask, gap) < int(this_week.get(cid, 0)) + 1:
            return ("no_room" if mask else "no_day"), ""
        return "catch_up", mask_to_days(mask)
    if cid in soon:
        return "regular_visit", ""
    if not mask:
        return "no_day", ""
    return "catch_up", mask_to_days(mask)


def visits_for_week(
    calendar: pd.DataFrame,
    week: int,
    settings: Settings,
    *,
    backlog: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What to route in ``week``: the due rows plus catch-ups of missed or dropped visits.

    A backlog visit becomes a catch-up row (``catch_up`` True, ``priority`` = weeks overdue
    since the first miss, days = the client's allowed days this week) when
    :func:`catch_up_outlook` says it comes back: an every-N client regularly due this week or
    the next is made up by that visit; a weekly client gets an extra visit when the week
    leaves room at its tier's spacing, and its regular visits of the week may then move to
    any allowed day so routing can space all of them.

    Parameters
    ----------
    calendar
        The calendar.
    week
        1-based cycle week.
    settings
        For the holidays of that week and the cadence.
    backlog
        From :meth:`routeplan.planning.store.PlanStore.backlog`: ``client_id``, ``week_due``,
        ``weeks_overdue``, ``source``.

    Returns
    -------
    pandas.DataFrame
        Calendar columns plus ``catch_up`` (bool) and ``priority`` (int, 0 for regular rows).

    """
    due = due_in_week(calendar, week).assign(catch_up=False, priority=0)
    if backlog is None or len(backlog) == 0:
        return due
    outlook = catch_up_outlook(calendar, week, settings, backlog=backlog)
    back = outlook[outlook["comes_back"]].set_index("client_id")
    if back.empty:
        return due
    first = calendar.drop_duplicates("client_id").set_index("client_id")
    items = backlog.drop_duplicates("client_id").set_index("client_id")
    rows = []
    for cid, days in back["days"].items():
        base = first.loc[cid]
        row = _catch_up_row(base, str(cid), week, str(days), items.loc[cid])
        if int(base["phase"]) == 0:
            mine = due["client_id"] == cid
            row["visit_no"] = int(mine.sum()) + 1
            due.loc[mine, "days"] = str(days)
        rows.append(row)
    return pd.concat([due, pd.DataFrame(rows)[due.columns]], ignore_index=True)
