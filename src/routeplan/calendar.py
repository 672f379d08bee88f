"""The cycle calendar: in which weeks, and on which weekdays, each client is due.

This is the tactical half of the periodic vehicle routing problem. Weekly tiers appear in
every week (several visits a week get a fixed weekday pattern such as Mon+Wed with at least
``min_gap_days`` between them); tiers seen every N weeks get a phase chosen for geography
(each week's clients close together) and then for balance (each rep's weekly workload within
``settings.calendar.balance_tolerance`` of its target). Pure: DataFrames in, DataFrame out.

The calendar has one row per planned visit, columns :data:`CALENDAR_COLUMNS`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from routeplan.calendar_phases import (
    RepPhaseProblem,
    balance_phases,
    geographic_phases,
    sweep_sectors,
    visit_weeks,
)
from routeplan.config import WEEKDAYS, Settings
from routeplan.errors import InputError, Problem

CALENDAR_COLUMNS: tuple[str, ...] = (
    "client_id",  # str
    "rep_id",  # str
    "tier",  # str
    "week",  # int, 1..W
    "visit_no",  # int, 1-based within the week
    "days",  # str, allowed weekdays "Mon Tue ..." (one day for multi-visit patterns)
    "allowed_days",  # str, the client's weekdays ignoring holidays (rep workdays ∩ open days)
    "phase",  # int, 1..N for every-N tiers, 0 for weekly tiers
    "lat",  # float
    "lon",  # float
    "service_min",  # float
    "travel_min",  # float, estimated travel per visit (for balance only)
    "reason",  # str, why the client is due this week
)

KM_PER_DEGREE = 111.32
_ALL_DAYS = 0b1111111


def days_to_mask(text: object) -> int:
    """Bitmask (bit 0 = Mon) of a weekday list such as ``"Mon Wed Fri"``; all days if empty.

    Parameters
    ----------
    text
        Space- or comma-separated weekday names; None/NaN/empty means every day.

    Returns
    -------
    int
        The bitmask.

    Raises
    ------
    ValueError
        On an unknown weekday name.

    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return _ALL_DAYS
    mask = 0
    for name in str(text).replace(",", " ").split():
        key = name.strip()[:3].title()
        if key not in WEEKDAYS:
            msg = f"unknown weekday '{name}'; use {' '.join(WEEKDAYS)}"
            raise ValueError(msg)
        mask |= 1 << WEEKDAYS.index(key)
    return mask


@functools.lru_cache(maxsize=256)
def mask_to_days(mask: int) -> str:
    """Weekday list of a bitmask, e.g. ``"Mon Wed"``."""
    return " ".join(day for i, day in enumerate(WEEKDAYS) if mask >> i & 1)


def week_masks(settings: Settings) -> np.ndarray:
    """(W,) bitmask of the weekdays of each cycle week that are not holidays."""
    holidays = set(settings.cycle.holidays)
    masks = np.full(settings.cycle.weeks, _ALL_DAYS, dtype=int)
    for w in range(1, settings.cycle.weeks + 1):
        start = settings.cycle.week_start(w)
        for d in range(7):
            if start + pd.Timedelta(days=d).to_pytimedelta() in holidays:
                masks[w - 1] &= ~(1 << d)
    return masks


def settings_fingerprint(settings: Settings) -> str:
    """Hash of the settings the calendar depends on; a change means rebuild the calendar.

    Parameters
    ----------
    settings
        The settings.

    Returns
    -------
    str
        A short hex digest.

    """
    data = {
        "cycle": settings.cycle.model_dump(mode="json"),
        "cadence": {k: v.model_dump(mode="json") for k, v in sorted(settings.cadence.items())},
        "workdays": settings.workday.workdays,
        "calendar": settings.calendar.model_dump(mode="json"),
        "travel": [settings.travel.speed_kmh, settings.travel.circuity],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- preparation


def _problem(message: str, *, row: int | None = None, column: str | None = None) -> Problem:
    return Problem("clients", message, row=row, column=column)


def _prepare(clients: pd.DataFrame, settings: Settings, reps: pd.DataFrame | None) -> pd.DataFrame:
    """Validated client table with cadence, weekday masks, planar coordinates."""
    problems = [
        _problem(f"missing column '{c}'", column=c)
        for c in ("client_id", "rep_id", "tier", "lat", "lon")
        if c not in clients.columns
    ]
    if problems:
        raise InputError(problems, hint="the calendar needs tiered clients with a rep each")
    df = pd.DataFrame(
        {
            "client_id": clients["client_id"].astype(str).to_numpy(),
            "rep_id": clients["rep_id"].astype(str).to_numpy(),
            "tier": clients["tier"].astype(str).to_numpy(),
            "lat": clients["lat"].astype(float).to_numpy(),
            "lon": clients["lon"].astype(float).to_numpy(),
        }
    )
    for i, (tier, cid) in enumerate(zip(df["tier"], df["client_id"], strict=True)):
        if tier not in settings.cadence:
            problems.append(
                _problem(f"client {cid}: tier '{tier}' has no cadence", row=i + 2, column="tier")
            )
    dup = df["client_id"].duplicated(keep="first")
    problems += [
        _problem(f"duplicate client_id {cid}", row=int(i) + 2, column="client_id")
        for i, cid in zip(np.flatnonzero(dup), df["client_id"][dup], strict=True)
    ]
    open_mask = np.full(len(df), _ALL_DAYS, dtype=int)
    if "open_days" in clients.columns:
        for i, text in enumerate(clients["open_days"].tolist()):
            try:
                open_mask[i] = days_to_mask(text)
            except ValueError as exc:
                problems.append(_problem(str(exc), row=i + 2, column="open_days"))
    if problems:
        raise InputError(problems, hint="add a [cadence.<tier>] section or fix the rows")
    cad = [settings.cadence[t] for t in df["tier"]]
    default_service = np.array([c.service_min for c in cad], dtype=float)
    if "service_min" in clients.columns:
        given = pd.to_numeric(clients["service_min"], errors="coerce").to_numpy(dtype=float)
        df["service_min"] = np.where(np.isnan(given), default_service, given)
    else:
        df["service_min"] = default_service
    df["per_week"] = [c.visits_per_week for c in cad]
    df["every"] = [c.every_weeks if not c.visits_per_week else 1 for c in cad]
    df["slack"] = [c.slack_weeks for c in cad]
    df["gap"] = [c.min_gap_days for c in cad]
    rep_mask, home = _rep_info(df, settings, reps)
    df["mask"] = np.array([rep_mask[r] for r in df["rep_id"]], dtype=int) & open_mask
    lat0 = float(np.deg2rad(df["lat"].mean())) if len(df) else 0.0
    df["x"] = df["lon"] * KM_PER_DEGREE * np.cos(lat0)
    df["y"] = df["lat"] * KM_PER_DEGREE
    df["home_x"] = [
        home.get(r, (np.nan, np.nan))[1] * KM_PER_DEGREE * np.cos(lat0) for r in df["rep_id"]
    ]
    df["home_y"] = [home.get(r, (np.nan, np.nan))[0] * KM_PER_DEGREE for r in df["rep_id"]]
    return df


def _workday_mask(value: object, default: int) -> int:
    """Workdays of a rep: its own list, or the default when empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or not str(value).strip():
        return default
    return days_to_mask(value)


def _rep_info(
    df: pd.DataFrame, settings: Settings, reps: pd.DataFrame | None
) -> tuple[dict[str, int], dict[str, tuple[float, float]]]:
    default = days_to_mask(" ".join(settings.workday.workdays))
    masks = {r: default for r in df["rep_id"].unique()}
    homes: dict[str, tuple[float, float]] = {}
    if reps is not None and len(reps):
        for row in reps.to_dict("records"):
            rep = str(row["rep_id"])
            if "workdays" in row:
                masks[rep] = _workday_mask(row["workdays"], default)
            if {"home_lat", "home_lon"} <= row.keys() and pd.notna(row["home_lat"]):
                homes[rep] = (float(row["home_lat"]), float(row["home_lon"]))
    return masks, homes


def estimate_travel_min(
    x_km: np.ndarray,
    y_km: np.ndarray,
    group: np.ndarray,
    weekly_visits: np.ndarray,
    *,
    settings: Settings,
) -> np.ndarray:
    """Estimated driving minutes per visit, from local density within each rep's clients.

    Mean distance to the ``settings.calendar.knn`` nearest clients of the same rep, scaled by
    ``sqrt(clients / visits per week)`` (a week's visits are sparser than all clients), times
    circuity over speed. Vectorised per rep with a KD-tree.

    Parameters
    ----------
    x_km, y_km
        Planar coordinates in km.
    group
        Rep of each client.
    weekly_visits
        Average visits per week of each client (2 for AAA, 1/12 for B every 12 weeks).
    settings
        For ``calendar.knn`` and ``travel.speed_kmh``/``travel.circuity``.

    Returns
    -------
    numpy.ndarray
        Minutes per visit.

    """
    out = np.zeros(len(x_km))
    speed_km_min = settings.travel.speed_kmh / 60.0
    codes, _ = pd.factorize(pd.Series(group))
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for idx in np.split(order, bounds):
        n = len(idx)
        if n < 2:
            continue
        k = min(settings.calendar.knn, n - 1)
        xy = np.column_stack([x_km[idx], y_km[idx]])
        dist, _ = cKDTree(xy).query(xy, k=k + 1)
        near = dist[:, 1:].mean(axis=1)
        spread = np.sqrt(n / max(float(weekly_visits[idx].sum()), 1.0))
        out[idx] = near * np.clip(spread, 1.0, 10.0) * settings.travel.circuity / speed_km_min
    return out


def _locks(locks: pd.DataFrame | None) -> tuple[dict[str, int], dict[str, int]]:
    """Client → locked week, client → locked weekday index."""
    lock_week: dict[str, int] = {}
    lock_day: dict[str, int] = {}
    if locks is None or len(locks) == 0:
        return lock_week, lock_day
    for row in locks.to_dict("records"):
        cid = str(row["client_id"])
        week = row.get("week")
        day = row.get("day")
        if week is not None and pd.notna(week):
            lock_week[cid] = int(week)
        if day is not None and pd.notna(day) and str(day).strip():
            lock_day[cid] = WEEKDAYS.index(str(day).strip()[:3].title())
    return lock_week, lock_day


# --------------------------------------------------------------------------- weekly tiers


@functools.lru_cache(maxsize=4096)
def day_patterns(mask: int, visits: int, gap: int) -> tuple[tuple[int, ...], ...]:
    """Weekday index tuples of ``visits`` days within ``mask`` at least ``gap`` days apart.

    Parameters
    ----------
    mask
        Allowed weekdays as a bitmask (bit 0 = Mon).
    visits
        Visits per week.
    gap
        Minimum difference between consecutive weekday indices.

    Returns
    -------
    tuple of tuple of int
        Patterns in lexicographic order (Mon+Wed before Mon+Thu ...).

    """
    days = [d for d in range(7) if mask >> d & 1]
    return tuple(
        c
        for c in itertools.combinations(days, visits)
        if all(b - a >= gap for a, b in itertools.pairwise(c))
    )


def _best_week_pattern(
    standard: tuple[int, ...], mask: int, visits: int, gap: int
) -> tuple[tuple[int, ...], str]:
    """The pattern used in a week with holidays: closest to ``standard``, relaxing if needed."""
    for k in range(visits, 0, -1):
        for g in range(gap, 0, -1):
            options = day_patterns(mask, k, g)
            if options:
                best = min(
                    options,
                    key=lambda p: (
                        -len(set(p) & set(standard)),
                        sum(min((abs(d - s) for s in standard), default=0) for d in p),
                        p,
                    ),
                )
                note = ""
                if not standard:
                    note = f"; open days allow {k} of {visits} visits"
                elif k < visits:
                    note = f"; holiday week: {k} of {visits} visits"
                elif g < gap:
                    note = f"; holiday week: days {g} apart"
                elif best != standard:
                    note = "; holiday week: days moved"
                return best, note
    return (), f"; no workday this week: 0 of {visits} visits"


def _weekly_patterns(prep: pd.DataFrame, lock_day: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Standard weekday pattern of each multi-visit client, balancing each rep's days."""
    patterns: dict[str, tuple[int, ...]] = {}
    multi = prep[prep["per_week"] >= 2]
    for _, grp in multi.groupby("rep_id", sort=True):
        day_load = np.zeros(7)
        order = grp.sort_values(["load", "client_id"], ascending=[False, True], kind="stable")
        for row in order.itertuples(index=False):
            options: list[tuple[int, ...]] = []
            for g in range(int(row.gap), 0, -1):
                options = list(day_patterns(int(row.mask), int(row.per_week), g))
                if row.client_id in lock_day:
                    options = [p for p in options if lock_day[row.client_id] in p]
                if options:
                    break
            if not options:
                patterns[row.client_id] = ()
                continue
            best = min(
                options,
                key=lambda p: (max(day_load[list(p)] + row.load), (day_load[list(p)] ** 2).sum()),
            )
            day_load[list(best)] += row.load
            patterns[row.client_id] = best
    return patterns


def _weekly_rows(
    prep: pd.DataFrame,
    wmask: np.ndarray,
    lock_day: dict[str, int],
    patterns: dict[str, tuple[int, ...]],
) -> list[tuple]:
    rows: list[tuple] = []
    for row in prep[prep["per_week"] >= 1].itertuples(index=False):
        k = int(row.per_week)
        base = f"{k} visit{'s' if k > 1 else ''}/week"
        standard = patterns.get(row.client_id, ())
        for w in range(1, len(wmask) + 1):
            mask = int(row.mask) & int(wmask[w - 1])
            if k == 1:
                lock = lock_day.get(row.client_id)
                if lock is not None and mask >> lock & 1:
                    days, note = [mask_to_days(1 << lock)], f"; locked to {WEEKDAYS[lock]}"
                elif mask:
                    days, note = [mask_to_days(mask)], ""
                else:
                    days, note = [], "; no workday this week"
            else:
                if standard and all(mask >> d & 1 for d in standard):
                    chosen, note = standard, ""
                else:
                    chosen, note = _best_week_pattern(standard, mask, k, int(row.gap))
                days = [WEEKDAYS[d] for d in chosen]
                base = f"{k} visits/week, {'+'.join(WEEKDAYS[d] for d in standard)}"
            if not days:
                continue
            for v, day in enumerate(days, start=1):
                rows.append(_row(row, w, v, day, 0, base + note))
    return rows


def _row(row: object, week: int, visit_no: int, days: str, phase: int, reason: str) -> tuple:
    """A calendar row as (prep position, week, visit_no, days, phase, reason)."""
    return (row.pos, week, visit_no, days, phase, reason)  # type: ignore[attr-defined]


def _rows_frame(prep: pd.DataFrame, rows: list[tuple]) -> pd.DataFrame:
    """Calendar DataFrame from row tuples, client columns taken from ``prep`` by position."""
    pos, week, visit_no, days, phase, reason = (list(c) for c in zip(*rows, strict=True))
    base = prep.iloc[pos]
    return pd.DataFrame(
        {
            "client_id": base["client_id"].to_numpy(),
            "rep_id": base["rep_id"].to_numpy(),
            "tier": base["tier"].to_numpy(),
            "week": np.asarray(week, dtype=int),
            "visit_no": np.asarray(visit_no, dtype=int),
            "days": days,
            "allowed_days": [mask_to_days(int(m)) for m in base["mask"]],
            "phase": np.asarray(phase, dtype=int),
            "lat": base["lat"].to_numpy(dtype=float),
            "lon": base["lon"].to_numpy(dtype=float),
            "service_min": base["service_min"].to_numpy(dtype=float),
            "travel_min": base["travel"].to_numpy(dtype=float).round(2),
            "reason": reason,
        }
    )


# --------------------------------------------------------------------------- every-N tiers


def _rep_phase_problem(
    grp: pd.DataFrame,
    wmask: np.ndarray,
    rep_mask: int,
    fixed_load: np.ndarray,
    lock_week: dict[str, int],
    lock_day: dict[str, int],
    windows: dict[str, set[int]],
    pinned: dict[str, int],
) -> RepPhaseProblem:
    weeks = len(wmask)
    n = len(grp)
    every = grp["every"].to_numpy(dtype=int)
    width = int(every.max()) if n else 1
    masks = grp["mask"].to_numpy(dtype=int)
    cids = grp["client_id"].tolist()
    day_need = np.array(
        [1 << lock_day[c] if c in lock_day else m for c, m in zip(cids, masks, strict=True)]
    )
    feasible = (day_need[:, None] & wmask[None, :]) != 0
    allowed = np.zeros((n, width), dtype=bool)
    for i, cid in enumerate(cids):
        allowed[i, : every[i]] = True
        if cid in pinned:
            allowed[i] = False
            allowed[i, pinned[cid] - 1] = True
        elif cid in lock_week:
            allowed[i] = False
            allowed[i, (lock_week[cid] - 1) % every[i]] = True
        elif windows.get(cid):
            allowed[i] = False
            allowed[i, [p - 1 for p in windows[cid]]] = True
    capacity = np.array([bin(rep_mask & int(m)).count("1") for m in wmask])
    return RepPhaseProblem(
        xy_km=grp[["x", "y"]].to_numpy(dtype=float),
        load_min=grp["load"].to_numpy(dtype=float),
        every_weeks=every,
        slack_weeks=grp["slack"].to_numpy(dtype=int),
        feasible=feasible if weeks else np.zeros((n, 0), dtype=bool),
        allowed=allowed,
        fixed_load=fixed_load,
        capacity=capacity,
    )


def _initial_from_pinned(problem: RepPhaseProblem, phases: np.ndarray) -> np.ndarray:
    """Free clients take the phase of their nearest pinned client of the same cadence."""
    pinned = problem.allowed.sum(axis=1) == 1
    out = phases.copy()
    for every in np.unique(problem.every_weeks):
        anchor = np.flatnonzero(pinned & (problem.every_weeks == every))
        free = np.flatnonzero(~pinned & (problem.every_weeks == every))
        if len(anchor) >= max(len(free), 1) and len(free):
            _, nearest = cKDTree(problem.xy_km[anchor]).query(problem.xy_km[free])
            out[free] = np.argmax(problem.allowed[anchor[nearest]], axis=1) + 1
    return out


def _every_rows(
    prep: pd.DataFrame,
    settings: Settings,
    wmask: np.ndarray,
    rep_masks: dict[str, int],
    fixed: dict[str, np.ndarray],
    *,
    lock_week: dict[str, int],
    lock_day: dict[str, int],
    windows: dict[str, set[int]],
    pinned: dict[str, int],
    naive: bool,
) -> list[tuple]:
    rows: list[tuple] = []
    weeks = len(wmask)
    sparse = prep[prep["per_week"] == 0]
    for rep, grp in sparse.groupby("rep_id", sort=True):
        problem = _rep_phase_problem(
            grp,
            wmask,
            rep_masks[str(rep)],
            fixed.get(str(rep), np.zeros(weeks)),
            lock_week,
            lock_day,
            windows,
            pinned,
        )
        if naive:
            rank = grp.groupby("tier", sort=False).cumcount().to_numpy()
            geo = rank % problem.every_weeks + 1
            pin = problem.allowed.sum(axis=1) == 1
            geo[pin] = np.argmax(problem.allowed[pin], axis=1) + 1
            phases = geo
        else:
            home = grp[["home_x", "home_y"]].to_numpy(dtype=float)[0]
            if np.isnan(home).any():
                home = problem.xy_km.mean(axis=0)
            parts = settings.calendar.sectors or bin(rep_masks[str(rep)]).count("1")
            sector = sweep_sectors(
                problem.xy_km, problem.load_min / problem.every_weeks, home, parts
            )
            geo = geographic_phases(problem, home=home, sector=sector)
            geo = _initial_from_pinned(problem, geo)
            phases = balance_phases(
                problem,
                geo,
                tolerance=settings.calendar.balance_tolerance,
                geo_weight=settings.calendar.geo_weight,
                max_moves=settings.calendar.max_balance_moves,
                sector=sector,
            )
        for i, row in enumerate(grp.itertuples(index=False)):
            n_every, p = int(row.every), int(phases[i])
            reason = f"every {n_every} weeks, phase {p}"
            if naive:
                reason += " (round-robin)"
            shift = (p - int(geo[i]) + n_every // 2) % n_every - n_every // 2
            if shift:
                reason += f"; moved {shift:+d} wk for balance"
            if row.client_id in lock_week:
                reason += f"; locked to week {lock_week[row.client_id]}"
            lock = lock_day.get(row.client_id)
            for w in visit_weeks(p, n_every, weeks):
                mask = int(row.mask) & int(wmask[w - 1])
                if lock is not None and mask >> lock & 1:
                    days, note = mask_to_days(1 << lock), f"; locked to {WEEKDAYS[lock]}"
                else:
                    days, note = mask_to_days(mask), "" if mask else "; no open workday"
                rows.append(_row(row, w, 1, days, p, reason + note))
    return rows


# --------------------------------------------------------------------------- assembly


def _build(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None,
    locks: pd.DataFrame | None,
    windows: dict[str, set[int]] | None = None,
    pinned_phases: dict[str, int] | None = None,
    pinned_patterns: dict[str, tuple[int, ...]] | None = None,
    naive: bool = False,
) -> pd.DataFrame:
    prep = _prepare(clients, settings, reps)
    prep["pos"] = np.arange(len(prep))
    if len(prep) == 0:
        return pd.DataFrame({c: [] for c in CALENDAR_COLUMNS})
    wmask = week_masks(settings)
    rep_masks, _ = _rep_info(prep, settings, reps)
    lock_week, lock_day = _locks(locks)
    visits_pw = np.where(prep["per_week"] > 0, prep["per_week"], 1.0 / prep["every"])
    prep["travel"] = estimate_travel_min(
        prep["x"].to_numpy(),
        prep["y"].to_numpy(),
        prep["rep_id"].to_numpy(),
        visits_pw.to_numpy(dtype=float) if hasattr(visits_pw, "to_numpy") else visits_pw,
        settings=settings,
    )
    prep["load"] = prep["service_min"] + prep["travel"]
    patterns = _weekly_patterns(prep, lock_day)
    if pinned_patterns:
        patterns.update({k: v for k, v in pinned_patterns.items() if k in patterns})
    weekly = _weekly_rows(prep, wmask, lock_day, patterns)
    fixed: dict[str, np.ndarray] = {}
    if weekly:
        pos = np.array([r[0] for r in weekly], dtype=int)
        wk = np.array([r[1] for r in weekly], dtype=int)
        load = prep["service_min"].to_numpy(float)[pos] + prep["travel"].to_numpy(float)[pos].round(
            2
        )
        table = pd.DataFrame({"rep": prep["rep_id"].to_numpy()[pos], "week": wk, "load": load})
        sums = table.groupby(["rep", "week"])["load"].sum()
        for (rep, week), value in sums.items():
            fixed.setdefault(str(rep), np.zeros(len(wmask)))[int(week) - 1] = value
    sparse = _every_rows(
        prep,
        settings,
        wmask,
        rep_masks,
        fixed,
        lock_week=lock_week,
        lock_day=lock_day,
        windows=windows or {},
        pinned=pinned_phases or {},
        naive=naive,
    )
    if not weekly + sparse:
        return pd.DataFrame({c: [] for c in CALENDAR_COLUMNS})
    out = _rows_frame(prep, weekly + sparse)
    return out.sort_values(["week", "rep_id", "client_id", "visit_no"], kind="stable").reset_index(
        drop=True
    )


def build_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Plan every client's visits over the cycle: geographic week groups, balanced workload.

    Parameters
    ----------
    clients
        Tiered clients: ``client_id``, ``rep_id``, ``tier``, ``lat``, ``lon``, optional
        ``service_min`` (tier default when missing) and ``open_days`` ("Mon Tue ...").
    settings
        Cadence per tier, cycle (weeks, start, holidays), workdays, ``[calendar]`` tolerance.
    reps
        Optional ``rep_id``, ``workdays``, ``home_lat``, ``home_lon``.
    locks
        Optional ``client_id``, ``week`` (pin an every-N client to that week's phase),
        ``day`` (pin to a weekday).
    seed
        Accepted for a uniform interface; the construction draws no random numbers, so equal
        inputs always give the same calendar.

    Returns
    -------
    pandas.DataFrame
        One row per planned visit, columns :data:`CALENDAR_COLUMNS`, sorted by week, rep,
        client, visit number.

    Raises
    ------
    InputError
        Missing columns, duplicate ids, a tier without cadence or a bad ``open_days``.

    """
    del seed
    return _build(clients, settings, reps=reps, locks=locks)


def naive_calendar(
    clients: pd.DataFrame,
    settings: Settings,
    *,
    reps: pd.DataFrame | None = None,
    locks: pd.DataFrame | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The baseline: every-N clients get phases round-robin in input order (per rep and tier).

    Same output as :func:`build_calendar`; weekday patterns of weekly tiers are the same, so a
    comparison isolates the choice of weeks.
    """
    del seed
    return _build(clients, settings, reps=reps, locks=locks, naive=True)


def due_in_week(calendar: pd.DataFrame, week: int) -> pd.DataFrame:
    """The calendar rows due in ``week``.

    Parameters
    ----------
    calendar
        A calendar from :func:`build_calendar`.
    week
        1-based cycle week.

    Returns
    -------
    pandas.DataFrame
        The rows of that week, index reset.

    """
    return calendar[calendar["week"] == week].reset_index(drop=True)


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
        days = grp[~grp["reason"].str.contains("holiday|no workday", regex=True)]
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
    full = _build(
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
    fresh = _build(clients, settings, reps=reps, locks=locks, windows=windows)
    keep = calendar[(calendar["week"] < week) & calendar["client_id"].isin(ids)]
    out = pd.concat([keep, fresh[fresh["week"] >= week]], ignore_index=True)
    return out.sort_values(["week", "rep_id", "client_id", "visit_no"], kind="stable").reset_index(
        drop=True
    )


def _lock_broken(calendar: pd.DataFrame, locks: pd.DataFrame | None) -> set[str]:
    """Clients whose rows do not honour their lock."""
    lock_week, lock_day = _locks(locks)
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


def visits_for_week(
    calendar: pd.DataFrame,
    week: int,
    settings: Settings,
    *,
    backlog: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What to route in ``week``: the due rows plus catch-ups of missed or dropped visits.

    A backlog visit becomes a catch-up row (``catch_up`` True, ``priority`` = weeks overdue,
    days = the client's allowed days this week) unless the client is regularly due this week
    or the next, which already makes up for it.

    Parameters
    ----------
    calendar
        The calendar.
    week
        1-based cycle week.
    settings
        For the holidays of that week.
    backlog
        From :meth:`routeplan.store.PlanStore.backlog`: ``client_id``, ``week_due``,
        ``weeks_overdue``, ``source``.

    Returns
    -------
    pandas.DataFrame
        Calendar columns plus ``catch_up`` (bool) and ``priority`` (int, 0 for regular rows).

    """
    due = due_in_week(calendar, week).assign(catch_up=False, priority=0)
    if backlog is None or len(backlog) == 0:
        return due
    soon = set(calendar.loc[calendar["week"].isin([week, week + 1]), "client_id"])
    first = calendar.drop_duplicates("client_id").set_index("client_id")
    wmask = int(week_masks(settings)[week - 1]) if 1 <= week <= settings.cycle.weeks else _ALL_DAYS
    rows: list[dict[str, object]] = []
    for item in backlog.sort_values(
        ["weeks_overdue", "client_id"], ascending=[False, True]
    ).itertuples(index=False):
        cid = str(item.client_id)
        if cid in soon or cid not in first.index or cid in {r["client_id"] for r in rows}:
            continue
        base = first.loc[cid]
        days = mask_to_days(days_to_mask(base["allowed_days"]) & wmask)
        if not days:
            continue
        rows.append(
            {
                **{c: base[c] for c in CALENDAR_COLUMNS if c in base.index},
                "client_id": cid,
                "week": week,
                "visit_no": 1,
                "days": days,
                "reason": f"catch-up: {item.source} in week {int(item.week_due)}",
                "catch_up": True,
                "priority": int(item.weeks_overdue),
            }
        )
    if not rows:
        return due
    return pd.concat([due, pd.DataFrame(rows)[due.columns]], ignore_index=True)


def weekly_workload(calendar: pd.DataFrame, *, weeks: int | None = None) -> pd.DataFrame:
    """Workload per rep and week: visits, service, estimated travel and their sum.

    Parameters
    ----------
    calendar
        The calendar.
    weeks
        Cycle length, to include empty weeks; default the last week in the calendar.

    Returns
    -------
    pandas.DataFrame
        Columns ``rep_id``, ``week``, ``visits``, ``service_min``, ``travel_min``, ``load_min``.

    """
    weeks = weeks or int(calendar["week"].max() if len(calendar) else 0)
    grid = pd.MultiIndex.from_product(
        [sorted(calendar["rep_id"].unique()), range(1, weeks + 1)], names=["rep_id", "week"]
    )
    agg = calendar.groupby(["rep_id", "week"]).agg(
        visits=("client_id", "size"),
        service_min=("service_min", "sum"),
        travel_min=("travel_min", "sum"),
    )
    agg = agg.reindex(grid, fill_value=0)
    agg["load_min"] = agg["service_min"] + agg["travel_min"]
    return agg.reset_index()


def workload_spread(
    calendar: pd.DataFrame, settings: Settings, *, reps: pd.DataFrame | None = None
) -> pd.DataFrame:
    """How far each rep's weekly workload strays from its cycle mean, in percent.

    Weeks in which the rep has no workday at all are left out of the mean and the spread.

    Parameters
    ----------
    calendar
        The calendar.
    settings
        Cycle length, holidays and default workdays.
    reps
        Optional per-rep ``workdays``.

    Returns
    -------
    pandas.DataFrame
        Per rep: ``mean_load_min``, ``min_load_min``, ``max_load_min``, ``max_dev_pct``
        (largest absolute deviation of a week from the mean, %).

    """
    table = weekly_workload(calendar, weeks=settings.cycle.weeks)
    wmask = week_masks(settings)
    default = days_to_mask(" ".join(settings.workday.workdays))
    rep_masks: dict[str, int] = {}
    if reps is not None and "workdays" in reps.columns:
        rep_masks = {
            str(r): _workday_mask(d, default)
            for r, d in zip(reps["rep_id"], reps["workdays"], strict=True)
        }
    out = []
    for rep, grp in table.groupby("rep_id", sort=True):
        load = grp.sort_values("week")["load_min"].to_numpy(dtype=float)
        mask = rep_masks.get(str(rep), default)
        cap = np.array([bin(mask & int(m)).count("1") for m in wmask])
        active = cap > 0
        mean = float(load[active].mean()) if active.any() else 0.0
        dev = np.abs(load[active] / mean - 1.0) if mean > 0 else np.zeros(1)
        out.append(
            {
                "rep_id": rep,
                "mean_load_min": mean,
                "min_load_min": float(load[active].min()) if active.any() else 0.0,
                "max_load_min": float(load[active].max()) if active.any() else 0.0,
                "max_dev_pct": 100.0 * float(dev.max()),
            }
        )
    return pd.DataFrame(out)


def cadence_report(
    calendar: pd.DataFrame, clients: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Clients whose number of visits over the cycle differs from their cadence.

    Expected: ``visits_per_week × weeks`` for weekly tiers, ``weeks / every_weeks`` (rounded
    down or up) for the others.

    Parameters
    ----------
    calendar
        The calendar.
    clients
        The clients it was built from.
    settings
        Cadence and cycle length.

    Returns
    -------
    pandas.DataFrame
        ``client_id``, ``tier``, ``expected``, ``planned``, ``reason``; empty when every
        client gets its cadence.

    """
    weeks = settings.cycle.weeks
    counts = calendar.groupby("client_id").size()
    notes = calendar.groupby("client_id")["reason"].agg(
        lambda r: "; ".join(sorted({p.strip() for s in r for p in s.split(";")[1:]}))
    )
    out = []
    for cid, tier in zip(clients["client_id"].astype(str), clients["tier"], strict=True):
        cad = settings.cadence[str(tier)]
        planned = int(counts.get(cid, 0))
        if cad.visits_per_week:
            lo = hi = cad.visits_per_week * weeks
        else:
            lo, hi = weeks // cad.every_weeks, -(-weeks // cad.every_weeks)
        if not lo <= planned <= hi:
            out.append(
                {
                    "client_id": cid,
                    "tier": tier,
                    "expected": hi if planned < lo else lo,
                    "planned": planned,
                    "reason": notes.get(cid, "") or "not in the calendar",
                }
            )
    return pd.DataFrame(out, columns=["client_id", "tier", "expected", "planned", "reason"])


def client_view(calendar: pd.DataFrame, *, weeks: int | None = None) -> pd.DataFrame:
    """Per client, what is planned in each week: a client × week grid of weekdays.

    Parameters
    ----------
    calendar
        The calendar.
    weeks
        Cycle length (columns 1..weeks); default the last week in the calendar.

    Returns
    -------
    pandas.DataFrame
        Index ``client_id``; columns ``rep_id``, ``tier``, then one per week with the day(s)
        ("" when not due; "Mon+Thu" for two visits; "any" for any workday).

    """
    weeks = weeks or int(calendar["week"].max() if len(calendar) else 0)

    def label(rows: pd.DataFrame) -> str:
        days = rows["days"].tolist()
        if len(days) == 1 and len(days[0].split()) > 1:
            return "any" if days[0] == rows["allowed_days"].iloc[0] else days[0].replace(" ", ",")
        return "+".join(days)

    cells = calendar.groupby(["client_id", "week"])[["days", "allowed_days"]].apply(label)
    grid = cells.unstack("week").reindex(columns=range(1, weeks + 1)).fillna("")
    info = calendar.drop_duplicates("client_id").set_index("client_id")[["rep_id", "tier"]]
    return info.join(grid).sort_values(["rep_id", "client_id"])
